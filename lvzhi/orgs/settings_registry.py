"""The per-body rules a body may override, with the platform's defaults (S3-18, S4-2.2).

Modules add their keys here; `body_setting(unit, key)` answers with inheritance.
"""

from django.utils.translation import gettext_lazy as _

DEFAULTS = {
    "accounts.data_change_working_days": (5, _("Working days to carry out a personal-data change request")),
    "workflow.reminder_working_days": (1, _("Working days before a deadline that the reminder is sent")),
}


def default_for(key: str):
    try:
        return DEFAULTS[key][0]
    except KeyError:
        raise KeyError(f"unknown body setting {key!r}; declare it in orgs.settings_registry") from None


def register(key: str, default, label):
    DEFAULTS.setdefault(key, (default, label))
