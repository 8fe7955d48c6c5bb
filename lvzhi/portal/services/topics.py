"""Topics the public proposes for legislation and supervision (S4-2.1.2): submitted with a verified number, screened,
answered (or closed) by the office within the body's working-day limit; the visitor looks the answer up by code
and is told by SMS. Audit rows carry codes and lengths, never the texts or the number."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.core.errors import NotFound, ValidationFailed
from lvzhi.core.validation import clean_text
from lvzhi.notify.services import notify, send_sms
from lvzhi.screening import services as screening
from lvzhi.workflow import services as wf
from lvzhi.workflow.selectors import deadline_of, users_with_roles

from .. import permissions as perm
from .. import rules
from ..models import LegislationTopic, TopicKind
from ..pagecache import bump_bodies
from ..workflows import ANSWER, TOPIC_FLOW
from .verification import count_post


def _screened(text: str, body, field: str) -> str:
    findings = screening.scan(text, body=body)
    if screening.has_blocking(findings):
        screening.report_blocked(actor=None, findings=findings, org_unit=body)
        raise ValidationFailed(_("The text contains words that may not be sent."), code=f"{field}_blocked")
    return screening.mask(text, findings)


@transaction.atomic
def propose_topic(*, body, kind: str, title: str, text: str, phone: str, name: str = "", ip=None) -> LegislationTopic:
    if kind not in TopicKind.values:
        raise ValidationFailed(_("Choose legislation or supervision."), code="kind_invalid")
    if not phone:
        raise ValidationFailed(_("Verify your mobile number first."), code="phone_unverified")
    title = clean_text(title, field="title", max_length=rules.TITLE_MAX, label=_("Title"))
    text = clean_text(text, field="text", max_length=rules.TEXT_MAX, label=_("Reasons and suggestions"), multiline=True)
    name = clean_text(name, field="name", max_length=rules.NAME_MAX, label=_("Name"), required=False)
    title, text = _screened(title, body, "title"), _screened(text, body, "text")
    count_post(phone=phone, ip=ip)
    topic = LegislationTopic.objects.create(body=body, kind=kind, title=title, text=text, name=name, phone=phone)
    wf.start(topic, actor=None, workflow=TOPIC_FLOW, event="propose", audit_after={"kind": kind})
    notify(
        users_with_roles(body, TOPIC_FLOW.starts[0].notify_roles),
        title=_("A topic proposed by the public: %(title)s") % {"title": title},
        link=TOPIC_FLOW.link(topic),
        event="portal.topic.propose",
        obj=topic,
    )
    return topic


def _first_answer(topic, now) -> dict:
    deadline = deadline_of(topic, ANSWER)
    return {"answered_at": now, "answered_in_time": deadline is None or now <= deadline.due_at}


@transaction.atomic
def answer_topic(*, actor, topic: LegislationTopic, answer: str, publish: bool = False) -> LegislationTopic:
    if not perm.handles_topic(actor, topic):
        raise NotFound()
    text = clean_text(answer, field="answer", max_length=rules.ANSWER_MAX, label=_("Answer"), multiline=True)
    topic = wf.transition(
        topic,
        "answer",
        actor=actor,
        workflow=TOPIC_FLOW,
        changes={
            "answer": text,
            "answered_by": actor,
            "is_public": bool(publish),
            **_first_answer(topic, timezone.now()),
        },  # fmt: skip
        audit_after={"answer_length": len(text), "public": bool(publish)},
    )
    send_sms(
        phone=topic.phone,
        text=_("Your proposed topic has been answered (lookup code %(code)s).") % {"code": topic.lookup_code},
    )
    bump_bodies([topic.body_id])
    return topic


@transaction.atomic
def close_topic(*, actor, topic: LegislationTopic, reason: str) -> LegislationTopic:
    if not perm.handles_topic(actor, topic):
        raise NotFound()
    text = clean_text(reason, field="reason", max_length=rules.ANSWER_MAX, label=_("Reason"), multiline=True)
    changes = {"is_public": False}
    if topic.answered_at is None:
        changes.update(answer=text, answered_by=actor, **_first_answer(topic, timezone.now()))
    topic = wf.transition(
        topic, "close", actor=actor, workflow=TOPIC_FLOW, comment=text, changes=changes,
        audit_after={"reason_length": len(text)},
    )  # fmt: skip
    bump_bodies([topic.body_id])
    return topic
