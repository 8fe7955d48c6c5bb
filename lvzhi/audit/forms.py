from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from lvzhi.core.params import bounded_date_validators

event_prefix = RegexValidator(r"^[a-z0-9_.]*$", _("Use the dotted event name, e.g. accounts.user."))


class AuditFilterForm(forms.Form):
    """The filters of the audit-log page (and of its export)."""

    date_from = forms.DateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=bounded_date_validators(),
    )
    date_to = forms.DateField(
        label=_("To"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=bounded_date_validators(),
    )
    event = forms.CharField(
        label=_("Event name starts with"), required=False, max_length=80, validators=[event_prefix], strip=True
    )
    actor = forms.CharField(
        label=_("Actor (name or phone)"),
        required=False,
        max_length=50,
        help_text=_("A name, a full mobile number or a masked one such as 138****0001."),
    )
    object_type = forms.CharField(label=_("Object type"), required=False, max_length=60)
    object_id = forms.CharField(label=_("Object ID"), required=False, max_length=40)
    org_unit = forms.IntegerField(label=_("Org unit ID"), required=False, min_value=1, max_value=2**62)
    below = forms.BooleanField(label=_("Include the units below"), required=False)

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError(_("The start date is after the end date."), code="date_order")
        return data

    def as_filters(self) -> dict:
        """The cleaned filters without the empty ones (what the selector and the audit row receive)."""
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "", False)}


def describe_filters(filters: dict) -> dict:
    """The filters as plain JSON values, for the audit row of a view or an export."""
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in filters.items()}
