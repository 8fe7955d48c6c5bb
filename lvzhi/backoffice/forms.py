"""Back-office forms: input shape only; business rules live in the services and `permissions`."""

import json

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from lvzhi.accounts.models import User
from lvzhi.accounts.models.user import phone_validator
from lvzhi.accounts.roles import ADMIN_ROLES, Role
from lvzhi.core.forms import CleanTextField
from lvzhi.core.html import safe_lazy
from lvzhi.orgs.models import BodyType, Level, OrgUnit, UnitFunction, UnitKind


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        indent = "\u3000" * obj.depth
        return f"{indent}{obj.name}"


class UserFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or mobile number"), required=False, max_length=50)
    unit = UnitChoiceField(label=_("Unit"), queryset=None, required=False, empty_label=_("All units"))
    role = forms.ChoiceField(label=_("Role"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), ("active", _("Active")), ("frozen", _("Frozen")), ("left", _("Left"))],
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["role"].choices = [("", _("All roles")), *Role.choices]


PASSWORD_MODES = [("generate", _("Generate one and show it once")), ("enter", _("Enter it myself"))]


class InitialPasswordMixin:
    def clean_password_fields(self, cleaned, user):
        mode = cleaned.get("password_mode") or "generate"
        password = cleaned.get("password") or ""
        if mode == "enter":
            if not password:
                self.add_error("password", _("Enter the initial password or let it be generated."))
            else:
                try:
                    validate_password(password, user)
                except ValidationError as exc:
                    self.add_error("password", exc)
        return cleaned


class UserCreateForm(InitialPasswordMixin, forms.Form):
    phone = forms.CharField(label=_("Mobile number"), max_length=11, validators=[phone_validator])
    real_name = CleanTextField(label=_("Real name"), max_length=50)
    unit = UnitChoiceField(label=_("Unit"), queryset=None)
    title = CleanTextField(label=_("Post"), max_length=100, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    id_card = forms.CharField(label=_("ID-card number (optional)"), max_length=18, required=False)
    role = forms.ChoiceField(label=_("Role at this unit (optional)"), required=False)
    password_mode = forms.ChoiceField(
        label=_("Initial password"), choices=PASSWORD_MODES, initial="generate", widget=forms.RadioSelect
    )
    password = forms.CharField(
        label=_("Initial password (if entered)"), required=False, max_length=128, widget=forms.PasswordInput
    )

    def __init__(self, *args, units, roles, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["role"].choices = [("", _("None")), *[(r, Role(r).label) for r in roles]]
        self.fields["phone"].widget.input_type = "tel"

    def clean(self):
        cleaned = super().clean()
        probe = User(phone=cleaned.get("phone") or "", real_name=cleaned.get("real_name") or "")
        return self.clean_password_fields(cleaned, probe)


class UserEditForm(forms.Form):
    real_name = CleanTextField(label=_("Real name"), max_length=50)
    phone = forms.CharField(label=_("Mobile number"), max_length=11, validators=[phone_validator])
    unit = UnitChoiceField(label=_("Unit"), queryset=None)
    title = CleanTextField(label=_("Post"), max_length=100, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    id_card = forms.CharField(
        label=_("New ID-card number"),
        max_length=18,
        required=False,
        help_text=_("Leave empty to keep the stored number."),
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["phone"].widget.input_type = "tel"


class MemberProfileForm(forms.Form):
    sector = UnitChoiceField(label=_("Sector"), queryset=None, required=False)
    committee = UnitChoiceField(label=_("Special committee"), queryset=None, required=False)
    delegation = UnitChoiceField(label=_("Delegation or group"), queryset=None, required=False)
    term = CleanTextField(label=_("Term"), max_length=40, required=False)
    workplace = CleanTextField(label=_("Workplace and post"), max_length=200, required=False)

    def __init__(self, *args, body, **kwargs):
        super().__init__(*args, **kwargs)
        in_body = OrgUnit.objects.filter(body=body, is_active=True).order_by("sort_order", "path")
        self.fields["sector"].queryset = in_body.filter(kind=UnitKind.SECTOR)
        self.fields["committee"].queryset = in_body.filter(kind=UnitKind.COMMITTEE)
        self.fields["delegation"].queryset = in_body.filter(kind__in=[UnitKind.DELEGATION, UnitKind.GROUP])


class GrantRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"))
    unit = UnitChoiceField(label=_("At unit"), queryset=None)
    include_descendants = forms.BooleanField(label=_("Reaches the units below"), required=False)

    def __init__(self, *args, units, roles, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["role"].choices = [(r, Role(r).label) for r in roles]


class ReasonForm(forms.Form):
    reason = CleanTextField(label=_("Reason"), max_length=200, widget=forms.TextInput)

    def clean_reason(self):
        reason = self.cleaned_data["reason"]
        if not reason:
            raise ValidationError(_("A reason is required."))
        return reason


class ResetPasswordForm(InitialPasswordMixin, forms.Form):
    password_mode = forms.ChoiceField(
        label=_("New initial password"), choices=PASSWORD_MODES, initial="generate", widget=forms.RadioSelect
    )
    password = forms.CharField(
        label=_("Initial password (if entered)"), required=False, max_length=128, widget=forms.PasswordInput
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self):
        return self.clean_password_fields(super().clean(), self.user)


class UnitCreateForm(forms.Form):
    name = CleanTextField(label=_("Name"), max_length=100)
    short_name = CleanTextField(label=_("Short name"), max_length=40, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=UnitKind.choices)
    function = forms.ChoiceField(label=_("Function"), choices=UnitFunction.choices, required=False)
    level = forms.ChoiceField(label=_("Level (bodies only)"), choices=[("", "—"), *Level.choices], required=False)
    body_type = forms.ChoiceField(label=_("Type (bodies only)"), choices=[("", "—"), *BodyType.choices], required=False)
    sort_order = forms.IntegerField(label=_("Order"), required=False, initial=0, min_value=-9999, max_value=9999)


class UnitLeaderForm(forms.Form):
    name = CleanTextField(label=_("Name"), max_length=50, code="name")
    post = CleanTextField(label=_("Post"), max_length=100, required=False, code="post")


class UnitRenameForm(forms.Form):
    name = CleanTextField(label=_("Name"), max_length=100)
    short_name = CleanTextField(label=_("Short name"), max_length=40, required=False)


class SettingForm(forms.Form):
    key = forms.CharField(widget=forms.HiddenInput, max_length=80)
    value = forms.CharField(
        label=_("Value (JSON)"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=safe_lazy(
            _(
                "A JSON value, e.g. a number <code>5</code>, yes or no <code>true</code> / <code>false</code>, "
                'a text in double quotes <code>"text"</code> or a list <code>[1, 2]</code>.'
            )
        ),
    )

    def clean_value(self):
        try:
            return json.loads(self.cleaned_data["value"])
        except ValueError:
            raise ValidationError(_("This is not a valid JSON value."))


def admin_free_roles():
    return [r for r in Role.values if r not in ADMIN_ROLES]
