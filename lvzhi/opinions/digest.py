"""S0-18: each committee's monthly digest (简报) of the reports it received and how they were handled.

`lvzhi tick` runs `run_monthly_digests` every minute. From the first working day of a month on, it makes the
digest of the previous month for every office that received or answered reports in it — exactly once per office
and month (a unique row) — and puts it as a draft article into the work-information column of the office's body
through the content module, where it goes through that column's approval chain. The same data is downloadable
as Excel. If the content module or the column is missing, the digest is kept and the article retried each tick.
"""

import datetime as dt
import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Avg, Count, Q
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext as _

from lvzhi.audit.services import record
from lvzhi.content import services as content_services
from lvzhi.content.selectors import column_by_code
from lvzhi.content.services import create_draft
from lvzhi.core.errors import ApplicationError
from lvzhi.core.timeutil import local_date, start_of_day
from lvzhi.orgs.models import OrgUnit, UnitFunction
from lvzhi.orgs.selectors import unit_by_function
from lvzhi.workdays.calendar import is_workday

from .models import Category, MonthlyDigest, Rating, Report, Satisfaction

logger = logging.getLogger("lvzhi.opinions")
S = Report.Status
NOTABLE_MAX = 10
EXCERPT = 300
COLUMN_CODE = "work_info"


def first_working_day(year: int, month: int) -> dt.date:
    day = dt.date(year, month, 1)
    while not is_workday(day):
        day += dt.timedelta(days=1)
    return day


def month_before(day: dt.date) -> dt.date:
    first = day.replace(day=1)
    return (first - dt.timedelta(days=1)).replace(day=1)


def month_bounds(month: dt.date):
    nxt = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return start_of_day(month), start_of_day(nxt)


def _excerpt(text: str) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= EXCERPT else text[: EXCERPT - 1] + "…"


def digest_data(committee: OrgUnit, month: dt.date) -> dict:
    """The figures of one office's month, JSON-ready (codes, not labels: shown in the reader's language)."""
    start, end = month_bounds(month)
    reports = Report.objects.filter(committee=committee)
    received = reports.filter(submitted_at__gte=start, submitted_at__lt=end)
    categories = {
        row["category"]: row["n"] for row in received.values("category").annotate(n=Count("pk")).order_by("category")
    }
    statuses = {row["status"]: row["n"] for row in received.values("status").annotate(n=Count("pk")).order_by()}
    forwarded = reports.filter(forwarded_at__gte=start, forwarded_at__lt=end).aggregate(
        n=Count("pk"), on_time=Count("pk", filter=Q(forwarded_on_time=True))
    )
    answered = reports.filter(answered_at__gte=start, answered_at__lt=end).aggregate(
        n=Count("pk"), avg_total=Avg("wd_total")
    )
    ratings = Rating.objects.filter(committee=committee, created_at__gte=start, created_at__lt=end)
    levels = {row["level"]: row["n"] for row in ratings.values("level").annotate(n=Count("pk")).order_by()}
    in_month = Q(submitted_at__gte=start, submitted_at__lt=end) | Q(answered_at__gte=start, answered_at__lt=end)
    marked = Q(is_notable=True) | Q(proposal_id__isnull=False) | Q(topic_requests__isnull=False)
    notable_qs = reports.filter(in_month).filter(marked).distinct().order_by("-answered_at", "-submitted_at")
    notable = list(notable_qs[:NOTABLE_MAX])
    if not notable:
        notable = list(
            reports.filter(answered_at__gte=start, answered_at__lt=end).order_by("-answered_at")[: NOTABLE_MAX // 2]
        )
    return {
        "committee": committee.name,
        "month": month.isoformat(),
        "received": received.count(),
        "categories": categories,
        "statuses": statuses,
        "forwarded": forwarded["n"],
        "forwarded_on_time": forwarded["on_time"],
        "answered": answered["n"],
        "avg_total_working_days": round(float(answered["avg_total"]), 1) if answered["avg_total"] is not None else None,
        "ratings": levels,
        "notable": [
            {
                "id": r.pk,
                "reference": r.reference,
                "title": r.title,
                "category": r.category,
                "status": r.status,
                "handling": _excerpt(r.answer or r.result),
                "satisfaction": r.satisfaction,
                "proposal": r.proposal_id is not None,
            }
            for r in notable
        ],
    }


def category_label(code: str) -> str:
    try:
        return str(Category(code).label)
    except ValueError:
        return code or _("Not classified")


def status_label(code: str) -> str:
    try:
        return str(S(code).label)
    except ValueError:
        return code


def level_label(code: str) -> str:
    try:
        return str(Satisfaction(code).label)
    except ValueError:
        return ""


def digest_title(data: dict) -> str:
    month = dt.date.fromisoformat(data["month"])
    return _("Public-opinion digest of %(committee)s, %(year)s-%(month)s") % {
        "committee": data["committee"],
        "year": month.year,
        "month": f"{month.month:02d}",
    }


def digest_summary(data: dict) -> str:
    return _(
        "%(received)s reports received, %(forwarded)s forwarded to the members' hotline "
        "(%(on_time)s on time), %(answered)s answered."
    ) % {
        "received": data["received"],
        "forwarded": data["forwarded"],
        "on_time": data["forwarded_on_time"],
        "answered": data["answered"],
    }


def digest_html(data: dict) -> str:
    """The article text: plain HTML (paragraphs, lists, a table) with every value escaped."""
    parts = [f"<p>{escape(digest_summary(data))}</p>"]
    if data.get("avg_total_working_days") is not None:
        parts.append(
            "<p>"
            + escape(
                _("On average a report was answered %(days)s working days after submission.")
                % {"days": data["avg_total_working_days"]}
            )
            + "</p>"
        )
    if data["categories"]:
        parts.append(f"<h3>{escape(_('Reports by category'))}</h3><ul>")
        for code, n in sorted(data["categories"].items(), key=lambda kv: -kv[1]):
            parts.append(f"<li>{escape(category_label(code))}: {int(n)}</li>")
        parts.append("</ul>")
    rated = sum(data["ratings"].values())
    if rated:
        parts.append(f"<h3>{escape(_('Satisfaction of the members'))}</h3><ul>")
        for level in Satisfaction.values:
            n = data["ratings"].get(level, 0)
            parts.append(f"<li>{escape(level_label(level))}: {int(n)} ({round(100 * n / rated)}%)</li>")
        parts.append("</ul>")
    if data["notable"]:
        parts.append(f"<h3>{escape(_('Notable reports and their handling'))}</h3><table><thead><tr>")
        for head in (_("Title"), _("Category"), _("Status"), _("Handling")):
            parts.append(f"<th>{escape(head)}</th>")
        parts.append("</tr></thead><tbody>")
        for item in data["notable"]:
            parts.append(
                "<tr>"
                f"<td>{escape(item['title'])}</td>"
                f"<td>{escape(category_label(item['category']))}</td>"
                f"<td>{escape(status_label(item['status']))}</td>"
                f"<td>{escape(item['handling'])}</td>"
                "</tr>"
            )
        parts.append("</tbody></table>")
    return "".join(parts)


def _work_info_column(body):
    """The body's work-information column; the content module installs a body's default columns on first use."""
    column = column_by_code(body, COLUMN_CODE)
    if column is None and hasattr(content_services, "ensure_default_columns"):
        content_services.ensure_default_columns(actor=None, body=body)
        column = column_by_code(body, COLUMN_CODE)
    return column


def _create_article(digest: MonthlyDigest, column):
    """The draft in the column, hosted by the committee if it owns the column, else by its body's general office
    (S0-7.2: work information is edited by the departments and reviewed up the department's chain)."""
    data = digest.data
    hosts = [digest.committee, unit_by_function(digest.committee.body, UnitFunction.GENERAL_OFFICE)]
    last_error = None
    for host in [h for h in hosts if h is not None]:
        try:
            with transaction.atomic():
                return create_draft(
                    actor=None,
                    column=column,
                    title=digest_title(data)[:200],
                    body_html=digest_html(data),
                    summary=digest_summary(data)[:300],
                    source=digest.committee.name,
                    grade="normal",
                    unit=host,
                )
        except ApplicationError as exc:
            last_error = exc
            if exc.code != "unit_required":
                raise
    raise last_error or ValueError("no host unit")


def _publish_draft(digest: MonthlyDigest) -> bool:
    """Create the draft article of a digest through the content module; remember an error instead of failing."""
    try:
        with translation.override(settings.LANGUAGE_CODE), transaction.atomic():
            column = _work_info_column(digest.committee.body)
            if column is None:
                raise LookupError("no work-information column")
            article = _create_article(digest, column)
    except Exception as exc:  # noqa: BLE001  (the digest stays; the article is retried next tick)
        error = f"{type(exc).__name__}: {exc}"[:300]
        if error != digest.article_error:
            logger.warning("monthly digest %s: the draft article failed: %s", digest.pk, error)
            digest.article_error = error
            digest.save(update_fields=["article_error"])
        return False
    digest.article_id = article.pk
    digest.article_error = ""
    digest.save(update_fields=["article_id", "article_error"])
    record(
        "opinions.digest.article",
        obj=digest,
        org_unit=digest.committee,
        after={"article": article.pk},
        actor_label="lvzhi tick",
    )
    return True


@transaction.atomic
def create_digest(*, committee: OrgUnit, month: dt.date) -> MonthlyDigest | None:
    """Make the digest of `committee` for `month` unless it exists (then None)."""
    if MonthlyDigest.objects.filter(committee=committee, month=month).exists():
        return None
    with translation.override(settings.LANGUAGE_CODE):
        data = digest_data(committee, month)
    try:
        with transaction.atomic():
            digest = MonthlyDigest.objects.create(committee=committee, month=month, data=data)
    except IntegrityError:
        return None  # another tick made it at the same moment
    record(
        "opinions.digest.create",
        obj=digest,
        org_unit=committee,
        after={"month": month.isoformat(), "received": data["received"], "answered": data["answered"]},
        actor_label="lvzhi tick",
    )
    return digest


def run_monthly_digests(now=None) -> int:
    """The tick job: from the first working day of a month, the previous month's digests (once each)."""
    now = now or timezone.now()
    today = local_date(now)
    if today < first_working_day(today.year, today.month):
        return 0
    month = month_before(today)
    start, end = month_bounds(month)
    active = set(
        Report.objects.filter(submitted_at__gte=start, submitted_at__lt=end).values_list("committee_id", flat=True)
    ) | set(Report.objects.filter(answered_at__gte=start, answered_at__lt=end).values_list("committee_id", flat=True))
    done = set(MonthlyDigest.objects.filter(month=month).values_list("committee_id", flat=True))
    made = []
    for committee in OrgUnit.objects.filter(pk__in=active - done - {None}).order_by("path"):
        digest = create_digest(committee=committee, month=month)
        if digest is not None:
            made.append(digest.pk)
            _publish_draft(MonthlyDigest.objects.select_related("committee__body").get(pk=digest.pk))
    # Digests whose article could not be made yet (no column, content module failing): try again.
    waiting = MonthlyDigest.objects.filter(month=month, article_id__isnull=True).exclude(pk__in=made)
    for digest in waiting.select_related("committee__body").order_by("pk")[:50]:
        _publish_draft(digest)
    return len(made)
