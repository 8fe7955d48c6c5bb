"""Reads of public-opinion reports filtered for a user: fetch-and-authorise, lists, statistics.

Lists are bounded querysets (paginate them); statistics are aggregate queries, a fixed number whatever the data.
"""

import datetime as dt
import re
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import Avg, Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.accounts.models import User
from lvzhi.accounts.permissions import active_assignments, units_q
from lvzhi.accounts.roles import Role
from lvzhi.core.errors import NotFound, ValidationFailed
from lvzhi.core.params import query_date, query_int
from lvzhi.core.timeutil import local_date, start_of_day
from lvzhi.core.validation import safe_query
from lvzhi.orgs.models import OrgUnit, UnitFunction, UnitKind
from lvzhi.orgs.selectors import body_setting
from lvzhi.workdays.calendar import working_days_between
from lvzhi.workflow.models import Deadline
from lvzhi.workflow.selectors import history_of, users_with_roles

from . import rules
from .models import Attachment, Category, MonthlyDigest, Report, Satisfaction, ThreadMessage, TopicRequest
from .permissions import may_see_statistics, may_use_queue, may_view, statistics_units_q, visible_q
from .rollup import period_totals
from .routing import (  # noqa: F401  (re-exported: the routing reads are selectors too)
    handling_office_for,
    has_office_staff,
    hotline_of,
    member_body,
    members_of_body_q,
    route_for,
    transfer_targets,
)

S = Report.Status
OPEN_STATES = (
    S.SUBMITTED,
    S.ACCEPTED,
    S.TRANSFERRED,
    S.RETURN_PENDING,
    S.AT_HOTLINE,
    S.VERIFYING,
    S.HOTLINE_DONE,
    S.HANDLING,
    S.ANSWERED,
)
DONE_STATES = (S.CLOSED, S.WITHDRAWN)
STEPS = ("route", "handle", "feedback", "total")
QUEUE_STATES = ("open", "returned", "done", "transferred", "all")


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        raise NotFound()


def access_report(user, report_id) -> Report:
    """The report if `user` may see it; NotFound for a missing and a forbidden one alike."""
    report = (
        Report.objects.select_related("author", "body", "committee", "origin_committee", "hotline")
        .filter(pk=_int(report_id))
        .first()
    )
    if report is None or not may_view(user, report):
        raise NotFound()
    return report


def access_attachment(user, report_id, attachment_id) -> Attachment:
    report = access_report(user, report_id)
    attachment = Attachment.objects.filter(pk=_int(attachment_id), report=report).first()
    if attachment is None:
        raise NotFound()
    attachment.report = report
    return attachment


def access_topic_request(user, topic_id) -> TopicRequest:
    topic = TopicRequest.objects.select_related("report", "committee").filter(pk=_int(topic_id)).first()
    if topic is None:
        raise NotFound()
    access_report(user, topic.report_id)
    return topic


# ---- S0-17: the hand-off to online deliberation --------------------------------------------------------------

TOPIC_REF_PREFIX = "deliberation.topic:"


def topic_requests_for(topic_ref: str):
    """The requests (and their reports) a deliberation topic was made from: `topic_ref` is "deliberation.topic:<id>"."""
    if not str(topic_ref or "").startswith(TOPIC_REF_PREFIX):
        return TopicRequest.objects.none()
    return (
        TopicRequest.objects.filter(topic_ref=topic_ref, status=TopicRequest.Status.TAKEN)
        .select_related("report__author")
        .order_by("pk")
    )


# ---- the member's own ---------------------------------------------------------------------------------------

MY_TABS = ("mine", "drafts", "co")


def my_reports(user, *, tab: str = "mine"):
    """The user's reports (submitted ones, drafts, or those they co-report), newest first."""
    if tab == "co":
        qs = Report.objects.filter(co_reporters=user).exclude(status=S.DRAFT)
    elif tab == "drafts":
        qs = Report.objects.filter(author=user, status=S.DRAFT)
    else:
        qs = Report.objects.filter(author=user).exclude(status=S.DRAFT)
    return qs.select_related("committee", "author").order_by("-created_at", "-pk")


# ---- the staff queue ------------------------------------------------------------------------------------------


@dataclass
class QueueFilters:
    state: str = "open"
    status: str = ""
    category: str = ""
    committee: int | None = None
    q: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    as_dict: dict = field(default_factory=dict)


def parse_queue_filters(params) -> QueueFilters:
    """Filters from a query string; anything malformed is ignored rather than an error."""
    f = QueueFilters()
    state = params.get("state", "open")
    f.state = state if state in QUEUE_STATES else "open"
    status = params.get("status", "")
    f.status = status if status in S.values and status != S.DRAFT else ""
    category = params.get("category", "")
    f.category = category if category in Category.values else ""
    f.committee = query_int(params.get("committee"))
    f.q = safe_query(params.get("q", ""), max_length=50)
    f.date_from, f.date_to = query_date(params.get("date_from")), query_date(params.get("date_to"))
    f.as_dict = {
        k: v
        for k, v in {
            "state": f.state,
            "status": f.status,
            "category": f.category,
            "committee": f.committee or "",
            "q": f.q,
            "date_from": f.date_from.isoformat() if f.date_from else "",
            "date_to": f.date_to.isoformat() if f.date_to else "",
        }.items()
        if v
    }
    return f


def queue(user, filters: QueueFilters | None = None):
    """Reports at the user's offices, hotline and bodies: open ones with the earliest deadline (overdue and due soon)
    first, annotated with `deadline_due_at`."""
    f = filters or QueueFilters()
    if not may_use_queue(user):
        return Report.objects.none()
    qs = Report.objects.filter(visible_q(user, transferred_out=f.state == "transferred"))
    if f.state == "open":
        qs = qs.filter(status__in=OPEN_STATES)
    elif f.state == "returned":
        qs = qs.filter(status=S.RETURNED)
    elif f.state == "done":
        qs = qs.filter(status__in=DONE_STATES)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.category:
        qs = qs.filter(category=f.category)
    if f.committee:
        qs = qs.filter(Q(committee_id=f.committee) | Q(hotline_id=f.committee))
    if f.q:
        qs = qs.filter(title__icontains=f.q)
    if f.date_from:
        qs = qs.filter(last_submitted_at__gte=start_of_day(f.date_from))
    if f.date_to:
        qs = qs.filter(last_submitted_at__lt=start_of_day(f.date_to + dt.timedelta(days=1)))
    qs = qs.select_related("author", "committee", "hotline").defer("content", "result", "answer")
    if f.state == "open":  # the stored earliest running time limit (REPORT_FLOW.due_field): an indexed order
        return qs.order_by(F("next_due_at").asc(nulls_last=True), "-last_submitted_at", "-pk")
    return qs.order_by("-last_submitted_at", "-pk")  # never null once submitted


def queue_units(user):
    """The offices and hotlines whose reports the user may filter by."""
    return (
        OrgUnit.objects.filter(statistics_units_q(user) | _hotline_units_q(user))
        .filter(Q(kind__in=(UnitKind.COMMITTEE, UnitKind.HOTLINE)) | Q(function=UnitFunction.LIAISON_OFFICE))
        .order_by("path")
    )


def _hotline_units_q(user):
    q = Q(pk__in=[])
    for assignment in active_assignments(user):
        if assignment.role == Role.HOTLINE:
            q |= Q(pk=assignment.unit_id)
    return q


# ---- one report's page ----------------------------------------------------------------------------------------


def report_history(report: Report) -> list:
    return list(history_of(report))


def report_deadlines(report: Report) -> list[Deadline]:
    """The report's deadlines, open ones first, then the met ones newest first."""
    ct = ContentType.objects.get_for_model(Report)
    return list(
        Deadline.objects.filter(content_type=ct, object_id=report.pk)
        .select_related("responsible_unit")
        .order_by(F("met_at").desc(nulls_first=True), "-started_at", "-id")
    )


def report_extras(report: Report) -> dict:
    """Attachments, updates, verification thread, ratings, co-reporters, topic requests of one report."""
    return {
        "attachments": list(report.attachments.all()),
        "updates": list(report.updates.select_related("author", "unit")),
        "thread": list(report.thread.select_related("author")),
        "ratings": list(report.ratings.select_related("author")),
        "co_reporters": list(report.co_reporters.order_by("real_name")),
        "topics": list(report.topic_requests.select_related("requested_by", "approved_by").order_by("-created_at")),
    }


def pending_topics(user):
    """Deliberation-topic requests awaiting the decision of a committee head (the user)."""
    return (
        TopicRequest.objects.filter(units_q(user, Role.HEAD, "committee"), status=TopicRequest.Status.PENDING)
        .select_related("report", "committee", "requested_by")
        .order_by("created_at", "pk")
    )


def approved_topic_requests(*, committee: OrgUnit | None = None, body: OrgUnit | None = None):
    """For the deliberation module: approved requests not yet taken up (oldest first)."""
    qs = TopicRequest.objects.filter(status=TopicRequest.Status.APPROVED)
    if committee is not None:
        qs = qs.filter(committee=committee)
    if body is not None:
        qs = qs.filter(committee__body=body)
    return qs.select_related("report", "committee", "approved_by").order_by("decided_at", "pk")


# ---- statistics (leaders, heads, offices) ---------------------------------------------------------------------


@dataclass
class Period:
    date_from: dt.date
    date_to: dt.date  # inclusive

    @property
    def start(self):
        return start_of_day(self.date_from)

    @property
    def end(self):
        return start_of_day(self.date_to + dt.timedelta(days=1))


def parse_period(params, *, today: dt.date | None = None) -> Period:
    """`date_from`/`date_to` (ISO dates); by default the current year up to today. At most 5 years."""
    today = today or local_date()
    default = Period(dt.date(today.year, 1, 1), today)
    date_from = query_date(params.get("date_from") or default.date_from)
    date_to = query_date(params.get("date_to") or default.date_to)
    if date_from is None or date_to is None:
        return default
    if date_to < date_from or (date_to - date_from).days > 5 * 366:
        return default
    return Period(date_from, date_to)


def statistics_units(user):
    """The handling offices (committees and liaison offices) the user sees statistics of."""
    if not may_see_statistics(user):
        return OrgUnit.objects.none()
    return (
        OrgUnit.objects.filter(statistics_units_q(user))
        .filter(Q(kind=UnitKind.COMMITTEE) | Q(function=UnitFunction.LIAISON_OFFICE))
        .select_related("body")
        .order_by("path")
    )


def _pct(part, whole):
    return round(100.0 * part / whole, 1) if whole else None


def _avg(value):
    return round(float(value), 1) if value is not None else None


def statistics(units, period: Period, *, now=None) -> list[dict]:
    """Per office: received, forwarded (on time), handled, average working days per step, satisfaction rates and
    overdue reports now. Two queries whatever the period or the number of reports: the sums of the daily roll-up
    (`DailyStat`, one row per office and day, see lvzhi.opinions.rollup) and the overdue count (an index range).
    Equal to `statistics_recount` (tested)."""
    now = now or timezone.now()
    units = list(units)
    ids = [u.pk for u in units]
    if not ids:
        return []
    totals = period_totals(ids, period.date_from, period.date_to)
    overdue = _overdue_counts(ids, now)
    rows = []
    for unit in units:
        t = totals.get(unit.pk, {})
        avg = {step: (round(t[f"{step}_sum"] / t[f"{step}_n"], 1) if t.get(f"{step}_n") else None) for step in STEPS}
        rows.append(
            _stat_row(
                unit,
                received=t.get("received", 0),
                forwarded={"n": t.get("forwarded", 0), "on_time": t.get("forwarded_on_time", 0)},
                handled={
                    "n": t.get("handled", 0),
                    "closed": t.get("closed", 0),
                    "rated": t.get("rated", 0),
                    "satisfied": t.get("satisfied", 0),
                    "basically": t.get("basically", 0),
                    "unsatisfied": t.get("unsatisfied", 0),
                },
                averages=avg,
                overdue=overdue.get(unit.pk, 0),
            )
        )
    return rows


def _overdue_counts(ids, now) -> dict:
    # A report is overdue when its earliest running time limit has passed (REPORT_FLOW.due_field keeps it).
    return dict(
        Report.objects.filter(committee_id__in=ids, next_due_at__lte=now)
        .values_list("committee_id")
        .annotate(n=Count("*"))
        .values_list("committee_id", "n")
    )


def _stat_row(unit, *, received, forwarded, handled, averages, overdue) -> dict:
    rated = handled.get("rated", 0)
    return {
        "unit": unit,
        "received": received,
        "forwarded": forwarded.get("n", 0),
        "forwarded_on_time": forwarded.get("on_time", 0),
        "on_time_rate": _pct(forwarded.get("on_time", 0), forwarded.get("n", 0)),
        "handled": handled.get("n", 0),
        "closed": handled.get("closed", 0),
        "avg_route": averages["route"],
        "avg_handle": averages["handle"],
        "avg_feedback": averages["feedback"],
        "avg_total": averages["total"],
        "rated": rated,
        "satisfied": handled.get("satisfied", 0),
        "basically": handled.get("basically", 0),
        "unsatisfied": handled.get("unsatisfied", 0),
        "satisfied_rate": _pct(handled.get("satisfied", 0), rated),
        "basically_rate": _pct(handled.get("basically", 0), rated),
        "unsatisfied_rate": _pct(handled.get("unsatisfied", 0), rated),
        "overdue": overdue,
    }


def statistics_recount(units, period: Period, *, now=None) -> list[dict]:
    """The statistics counted from the reports themselves (what the roll-up must always equal; tests compare).

    Per office: received, forwarded (on time), handled, average working days per step, satisfaction rates and
    overdue reports now. Four aggregate queries whatever the number of reports or offices, each an index-only scan
    (the measured columns are index keys, see Report.Meta.indexes).

    Handled = answered to the member in the period; its satisfaction is the rating of that answer (a report
    answered again after an unsatisfied rating counts with its new rating)."""
    now = now or timezone.now()
    units = list(units)
    ids = [u.pk for u in units]
    if not ids:
        return []
    reports = Report.objects.filter(committee_id__in=ids)
    received = dict(
        reports.filter(submitted_at__gte=period.start, submitted_at__lt=period.end)
        .values_list("committee_id")
        .annotate(n=Count("*"))
        .values_list("committee_id", "n")
    )
    forwarded = {
        row["committee_id"]: row
        for row in reports.filter(forwarded_at__gte=period.start, forwarded_at__lt=period.end)
        .values("committee_id")
        .annotate(n=Count("*"), on_time=Count("forwarded_on_time", filter=Q(forwarded_on_time=True)))
    }
    handled = {
        row["committee_id"]: row
        for row in reports.filter(answered_at__gte=period.start, answered_at__lt=period.end)
        .values("committee_id")
        .annotate(
            n=Count("*"),
            route=Avg("wd_route"),
            handle=Avg("wd_handle"),
            feedback=Avg("wd_feedback"),
            total=Avg("wd_total"),
            closed=Count("status", filter=Q(status=S.CLOSED)),
            rated=Count("satisfaction", filter=~Q(satisfaction="")),
            satisfied=Count("satisfaction", filter=Q(satisfaction=Satisfaction.SATISFIED)),
            basically=Count("satisfaction", filter=Q(satisfaction=Satisfaction.BASICALLY)),
            unsatisfied=Count("satisfaction", filter=Q(satisfaction=Satisfaction.UNSATISFIED)),
        )
    }
    overdue = _overdue_counts(ids, now)
    return [
        _stat_row(
            unit,
            received=received.get(unit.pk, 0),
            forwarded=forwarded.get(unit.pk, {}),
            handled=handled.get(unit.pk, {}),
            averages={
                step: _avg(handled.get(unit.pk, {}).get(step)) for step in ("route", "handle", "feedback", "total")
            },
            overdue=overdue.get(unit.pk, 0),
        )
        for unit in units
    ]


# ---- monthly digests -----------------------------------------------------------------------------------------


def digests(user):
    if not may_see_statistics(user):
        return MonthlyDigest.objects.none()
    return (
        MonthlyDigest.objects.filter(committee__in=statistics_units(user).values("pk"))
        .select_related("committee")
        .order_by("-month", "committee__path")
    )


def access_digest(user, digest_id) -> MonthlyDigest:
    digest = digests(user).filter(pk=_int(digest_id)).first()
    if digest is None:
        raise NotFound()
    return digest


# ---- co-reporters -------------------------------------------------------------------------------------------

CO_SPLIT = re.compile(r"[,，、;；\s]+")


def resolve_co_reporters(author, text: str) -> list[int]:
    """Ids of the members of the author's body named in `text` (names or mobile numbers, separated by commas, 、 or
    spaces). Unknown and ambiguous names are a clear error."""
    tokens = list(dict.fromkeys(t for t in CO_SPLIT.split(text or "") if t))
    if not tokens:
        return []
    if len(tokens) > rules.CO_REPORTERS_MAX:
        raise ValidationFailed(
            _("At most %(n)s co-reporters.") % {"n": rules.CO_REPORTERS_MAX}, code="too_many_co_reporters"
        )
    members = User.objects.filter(members_of_body_q(member_body(author)), is_active=True).exclude(pk=author.pk)
    found = list(
        members.filter(Q(phone__in=[t for t in tokens if t.isdigit()]) | Q(real_name__in=tokens)).values_list(
            "pk", "phone", "real_name"
        )
    )
    ids, unknown, ambiguous = [], [], []
    for token in tokens:
        matches = [pk for pk, phone, name in found if (phone == token if token.isdigit() else name == token)]
        if not matches:
            unknown.append(token)
        elif len(matches) > 1:
            ambiguous.append(token)
        else:
            ids.append(matches[0])
    if unknown:
        raise ValidationFailed(
            _("Not a member of your body: %(names)s") % {"names": "、".join(unknown)}, code="invalid_co_reporter"
        )
    if ambiguous:
        raise ValidationFailed(
            _("Several members are called %(names)s; enter their mobile numbers instead.")
            % {"names": "、".join(ambiguous)},
            code="ambiguous_co_reporter",
        )
    return list(dict.fromkeys(ids))


def co_reporters_text(report: Report) -> str:
    """The co-reporters as the form shows them: names, or mobile numbers where a name is not unique."""
    people = list(report.co_reporters.values_list("phone", "real_name"))
    if not people:
        return ""
    names = [name for _phone, name in people]
    shared = set(
        User.objects.filter(members_of_body_q(report.body), real_name__in=names)
        .values("real_name")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .values_list("real_name", flat=True)
    )
    return "、".join(phone if name in shared else name for phone, name in people)


def open_member_question(report: Report) -> ThreadMessage | None:
    """The office's latest question to the member of this round if the member has not answered it yet."""
    last = (
        ThreadMessage.objects.filter(
            report=report,
            round=report.round,
            kind__in=(ThreadMessage.Kind.OFFICE_QUESTION, ThreadMessage.Kind.MEMBER_ANSWER),
        )
        .order_by("-created_at", "-id")
        .first()
    )
    return last if last is not None and last.kind == ThreadMessage.Kind.OFFICE_QUESTION else None


def rating_period_over(report: Report, now=None) -> bool:
    if report.answered_at is None:
        return False
    days = int(body_setting(report.committee or report.body, rules.RATING_DAYS) or 0)
    return working_days_between(report.answered_at, now or timezone.now()) >= days


# ---- search across modules (the members' app search page) ------------------------------------------------------


def search_reports(user, query: str, *, limit: int = 10) -> list[Report]:
    """Reports the user may see — their own (drafts too), those they co-report, and those of their offices, hotline
    and bodies — whose title or text contains every word of `query`, newest first."""
    words = [w for w in str(query or "").split() if w][:5]
    if not words or not getattr(user, "is_authenticated", False):
        return []
    q = Q(author=user) | Q(pk__in=Report.co_reporters.through.objects.filter(user=user).values("report_id"))
    if may_use_queue(user):
        q |= visible_q(user)
    qs = Report.objects.filter(q)
    for word in words:
        qs = qs.filter(Q(title__icontains=word) | Q(content__icontains=word))
    return list(qs.defer("content", "result", "answer").order_by("-created_at", "-pk")[:limit])


def recorded_instructions(report) -> list:
    """The report's standing leaders' instructions (批示), oldest first; cached on the report for one request."""
    cached = getattr(report, "_recorded_instructions", None)
    if cached is None:
        cached = report._recorded_instructions = list(
            report.instructions.filter(status="recorded").select_related("leader").order_by("day", "pk")
        )
    return cached


def instructions_of(report) -> list:
    """Every instruction recorded on the report (withdrawn and corrected ones too), newest first."""
    return list(report.instructions.select_related("leader").order_by("-created_at", "-pk")[:50])


def instruction_leaders(report) -> list:
    """The leaders an office may record an instruction for: leaders of the report's body."""
    return [u for u in users_with_roles(report.body, [Role.LEADER]) if u.pk != report.author_id]
