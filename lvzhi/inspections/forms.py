"""Forms of the inspection pages (rendered by the project form renderer; the services decide)."""

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from lvzhi.core.forms import CleanTextField

from . import rules
from .models import ActionKind, DutyKind, IndicatorKind, RoundKind


class ReportForm(forms.Form):
    text = CleanTextField(label=_("Report"), max_length=rules.REPORT_MAX, widget=forms.Textarea(attrs={"rows": 16}))


class RoundForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of check"), choices=RoundKind.choices)
    year = forms.IntegerField(label=_("Year"), min_value=2019, max_value=2100)
    period = forms.IntegerField(label=_("Month or quarter"), min_value=1, max_value=12)
    checked_on = forms.DateField(label=_("Checked on"), widget=forms.DateInput(attrs={"type": "date"}))
    title = CleanTextField(label=_("Title"), max_length=rules.TITLE_MAX, required=False)


def score_form(indicators, data=None, initial=None):
    """One row per indicator of the outlet's scope: a deduction (deduction items) or a veto box (veto items),
    and the finding."""
    form = forms.Form(data=data, initial=initial)
    for ind in indicators:
        if ind.kind == IndicatorKind.VETO:
            form.fields[f"veto_{ind.code}"] = forms.BooleanField(label=f"{ind.code} {ind.name}", required=False)
        else:
            form.fields[f"ded_{ind.code}"] = forms.DecimalField(
                label=f"{ind.code} {ind.area} · {ind.name}（{ind.points}）",
                required=False,
                min_value=0,
                max_value=ind.points,
                decimal_places=2,
            )
        form.fields[f"note_{ind.code}"] = forms.CharField(label=_("Finding"), required=False, max_length=rules.NOTE_MAX)
    return form


def score_items(indicators, data) -> dict:
    """The service's `items` from the form's raw POST (the service checks every value)."""
    items = {}
    for ind in indicators:
        items[ind.code] = {
            "deduction": (data.get(f"ded_{ind.code}") or "0").strip(),
            "veto": data.get(f"veto_{ind.code}", ""),
            "note": data.get(f"note_{ind.code}", ""),
        }
    return items


class ActionForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Reason"),
        choices=[
            ("unfiled", _("Unfiled accounts")),
            ("unfixed", _("Unfixed findings")),
            ("serious", _("Serious failure")),
        ],
    )
    kind = forms.ChoiceField(label=_("Action"), choices=ActionKind.choices)
    taken_on = forms.DateField(
        label=_("Taken on"), widget=forms.DateInput(attrs={"type": "date"}), initial=dt.date.today
    )
    note = CleanTextField(
        label=_("Note"), max_length=rules.NOTE_MAX, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class DutyForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=DutyKind.choices)
    done_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    responsible = forms.TypedChoiceField(label=_("Person responsible"), coerce=int)
    note = CleanTextField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible"].choices = [(u.pk, u.real_name) for u in people]
