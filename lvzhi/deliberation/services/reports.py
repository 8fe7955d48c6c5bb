"""S0-12.2: the 专报 — a draft generated from the marked viewpoints with their authors, edited by the staff, approved
by the committee head and sent to the body's leaders; the figures of the discussion go with it to the meeting."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from lvzhi.audit.services import record
from lvzhi.core.errors import Conflict, NotFound
from lvzhi.notify.services import notify
from lvzhi.workflow import services as wf
from lvzhi.workflow.selectors import users_with_roles

from .. import permissions as perm
from .. import rules
from ..models import Post, SpecialReport, Topic
from ..workflows import REPORT_FLOW
from .common import lock, now, text


def discussion_figures(topic: Topic) -> dict:
    """What the meeting is told (art. 12 (2)): members invited, members taking part, posts, viewpoints adopted."""
    visible = Post.objects.filter(topic=topic, status=Post.Status.VISIBLE)
    return {
        "invited": topic.invitations.count(),
        "participants": visible.values("author_id").distinct().count(),
        "posts": visible.count(),
        "viewpoints": visible.filter(is_viewpoint=True).count(),
    }


def draft_text(topic: Topic, viewpoints) -> str:
    lines = [
        _("Online deliberation on %(title)s") % {"title": topic.title},
        "",
    ]
    figures = discussion_figures(topic)
    lines.append(
        _("%(participants)s members took part with %(posts)s posts; %(viewpoints)s key viewpoints were adopted.")
        % figures
    )
    lines.append("")
    for n, post in enumerate(viewpoints, start=1):
        lines.append(f"{n}. {post.author.real_name}：{post.text}")
    return "\n".join(lines)


@transaction.atomic
def draft_report(*, actor, topic: Topic) -> SpecialReport:
    """Generate the draft from the marked viewpoints (the topic's one 专报)."""
    topic = lock(topic)
    if not perm.may_moderate(actor, topic):
        raise NotFound()
    viewpoints = list(
        Post.objects.filter(topic=topic, is_viewpoint=True, status=Post.Status.VISIBLE)
        .select_related("author")
        .order_by("created_at", "pk")
    )
    if not viewpoints:
        raise Conflict(_("Mark the key viewpoints first."), code="no_viewpoints")
    try:
        with transaction.atomic():
            report = SpecialReport.objects.create(
                topic=topic,
                title=(_("Special report: %(title)s") % {"title": topic.title})[:100],
                text=draft_text(topic, viewpoints),
                drafted_by=actor,
                figures=discussion_figures(topic),
            )
    except IntegrityError:
        raise Conflict(_("This topic already has a special report."), code="report_exists")
    report.viewpoints.set(viewpoints)
    wf.start(report, actor=actor, workflow=REPORT_FLOW, event="draft", audit_after={"viewpoints": len(viewpoints)})
    return report


@transaction.atomic
def edit_report(*, actor, report: SpecialReport, title, text_value) -> SpecialReport:
    report = lock(report)
    topic = Topic.objects.select_related("committee").get(pk=report.topic_id)
    if not perm.works_at(actor, topic.committee):
        raise NotFound()
    if report.status != SpecialReport.Status.DRAFT:
        raise Conflict(_("Only a draft can be edited; ask the head to return it."), code="not_editable")
    report.title = text(title, field="title", limit=rules.TITLE_MAX, label=_("The title"), multiline=False)
    report.text = text(text_value, field="text", limit=rules.REPORT_MAX, label=_("The text"))
    report.save(update_fields=["title", "text", "updated_at"])
    record("deliberation.report.edit", actor=actor, obj=report, org_unit=topic.committee)
    return report


def submit_report(*, actor, report: SpecialReport, note: str = "") -> SpecialReport:
    topic = Topic.objects.select_related("committee").get(pk=report.topic_id)
    report = wf.transition(
        report,
        "submit",
        actor=actor,
        workflow=REPORT_FLOW,
        comment=note,
        changes={"figures": discussion_figures(topic)},
    )
    notify(
        users_with_roles(topic.committee, ["head"]),
        title=_("Approval needed: special report %(title)s") % {"title": report.title},
        link=f"/deliberation/topics/{topic.pk}/report/",
        event="deliberation.report.submit",
        obj=report,
    )
    return report


def approve_report(*, actor, report: SpecialReport, note: str = "") -> SpecialReport:

    return wf.transition(
        report,
        "approve",
        actor=actor,
        workflow=REPORT_FLOW,
        comment=note,
        changes={"approved_by": actor, "approved_at": now()},
    )


def return_report(*, actor, report: SpecialReport, note: str = "") -> SpecialReport:
    return wf.transition(report, "return", actor=actor, workflow=REPORT_FLOW, comment=note)


def send_report(*, actor, report: SpecialReport) -> SpecialReport:
    """Sent to the committee head and the body's leaders (their inbox)."""

    report = wf.transition(report, "send", actor=actor, workflow=REPORT_FLOW, changes={"sent_at": now()})
    topic = Topic.objects.select_related("committee", "body").get(pk=report.topic_id)
    notify(
        users_with_roles(topic.committee, ["head"]) + users_with_roles(topic.body, ["leader"]),
        title=_("Special report: %(title)s") % {"title": topic.title},
        body=_("%(participants)s members took part with %(posts)s posts; %(viewpoints)s key viewpoints.")
        % report.figures,
        link=f"/deliberation/topics/{topic.pk}/report/",
        event="deliberation.report.send",
        obj=report,
    )
    return report
