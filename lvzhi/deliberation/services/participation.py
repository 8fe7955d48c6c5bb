"""S0-19: the committee reminds the invited members who have not taken part (inbox), at most once a day."""

from django.db import transaction
from django.utils.translation import gettext as _

from lvzhi.audit.services import record
from lvzhi.core.errors import Conflict, NotFound
from lvzhi.core.timeutil import local_date
from lvzhi.notify.services import notify

from .. import permissions as perm
from ..models import Invitation, Topic
from .common import lock, topic_link


@transaction.atomic
def remind_absent(*, actor, topic: Topic) -> int:
    """Remind every invited member who has not posted; once per topic and day (refused the second time)."""
    topic = lock(topic)
    if not perm.works_at(actor, topic.committee):
        raise NotFound()
    if not perm.discussion_open(topic):
        raise Conflict(_("The discussion is not open."), code="discussion_closed")
    today = local_date()
    if Invitation.objects.filter(topic=topic, reminded_on=today).exists():
        raise Conflict(_("The members were already reminded today."), code="reminded_today")
    pending = Invitation.objects.filter(topic=topic, posted_at__isnull=True).select_related("member")
    members = [i.member for i in pending]
    if not members:
        raise Conflict(_("Every invited member has taken part."), code="nobody_to_remind")
    pending.update(reminded_on=today)
    notify(
        members,
        title=_("Reminder: online deliberation on %(title)s") % {"title": topic.title},
        body=_("The discussion closes on %(day)s; your opinion is welcome.") % {"day": topic.discuss_until},
        link=topic_link(topic),
        event="deliberation.topic.remind",
        obj=topic,
    )
    record(
        "deliberation.topic.remind", actor=actor, obj=topic, org_unit=topic.committee, after={"reminded": len(members)}
    )
    return len(members)
