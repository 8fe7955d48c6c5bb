"""The built-in tick jobs: a reminder before a deadline and an escalation when it has passed, each sent once."""

import logging

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.notify.services import notify

from .declaration import get_workflow
from .models import Deadline
from .selectors import users_with_roles

logger = logging.getLogger("lvzhi.workflow")
BATCH = 500


def _subject(deadline: Deadline):
    """(object, title, link) of the deadline's object; tolerates a deleted object or an undeclared workflow."""
    ct = ContentType.objects.get_for_id(deadline.content_type_id)
    obj = ct.get_all_objects_for_this_type(pk=deadline.object_id).first()
    wf = get_workflow(deadline.workflow)
    if obj is None:
        return None, "", ""
    title = wf.title(obj) if wf else str(obj)
    link = wf.link(obj) if wf else ""
    return obj, str(title), link


def _claim_and_notify(deadline_id: int, now, *, stamp: str, roles_field: str, event: str) -> bool:
    with transaction.atomic():
        claimed = Deadline.objects.filter(
            pk=deadline_id, met_at__isnull=True, paused_at__isnull=True, **{f"{stamp}__isnull": True}
        ).update(**{stamp: now})
        if not claimed:
            return False  # another tick, or the step ended meanwhile
        deadline = Deadline.objects.select_related("responsible_unit").get(pk=deadline_id)
        obj, title, link = _subject(deadline)
        recipients = users_with_roles(deadline.responsible_unit, getattr(deadline, roles_field))
        if obj is None or not recipients:
            return True
        last_day = deadline.last_day.isoformat()
        if stamp == "reminded_at":
            heading = _("Deadline approaching: %(title)s") % {"title": title}
            body = _("This must be done by the end of %(day)s.") % {"day": last_day}
        else:
            heading = _("Deadline passed: %(title)s") % {"title": title}
            body = _("This was due by the end of %(day)s and is not done yet.") % {"day": last_day}
        notify(recipients, title=heading, body=body, link=link, event=event, obj=obj)
        return True


def send_reminders(now=None) -> int:
    """Remind the responsible unit of deadlines whose reminder time has come (once each)."""
    now = now or timezone.now()
    ids = list(
        Deadline.objects.filter(
            met_at__isnull=True, paused_at__isnull=True, reminded_at__isnull=True, remind_at__lte=now, due_at__gt=now
        ).values_list("pk", flat=True)[:BATCH]
    )
    return sum(
        _claim_and_notify(pk, now, stamp="reminded_at", roles_field="notify_roles", event="workflow.deadline.remind")
        for pk in ids
    )


def escalate_overdue(now=None) -> int:
    """Tell the escalation roles of the responsible unit about deadlines that have passed (once each)."""
    now = now or timezone.now()
    ids = list(
        Deadline.objects.filter(
            met_at__isnull=True, paused_at__isnull=True, escalated_at__isnull=True, due_at__lte=now
        ).values_list("pk", flat=True)[:BATCH]
    )
    return sum(
        _claim_and_notify(
            pk, now, stamp="escalated_at", roles_field="escalate_roles", event="workflow.deadline.escalate"
        )
        for pk in ids
    )
