"""Topics of the year's consultation plan: drafted by the hosting committee's staff, approved by its head, published
at least 15 days before the meeting with a notice inviting the members (S0-12, S0-12.1)."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.accounts.models import MemberProfile
from lvzhi.audit.services import record
from lvzhi.core.errors import Conflict, NotFound, ValidationFailed
from lvzhi.core.timeutil import local_date
from lvzhi.notify.services import notify
from lvzhi.orgs.selectors import body_setting
from lvzhi.workflow import services as wf
from lvzhi.workflow.selectors import users_with_roles

from .. import permissions as perm
from .. import rules
from ..models import Invitation, MeetingForm, Topic
from ..workflows import TOPIC_FLOW
from .common import lock, now, text, topic_link
from .handoff import take_request

FIELDS = (
    "title",
    "background",
    "questions",
    "discuss_from",
    "discuss_until",
    "meeting_date",
    "meeting_form",
    "meeting_ref",
    "live_url",
    "live_at",
    "sms",
)


def _date(value, *, field: str, label, required: bool = True) -> dt.date | None:
    if value in (None, ""):
        if required:
            raise ValidationFailed(_("%(field)s is required.") % {"field": label}, code=f"{field}_required")
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        day = dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValidationFailed(_("%(field)s is not a valid date.") % {"field": label}, code=f"{field}_invalid")
    if not 2000 <= day.year <= 2100:
        raise ValidationFailed(_("%(field)s is not a valid date.") % {"field": label}, code=f"{field}_invalid")
    return day


def _moment(value, *, field: str, label) -> dt.datetime | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        moment = value
    else:
        try:
            moment = dt.datetime.fromisoformat(str(value).strip())
        except ValueError:
            raise ValidationFailed(_("%(field)s is not a valid time.") % {"field": label}, code=f"{field}_invalid")

    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    if not 2000 <= moment.year <= 2100:
        raise ValidationFailed(_("%(field)s is not a valid time.") % {"field": label}, code=f"{field}_invalid")
    return moment


def _url(value) -> str:
    url = text(value, field="live_url", limit=rules.URL_MAX, label=_("The live link"), required=False, multiline=False)
    if url and not (url.startswith("https://") or url.startswith("http://") or url.startswith("/")):
        raise ValidationFailed(_("The live link must be a web address."), code="live_url_invalid")
    return url


def clean_fields(data: dict) -> dict:
    """Every field of a topic cleaned, or a `ValidationFailed` naming the first bad one."""
    out = {
        "title": text(data.get("title"), field="title", limit=rules.TITLE_MAX, label=_("The title"), multiline=False),
        "background": text(
            data.get("background"), field="background", limit=rules.BACKGROUND_MAX, label=_("The background")
        ),
        "questions": text(
            data.get("questions"), field="questions", limit=rules.QUESTIONS_MAX, label=_("The questions")
        ),
        "discuss_from": _date(data.get("discuss_from"), field="discuss_from", label=_("The opening day")),
        "discuss_until": _date(data.get("discuss_until"), field="discuss_until", label=_("The closing day")),
        "meeting_date": _date(
            data.get("meeting_date"), field="meeting_date", label=_("The meeting date"), required=False
        ),
        "meeting_form": str(data.get("meeting_form") or ""),
        "meeting_ref": text(
            data.get("meeting_ref"), field="meeting_ref", limit=60, label=_("The meeting"), required=False
        ),
        "live_url": _url(data.get("live_url")),
        "live_at": _moment(data.get("live_at"), field="live_at", label=_("The live time")),
        "sms": bool(data.get("sms")),
    }
    if out["meeting_form"] and out["meeting_form"] not in MeetingForm.values:
        raise ValidationFailed(_("Choose a meeting form from the list."), code="meeting_form_invalid")
    if out["meeting_date"] and not out["meeting_form"]:
        raise ValidationFailed(_("Choose the form of the consultation meeting."), code="meeting_form_required")
    if out["discuss_until"] < out["discuss_from"]:
        raise ValidationFailed(_("The discussion cannot close before it opens."), code="discuss_until_invalid")
    if (out["discuss_until"] - out["discuss_from"]).days > rules.DISCUSSION_DAYS_MAX:
        raise ValidationFailed(
            _("A discussion lasts at most %(n)s days.") % {"n": rules.DISCUSSION_DAYS_MAX}, code="discuss_too_long"
        )
    if out["meeting_date"] and out["discuss_until"] > out["meeting_date"]:
        raise ValidationFailed(_("The discussion must close by the meeting day."), code="discuss_after_meeting")
    return out


@transaction.atomic
def create_topic(*, actor, committee, data: dict, request=None) -> Topic:
    """A draft topic of `committee`'s consultation plan (its staff or head)."""
    if not perm.works_at(actor, committee):
        raise NotFound()
    fields = clean_fields(data)
    topic = Topic.objects.create(
        body=committee.body, committee=committee, year=fields["discuss_from"].year, created_by=actor, **fields
    )
    wf.start(topic, actor=actor, workflow=TOPIC_FLOW, event="create")
    if request is not None:
        take_request(actor=actor, request=request, topic=topic)
    return topic


@transaction.atomic
def update_topic(*, actor, topic: Topic, data: dict) -> Topic:
    topic = lock(topic)
    if not perm.works_at(actor, topic.committee):
        raise NotFound()
    if topic.status != Topic.Status.DRAFT:
        raise Conflict(_("Only a draft topic can be changed; ask the head to return it."), code="not_editable")
    fields = clean_fields(data)
    changed = sorted(k for k, v in fields.items() if getattr(topic, k) != v)
    for key, value in fields.items():
        setattr(topic, key, value)
    topic.year = fields["discuss_from"].year
    topic.save(update_fields=[*FIELDS, "year", "updated_at"])
    record("deliberation.topic.update", actor=actor, obj=topic, org_unit=topic.committee, after={"fields": changed})
    return topic


def required_publication_day(topic: Topic) -> dt.date | None:
    """The last day the topic may be published: `notice_days` calendar days before its meeting (S0-12.1)."""
    if topic.meeting_date is None:
        return None
    try:
        days = int(body_setting(topic.committee, rules.NOTICE_DAYS))
    except (TypeError, ValueError):
        days = rules.NOTICE_DAYS_FLOOR
    return topic.meeting_date - dt.timedelta(days=max(days, rules.NOTICE_DAYS_FLOOR))


def submit_topic(*, actor, topic: Topic, note: str = "") -> Topic:
    topic = wf.transition(topic, "submit", actor=actor, workflow=TOPIC_FLOW, comment=note)
    notify(
        users_with_roles(topic.committee, ["head"]),
        title=_("Approval needed: deliberation topic %(title)s") % {"title": topic.title},
        link=topic_link(topic),
        event="deliberation.topic.submit",
        obj=topic,
    )
    return topic


def approve_topic(*, actor, topic: Topic, note: str = "") -> Topic:
    return wf.transition(
        topic,
        "approve",
        actor=actor,
        workflow=TOPIC_FLOW,
        comment=note,
        changes={"approved_by": actor, "approved_at": now()},
    )


def return_topic(*, actor, topic: Topic, note: str = "") -> Topic:
    topic = wf.transition(topic, "return", actor=actor, workflow=TOPIC_FLOW, comment=note)
    notify(
        [topic.created_by],
        title=_("Deliberation topic returned: %(title)s") % {"title": topic.title},
        body=note,
        link=topic_link(topic),
        event="deliberation.topic.return",
        obj=topic,
    )
    return topic


@transaction.atomic
def publish_topic(*, actor, topic: Topic, today: dt.date | None = None) -> Topic:
    """Publish an approved topic and invite the body's members (inbox, SMS if asked). A topic tied to a meeting is
    published at least 15 (the body's `deliberation.topic_notice_days`) calendar days before it; later is refused
    with the day it needed."""
    today = today or local_date()
    topic = lock(topic)
    need = required_publication_day(topic)
    if need is not None and today > need:
        raise Conflict(
            _(
                "Too late to publish: a topic must be published by %(day)s, %(n)s days before its meeting on "
                "%(meeting)s."
            )
            % {"day": need.isoformat(), "n": (topic.meeting_date - need).days, "meeting": topic.meeting_date},
            code="too_late_to_publish",
            extra={"needed_by": need.isoformat()},
        )
    if topic.discuss_until < today:
        raise Conflict(_("The discussion period is over; change the dates first."), code="discussion_over")
    topic = wf.transition(
        topic,
        "publish",
        actor=actor,
        workflow=TOPIC_FLOW,
        changes={"published_at": now()},
        audit_after={"needed_by": need.isoformat() if need else None},
    )
    invite_members(topic)
    return topic


def invite_members(topic: Topic) -> int:
    """The notice inviting the members of the body (art. 12 (1)), with the live deliberation when announced."""
    members = list(
        MemberProfile.objects.filter(body=topic.body, is_active=True, user__is_active=True)
        .select_related("user")
        .order_by("user_id")
    )
    moment = now()
    Invitation.objects.bulk_create(
        [Invitation(topic=topic, member=p.user, invited_at=moment) for p in members], ignore_conflicts=True
    )
    body = _("Discussion from %(start)s to %(end)s.") % {"start": topic.discuss_from, "end": topic.discuss_until}
    if topic.meeting_date:
        body += " " + _("Consultation meeting: %(day)s (%(form)s).") % {
            "day": topic.meeting_date,
            "form": topic.get_meeting_form_display(),
        }
    if topic.live_url:
        body += " " + _("A live video deliberation is announced: %(url)s") % {"url": topic.live_url}
    notify(
        [p.user for p in members],
        title=_("Online deliberation: %(title)s") % {"title": topic.title},
        body=body,
        link=topic_link(topic),
        event="deliberation.topic.invite",
        obj=topic,
        sms=topic.sms,
    )
    record(
        "deliberation.topic.invite",
        obj=topic,
        org_unit=topic.committee,
        after={"invited": len(members), "sms": topic.sms},
    )
    return len(members)


def close_topic(*, actor, topic: Topic) -> Topic:
    return wf.transition(topic, "close", actor=actor, workflow=TOPIC_FLOW, changes={"closed_at": now()})


def meeting_held(*, actor, topic: Topic) -> Topic:
    return wf.transition(topic, "held", actor=actor, workflow=TOPIC_FLOW, changes={"held_at": now()})


@transaction.atomic
def record_topic_read(*, actor, topic: Topic) -> None:
    """S0-19: the first time an invited member opens the topic. Not audited (reading is not a change of state)."""
    Invitation.objects.filter(topic=topic, member=actor, read_at__isnull=True).update(read_at=now())
