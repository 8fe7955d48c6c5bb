"""`get_<field>_display()` from labels kept per field and language (lvzhi.core.choices, issue 12): the same text
Django's own method gives, in every language, for known and unknown values."""

import pytest
from django.utils import translation

from lvzhi.core.choices import _django_display, display
from lvzhi.duty.models import Record
from lvzhi.opinions.models import Report


@pytest.mark.req("S3-10")
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_kept_labels_are_django_s_own_in_each_language(language):
    with translation.override(language):
        for model, name in ((Record, "kind"), (Record, "status"), (Record, "source"), (Report, "status")):
            field = model._meta.get_field(name)
            assert model.__dict__[f"get_{name}_display"].func is display
            obj = model()
            for value, label in field.flatchoices:
                setattr(obj, field.attname, value)
                shown = getattr(obj, f"get_{name}_display")()
                assert shown == _django_display(obj, field) == str(label)
                assert type(shown) is str
            setattr(obj, field.attname, "no-such-value")
            assert getattr(obj, f"get_{name}_display")() == "no-such-value"
    with translation.override("zh-hans"):
        zh = Report(status=Report.Status.values[1]).get_status_display()
    with translation.override("en"):
        en = Report(status=Report.Status.values[1]).get_status_display()
    assert zh != en  # a label per language, not the first one asked for
