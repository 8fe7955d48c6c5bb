from django import forms
from django.utils.translation import gettext_lazy as _

from lvzhi.core.forms import CleanTextField

from . import rules
from .models import TopicKind


class PhoneForm(forms.Form):
    phone = forms.CharField(label=_("Mobile number"), max_length=20)


class CodeForm(forms.Form):
    code = forms.CharField(label=_("Verification code"), max_length=6)


class TopicForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=TopicKind.choices)
    title = CleanTextField(label=_("Title"), max_length=rules.TITLE_MAX)
    text = CleanTextField(label=_("Reasons and suggestions"), max_length=rules.TEXT_MAX, widget=forms.Textarea)
    name = CleanTextField(
        label=_("Your name (optional, kept by the office)"), max_length=rules.NAME_MAX, required=False
    )


class CommentForm(forms.Form):
    article = forms.TypedChoiceField(label=_("On"), coerce=int, empty_value=0)
    text = CleanTextField(label=_("Your comment"), max_length=rules.TEXT_MAX, widget=forms.Textarea)
    name = CleanTextField(label=_("Your name (optional)"), max_length=rules.NAME_MAX, required=False)
    show_name = forms.BooleanField(label=_("Show my name (masked) with the comment"), required=False)

    def __init__(self, *args, articles=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["article"].choices = [(0, _("The draft as a whole")), *[(a.pk, a.label) for a in articles]]


class DraftForm(forms.Form):
    title = CleanTextField(label=_("Title"), max_length=rules.TITLE_MAX)
    introduction = CleanTextField(
        label=_("Explanation"), max_length=rules.TEXT_MAX, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    text = CleanTextField(
        label=_("Text of the draft (articles begin with 第…条)"), max_length=rules.DRAFT_MAX,
        widget=forms.Textarea(attrs={"rows": 16}),
    )  # fmt: skip
    opens_on = forms.DateField(label=_("Comment period opens"), widget=forms.DateInput(attrs={"type": "date"}))
    period_days = forms.IntegerField(label=_("Comment period, in days"), min_value=1, max_value=365, initial=30)
