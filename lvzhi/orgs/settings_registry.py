"""The per-body rules a body may override, with the platform's defaults (S3-18, S4-2.2).

Modules add their keys here (or call `register` at import); `body_setting(unit, key)` answers with inheritance.
"""

from django.utils.translation import gettext_lazy as _

from .limits import set_limit

DEFAULTS = {
    "deliberation.topic_notice_days": (
        15,
        _("Days before the consultation meeting that a topic and its notice are published"),
    ),
    "newmedia.closure_notice_working_days": (
        15,
        _("Working days a closure of a government new-media account is announced to the public"),
    ),
    "accounts.data_change_working_days": (5, _("Working days to carry out a personal-data change request")),
    "accounts.password_max_age_days": (90, _("Days after which an operator's password must be changed (30–180)")),
    "workflow.reminder_working_days": (1, _("Working days before a deadline that the reminder is sent")),
}


def default_for(key: str):
    try:
        return DEFAULTS[key][0]
    except KeyError:
        raise KeyError(f"unknown body setting {key!r}; declare it in orgs.settings_registry") from None


def label_for(key: str):
    return DEFAULTS[key][1] if key in DEFAULTS else key


def register(key: str, default, label, *, minimum=None, maximum=None, meaning=""):
    """Declare a body setting; `minimum`/`maximum` bound what a body may set (see lvzhi.orgs.limits)."""
    DEFAULTS.setdefault(key, (default, label))
    if minimum is not None or maximum is not None:
        set_limit(key, minimum=minimum, maximum=maximum, meaning=meaning)


def bounds_for(key: str) -> tuple | None:
    """(minimum, maximum) of a bounded setting, or None (the bounds live in lvzhi.orgs.limits)."""
    from .limits import LIMITS  # limits declares its meanings with this module's keys

    limit = LIMITS.get(key)
    return None if limit is None else (limit.minimum, limit.maximum)


def registered_keys() -> list[str]:
    return sorted(DEFAULTS)


def value_matches_default_type(key: str, value) -> bool:
    """An override must have the default's JSON type (any JSON value where the default is None)."""
    default = default_for(key)
    if default is None or value is None:
        return True
    if isinstance(default, bool):
        return isinstance(value, bool)
    if isinstance(default, int | float):
        return isinstance(value, int | float) and not isinstance(value, bool)
    return isinstance(value, type(default))
