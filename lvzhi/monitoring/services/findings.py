"""Findings as cases: raise one (de-duplicated per outlet + kind + URL: a recurrence updates the active one), and
the steps on it — the host unit fixes with a note, the competent office verifies, reopens or dismisses with a
reason, and reports harmful content upward (S2-39). Every write in one transaction, audited."""

import hashlib

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.accounts.roles import Role
from lvzhi.audit.services import record
from lvzhi.core.errors import NotFound, ValidationFailed
from lvzhi.core.validation import clean_text
from lvzhi.notify.services import notify
from lvzhi.workflow import services as wf
from lvzhi.workflow.selectors import deadline_of, users_with_roles

from .. import permissions as perm
from .. import rules
from ..kinds import KINDS, label
from ..models import Finding
from ..workflows import FINDING_FLOW, FIX

S = Finding.Status
ACTIVE = (S.OPEN, S.FIXED)


def dedupe_key(*, outlet_id, host_unit_id, kind: str, url: str) -> str:
    return hashlib.sha256(f"{outlet_id or 'u' + str(host_unit_id)}|{kind}|{url}".encode()).hexdigest()


def _text(value, field, label_, *, required=True, max_length=rules.TEXT_MAX) -> str:
    return clean_text(value, field=field, max_length=max_length, label=label_, multiline=True, required=required)


def _touch(finding: Finding, *, summary, evidence, now) -> Finding:
    finding.last_seen_at = now
    finding.occurrences += 1
    finding.summary = summary
    finding.evidence = evidence
    fields = ["last_seen_at", "occurrences", "summary", "evidence"]
    if finding.status == S.FIXED:
        finding.seen_after_fix = True
        fields.append("seen_after_fix")
    finding.save(update_fields=fields)
    return finding


def raise_finding(
    *, kind: str, summary: str, outlet=None, url: str = "", evidence=None, host_unit=None, office=None, actor=None,
    now=None, veto=None,
) -> tuple[Finding, bool]:  # fmt: skip
    """Record a finding, or update the active one of the same outlet + kind + URL. Returns (finding, created)."""
    spec = KINDS.get(kind)
    if spec is None:
        raise ValidationFailed(_("Unknown kind of finding."), code="kind_invalid")
    now = now or timezone.now()
    host_unit = host_unit or outlet.host_unit
    office = office or (outlet.competent_office if outlet is not None else None) or host_unit.body
    summary = (summary or str(spec.label))[: rules.SUMMARY_MAX]
    url = (url or "")[:500]
    evidence = evidence or {}
    key = dedupe_key(outlet_id=getattr(outlet, "pk", None), host_unit_id=host_unit.pk, kind=kind, url=url)
    with transaction.atomic():
        existing = Finding.objects.select_for_update().filter(dedupe_key=key, status__in=ACTIVE).first()
        if existing is not None:
            return _touch(existing, summary=summary, evidence=evidence, now=now), False
        try:
            with transaction.atomic():
                finding = Finding.objects.create(
                    outlet=outlet, body=host_unit.body or host_unit, host_unit=host_unit, office=office,
                    source=spec.source, kind=kind, severity=spec.severity, veto=spec.veto if veto is None else veto,
                    summary=summary, url=url, evidence=evidence, dedupe_key=key, found_at=now, last_seen_at=now,
                    created_by=actor if getattr(actor, "pk", None) else None,
                )  # fmt: skip
        except IntegrityError:  # another process raised the same finding a moment ago
            existing = Finding.objects.select_for_update().filter(dedupe_key=key, status__in=ACTIVE).first()
            return _touch(existing, summary=summary, evidence=evidence, now=now), False
        wf.start(finding, actor=actor, workflow=FINDING_FLOW, event="raise", audit_after={"kind": kind, "url": url})
        _store_fix_due(finding)
        notify(
            users_with_roles(host_unit, FINDING_FLOW.starts[0].notify_roles),
            title=_("Monitoring finding: %(kind)s") % {"kind": label(kind)},
            link=FINDING_FLOW.link(finding),
            event="monitoring.finding.raise",
            obj=finding,
        )
    return finding, True


def _store_fix_due(finding: Finding) -> None:
    deadline = deadline_of(finding, FIX)
    finding.fix_due_at = deadline.due_at if deadline else None
    Finding.objects.filter(pk=finding.pk).update(fix_due_at=finding.fix_due_at)


def _visible(actor, finding: Finding) -> None:
    if not perm.may_see(actor, finding):
        raise NotFound()


@transaction.atomic
def fix_finding(*, actor, finding: Finding, note: str) -> Finding:
    _visible(actor, finding)
    text = _text(note, "note", _("What was fixed"))
    finding = wf.transition(
        finding,
        "fix",
        actor=actor,
        workflow=FINDING_FLOW,
        comment=text,
        changes={"fix_note": text, "fixed_at": timezone.now(), "fixed_by": actor, "seen_after_fix": False},
    )
    notify(
        users_with_roles(finding.office, (Role.NM_COMPETENT,)),
        title=_("Finding fixed, to be verified: %(summary)s") % {"summary": finding.summary},
        link=FINDING_FLOW.link(finding),
        event="monitoring.finding.fix",
        obj=finding,
    )
    return finding


@transaction.atomic
def verify_finding(*, actor, finding: Finding, note: str = "") -> Finding:
    _visible(actor, finding)
    text = _text(note, "note", _("Note"), required=False)
    changes = {"verified_at": timezone.now(), "verified_by": actor}
    return wf.transition(finding, "verify", actor=actor, workflow=FINDING_FLOW, comment=text, changes=changes)


@transaction.atomic
def reopen_finding(*, actor, finding: Finding, note: str) -> Finding:
    _visible(actor, finding)
    text = _text(note, "note", _("Why it is reopened"))
    finding = wf.transition(finding, "reopen", actor=actor, workflow=FINDING_FLOW, comment=text)
    _store_fix_due(finding)
    notify(
        users_with_roles(finding.host_unit, FINDING_FLOW.starts[0].notify_roles),
        title=_("Finding reopened: %(summary)s") % {"summary": finding.summary},
        body=text,
        link=FINDING_FLOW.link(finding),
        event="monitoring.finding.reopen",
        obj=finding,
    )
    return finding


@transaction.atomic
def dismiss_finding(*, actor, finding: Finding, reason: str) -> Finding:
    _visible(actor, finding)
    text = _text(reason, "reason", _("Why it is dismissed"))
    return wf.transition(
        finding, "dismiss", actor=actor, workflow=FINDING_FLOW, comment=text, changes={"dismiss_reason": text}
    )


@transaction.atomic
def report_upward(*, actor, finding: Finding, note: str) -> Finding:
    """S2-39: harmful content (or a counterfeit account) reported to the competent office of the level above, with
    the record kept on the finding and in the audit log."""
    _visible(actor, finding)
    if not perm.may_verify(actor, finding):
        raise NotFound()
    text = _text(note, "note", _("Report"))
    locked = Finding.objects.select_for_update().get(pk=finding.pk)
    if locked.reported_at is not None:
        raise ValidationFailed(_("This finding has already been reported upward."), code="already_reported")
    locked.reported_at = timezone.now()
    locked.report_note = text
    locked.save(update_fields=["reported_at", "report_note"])
    upper = locked.office.parent.body if locked.office.parent_id else None
    if upper is not None:
        notify(
            users_with_roles(upper, (Role.NM_COMPETENT,)),
            title=_("Reported from below: %(summary)s") % {"summary": locked.summary},
            body=text,
            link=FINDING_FLOW.link(locked),
            event="monitoring.finding.report",
            obj=locked,
        )
    record(
        "monitoring.finding.report",
        actor=actor,
        obj=locked,
        org_unit=locked.office,
        after={"kind": locked.kind, "to": getattr(upper, "pk", None)},
    )
    return locked
