from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from . import rules
from .models import HOTLINE_CATEGORIES, Category, Satisfaction


def category_choices(blank=True):
    """The categories grouped: the hotline kinds of S0-16.1 first, then the committees' fields."""
    hotline = [(c.value, c.label) for c in Category if c in HOTLINE_CATEGORIES]
    other = [(c.value, c.label) for c in Category if c not in HOTLINE_CATEGORIES]
    choices = [(_("Hotline kinds"), hotline), (_("Other fields"), other)]
    return ([("", _("— choose —"))] if blank else []) + choices


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


class ReportForm(forms.Form):
    """The fields as typed; the services check them (a draft may be incomplete, a submitted report not)."""

    title = forms.CharField(label=_("Title"), max_length=rules.TITLE_MAX, required=False)
    category = forms.ChoiceField(label=_("Category"), choices=category_choices, required=False)
    content = forms.CharField(
        label=pgettext_lazy("text of a case", "Content"),
        max_length=rules.CONTENT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("One matter per report: the facts, where and since when, and your suggestion."),
    )
    location = forms.CharField(label=_("Place"), max_length=rules.LOCATION_MAX, required=False)
    co_reporters = forms.CharField(
        label=_("Co-reporters"),
        max_length=400,
        required=False,
        help_text=_("Other members of your body: names or mobile numbers, separated by commas."),
    )
    photos = MultipleFileField(
        label=_("Photos"),
        required=False,
        help_text=_("Up to 9 photos (JPEG, PNG or WebP), 5 MB each; their location data are removed."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("title", "content"):
            self.fields[name].widget.attrs["maxlength"] = self.fields[name].max_length


class StepForm(forms.Form):
    """The inputs an action may need (see actions.py); which are shown depends on the action."""

    text = forms.CharField(max_length=rules.TEXT_MAX, required=False, widget=forms.Textarea(attrs={"rows": 3}))
    category = forms.ChoiceField(choices=category_choices, required=False)
    committee = forms.IntegerField(required=False)
    level = forms.ChoiceField(choices=[("", "")] + list(Satisfaction.choices), required=False)
    title = forms.CharField(max_length=rules.TOPIC_TITLE_MAX, required=False)
