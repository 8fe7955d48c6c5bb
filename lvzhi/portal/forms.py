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


class SiteForm(forms.Form):
    """A site's settings; the menu is one position field per public column of the body (empty: not in the menu)."""

    name = forms.CharField(label=_("Name"), max_length=60)
    code = forms.CharField(label=_("Path code (/site/<code>/)"), max_length=30)
    host = forms.CharField(label=_("Host name"), max_length=100, required=False)
    colour = forms.CharField(label=_("Colour (#RRGGBB)"), max_length=7, widget=forms.TextInput(attrs={"type": "color"}))
    logo_text = forms.CharField(label=_("Logo text"), max_length=8, required=False)
    contact = forms.CharField(label=_("Contact (address, telephone)"), max_length=300, required=False)
    is_active = forms.BooleanField(label=_("Site switched on"), required=False)

    def __init__(self, *args, columns=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.column_codes = []
        for column in columns:
            name = f"menu_{column.code}"
            self.column_codes.append((name, column.code))
            self.fields[name] = forms.IntegerField(
                label=_("Menu position: %(column)s") % {"column": column.name}, min_value=1, max_value=99,
                required=False, help_text=_("Leave empty to keep the column out of the menu."),
            )  # fmt: skip

    @staticmethod
    def initial_for(site, columns) -> dict:
        initial = {k: getattr(site, k) for k in ("name", "code", "host", "colour", "logo_text", "contact", "is_active")}
        order = site.navigation or [c.code for c in columns]
        for column in columns:
            if column.code in order:
                initial[f"menu_{column.code}"] = order.index(column.code) + 1
        return initial

    def values(self) -> dict:
        data = {
            k: self.cleaned_data[k] for k in ("name", "code", "host", "colour", "logo_text", "contact", "is_active")
        }
        chosen = [(self.cleaned_data[name], i, code) for i, (name, code) in enumerate(self.column_codes)
                  if self.cleaned_data.get(name) is not None]  # fmt: skip
        data["navigation"] = [code for _pos, _i, code in sorted(chosen)]
        return data
