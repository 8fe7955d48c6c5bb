from django import forms
from django.utils.translation import gettext_lazy as _

from .services import NOTE_MAX


class OverrideForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    is_workday = forms.TypedChoiceField(
        label=_("The day is"),
        choices=[("1", _("a working day")), ("0", _("a holiday"))],
        coerce=lambda value: value == "1",
    )
    note = forms.CharField(label=_("Note"), max_length=NOTE_MAX, required=False)


class DeleteForm(forms.Form):
    date = forms.DateField()
