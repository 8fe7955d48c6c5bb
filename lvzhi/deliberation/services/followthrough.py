"""S0-12.3 and S0-12.4: links to inspections, research and meetings; speakers chosen from the viewpoints' authors;
the meeting's follow-ups (leaders' instructions, departments' handling) tracked with working-day deadlines, and each
member whose viewpoint was used told the outcome."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from lvzhi.audit.services import record
from lvzhi.core.errors import Conflict, NotFound, ValidationFailed
from lvzhi.core.timeutil import local_date
from lvzhi.duty import services as duty_services
from lvzhi.notify.services import notify
from lvzhi.workflow import services as wf

from .. import permissions as perm
from .. import rules
from ..models import FollowUp, Post, Speaker, Topic, TopicLink
from ..workflows import FOLLOWUP_FLOW
from .common import lock, now, text, topic_link
from .topics import _date

T = Topic.Status


def _managed(actor, topic: Topic) -> Topic:
    topic = Topic.objects.select_related("committee", "body").get(pk=topic.pk)
    if not perm.works_at(actor, topic.committee):
        raise NotFound()
    return topic


@transaction.atomic
def add_link(*, actor, topic: Topic, kind, title, day=None, ref="") -> TopicLink:
    topic = _managed(actor, topic)
    if kind not in TopicLink.Kind.values:
        raise ValidationFailed(_("Choose a kind from the list."), code="kind_invalid")
    link = TopicLink.objects.create(
        topic=topic,
        kind=kind,
        title=text(title, field="title", limit=rules.LINK_TITLE_MAX, label=_("The title"), multiline=False),
        day=_date(day, field="day", label=_("The date"), required=False),
        ref=text(ref, field="ref", limit=60, label=_("The reference"), required=False, multiline=False),
        created_by=actor,
    )
    record(
        "deliberation.topic.link",
        actor=actor,
        obj=topic,
        org_unit=topic.committee,
        after={"link": link.pk, "kind": kind},
    )
    return link


@transaction.atomic
def choose_speaker(*, actor, post: Post) -> Speaker:
    """A speaker for the meeting from the authors of the key viewpoints; the member is told."""
    topic = _managed(actor, Topic(pk=post.topic_id))
    post = Post.objects.select_related("author").get(pk=post.pk)
    if not post.is_viewpoint or post.status != Post.Status.VISIBLE:
        raise Conflict(_("Speakers are chosen from the authors of key viewpoints."), code="not_a_viewpoint")
    if topic.status not in perm.PUBLISHED:
        raise Conflict(_("This topic is not published."), code="not_published")
    try:
        with transaction.atomic():
            speaker = Speaker.objects.create(topic=topic, member=post.author, post=post, chosen_by=actor)
    except IntegrityError:
        raise Conflict(_("This member is already a speaker."), code="already_speaker")
    record(
        "deliberation.topic.speaker",
        actor=actor,
        obj=topic,
        org_unit=topic.committee,
        after={"member": post.author_id, "post": post.pk},
    )
    when = topic.meeting_date.isoformat() if topic.meeting_date else _("the date to be announced")
    notify(
        [post.author],
        title=_("You are invited to speak at the consultation meeting on %(title)s") % {"title": topic.title},
        body=_("Meeting: %(day)s. The committee will contact you about your speech.") % {"day": when},
        link=topic_link(topic),
        event="deliberation.topic.speaker",
        obj=topic,
    )
    return speaker


@transaction.atomic
def add_followup(*, actor, topic: Topic, kind, source, content, viewpoint_ids=()) -> FollowUp:
    """A leader's instruction or a department's handling, tracked until its outcome is recorded."""
    topic = _managed(actor, topic)
    if topic.status != T.HELD:
        raise Conflict(_("Follow-ups are recorded after the meeting was held."), code="meeting_not_held")
    if kind not in FollowUp.Kind.values:
        raise ValidationFailed(_("Choose a kind from the list."), code="kind_invalid")
    ids = {int(i) for i in viewpoint_ids if str(i).isdigit()}
    viewpoints = list(Post.objects.filter(topic=topic, is_viewpoint=True, pk__in=ids))
    if len(viewpoints) != len(ids):
        raise ValidationFailed(_("Choose viewpoints of this topic."), code="viewpoints_invalid")
    followup = FollowUp.objects.create(
        topic=topic,
        kind=kind,
        source=text(source, field="source", limit=100, label=_("The leader or department"), multiline=False),
        content=text(content, field="content", limit=rules.NOTE_MAX, label=_("The instruction or task")),
        created_by=actor,
    )
    followup.viewpoints.set(viewpoints)
    wf.start(followup, actor=actor, workflow=FOLLOWUP_FLOW, event="create", audit_after={"kind": kind})
    if kind == FollowUp.Kind.INSTRUCTION:
        # Seed 003: a leader's instruction on the members' suggestions is a duty record of each member whose
        # viewpoint it took up (the duty module's entry point; reviewed by the entering unit's head).
        for author in {p.author for p in viewpoints}:
            duty_services.record_from_source(
                kind="instruction",
                member=author,
                source=followup,
                occurred_on=local_date(),
                body=topic.body,
                title=topic.title,
            )
    return followup


@transaction.atomic
def complete_followup(*, actor, followup: FollowUp, outcome) -> FollowUp:
    """Record the outcome; each member whose viewpoint was used is told it (art. 12 (4))."""
    followup = lock(followup)
    topic = _managed(actor, Topic(pk=followup.topic_id))
    outcome = text(outcome, field="outcome", limit=rules.NOTE_MAX, label=_("The outcome"))
    followup = wf.transition(
        followup,
        "done",
        actor=actor,
        workflow=FOLLOWUP_FLOW,
        changes={"outcome": outcome, "done_at": now()},
    )
    authors = [p.author for p in followup.viewpoints.select_related("author").order_by("pk")]
    notify(
        authors,
        title=_("The outcome of your viewpoint on %(title)s") % {"title": topic.title},
        body=f"{followup.get_kind_display()}（{followup.source}）：{outcome}",
        link=topic_link(topic),
        event="deliberation.followup.done",
        obj=followup,
    )
    return followup
