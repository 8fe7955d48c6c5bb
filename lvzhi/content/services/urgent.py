"""Emergency and rumour items (S2-29, seed 002 art. 29: 突发事件信息发布, 及时辟谣).

- The author marks the item as an emergency response or a rumour rebuttal and notes when the event (or the rumour)
  was noticed; that moment starts the response clock.
- The chain is expedited: the column's review steps are left out when an approval step remains before publication
  (the approver answers the checklist and the secrecy review as always; graded review for sensitive topics stays),
  every step holder is told by SMS, and the item heads the review queues.
- The responsible office (the host department's heads, and the body's information office) is told by SMS when the
  item is submitted, and again when it is published.
- On first publication the response time (event noted → published) is recorded, in minutes, for the report.
"""

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.accounts.models import RoleAssignment, User
from lvzhi.accounts.roles import Role
from lvzhi.core.errors import ValidationFailed
from lvzhi.notify.services import notify
from lvzhi.workflow.selectors import users_with_roles

from ..models import Article, StepKind, Urgency
from ..workflows import ARTICLE_FLOW

EVENT_MAX_AGE = dt.timedelta(days=30)


def clean_urgency(urgency, event_noted_at) -> tuple[str, dt.datetime | None]:
    urgency = str(urgency or "")
    if urgency not in Urgency.values:
        raise ValidationFailed(_("Unknown urgency."), code="unknown_urgency")
    if not urgency:
        return "", None
    if not isinstance(event_noted_at, dt.datetime):
        raise ValidationFailed(
            _("Say when the event or the rumour was noticed: the response time is counted from then."),
            code="event_time_required",
        )
    if timezone.is_naive(event_noted_at):
        event_noted_at = timezone.make_aware(event_noted_at)
    now = timezone.now()
    if event_noted_at > now + dt.timedelta(minutes=5):
        raise ValidationFailed(_("The event cannot be noticed in the future."), code="event_time_future")
    if event_noted_at < now - EVENT_MAX_AGE:
        raise ValidationFailed(
            _("An event noticed more than 30 days ago is not an emergency; publish it as a routine item."),
            code="event_time_too_old",
        )
    return urgency, event_noted_at


def expedite(article: Article, specs: list[dict]) -> list[dict]:
    """The expedited chain of an urgent item: the column's review steps go when an approval remains."""
    if not article.urgency:
        return specs
    if not any(s["kind"] == StepKind.APPROVE and not s["graded"] for s in specs):
        return specs
    return [s for s in specs if s["kind"] != StepKind.REVIEW or s["graded"]]


def responsible_office(article: Article) -> list:
    """The host department's heads and the body's information office."""
    heads = users_with_roles(article.unit, [Role.HEAD])
    info_ids = RoleAssignment.objects.filter(
        unit__body_id=article.body_id, role=Role.INFO_OFFICE, revoked_at__isnull=True
    ).values("user_id")

    info = list(User.objects.filter(pk__in=info_ids, is_active=True, is_frozen=False).order_by("pk"))
    return [u for u in dict.fromkeys(heads + info) if u.pk != article.author_id]


def tell_office_submitted(article: Article) -> None:
    if not article.urgency:
        return
    notify(
        responsible_office(article),
        title=_("%(kind)s submitted: %(title)s") % {"kind": Urgency(article.urgency).label, "title": article.title},
        body=_("The response time is counted from %(at)s.")
        % {"at": timezone.localtime(article.event_noted_at).strftime("%Y-%m-%d %H:%M")},
        link=ARTICLE_FLOW.link(article),
        event="content.article.urgent_submit",
        obj=article,
        sms=True,
    )


def record_response_time(article: Article, at: dt.datetime) -> None:
    """On the first publication of an urgent item: its response time, and the office told by SMS."""
    if not article.urgency or article.event_noted_at is None or article.response_minutes is not None:
        return
    minutes = max(0, int((at - article.event_noted_at).total_seconds() // 60))
    Article.objects.filter(pk=article.pk, response_minutes__isnull=True).update(response_minutes=minutes)
    article.response_minutes = minutes
    notify(
        responsible_office(article),
        title=_("%(kind)s published: %(title)s") % {"kind": Urgency(article.urgency).label, "title": article.title},
        body=_("Response time: %(minutes)s minutes.") % {"minutes": minutes},
        link=ARTICLE_FLOW.link(article),
        event="content.article.urgent_publish",
        obj=article,
        sms=True,
    )
