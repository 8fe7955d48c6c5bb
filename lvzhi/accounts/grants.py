"""S0-4: operators' requests to query or change business data, the information office's decision, the time-boxed
grant and each use, all audited (`accounts.grant.*`). The check for other modules and tools is
`permissions.may_access_business_data(user, body=, access=, target=)`; `use_grant` records one use."""

import datetime as dt
import re

from django.apps import apps
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.audit.services import record
from lvzhi.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from lvzhi.core.validation import clean_text
from lvzhi.notify.services import notify
from lvzhi.orgs.models import UnitFunction
from lvzhi.orgs.selectors import unit_by_function
from lvzhi.workflow.selectors import users_with_roles

from .models import DataAccessGrant
from .permissions import active_data_grant, is_administrator, may_decide_data_grant
from .roles import Role

MAX_HOURS = 72
_TARGET_RE = re.compile(r"^([a-z_]+)\.([a-z_]+)(?::(\d{1,12}))?$")
BUSINESS_APPS = ("content", "opinions", "proposals")


def _clean_target(target: str) -> str:
    target = (target or "").strip().lower()
    match = _TARGET_RE.match(target)
    if not match or match.group(1) not in BUSINESS_APPS:
        raise ValidationFailed(
            _("Name the business data as app.model or app.model:id (content, opinions or proposals)."),
            code="target_invalid",
        )
    try:
        apps.get_model(match.group(1), match.group(2))
    except LookupError:
        raise ValidationFailed(_("There is no such kind of business data."), code="target_invalid") from None
    return target


def _state(grant: DataAccessGrant) -> dict:
    return {
        "status": grant.status,
        "access": grant.access,
        "target": grant.target,
        "body": grant.body_id,
        "hours": grant.hours,
        "valid_until": grant.valid_until.isoformat() if grant.valid_until else None,
    }


def _info_office(body) -> list:
    people = users_with_roles(body, [Role.INFO_OFFICE])
    office = unit_by_function(body, UnitFunction.INFO_OFFICE)
    if office is not None:
        people += users_with_roles(office, [Role.INFO_OFFICE])
    return list(dict.fromkeys(people))


@transaction.atomic
def request_grant(*, actor, body, access: str, target: str, purpose: str, hours: int) -> DataAccessGrant:
    """An operator asks the information office of `body` for access to business data for `hours` hours."""

    if not is_administrator(actor):
        raise PermissionDenied(_("Only operators ask for access to business data."), code="not_an_operator")
    if body is None or not body.is_body:
        raise ValidationFailed(_("Choose a body."), code="body_required")
    if access not in DataAccessGrant.Access.values:
        raise ValidationFailed(code="access_invalid")
    target = _clean_target(target)
    purpose = clean_text(purpose, field="purpose", max_length=300, label=_("The purpose"), required=True)
    if not isinstance(hours, int) or isinstance(hours, bool) or not (1 <= hours <= MAX_HOURS):
        raise ValidationFailed(
            _("A grant lasts between 1 and %(max)d hours.") % {"max": MAX_HOURS}, code="hours_invalid"
        )
    grant = DataAccessGrant.objects.create(
        requester=actor, body=body, access=access, target=target, purpose=purpose, hours=hours
    )
    record("accounts.grant.request", actor=actor, obj=grant, org_unit=body, after=_state(grant))
    notify(
        _info_office(body),
        title=_("An operator asks for access to business data"),
        body=_("%(name)s asks to %(access)s %(target)s for %(hours)d hours.")
        % {"name": actor.real_name, "access": grant.get_access_display(), "target": target, "hours": hours},
        link="/office/data-access/",
        event="accounts.grant.request",
        obj=grant,
    )
    return grant


def _locked(grant) -> DataAccessGrant:
    locked = DataAccessGrant.objects.select_for_update().filter(pk=grant.pk).select_related("body").first()
    if locked is None:
        raise NotFound()
    return locked


@transaction.atomic
def decide_grant(*, actor, grant: DataAccessGrant, approve: bool, note: str = "") -> DataAccessGrant:
    """The information office approves (the grant runs `hours` from now) or rejects a request."""

    grant = _locked(grant)
    if not may_decide_data_grant(actor, grant):
        raise NotFound()
    if grant.status != DataAccessGrant.Status.REQUESTED:
        raise Conflict(_("This request was already decided."), code="already_decided")
    note = clean_text(note, field="note", max_length=300, label=_("The note"), required=False)
    before = _state(grant)
    now = timezone.now()
    grant.status = DataAccessGrant.Status.APPROVED if approve else DataAccessGrant.Status.REJECTED
    grant.decided_by, grant.decided_at, grant.decision_note = actor, now, note
    grant.valid_until = now + dt.timedelta(hours=grant.hours) if approve else None
    grant.save(update_fields=["status", "decided_by", "decided_at", "decision_note", "valid_until"])
    record("accounts.grant.decide", actor=actor, obj=grant, org_unit=grant.body, before=before, after=_state(grant))
    notify(
        [grant.requester],
        title=_("Your request for access to business data was decided: %(status)s")
        % {"status": grant.get_status_display()},
        link="/office/data-access/",
        event="accounts.grant.decide",
        obj=grant,
    )
    return grant


@transaction.atomic
def revoke_grant(*, actor, grant: DataAccessGrant) -> DataAccessGrant:
    """End a grant early: the information office or the operator themself."""
    grant = _locked(grant)
    if actor.pk != grant.requester_id and not may_decide_data_grant(actor, grant):
        raise NotFound()
    if grant.status != DataAccessGrant.Status.APPROVED:
        raise Conflict(_("Only a running grant can be revoked."), code="not_running")
    before = _state(grant)
    grant.status = DataAccessGrant.Status.REVOKED
    grant.save(update_fields=["status"])
    record("accounts.grant.revoke", actor=actor, obj=grant, org_unit=grant.body, before=before, after=_state(grant))
    return grant


@transaction.atomic
def use_grant(*, actor, body, access: str, target: str) -> DataAccessGrant:
    """Record one use of business data by an operator under their grant (call it before showing or changing the
    data). Raises PermissionDenied `no_data_access_grant` without an approved, unexpired grant covering it."""
    target = _clean_target(target)
    grant = active_data_grant(actor, body=body, access=access, target=target)
    if grant is None:
        raise PermissionDenied(
            _("Access to this business data needs a grant of the information office (S0-4)."),
            code="no_data_access_grant",
        )
    DataAccessGrant.objects.filter(pk=grant.pk).update(uses=F("uses") + 1)
    record(
        "accounts.grant.use",
        actor=actor,
        obj=grant,
        org_unit=body,
        after={"access": access, "target": target, "grant": grant.pk},
    )
    return grant
