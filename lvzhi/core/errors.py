"""Business errors. Services raise them; the web shows `message`, the API answers `{"code", "message"}`."""

from django.utils.translation import gettext_lazy as _


class ApplicationError(Exception):
    """A business rule said no. `code` is stable (API clients switch on it); `message` is for people."""

    code = "invalid"
    status = 400
    default_message = _("The request could not be carried out.")

    def __init__(self, message=None, *, code=None, extra=None):
        self.message = message if message is not None else self.default_message
        if code is not None:
            self.code = code
        self.extra = extra or {}
        super().__init__(str(self.message))

    def as_dict(self):
        data = {"code": self.code, "message": str(self.message)}
        if self.extra:
            data["detail"] = self.extra
        return data


class ValidationFailed(ApplicationError):
    code = "validation_failed"
    default_message = _("The data given is not valid.")


class NotFound(ApplicationError):
    """Missing and forbidden look the same: a user may not learn that a thing they cannot see exists."""

    code = "not_found"
    status = 404
    default_message = _("Not found.")


class PermissionDenied(ApplicationError):
    """For actions on a thing the user may see but not change."""

    code = "forbidden"
    status = 403
    default_message = _("You are not allowed to do this.")


class Conflict(ApplicationError):
    """The thing changed meanwhile (another clerk was faster) or the request was a duplicate."""

    code = "conflict"
    status = 409
    default_message = _("This was changed meanwhile; reload and try again.")


class RateLimited(ApplicationError):
    code = "rate_limited"
    status = 429
    default_message = _("Too many requests; please wait and try again.")


class ServiceUnavailable(ApplicationError):
    """The database (or another part the request needs) went away: nothing was saved; try again shortly."""

    code = "service_unavailable"
    status = 503
    default_message = _("The service is briefly unavailable; nothing was saved. Please try again in a moment.")
