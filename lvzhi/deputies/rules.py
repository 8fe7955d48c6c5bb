"""What a deputy's public page may show, field by field (S4-2.2.1). The office switches each on or off per deputy;
private identifiers (phone, ID-card number, home address) are not fields at all, so no switch can show them."""

from django.utils.translation import gettext_lazy as _

SHOWABLE = {
    "photo": _("Photo"),
    "constituency": _("Constituency"),
    "delegation": _("Delegation or group"),
    "committee": _("Special committee"),
    "workplace": _("Workplace and post"),
    "station": _("Contact station"),
    "introduction": _("Introduction"),
    "attendance": _("Attendance at meetings"),
    "proposals": _("Bills and suggestions with their results"),
    "activities": _("Activities"),
    "contact": _("Contact with constituents"),
}
# Shown unless the office switches it off.
DEFAULT_SHOWN = frozenset(SHOWABLE) - {"workplace"}

PHOTO_MAX_BYTES = 2 * 1024 * 1024
PAGE_SIZE = 30
