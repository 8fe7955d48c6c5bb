"""Password policy (等保2.0): ≥ 8 characters, ≥ 3 of 4 character classes, not the phone number, no reuse."""

import re
import secrets
import string

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .models import PasswordHistory

CLASSES = [re.compile(r"[a-z]"), re.compile(r"[A-Z]"), re.compile(r"\d"), re.compile(r"[^a-zA-Z0-9]")]
_SYMBOLS = "@#%*+=?!"


def generate_initial_password(length: int = 12) -> str:
    """A random password that satisfies the policy (all four classes); shown or sent once."""
    alphabet = string.ascii_letters + string.digits + _SYMBOLS
    while True:
        chars = [
            secrets.choice(string.ascii_lowercase),
            secrets.choice(string.ascii_uppercase),
            secrets.choice(string.digits),
            secrets.choice(_SYMBOLS),
        ] + [secrets.choice(alphabet) for _ in range(length - 4)]
        secrets.SystemRandom().shuffle(chars)
        password = "".join(chars)
        if not re.search(r"(.)\1\1", password):
            return password


class LvzhiPasswordValidator:
    def validate(self, password, user=None):
        errors = []
        if len(password) < 8:
            errors.append(ValidationError(_("The password must have at least 8 characters."), code="too_short"))
        if sum(1 for c in CLASSES if c.search(password)) < 3:
            errors.append(
                ValidationError(
                    _("Use at least three of: lower-case letters, capitals, digits, symbols."),
                    code="too_simple",
                )
            )
        if user is not None and user.phone and user.phone in password:
            errors.append(ValidationError(_("The password must not contain the mobile number."), code="phone"))
        if user is not None and user.pk and self._reused(password, user):
            errors.append(
                ValidationError(
                    _("The password must differ from your last %(n)d passwords.")
                    % {"n": settings.LVZHI_PASSWORD_HISTORY},
                    code="reused",
                )
            )
        if errors:
            raise ValidationError(errors)

    @staticmethod
    def _reused(password, user) -> bool:
        recent = PasswordHistory.objects.filter(user=user).order_by("-created_at")[: settings.LVZHI_PASSWORD_HISTORY]
        return any(check_password(password, row.password) for row in recent)

    def get_help_text(self):
        return _(
            "At least 8 characters with three of: lower-case letters, capitals, digits, symbols; "
            "not your mobile number; not one of your last 5 passwords."
        )
