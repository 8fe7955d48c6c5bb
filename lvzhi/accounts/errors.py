"""Business errors of authentication and account security, each with a stable `code` for API clients."""

from django.utils.translation import gettext_lazy as _

from lvzhi.core.errors import ApplicationError, PermissionDenied, ValidationFailed


class InvalidCredentials(ApplicationError):
    """The same answer for an unknown phone and a wrong password: nobody learns which numbers exist."""

    code = "invalid_credentials"
    status = 401
    default_message = _("The mobile number or the password is wrong.")


class AccountLocked(ApplicationError):
    code = "locked"
    status = 403
    default_message = _("Too many failed attempts: this account is locked for a while.")


class AccountFrozen(ApplicationError):
    code = "frozen"
    status = 403
    default_message = _("This account is frozen; please contact the information office.")


class AccountInactive(ApplicationError):
    code = "inactive"
    status = 403
    default_message = _("This account has been closed.")


class NotAuthenticated(ApplicationError):
    code = "not_authenticated"
    status = 401
    default_message = _("Please log in.")


class TokenInvalid(ApplicationError):
    code = "token_invalid"
    status = 401
    default_message = _("The access token is invalid, expired or revoked; please log in again.")


class PasswordChangeRequired(ApplicationError):
    code = "password_change_required"
    status = 403
    default_message = _("You must change your password first.")


class SecondFactorRequired(ApplicationError):
    code = "second_factor_required"
    status = 403
    default_message = _("Administrators must confirm the login with their authenticator app.")


class AdminApiForbidden(ApplicationError):
    code = "admin_no_api"
    status = 403
    default_message = _("Administrator accounts cannot use the mobile API.")


class WrongPassword(ValidationFailed):
    code = "wrong_password"
    default_message = _("The current password is wrong.")


class CodeInvalid(ValidationFailed):
    code = "code_invalid"
    default_message = _("The verification code is wrong or has expired; ask for a new one.")


class OtpInvalid(ValidationFailed):
    code = "otp_invalid"
    default_message = _("The code from the authenticator app is wrong; try the current one.")


class NotAllowed(PermissionDenied):
    code = "forbidden"
