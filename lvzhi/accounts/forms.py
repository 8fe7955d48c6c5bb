from django import forms
from django.utils.translation import gettext_lazy as _

from .passwords import LvzhiPasswordValidator


class LoginForm(forms.Form):
    phone = forms.CharField(
        label=_("Mobile number"),
        max_length=20,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "username", "inputmode": "numeric"}),
    )
    password = forms.CharField(
        label=_("Password"), max_length=128, strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "off"})
    )


class _NewPasswordMixin:
    def clean(self):
        data = super().clean()
        one, two = data.get("new_password1"), data.get("new_password2")
        if one and two and one != two:
            self.add_error("new_password2", _("The two new passwords differ."))
        return data


def _new_password_fields():
    help_text = LvzhiPasswordValidator().get_help_text()
    return (
        forms.CharField(
            label=_("New password"),
            max_length=128,
            strip=False,
            help_text=help_text,
            widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        ),
        forms.CharField(
            label=_("New password again"),
            max_length=128,
            strip=False,
            widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        ),
    )


class PasswordChangeForm(_NewPasswordMixin, forms.Form):
    current_password = forms.CharField(
        label=_("Current password"),
        max_length=128,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    new_password1, new_password2 = _new_password_fields()


class ForgotForm(forms.Form):
    phone = forms.CharField(
        label=_("Mobile number"),
        max_length=20,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "username", "inputmode": "numeric"}),
    )


class ResetForm(_NewPasswordMixin, forms.Form):
    phone = forms.CharField(
        label=_("Mobile number"), max_length=20, widget=forms.TextInput(attrs={"type": "tel", "inputmode": "numeric"})
    )
    code = forms.CharField(
        label=_("Verification code"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )
    new_password1, new_password2 = _new_password_fields()


class OtpForm(forms.Form):
    token = forms.CharField(
        label=_("Code from the authenticator app"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "autofocus": True}),
    )
