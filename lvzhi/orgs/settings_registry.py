"""The per-body rules a body may override, with the platform's defaults (S3-18, S4-2.2).

Modules add their keys here (or call `register` at import); `body_setting(unit, key)` answers with inheritance.
"""

from django.utils.translation import gettext_lazy as _

DEFAULTS = {
    "accounts.data_change_working_days": (5, _("Working days to carry out a personal-data change request")),
    "accounts.password_max_age_days": (90, _("Days after which an operator's password must be changed (30–180)")),
    "workflow.reminder_working_days": (1, _("Working days before a deadline that the reminder is sent")),
}


BOUNDS_INITIAL = {"accounts.password_max_age_days": (30, 180)}  # 等保2.0: changed periodically, at most 180 days


def default_for(key: str):
    try:
        return DEFAULTS[key][0]
    except KeyError:
        raise KeyError(f"unknown body setting {key!r}; declare it in orgs.settings_registry") from None


def label_for(key: str):
    return DEFAULTS[key][1] if key in DEFAULTS else key


# (lowest, highest) allowed for a numeric setting; the seed's or the standard's number is the ceiling.
BOUNDS: dict[str, tuple] = dict(BOUNDS_INITIAL)


def register(key: str, default, label, *, bounds: tuple | None = None):
    DEFAULTS.setdefault(key, (default, label))
    if bounds is not None:
        BOUNDS.setdefault(key, bounds)


def bounds_for(key: str) -> tuple | None:
    return BOUNDS.get(key)


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
