"""Transfers between committees: transfer, accept, ask back, return or keep."""

from django.db import transaction
from django.utils.translation import gettext as _

from lvzhi.accounts.models import User
from lvzhi.accounts.roles import Role
from lvzhi.core.errors import Conflict, PermissionDenied, ValidationFailed
from lvzhi.orgs.models import OrgUnit
from lvzhi.workflow import services as wf

from ..models import Report
from ..selectors import transfer_targets
from ..workflows import REPORT_FLOW
from .common import _lock, _note, _now, _reason, _tell_member, _tell_unit


@transaction.atomic
def transfer_report(*, actor: User, report: Report, to_committee: OrgUnit | int, reason: str) -> Report:
    """Transfer to the competent committee, with the reason (S0-16); the receiving office is told at once."""
    report = _lock(report)
    reason = _reason(reason)
    if not REPORT_FLOW.get("transfer").may(actor, report):  # before reading the target: no 400 (or 500) for them
        raise PermissionDenied()
    target_id = getattr(to_committee, "pk", to_committee)
    try:
        target = transfer_targets(report).get(pk=int(target_id))
    except (OrgUnit.DoesNotExist, TypeError, ValueError):
        raise ValidationFailed(_("Choose another committee of your body."), code="invalid_committee")
    source = report.committee
    report = wf.transition(
        report,
        "transfer",
        actor=actor,
        workflow=REPORT_FLOW,
        comment=reason,
        data={"from": source.pk, "to": target.pk},
        changes={"committee": target, "origin_committee": source, "routed_at": _now()},
        audit_before={"committee": source.pk},
        audit_after={"committee": target.pk},
    )
    _tell_unit(
        target,
        [Role.STAFF],
        report,
        _("Public-opinion report transferred to you: %(title)s") % {"title": report.title},
        _("From %(office)s. Reason: %(reason)s") % {"office": source.name, "reason": reason},
        event="opinions.report.transfer",
    )
    _tell_member(
        report,
        _("Your public-opinion report was transferred to %(office)s") % {"office": target.name},
        _("Reason: %(reason)s") % {"reason": reason},
        event="opinions.report.transfer",
    )
    return report


@transaction.atomic
def accept_transfer(*, actor: User, report: Report, note: str = "") -> Report:
    report = _lock(report)
    note = _note(note)
    report = wf.transition(report, "accept_transfer", actor=actor, workflow=REPORT_FLOW, comment=note)
    _tell_unit(
        report.origin_committee,
        [Role.STAFF],
        report,
        _("Transfer accepted: %(title)s") % {"title": report.title},
        _("%(office)s took the report over.") % {"office": report.committee.name},
        event="opinions.report.accept_transfer",
    )
    _tell_member(
        report,
        _("Your public-opinion report was accepted by %(office)s") % {"office": report.committee.name},
        report.title,
        event="opinions.report.accept_transfer",
    )
    return report


@transaction.atomic
def request_transfer_return(*, actor: User, report: Report, reason: str) -> Report:
    """The receiving office asks its head to send a transfer back (it may not bounce it by itself)."""
    report = _lock(report)
    reason = _reason(reason)
    report = wf.transition(report, "request_return", actor=actor, workflow=REPORT_FLOW, comment=reason)
    _tell_unit(
        report.committee,
        [Role.HEAD],
        report,
        _("Approval needed: send a transferred report back: %(title)s") % {"title": report.title},
        _("Reason: %(reason)s") % {"reason": reason},
        event="opinions.report.request_return",
    )
    return report


@transaction.atomic
def return_transfer(*, actor: User, report: Report, reason: str) -> Report:
    """The receiving committee's head sends the report back to the committee that transferred it."""
    report = _lock(report)
    reason = _reason(reason)
    back_to, current = report.origin_committee, report.committee
    step = REPORT_FLOW.get("return_transfer")
    if not step.may(actor, report):  # who may not send it back learns nothing of where it came from
        raise PermissionDenied()
    if report.status in step.sources and (back_to is None or not back_to.is_active):
        raise Conflict(_("The transferring committee is not known or no longer active."), code="no_origin")
    report = wf.transition(
        report,
        "return_transfer",
        actor=actor,
        workflow=REPORT_FLOW,
        comment=reason,
        data={"from": current.pk, "to": getattr(back_to, "pk", None)},
        changes={"committee": back_to, "origin_committee": current},
        audit_before={"committee": current.pk},
        audit_after={"committee": getattr(back_to, "pk", None)},
    )
    _tell_unit(
        back_to,
        [Role.STAFF],
        report,
        _("Transferred report sent back to you: %(title)s") % {"title": report.title},
        _("%(office)s sent it back with its head's approval. Reason: %(reason)s")
        % {"office": current.name, "reason": reason},
        event="opinions.report.return_transfer",
    )
    _tell_member(
        report,
        _("Your public-opinion report is with %(office)s again") % {"office": back_to.name},
        report.title,
        event="opinions.report.return_transfer",
    )
    return report


@transaction.atomic
def keep_transfer(*, actor: User, report: Report, reason: str = "") -> Report:
    """The head refuses to send the transfer back: the committee handles it."""
    report = _lock(report)
    reason = _note(reason)
    report = wf.transition(report, "keep_transfer", actor=actor, workflow=REPORT_FLOW, comment=reason)
    _tell_unit(
        report.committee,
        [Role.STAFF],
        report,
        _("The head decided the committee handles the report: %(title)s") % {"title": report.title},
        reason,
        event="opinions.report.keep_transfer",
    )
    return report
