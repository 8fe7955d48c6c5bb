"""Personal-data change requests (S0-26, S0-27): a user asks, the maintaining office carries it out in 5 working days.

The general office maintains staff; the liaison office maintains members and deputies (S0-26). The request goes to
the staff of that office of the user's body, with a deadline of `accounts.data_change_working_days` working days
(a body setting, so a county body may set its own). Staff carry it out (the user's record is changed) or reject it
with a reason; the user is told either way. Declared with `lvzhi.workflow` (`workflows.DATA_CHANGE_FLOW`).
"""

import unicodedata

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.accounts.models import User
from lvzhi.accounts.roles import Role
from lvzhi.audit.services import record
from lvzhi.core.crypto import sm4_encrypt
from lvzhi.core.errors import Conflict, ValidationFailed
from lvzhi.core.masking import mask_id_card
from lvzhi.core.validation import clean_id_card, clean_text
from lvzhi.notify.services import notify
from lvzhi.workflow.selectors import users_with_roles
from lvzhi.workflow.services import start, transition

from .models import DataChangeRequest
from .selectors import FIELDS, current_values, maintaining_office, member_profile_of, requested_values
from .workflows import DATA_CHANGE_FLOW, Status

REASON_MAX = 300
NOTE_MAX = 300


def _masked(values: dict[str, str]) -> dict[str, str]:
    return {k: (mask_id_card(v) if k == "id_card" else v) for k, v in values.items()}


def _clean_value(key: str, raw, *, current: str, has_profile: bool) -> str | None:
    """The new value of one field, None when it would not change; ValidationFailed when it is not acceptable."""
    if key == "id_card":
        value = unicodedata.normalize("NFKC", str(raw)).strip().upper()
        if value in ("", current):
            return None  # left empty or the same: no change
        return clean_id_card(value)  # GB 11643: birth date and check digit
    label, limit = FIELDS[key]
    value = clean_text(raw, field=key, max_length=limit, label=label, required=False)
    if value == current:
        return None
    if key == "real_name" and not value:
        raise ValidationFailed(_("The real name is required."), code="real_name_required")
    if key == "email" and value:
        try:
            validate_email(value)
        except ValidationError:
            raise ValidationFailed(_("Enter a valid e-mail address."), code="email_invalid")
    if key == "workplace" and not has_profile:
        raise ValidationFailed(_("Only members and deputies have a workplace on record."), code="workplace_invalid")
    return value


def _clean_changes(user: User, changes: dict) -> dict[str, str]:
    """The fields that change, cleaned; every field's error at once in `extra` (code `invalid_changes`)."""
    if not isinstance(changes, dict):
        raise ValidationFailed(code="invalid_changes")
    if set(changes) - set(FIELDS):
        raise ValidationFailed(_("These data cannot be changed here."), code="unknown_field")
    has_profile = member_profile_of(user) is not None
    current = current_values(user)
    cleaned: dict[str, str] = {}
    errors: dict[str, str] = {}
    for key, raw in changes.items():
        if raw is None:
            continue
        try:
            value = _clean_value(key, raw, current=current[key], has_profile=has_profile)
        except ValidationFailed as exc:
            errors[key] = exc.message
            continue
        if value is not None:
            cleaned[key] = value
    if errors:
        raise ValidationFailed(next(iter(errors.values())), code="invalid_changes", extra=errors)
    if not cleaned:
        raise ValidationFailed(_("Nothing would change: enter the new data."), code="no_changes")
    return cleaned


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
        audit_after={"reason_length": len(reason or "")},
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
