"""Reads of personal-data change requests filtered for a user, and the values a request shows."""

from django.db.models import F
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lvzhi.accounts.models import MemberProfile, User
from lvzhi.accounts.permissions import has_any_role, units_q
from lvzhi.accounts.roles import Role
from lvzhi.core.crypto import sm4_decrypt
from lvzhi.core.errors import NotFound, ValidationFailed
from lvzhi.core.masking import mask_id_card
from lvzhi.orgs.models import OrgUnit, UnitFunction
from lvzhi.orgs.selectors import unit_by_function
from lvzhi.workflow.selectors import with_open_deadline

from .models import DataChangeRequest
from .permissions import may_use_queue, may_view
from .workflows import DEADLINE_KIND, Status

# The fields a user may ask to change: (label, maximum length).
FIELDS = {
    "real_name": (gettext_lazy("Real name"), 50),
    "email": (gettext_lazy("E-mail"), 254),
    "title": (gettext_lazy("Post"), 100),
    "id_card": (gettext_lazy("ID-card number"), 18),
    "workplace": (gettext_lazy("Workplace and post"), 200),
}
MAINTAINED_BY_LIAISON = (Role.MEMBER, Role.DEPUTY)
QUEUE_STATES = ("open", "closed", "all")


def member_profile_of(user: User) -> MemberProfile | None:
    """The user's active member/deputy profile at their own body, if any."""
    if user.unit_id is None:
        return None
    body_id = user.unit.body_id
    return MemberProfile.objects.filter(user=user, body_id=body_id, is_active=True).first()


def current_values(user: User) -> dict[str, str]:
    profile = member_profile_of(user)
    return {
        "real_name": user.real_name,
        "email": user.email,
        "title": user.title,
        "id_card": user.id_card,
        "workplace": profile.workplace if profile else "",
    }


def requested_values(request: DataChangeRequest) -> dict[str, str]:
    """The requested values in plain text (the ID-card number is stored SM4-encrypted)."""
    values = dict(request.changes or {})
    if values.get("id_card"):
        values["id_card"] = sm4_decrypt(values["id_card"])
    return values


def display_rows(request: DataChangeRequest, *, show_identity: bool = False) -> list[dict]:
    """[{field, label, current, requested}] for showing a request; ID-card numbers masked unless allowed."""
    now_values = current_values(request.user)
    rows = []
    for key, value in requested_values(request).items():
        current = now_values.get(key, "")
        if key == "id_card" and not show_identity:
            value, current = mask_id_card(value), mask_id_card(current)
        rows.append(
            {"field": key, "label": FIELDS[key][0] if key in FIELDS else key, "current": current, "requested": value}
        )
    return rows


def maintaining_office(user: User) -> OrgUnit:
    """The office of the user's body that keeps the user's data (S0-26)."""
    if user.unit_id is None or user.unit.body_id is None:
        raise ValidationFailed(
            _("Your account belongs to no unit; please contact the information office."), code="no_unit"
        )
    body = user.unit.body
    is_member = has_any_role(user, MAINTAINED_BY_LIAISON) or member_profile_of(user) is not None
    function = UnitFunction.LIAISON_OFFICE if is_member else UnitFunction.GENERAL_OFFICE
    office = unit_by_function(body, function)
    if office is None:
        raise ValidationFailed(
            _("No office of your body keeps these data yet; please contact the information office."),
            code="no_maintaining_office",
        )
    return office


def access_data_change(user, request_id) -> DataChangeRequest:
    """The request if `user` is its requester or staff of its office; NotFound otherwise (missing or forbidden)."""
    try:
        request_id = int(request_id)
    except (TypeError, ValueError):
        raise NotFound()
    request = DataChangeRequest.objects.select_related("user__unit", "unit", "decided_by").filter(pk=request_id).first()
    if request is None or not may_view(user, request):
        raise NotFound()
    return request


def data_change_queue(user, *, state: str = "open"):
    """Requests at the offices where `user` is staff: open ones overdue and due soon first."""
    if not may_use_queue(user):
        return DataChangeRequest.objects.none()
    qs = DataChangeRequest.objects.filter(units_q(user, Role.STAFF)).exclude(user=user)
    qs = qs.select_related("user", "unit")
    if state == "open":
        qs = with_open_deadline(qs.filter(status=Status.SUBMITTED), DEADLINE_KIND)
        return qs.order_by(F("deadline_due_at").asc(nulls_last=True), "created_at", "pk")
    qs = with_open_deadline(qs, DEADLINE_KIND)
    if state == "closed":
        qs = qs.exclude(status=Status.SUBMITTED)
    return qs.order_by(F("decided_at").desc(nulls_first=True), "-created_at", "-pk")


def data_changes_of(user):
    """The user's own requests, newest first."""
    return with_open_deadline(DataChangeRequest.objects.filter(user=user), DEADLINE_KIND).order_by("-created_at", "-pk")
