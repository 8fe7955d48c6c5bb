"""Personal-data change requests (S0-26, S0-27): a user asks, the maintaining office carries it out in 5 working days.

The general office maintains staff; the liaison office maintains members and deputies (S0-26). The request goes to
the staff of that office of the user's body, with a deadline of `accounts.data_change_working_days` working days
(a body setting, so a county body may set its own). Staff carry it out (the user's record is changed) or reject it
with a reason; the user is told either way. Declared with `lvzhi.workflow`.
"""

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lvzhi.audit.services import record
from lvzhi.core.crypto import sm4_decrypt, sm4_encrypt
from lvzhi.core.errors import Conflict, NotFound, ValidationFailed
from lvzhi.core.masking import mask_id_card
from lvzhi.notify.services import notify
from lvzhi.orgs.models import OrgUnit, UnitFunction
from lvzhi.orgs.selectors import unit_by_function
from lvzhi.workflow.declaration import DENY_FORBIDDEN, DeadlineRule, Transition, Workflow
from lvzhi.workflow.selectors import users_with_roles, with_open_deadline
from lvzhi.workflow.services import start, transition

from .models import DataChangeRequest, MemberProfile, User
from .permissions import has_any_role, has_role, is_administrator, units_q
from .roles import Role

Status = DataChangeRequest.Status
DEADLINE_KIND = "carry_out"
REASON_MAX = 300
NOTE_MAX = 300

# The fields a user may ask to change: (label, maximum length).
FIELDS = {
    "real_name": (gettext_lazy("Real name"), 50),
    "email": (gettext_lazy("E-mail"), 254),
    "title": (gettext_lazy("Post"), 100),
    "id_card": (gettext_lazy("ID-card number"), 18),
    "workplace": (gettext_lazy("Workplace and post"), 200),
}
MAINTAINED_BY_LIAISON = (Role.MEMBER, Role.DEPUTY)


# ---- permissions -------------------------------------------------------------------------------------------


def may_handle(user, request: DataChangeRequest) -> bool:
    """Staff of the maintaining office carry requests out — not their own."""
    return (
        getattr(user, "is_authenticated", False)
        and user.pk != request.user_id
        and not is_administrator(user)
        and has_role(user, Role.STAFF, request.unit)
    )


def may_view(user, request: DataChangeRequest) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return user.pk == request.user_id or may_handle(user, request)


def may_use_queue(user) -> bool:
    return getattr(user, "is_authenticated", False) and not is_administrator(user) and has_role(user, Role.STAFF)


# ---- the workflow ------------------------------------------------------------------------------------------

DATA_CHANGE_FLOW = Workflow(
    "accounts.datachange",
    model=DataChangeRequest,
    states=Status,
    initial=Status.SUBMITTED,
    starts=[
        DeadlineRule(
            DEADLINE_KIND,
            setting="accounts.data_change_working_days",
            responsible=lambda r: r.unit,
            notify_roles=(Role.STAFF,),
            escalate_roles=(Role.HEAD,),
            label=gettext_lazy("Carry out the change"),
        )
    ],
    transitions=[
        Transition(
            "apply",
            sources=[Status.SUBMITTED],
            target=Status.DONE,
            allowed=may_handle,
            ends=[DEADLINE_KIND],
            label=gettext_lazy("Carry out"),
            denied=DENY_FORBIDDEN,
        ),
        Transition(
            "reject",
            sources=[Status.SUBMITTED],
            target=Status.REJECTED,
            allowed=may_handle,
            ends=[DEADLINE_KIND],
            label=gettext_lazy("Reject"),
            denied=DENY_FORBIDDEN,
        ),
    ],
    link=lambda r: reverse("datachange:detail", args=[r.pk]),
    title=lambda r: _("Personal-data change of %(name)s") % {"name": r.user.real_name},
    label=gettext_lazy("Personal-data change"),
)


# ---- values ------------------------------------------------------------------------------------------------

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def valid_id_card(number: str) -> bool:
    """An 18-character resident ID-card number with a correct GB 11643 check character."""
    if len(number) != 18 or not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        return False
    total = sum(int(d) * w for d, w in zip(number[:17], _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11] == number[17]


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


def _masked(values: dict[str, str]) -> dict[str, str]:
    return {k: (mask_id_card(v) if k == "id_card" else v) for k, v in values.items()}


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


def _clean_changes(user: User, changes: dict) -> dict[str, str]:
    if not isinstance(changes, dict):
        raise ValidationFailed(code="invalid_changes")
    unknown = set(changes) - set(FIELDS)
    if unknown:
        raise ValidationFailed(_("These data cannot be changed here."), code="unknown_field")
    has_profile = member_profile_of(user) is not None
    current = current_values(user)
    cleaned: dict[str, str] = {}
    errors: dict[str, str] = {}
    for key, raw in changes.items():
        if raw is None:
            continue
        value = " ".join(str(raw).split()) if key != "id_card" else str(raw).strip().upper()
        label, limit = FIELDS[key]
        if len(value) > limit:
            errors[key] = _("%(field)s may have at most %(n)s characters.") % {"field": label, "n": limit}
            continue
        if key == "id_card" and value == "":
            continue  # left empty: no change
        if value == current[key]:
            continue
        if key == "real_name" and not value:
            errors[key] = _("The real name is required.")
        elif key == "email" and value:
            try:
                validate_email(value)
            except ValidationError:
                errors[key] = _("Enter a valid e-mail address.")
        elif key == "id_card" and not valid_id_card(value):
            errors[key] = _("Enter a valid 18-character ID-card number.")
        elif key == "workplace" and not has_profile:
            errors[key] = _("Only members and deputies have a workplace on record.")
        if key not in errors:
            cleaned[key] = value
    if errors:
        raise ValidationFailed(next(iter(errors.values())), code="invalid_changes", extra=errors)
    if not cleaned:
        raise ValidationFailed(_("Nothing would change: enter the new data."), code="no_changes")
    return cleaned


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


# ---- services ----------------------------------------------------------------------------------------------


@transaction.atomic
def submit_data_change(*, actor: User, changes: dict, reason: str) -> DataChangeRequest:
    """`actor` asks to change their own data; the maintaining office's staff are told at once."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationFailed(_("Give a reason for the change."), code="reason_required")
    if len(reason) > REASON_MAX:
        raise ValidationFailed(
            _("The reason may have at most %(n)s characters.") % {"n": REASON_MAX}, code="reason_too_long"
        )
    User.objects.select_for_update().filter(pk=actor.pk).first()  # one submission per user at a time
    cleaned = _clean_changes(actor, changes)
    office = maintaining_office(actor)
    if DataChangeRequest.objects.filter(user=actor, status=Status.SUBMITTED).exists():
        raise Conflict(
            _("You already have a change request being handled; wait for it to be carried out."),
            code="request_pending",
        )
    stored = dict(cleaned)
    if "id_card" in stored:
        stored["id_card"] = sm4_encrypt(stored["id_card"])
    request = DataChangeRequest.objects.create(user=actor, unit=office, changes=stored, reason=reason)
    start(
        request,
        actor=actor,
        workflow=DATA_CHANGE_FLOW,
        event="submit",
        comment=reason,
        audit_after={"fields": sorted(cleaned)},
    )
    notify(
        [u for u in users_with_roles(office, [Role.STAFF]) if u.pk != actor.pk],
        title=_("Personal-data change requested by %(name)s") % {"name": actor.real_name},
        body=_("Please carry it out within the time limit."),
        link=DATA_CHANGE_FLOW.link(request),
        event="accounts.datachange.submit",
        obj=request,
    )
    return request


@transaction.atomic
def apply_data_change(*, actor: User, request: DataChangeRequest, note: str = "") -> DataChangeRequest:
    """Carry the request out: the user's record takes the requested values. Audited, ID card masked."""
    note = " ".join((note or "").split())
    if len(note) > NOTE_MAX:
        raise ValidationFailed(_("The note may have at most %(n)s characters.") % {"n": NOTE_MAX}, code="note_too_long")
    values = requested_values(request)
    subject = User.objects.select_for_update().get(pk=request.user_id)
    before_values = current_values(subject)
    now = timezone.now()
    done = transition(
        request,
        "apply",
        actor=actor,
        comment=note,
        workflow=DATA_CHANGE_FLOW,
        changes={"decided_at": now, "decided_by": actor, "decision_note": note},
        audit_before={"values": _masked({k: before_values[k] for k in values})},
        audit_after={"values": _masked(values)},
    )
    user_fields = [k for k in values if k in {"real_name", "email", "title", "id_card"}]
    for key in user_fields:
        setattr(subject, key, values[key])
    if user_fields:
        subject.save(update_fields=user_fields)
    if "workplace" in values:
        profile = member_profile_of(subject)
        if profile is None:
            raise Conflict(
                _("The user is no longer a member or deputy here; reject the request."), code="no_member_profile"
            )
        profile.workplace = values["workplace"]
        profile.save(update_fields=["workplace"])
    record(
        "accounts.user.data_change",
        actor=actor,
        obj=subject,
        org_unit=request.unit_id,
        before=_masked({k: before_values[k] for k in values}),
        after=_masked(values),
    )
    notify(
        [subject],
        title=_("Your personal-data change was carried out"),
        body=note,
        link=DATA_CHANGE_FLOW.link(done),
        event="accounts.datachange.apply",
        obj=done,
    )
    return done


@transaction.atomic
def reject_data_change(*, actor: User, request: DataChangeRequest, reason: str) -> DataChangeRequest:
    """Turn the request down with a reason the user is told."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationFailed(_("Give the reason for rejecting the request."), code="reason_required")
    if len(reason) > NOTE_MAX:
        raise ValidationFailed(
            _("The reason may have at most %(n)s characters.") % {"n": NOTE_MAX}, code="reason_too_long"
        )
    done = transition(
        request,
        "reject",
        actor=actor,
        comment=reason,
        workflow=DATA_CHANGE_FLOW,
        changes={"decided_at": timezone.now(), "decided_by": actor, "decision_note": reason},
        audit_after={"reason": reason},
    )
    notify(
        [request.user],
        title=_("Your personal-data change was not carried out"),
        body=reason,
        link=DATA_CHANGE_FLOW.link(done),
        event="accounts.datachange.reject",
        obj=done,
    )
    return done


# ---- reads -------------------------------------------------------------------------------------------------


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


QUEUE_STATES = ("open", "closed", "all")


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
