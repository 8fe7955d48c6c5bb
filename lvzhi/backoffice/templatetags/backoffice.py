"""`{% backoffice_nav %}`: the back office's side navigation, shown by role, for any page extending
"backoffice/base.html" (also pages of other apps, whose views pass nothing special)."""

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from lvzhi.accounts.permissions import has_role, is_administrator
from lvzhi.accounts.roles import Role
from lvzhi.backoffice import permissions as perms
from lvzhi.onboarding.permissions import may_onboard
from lvzhi.screening.permissions import may_use_screening
from lvzhi.security.permissions import may_handle_incidents


def may_use_data_access(user) -> bool:
    """S0-4: operators ask for access to business data; the information office decides."""
    return is_administrator(user) or has_role(user, Role.INFO_OFFICE)


register = template.Library()

# (url name, label, predicate)
NAV = [
    ("backoffice:index", _("Overview"), perms.may_enter_backoffice),
    ("backoffice:users", _("Users"), perms.may_list_users),
    ("backoffice:units", _("Org units"), perms.may_view_units),
    ("backoffice:settings", _("Body settings"), perms.may_manage_settings),
    ("workdays:calendar", _("Calendar"), perms.may_see_calendar),
    ("audit:events", _("Audit log"), perms.may_see_audit_log),
    ("datachange:queue", _("Data-change requests"), perms.may_see_datachange_queue),
    ("screening:lists", _("Screening word lists"), may_use_screening),
    ("data_access", _("Access to business data"), may_use_data_access),
    ("security:incidents", _("Security incidents"), may_handle_incidents),
    ("onboarding:index", _("Onboarding from spreadsheets"), may_onboard),
]


def nav_items(user, path: str = "") -> list[dict]:
    items = []
    for name, label, allowed in NAV:
        if not allowed(user):
            continue
        try:
            url = reverse(name)
        except NoReverseMatch:  # another engineer's page not wired yet
            continue
        items.append({"name": name, "label": label, "url": url, "active": False})
    # The longest matching prefix is the current section ("/office/" is a prefix of everything).
    matches = [item for item in items if path.startswith(item["url"])]
    if matches:
        max(matches, key=lambda item: len(item["url"]))["active"] = True
    return items


@register.inclusion_tag("backoffice/_nav.html", takes_context=True)
def backoffice_nav(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"items": []}
    return {"items": nav_items(user, request.path)}
