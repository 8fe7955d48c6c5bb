"""`get_<field>_display()` without rebuilding the choices on every call (issue 12: every list row pays for it).

Django's `Model._get_FIELD_display` flattens the field's choices and hashes every label on each call; with lazy
translated labels that is ~20 calls per choice, hundreds per row of a list. `install()` (CoreConfig.ready) points
every model's `get_<field>_display` at `display()`, which keeps, per field and language, the label of each value as
a plain string. Choices declared in code never change while a process runs; a field with callable choices is left
to Django.
"""

from functools import partialmethod

from django.db.models import Model
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django.utils.translation import get_language

_django_display = Model._get_FIELD_display
_MISSING = object()


def _labels(field) -> dict:
    per_language = field.__dict__.get("_lvzhi_labels")
    if per_language is None:
        per_language = field.__dict__["_lvzhi_labels"] = {}
    language = get_language()
    labels = per_language.get(language)
    if labels is None:
        labels = {key: force_str(label) for key, label in make_hashable(field.flatchoices)}
        per_language[language] = labels
    return labels


def display(self, field):
    """What Django's `_get_FIELD_display` returns: the value's label as a string, or the value itself."""
    value = getattr(self, field.attname)
    try:
        label = _labels(field).get(value, _MISSING)
    except TypeError:  # an unhashable value (a JSON list): Django's own way
        return _django_display(self, field)
    return force_str(value, strings_only=True) if label is _MISSING else label


def install(models) -> int:
    """Point the `get_<field>_display` Django generated for each model's fields with static choices at `display`."""
    done = 0
    for model in models:
        for field in model._meta.fields:
            name = f"get_{field.name}_display"
            method = model.__dict__.get(name)
            if not isinstance(method, partialmethod) or method.func is not _django_display:
                continue  # no choices, or a method the model defines itself
            if not isinstance(field.choices, list | tuple):
                continue  # callable choices: evaluated on every call, as Django does
            setattr(model, name, partialmethod(display, field=field))
            done += 1
    return done
