"""The home page's 待办: what waits on this user, queue by queue, and a member's own cases with their time limits.

Each queue is one aggregate query (how many, the nearest time limit) over the module's own selector, so the home
page costs the same whatever the numbers; queues the user has no part in are skipped without a query.
"""

import datetime as dt
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Min, OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.accounts.permissions import is_administrator
from lvzhi.content import selectors as content_selectors
from lvzhi.opinions import permissions as opinion_perms
from lvzhi.opinions import selectors as opinion_selectors
from lvzhi.opinions.models import Report
from lvzhi.opinions.selectors import OPEN_STATES
from lvzhi.proposals import selectors as proposal_selectors
from lvzhi.proposals.models import Proposal
from lvzhi.workdays.display import time_left  # noqa: F401  (re-exported: the home page and its tests use it)
from lvzhi.workflow.models import Deadline


@dataclass
class Queue:
    key: str
    label: str
    url: str
    count: int
    due_at: dt.datetime | None

    @property
    def overdue(self) -> bool:
        return self.due_at is not None and self.due_at <= timezone.now()

    @property
    def left(self) -> str:
        """The nearest time limit in working days ("还剩 N 个工作日" / "已超期 N 个工作日")."""
        return time_left(self.due_at)[0]


@dataclass
class Case:
    kind: str
    title: str
    url: str
    status: str
    due_at: dt.datetime | None


def _queue(key, label, url, qs, due_field=None) -> Queue | None:
    if due_field:
        row = qs.order_by().aggregate(n=Count("pk"), due=Min(due_field))
    else:
        row = {"n": qs.order_by().count(), "due": None}
    if not row["n"]:
        return None
    return Queue(key, label, url, row["n"], row["due"])


def queues_for(user) -> list[Queue]:
    """The staff queues with something in them: reports to pass on, items to reply to, articles to review, the
    proposals office's requests; and a member's replies to evaluate and answers to rate."""

    if is_administrator(user):
        return []
    found = []
    if opinion_perms.may_use_queue(user):
        qs = opinion_selectors.queue(user).exclude(status=Report.Status.ANSWERED)
        label = _("Public-opinion reports to handle")
        found.append(_queue("reports", label, reverse("opinions:queue"), qs, "next_due_at"))
    if proposal_selectors.handling_units_of(user):
        qs = proposal_selectors.unit_queue(user, state="open")
        label = _("Items to reply to")
        found.append(_queue("replies", label, reverse("proposals:unit_queue"), qs, "deadline_due_at"))
    if proposal_selectors.offices_of(user):
        office = reverse("proposals:office")
        qs = proposal_selectors.office_flow(user, state="review")
        found.append(_queue("review", _("Items to review"), f"{office}?state=review", qs, "deadline_due_at"))
        qs = proposal_selectors.office_flow(user, state="accepted")
        found.append(_queue("assign", _("Items to assign"), f"{office}?state=accepted", qs))
        qs = proposal_selectors.office_requests(user)
        found.append(_queue("requests", _("Extension and transfer requests"), reverse("proposals:office"), qs))
    qs = content_selectors.review_queue(user)
    found.append(_queue("articles", _("Articles to review"), reverse("content:queue"), qs))
    qs = proposal_selectors.with_deadline(
        Proposal.objects.filter(proposer=user, status=Proposal.Status.REPLIED), "evaluate"
    )
    found.append(_queue("evaluate", _("Replies to evaluate"), reverse("proposals:home"), qs, "deadline_due_at"))
    qs = Report.objects.filter(author=user, status=Report.Status.ANSWERED)
    found.append(_queue("rate", _("Answers to rate"), reverse("opinions:mine"), qs, "next_due_at"))
    return [q for q in found if q is not None]


def my_open_cases(user, limit: int = 5) -> list[dict]:
    """A member's or deputy's own open reports and items with their nearest time limit, soonest first."""
    return case_rows(open_cases(user, limit))


def open_cases(user, limit: int = 5) -> list[Case]:
    """The cases of `my_open_cases`, without the time left (which changes with the clock, not with the data)."""

    S = Proposal.Status
    cases = []
    reports = opinion_selectors.my_reports(user).filter(status__in=OPEN_STATES, next_due_at__isnull=False)
    for r in reports.order_by("next_due_at")[:limit]:
        url = reverse("opinions:detail", args=[r.pk])
        cases.append(Case("report", r.title, url, r.get_status_display(), r.next_due_at))
    closed = [S.DRAFT, S.CLOSED, S.NOT_ACCEPTED, S.MERGED, S.CONVERTED, S.WITHDRAWN]
    nearest = (
        Deadline.objects.filter(
            content_type=ContentType.objects.get_for_model(Proposal), object_id=OuterRef("pk"), met_at__isnull=True
        )
        .order_by("due_at")
        .values("due_at")[:1]
    )
    items = (
        Proposal.objects.filter(proposer=user)
        .exclude(status__in=closed)
        .annotate(due=Subquery(nearest))
        .filter(due__isnull=False)
    )
    for p in items.order_by("due")[:limit]:
        url = reverse("proposals:detail", args=[p.pk])
        cases.append(Case("proposal", p.title, url, p.get_status_display(), p.due))
    cases.sort(key=lambda c: c.due_at)
    return cases[:limit]


def case_rows(cases: list[Case]) -> list[dict]:
    now = timezone.now()
    rows = []
    for case in cases:
        text, overdue = time_left(case.due_at, now)
        rows.append({"case": case, "left": text, "overdue": overdue})
    return rows
