"""Registering a website or account (S1-1, S1-3.1, S2-2, S2-7, S2-11..15) and the office's decisions on it."""

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from lvzhi.audit.services import record
from lvzhi.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from lvzhi.core.timeutil import local_date, start_of_day
from lvzhi.workflow.models import Deadline
from lvzhi.workflow.services import deadline_keys, deadlines_changed, start

from .. import permissions as perm
from .. import rules
from ..models import ACTIVE, WEBSITES, Filing, FilingKind, NameApproval, Origin, Outlet, OutletPerson, Platform, Status
from ..workflows import FILE, FILING_FLOW
from .common import (
    check_decision,
    check_name,
    clean_people,
    competent_office_of,
    file_by,
    host_unit_ok,
    image_file,
    lock_outlet,
    needs_city_approval,
    text,
)


def same_unit_platform(host_unit, platform, *, exclude=None):
    qs = Outlet.objects.filter(host_unit=host_unit, platform=platform, origin=Origin.REGISTERED, status__in=ACTIVE)
    return qs.exclude(pk=exclude) if exclude else qs


def _refuse_second(host_unit, platform, exclude=None) -> None:
    existing = same_unit_platform(host_unit, platform, exclude=exclude).first()
    if existing is not None:
        raise Conflict(
            _("%(unit)s already has an account on %(platform)s (%(name)s): one account per unit per platform.")
            % {"unit": host_unit.name, "platform": existing.get_platform_display(), "name": existing.name},
            code="duplicate_account",
        )


def _check_consistent_name(host_unit, platform, name, exclude=None) -> None:
    """S2-14: one unit's accounts carry the same name on every platform."""
    if platform in WEBSITES:
        return
    others = Outlet.objects.filter(host_unit=host_unit, status__in=ACTIVE).exclude(platform__in=WEBSITES)
    if exclude:
        others = others.exclude(pk=exclude)
    names = set(others.values_list("name", flat=True))
    if names and name not in names:
        raise ValidationFailed(
            _("The unit's accounts are named %(names)s on the other platforms; use the same name (S2-14).")
            % {"names": "、".join(sorted(names))},
            code="name_inconsistent",
        )


def _undertaking(undertaking_unit, agreement_expires, agreement) -> dict:
    name = text(undertaking_unit, field="undertaking_unit", label=_("The undertaking unit"), max_length=100,
                required=False)  # fmt: skip
    if not name:
        return {"undertaking_unit": "", "agreement_expires": None}
    if agreement is None:
        raise ValidationFailed(
            _("Work outsourced to an undertaking unit needs its confidentiality agreement on file (S2-7)."),
            code="agreement_required",
        )
    if not isinstance(agreement_expires, dt.date) or agreement_expires <= local_date():
        raise ValidationFailed(
            _("Give the date the confidentiality agreement expires; it must still be valid (S2-7)."),
            code="agreement_expired",
        )
    scan = image_file(agreement, max_bytes=rules.AGREEMENT_MAX_BYTES, prefix="agreement")
    return {"undertaking_unit": name, "agreement_expires": agreement_expires, "agreement": scan}


def _address(account_id, url) -> dict:
    account_id = text(account_id, field="account_id", label=_("The account id"), max_length=100, required=False)
    url = text(url, field="url", label=_("The address"), max_length=rules.URL_MAX, required=False)
    if url and not url.startswith(("https://", "http://")):
        raise ValidationFailed(_("The address must start with https:// or http://."), code="url_invalid")
    if not account_id and not url:
        raise ValidationFailed(_("Give the account id or the address."), code="address_required")
    return {"account_id": account_id, "url": url}


@transaction.atomic
def register_outlet(
    *,
    actor,
    host_unit,
    platform,
    name,
    verification_subject,
    decision_date,
    decision_ref,
    head_consent,
    people,
    account_id="",
    url="",
    undertaking_unit="",
    agreement_expires=None,
    agreement=None,
    avatar=None,
) -> Outlet:
    """Register a website or an account and open its opening filing (decided, to be filed within the limit)."""
    if host_unit is None or not perm.hosts(actor, host_unit):
        raise NotFound()
    host_unit_ok(host_unit)
    if str(platform or "") not in Platform.values:
        raise ValidationFailed(_("Choose the platform."), code="platform_invalid")
    name = check_name(name)
    subject = text(verification_subject, field="verification_subject", label=_("The verification subject"),
                   max_length=100)  # fmt: skip
    if subject != host_unit.name:
        raise ValidationFailed(
            _("The verification must show the host unit %(unit)s (S1-3.1); accounts of individuals are not allowed.")
            % {"unit": host_unit.name},
            code="verification_subject",
        )
    decision_date, decision_ref = check_decision(decision_date, decision_ref)
    if head_consent is not True:
        raise ValidationFailed(_("Opening needs the head's consent (S2-12)."), code="head_consent_required")
    fields = _address(account_id, url)
    fields.update(_undertaking(undertaking_unit, agreement_expires, agreement))
    scan = fields.pop("agreement", None)
    picture = image_file(avatar, max_bytes=rules.AVATAR_MAX_BYTES, prefix="avatar") if avatar is not None else None
    _refuse_second(host_unit, platform)
    _check_consistent_name(host_unit, platform, name)
    staff = clean_people(people, host_unit)
    body = competent_office_of(host_unit)
    outlet = Outlet(
        body=body,
        platform=platform,
        name=name,
        verification_subject=subject,
        host_unit=host_unit,
        competent_office=body,
        name_approval=NameApproval.PENDING if needs_city_approval(name, body) else NameApproval.NOT_NEEDED,
        decision_date=decision_date,
        decision_ref=decision_ref,
        head_consent=True,
        created_by=actor,
        **fields,
    )
    if scan is not None:
        scan.store(outlet.agreement)
    if picture is not None:
        picture.store(outlet.avatar)
        outlet.avatar_sha256 = picture.sha256
    try:
        with transaction.atomic():
            outlet.save()
    except IntegrityError:
        _refuse_second(host_unit, platform)
        raise
    OutletPerson.objects.bulk_create([OutletPerson(outlet=outlet, user=u, duty=d) for d, u in staff])
    record(
        "newmedia.outlet.register",
        actor=actor,
        obj=outlet,
        org_unit=host_unit,
        after={"platform": platform, "status": outlet.status, "name_approval": outlet.name_approval},
    )
    open_filing(actor=actor, outlet=outlet, kind=FilingKind.OPEN, decision_date=decision_date,
                decision_ref=decision_ref, head_consent=True)  # fmt: skip
    return outlet


def open_filing(*, actor, outlet, kind, decision_date, decision_ref, head_consent, reason="", changes=None,
                merge_into=None) -> Filing:  # fmt: skip
    """A decided filing with its `file` deadline counted from the decision day (not from today)."""
    due = file_by(decision_date, outlet.host_unit)
    filing = Filing.objects.create(
        outlet=outlet,
        kind=kind,
        unit=outlet.host_unit,
        office=outlet.competent_office,
        decision_date=decision_date,
        decision_ref=decision_ref,
        head_consent=bool(head_consent),
        reason=reason,
        changes=changes or {},
        merge_into=merge_into,
        file_by=due,
        created_by=actor,
    )
    start(filing, actor=actor, workflow=FILING_FLOW, audit_after={"kind": kind, "outlet": outlet.pk})
    due_at = start_of_day(due + dt.timedelta(days=1))
    ct = ContentType.objects.get_for_model(Filing)
    before = deadline_keys(ct, filing.pk)
    Deadline.objects.filter(content_type=ct, object_id=filing.pk, kind=FILE, met_at__isnull=True).update(
        due_at=due_at, remind_at=start_of_day(due)
    )
    deadlines_changed(filing, before=before, ct=ct)  # the on-time roll-up follows the moved deadline
    Filing.objects.filter(pk=filing.pk).update(next_due_at=due_at)
    filing.next_due_at = due_at
    return filing


@transaction.atomic
def decide_name(*, actor, outlet, approve: bool) -> Outlet:
    """S2-15: the city office approves (or refuses) a name with a region or government-body name."""
    outlet = lock_outlet(outlet)
    if not perm.may_see(actor, outlet):
        raise NotFound()
    if not perm.may_review(actor, outlet):
        raise PermissionDenied()
    if outlet.name_approval != NameApproval.PENDING:
        raise Conflict(_("This name is not awaiting approval."), code="name_not_pending")
    before = outlet.name_approval
    outlet.name_approval = NameApproval.APPROVED if approve else NameApproval.REFUSED
    outlet.save(update_fields=["name_approval", "updated_at"])
    record("newmedia.outlet.name_decided", actor=actor, obj=outlet, org_unit=outlet.host_unit,
           before={"name_approval": before}, after={"name_approval": outlet.name_approval})  # fmt: skip
    return outlet


@transaction.atomic
def set_in_matrix(*, actor, outlet, in_matrix: bool) -> Outlet:
    """S1-3.1: the office keeps the matrix; an account outside it is listed for closure."""
    outlet = lock_outlet(outlet)
    if not perm.may_see(actor, outlet):
        raise NotFound()
    if not perm.may_review(actor, outlet):
        raise PermissionDenied()
    before = outlet.in_matrix
    outlet.in_matrix = bool(in_matrix)
    outlet.save(update_fields=["in_matrix", "updated_at"])
    record("newmedia.outlet.matrix", actor=actor, obj=outlet, org_unit=outlet.host_unit,
           before={"in_matrix": before}, after={"in_matrix": outlet.in_matrix})  # fmt: skip
    return outlet


def effect_status(outlet: Outlet, status: str) -> None:
    if status not in Status.values:
        raise ValueError(status)
    outlet.status = status
    outlet.save(update_fields=["status", "updated_at"])
