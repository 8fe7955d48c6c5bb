"""Periodic work of the new-media module (`lvzhi tick`). Reminders and escalations of the `file` and `report`
deadlines to the responsible unit come from the workflow's own jobs; here: an overdue filing is also escalated
to the competent office (once per deadline), and changes, closings and cancellations whose public notice has run
take effect."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.accounts.roles import Role
from lvzhi.core.tick import register_tick_job
from lvzhi.core.timeutil import local_date
from lvzhi.notify.services import notify
from lvzhi.workflow.selectors import users_with_roles

from .models import Filing
from .services import apply_due_notices


def escalate_to_office(now=None) -> int:

    now = now or timezone.now()
    ids = list(
        Filing.objects.filter(
            status__in=(Filing.Status.DECIDED, Filing.Status.REJECTED),
            next_due_at__lte=now,
            office_alerted_at__isnull=True,
        ).values_list("pk", flat=True)[:500]
    )
    n = 0
    for pk in ids:
        with transaction.atomic():
            if not Filing.objects.filter(pk=pk, office_alerted_at__isnull=True).update(office_alerted_at=now):
                continue
            filing = Filing.objects.select_related("outlet", "office", "unit").get(pk=pk)
            recipients = users_with_roles(filing.office, (Role.NM_COMPETENT,))
            if recipients:
                notify(
                    recipients,
                    title=_("New-media filing overdue: %(unit)s") % {"unit": filing.unit.name},
                    body=_("The filing was due by the end of %(day)s.") % {"day": filing.file_by.isoformat()},
                    link=f"/newmedia/filings/{filing.pk}/",
                    event="newmedia.filing.overdue",
                    obj=filing,
                )
            n += 1
    return n


def apply_notices(now=None) -> int:

    return apply_due_notices(local_date(now))


def register_jobs():
    register_tick_job("newmedia.escalate_to_office", "lvzhi.newmedia.jobs.escalate_to_office")
    register_tick_job("newmedia.apply_notices", "lvzhi.newmedia.jobs.apply_notices")
