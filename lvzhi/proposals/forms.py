"""Forms of the proposals pages. They only parse input; the rules live in the services."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lvzhi.orgs.models import OrgUnit, UnitKind

from .models import Classification, Contact, Kind, Rating
from .permissions import kinds_for
from .rules import rule
from .services import CONTENT_MAX, NOTE_MAX, OPINION_MAX, REASON_MAX, TITLE_MAX

TEXTAREA = {"rows": 4}


def _date_input():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _handling_units():
    return OrgUnit.objects.filter(kind=UnitKind.HANDLING_UNIT, is_active=True).order_by("path")


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class UnitsChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class DraftForm(forms.Form):
    body = forms.ModelChoiceField(label=_("Submit to"), queryset=OrgUnit.objects.none(), empty_label=None)
    kind = forms.ChoiceField(label=pgettext_lazy("proposal", "Kind"), choices=Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX)
    content = forms.CharField(
        label=pgettext_lazy("text of a case", "Content"),
        max_length=CONTENT_MAX,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("The situation, the reasons and your concrete suggestions."),
    )
    category = forms.ChoiceField(label=pgettext_lazy("proposal", "Subject area"), choices=(), required=False)
    keywords = forms.CharField(
        label=_("Keywords"), max_length=100, required=False, help_text=_("Separate keywords with spaces or commas.")
    )
    delegation = forms.ModelChoiceField(
        label=_("In the name of the delegation"),
        queryset=OrgUnit.objects.none(),
        required=False,
        help_text=_("Only for a bill submitted by a deputy delegation."),
    )
    disclosure_consent = forms.BooleanField(
        label=_("I agree that the item and its reply may be disclosed to the public"), required=False
    )

    def __init__(self, *args, bodies=(), body=None, **kwargs):
        super().__init__(*args, **kwargs)
        ids = [b.pk for b in bodies]
        self.fields["body"].queryset = OrgUnit.objects.filter(pk__in=ids).order_by("path")
        self.fields["body"].label_from_instance = lambda obj: obj.name
        chosen = body or (bodies[0] if bodies else None)
        if self.is_bound and self.data.get("body"):
            chosen = next((b for b in bodies if str(b.pk) == str(self.data.get("body"))), chosen)
        if chosen is not None:
            allowed = [str(k) for k in kinds_for(chosen)]
            self.fields["kind"].choices = [(k, label) for k, label in Kind.choices if k in allowed]
            categories = rule(chosen, "proposals.categories")
            self.fields["category"].choices = [("", _("— choose —"))] + [(c, c) for c in categories]
            delegations = OrgUnit.objects.filter(body=chosen, kind=UnitKind.DELEGATION, is_active=True)
            self.fields["delegation"].queryset = delegations.order_by("path")
            self.fields["delegation"].label_from_instance = lambda obj: obj.name
            if not delegations.exists():
                del self.fields["delegation"]
        self.chosen_body = chosen
        if chosen is not None:
            self.fields["body"].initial = chosen.pk
        if len(bodies) <= 1:
            self.fields["body"].widget = forms.HiddenInput()


class InviteForm(forms.Form):
    who = forms.CharField(
        label=_("Co-signer"), max_length=50, help_text=_("The mobile number or the name of a deputy or member.")
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=REASON_MAX, widget=forms.Textarea(attrs={"rows": 2}))


class OptionalReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=REASON_MAX, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), max_length=REASON_MAX, required=False)


class MergeForm(forms.Form):
    into = forms.IntegerField(label=_("Merge into item no."), min_value=1)
    note = forms.CharField(label=_("Note"), max_length=REASON_MAX, required=False)


class AssignForm(forms.Form):
    lead_unit = UnitChoiceField(label=_("Lead unit"), queryset=OrgUnit.objects.none())
    co_units = UnitsChoiceField(
        label=_("Co-handling units"),
        queryset=OrgUnit.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_unit"].queryset = _handling_units()
        self.fields["co_units"].queryset = _handling_units()


class SuperviseForm(forms.Form):
    on = forms.BooleanField(label=_("Key supervision"), required=False)
    note = forms.CharField(label=_("Supervision note"), max_length=300, required=False)


class PublishForm(forms.Form):
    public = forms.BooleanField(label=_("Disclose to the public"), required=False)


class EvaluateForm(forms.Form):
    rating = forms.ChoiceField(
        label=_("Your evaluation"),
        choices=[(k, v) for k, v in Rating.choices if k != Rating.NONE],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=pgettext_lazy("evaluation", "Comment"),
        max_length=NOTE_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required if you are not satisfied."),
    )


class ContactForm(forms.Form):
    method = forms.ChoiceField(label=_("How"), choices=Contact.Method.choices)
    contacted_on = forms.DateField(label=_("Date"), widget=_date_input())
    note = forms.CharField(label=_("What was discussed"), max_length=NOTE_MAX, widget=forms.Textarea(attrs=TEXTAREA))


class OpinionForm(forms.Form):
    opinion = forms.CharField(label=_("Opinion"), max_length=OPINION_MAX, widget=forms.Textarea(attrs=TEXTAREA))


class ReplyForm(forms.Form):
    content = forms.CharField(label=_("Reply letter"), max_length=CONTENT_MAX, widget=forms.Textarea(attrs={"rows": 8}))
    classification = forms.ChoiceField(label=_("Class"), choices=Classification.choices, widget=forms.RadioSelect)


class ExtensionForm(forms.Form):
    until = forms.DateField(label=_("New time limit"), widget=_date_input())
    reason = forms.CharField(label=_("Reason"), max_length=REASON_MAX, widget=forms.Textarea(attrs={"rows": 2}))


class TransferForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=REASON_MAX, widget=forms.Textarea(attrs={"rows": 2}))
    suggested_unit = UnitChoiceField(label=_("Suggested unit"), queryset=OrgUnit.objects.none(), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["suggested_unit"].queryset = _handling_units()


class DecideForm(forms.Form):
    approve = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("1", _("Approve")), ("0", _("Reject"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Note"), max_length=REASON_MAX, required=False)
    new_unit = UnitChoiceField(label=_("New unit"), queryset=OrgUnit.objects.none(), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_unit"].queryset = _handling_units()
