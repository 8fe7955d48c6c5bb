"""Marks (S0-17, S0-18): notable reports, deliberation topic requests, proposals drafted from a report."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from lvzhi.accounts.models import User
from lvzhi.accounts.roles import Role
from lvzhi.audit.services import record
from lvzhi.core.errors import ApplicationError, Conflict, PermissionDenied
from lvzhi.core.validation import clean_text
from lvzhi.notify.services import notify
from lvzhi.workflow import services as wf
from lvzhi.workflow.selectors import users_with_roles

from .. import rules
from ..models import Report, TopicRequest
from ..permissions import is_office_member, is_office_staff
from ..workflows import TOPIC_FLOW
from .common import NOT_YET_ACCEPTED, _link, _lock, _note, _now, _tell_member, duty_changed


@transaction.atomic
def set_notable(*, actor: User, report: Report, notable: bool) -> Report:
    """Mark a report for the monthly digest's notable reports (S0-18)."""
    report = _lock(report)
    if not is_office_member(actor, report):
        raise PermissionDenied()
    if report.status in NOT_YET_ACCEPTED:
        raise Conflict(_("Only reports being handled can be marked."), code="not_accepted")
    notable = bool(notable)
    if report.is_notable != notable:
        before = report.is_notable
        report.is_notable = notable
        report.save(update_fields=["is_notable", "updated_at"])
        record(
            "opinions.report.notable",
            actor=actor,
            obj=report,
            org_unit=report.committee,
            before={"is_notable": before},
            after={"is_notable": notable},
        )
        duty_changed(report)
    return report


@transaction.atomic
def request_topic(*, actor: User, report: Report, title: str, summary: str) -> TopicRequest:
    """S0-17: ask the committee head to make the report an online-deliberation topic."""
    report = _lock(report)
    if not is_office_staff(actor, report):
        raise PermissionDenied()
    if report.status in NOT_YET_ACCEPTED:
        raise Conflict(_("Only reports being handled can become deliberation topics."), code="not_accepted")
    title = " ".join(
        clean_text(
            title, field="topic_title", max_length=rules.TOPIC_TITLE_MAX, required=True, label=_("The topic")
        ).split()
    )
    summary = clean_text(
        summary,
        field="topic_summary",
        max_length=rules.TOPIC_SUMMARY_MAX,
        required=True,
        label=_("The explanation"),
        multiline=True,
    )
    if TopicRequest.objects.filter(report=report).exclude(status=TopicRequest.Status.REJECTED).exists():
        raise Conflict(_("This report has already been proposed as a deliberation topic."), code="topic_requested")
    try:
        with transaction.atomic():
            topic = TopicRequest.objects.create(
                report=report, committee=report.committee, title=title, summary=summary, requested_by=actor
            )
    except IntegrityError:
        raise Conflict(_("This report has already been proposed as a deliberation topic."), code="topic_requested")
    wf.start(topic, actor=actor, workflow=TOPIC_FLOW, event="request", audit_after={"report": report.pk})
    notify(
        users_with_roles(report.committee, [Role.HEAD]),
        title=_("Approval needed: deliberation topic %(title)s") % {"title": title},
        body=summary,
        link=_link(report),
        event="opinions.topic.request",
        obj=topic,
    )
    return topic


@transaction.atomic
def decide_topic(*, actor: User, topic: TopicRequest, approve: bool, note: str = "") -> TopicRequest:
    """The committee head approves or declines a deliberation topic."""
    note = _note(note)
    topic = wf.transition(
        topic,
        "approve" if approve else "reject",
        actor=actor,
        workflow=TOPIC_FLOW,
        comment=note,
        changes={"approved_by": actor, "decided_at": _now(), "decision_note": note},
    )
    topic = TopicRequest.objects.select_related("report__author", "requested_by").get(pk=topic.pk)
    if approve:
        heading = _("Deliberation topic approved: %(title)s") % {"title": topic.title}
    else:
        heading = _("Deliberation topic not approved: %(title)s") % {"title": topic.title}
    notify(
        [topic.requested_by],
        title=heading,
        body=note,
        link=_link(topic.report),
        event="opinions.topic.decide",
        obj=topic,
    )
    if approve:
        _tell_member(
            topic.report,
            _("Your public-opinion report will be an online-deliberation topic: %(title)s") % {"title": topic.title},
            event="opinions.topic.approve",
        )
    return topic


@transaction.atomic
def take_topic_request(*, actor: User, topic: TopicRequest, topic_ref: str) -> TopicRequest:
    """For the deliberation module: it created the topic of an approved request and records its reference."""
    topic_ref = clean_text(topic_ref, field="topic_ref", max_length=100, required=True, label=_("The topic reference"))
    return wf.transition(
        topic,
        "take",
        actor=actor,
        workflow=TOPIC_FLOW,
        data={"topic_ref": topic_ref},
        changes={"topic_ref": topic_ref, "taken_at": _now()},
        audit_after={"topic_ref": topic_ref},
    )


@transaction.atomic
def mark_for_proposal(*, actor: User, report: Report, note: str = "") -> Report:
    """S0-17: guide a representative report into a formal proposal — the proposals module drafts it in the
    member's name (`lvzhi.proposals.services.draft_from_report`), and the member completes and submits it."""
    report = _lock(report)
    if not is_office_member(actor, report):
        raise PermissionDenied()
    note = _note(note)
    if report.status in NOT_YET_ACCEPTED:
        raise Conflict(_("Only reports being handled can be made into proposals."), code="not_accepted")
    if report.proposal_id is not None:
        raise Conflict(_("A proposal has already been drafted from this report."), code="proposal_exists")
    try:
        # optional app: a deployment without proposals answers proposals_unavailable
        from lvzhi.proposals.services import draft_from_report
    except ImportError:
        raise ApplicationError(_("The proposals module is not available."), code="proposals_unavailable")
    source = _("From public-opinion report %(ref)s (%(office)s)") % {
        "ref": report.reference,
        "office": report.committee.name,
    }
    if note:
        source = f"{source}: {note}"
    proposal = draft_from_report(
        actor=actor, proposer=report.author, title=report.title, body=report.content, source_note=source
    )
    report.proposal_id = proposal.pk
    report.proposal_marked_at = _now()
    report.proposal_marked_by = actor
    report.save(update_fields=["proposal_id", "proposal_marked_at", "proposal_marked_by", "updated_at"])
    record(
        "opinions.report.mark_proposal",
        actor=actor,
        obj=report,
        org_unit=report.committee,
        after={"proposal": proposal.pk},
    )
    duty_changed(report)
    _tell_member(
        report,
        _("A proposal was drafted from your public-opinion report: %(title)s") % {"title": report.title},
        _("Please complete the draft in the proposals column and submit it."),
        event="opinions.report.mark_proposal",
    )
    return report
