"""Reads for the statistics pages and the annual handling report: per unit counts, streamed report rows."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, OuterRef, Q, Subquery
from django.utils import timezone

from lvzhi.orgs.models import OrgUnit
from lvzhi.workflow.models import Deadline

from .models import Assignment, Classification, Proposal, Rating
from .workflows import OPINION, REPLY

S = Proposal.Status
A = Assignment.Status


# ---- statistics ---------------------------------------------------------------------------------------------


def unit_statistics(*, body, year: int, now=None) -> dict:
    """Per handling unit for one body and year: assigned, replied, on time, overdue, A/B/C/D, satisfaction.

    Four queries whatever the number of items: one aggregate over the year's assignments grouped by unit (an
    index-only scan on PostgreSQL: the index (body, year, unit) includes every counted column), the overdue ones
    among those still handling, the units' names, the items by status."""
    now = now or timezone.now()
    kept = ~Q(status=A.TRANSFERRED)  # a unit that transferred an item away does not count it
    lead = kept & Q(role=Assignment.Role.LEAD)
    aggregates = {
        "assigned": Count("id", filter=kept),
        "lead": Count("id", filter=lead),
        "co": Count("id", filter=kept & Q(role=Assignment.Role.CO)),
        "replied": Count("id", filter=lead & Q(replied_at__isnull=False)),
        "on_time": Count("id", filter=lead & Q(replied_on_time=True)),
        "opinions": Count("id", filter=Q(role=Assignment.Role.CO, opinion_at__isnull=False)),
        "extended": Count("id", filter=kept & Q(extended=True)),
        "transferred_away": Count("id", filter=Q(status=A.TRANSFERRED)),
    }
    for c in Classification.values:
        aggregates[f"class_{c}"] = Count("id", filter=lead & Q(classification=c))
    for r in Rating.values:
        aggregates[f"rating_{r}"] = Count("id", filter=lead & Q(rating=r))
    year_rows = Assignment.objects.filter(body=body, year=year)
    grouped = list(year_rows.values("unit_id").annotate(**aggregates).order_by())
    ct = ContentType.objects.get_for_model(Assignment)
    late = Deadline.objects.filter(
        content_type=ct, kind__in=[REPLY, OPINION], met_at__isnull=True, due_at__lte=now
    ).values("object_id")
    overdue = dict(
        year_rows.filter(status=A.HANDLING, pk__in=late).values_list("unit_id").annotate(n=Count("id")).order_by()
    )
    names = dict(OrgUnit.objects.filter(pk__in=[r["unit_id"] for r in grouped]).values_list("pk", "name"))
    transferred = sum(r["transferred_away"] for r in grouped)
    rows = []
    for row in grouped:
        if not row["assigned"]:
            continue
        row["unit__name"] = names.get(row["unit_id"], "")
        row["overdue"] = overdue.get(row["unit_id"], 0)
        rows.append(row)
    rows.sort(key=lambda r: (r["unit__name"], r["unit_id"]))
    keys = [*aggregates, "overdue"]
    totals = {k: sum(r[k] for r in rows) for k in keys}
    for row in [*rows, totals]:
        rated = row["rating_satisfied"] + row["rating_basic"] + row["rating_unsatisfied"]
        row["satisfaction"] = round(100 * (row["rating_satisfied"] + row["rating_basic"]) / rated, 1) if rated else None
        row["on_time_rate"] = round(100 * row["on_time"] / row["replied"], 1) if row["replied"] else None
    items = dict(
        Proposal.objects.filter(body=body, year=year)
        .exclude(status=S.DRAFT)
        .values_list("status")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {
        "rows": rows,
        "totals": totals,
        "item_counts": items,
        "transferred": transferred,
        "body": body,
        "year": year,
    }


def annual_report_rows(*, body, year: int):
    """The items of one body and year for the annual handling report, streamed in id order."""
    lead_unit = Assignment.objects.filter(proposal=OuterRef("pk"), role=Assignment.Role.LEAD).exclude(
        status__in=[A.TRANSFERRED]
    )
    return (
        Proposal.objects.filter(body=body, year=year)
        .exclude(status=S.DRAFT)
        .select_related("proposer")
        .annotate(
            lead_unit_name=Subquery(lead_unit.values("unit__name")[:1]),
            lead_classification=Subquery(lead_unit.values("classification")[:1]),
            lead_on_time=Subquery(lead_unit.values("replied_on_time")[:1]),
        )
        .order_by("kind", "number", "pk")
    )


def co_unit_names(proposal_ids) -> dict[int, list[str]]:
    names: dict[int, list[str]] = {}
    rows = (
        Assignment.objects.filter(proposal_id__in=list(proposal_ids), role=Assignment.Role.CO)
        .exclude(status=A.TRANSFERRED)
        .values_list("proposal_id", "unit__name")
        .order_by("pk")
    )
    for pid, name in rows:
        names.setdefault(pid, []).append(name)
    return names
