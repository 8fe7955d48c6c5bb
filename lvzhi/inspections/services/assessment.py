"""The annual assessment per outlet (and so per unit) (S1-5.3, S2-40).

For each active outlet of the office and the year, on the scheme version of that year (kept with the result):
- a single-veto finding in a higher-level check (provincial or national, recorded by the competent office)
  zeroes the year: score 0, failed;
- a veto fact from another source (e.g. the monitor's "not updated for two weeks") not fixed by its due day
  fails the year (score 0): "any veto item found fails; nothing else is scored";
- otherwise the mean score of the year's published own checks (a vetoed check counts 0; 100 with none), less 1
  point for every finding of another source, or of a check, still unfixed past its due day (within its
  indicator's points); below the pass mark (60) fails.
"""

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.audit.services import record
from lvzhi.core.errors import Conflict, NotFound, ValidationFailed
from lvzhi.newmedia import selectors as newmedia_selectors

from .. import permissions as perm
from .. import sources
from ..models import Assessment, IndicatorKind, OutletCheck, Rectification, Round
from .common import clean_year, dec
from .scheme import indicators, scheme_for

FACT_POINT = Decimal(1)


def _own_findings(outlet_ids, start, end) -> list[sources.Fact]:
    qs = Rectification.objects.filter(outlet_id__in=outlet_ids, found_on__gte=start, found_on__lte=end)
    return [
        sources.Fact(
            outlet_id=f.outlet_id,
            indicator=f.item.indicator.code,
            veto=False,  # a check's veto is scored in the check itself
            found_on=f.found_on,
            due_on=f.due_on,
            fixed_on=f.fixed_on,
            status=f.status,
            summary=f.item.note,
            link=f"/inspections/fixes/{f.pk}/",
            source="inspections",
        )
        for f in qs.select_related("item__indicator")
    ]


def _vetoes(fact) -> bool:
    """A veto finding counts while it is unfixed, or when it was fixed after its due date."""
    if not fact.veto:
        return False
    return fact.fixed_on is None or bool(fact.due_on and fact.fixed_on > fact.due_on)


def _deducted(late, points) -> Decimal:
    """The points taken off for late findings: FACT_POINT each, at most the indicator's points per deduction
    indicator (findings on other indicators take nothing off)."""
    used: dict[str, Decimal] = {}
    for f in late:
        ind = points.get(f.indicator)
        if ind is None or ind.kind != IndicatorKind.DEDUCTION:
            continue
        used[f.indicator] = min(Decimal(ind.points), used.get(f.indicator, Decimal(0)) + FACT_POINT)
    return sum(used.values(), Decimal(0))


def evaluate(outlet, checks, facts, version, *, year: int) -> dict:
    """The year's result of one outlet from its checks (OutletCheck rows with their round) and facts."""
    end = dt.date(year, 12, 31)
    points = {i.code: i for i in indicators(version)}
    higher = [c for c in checks if c.round.higher_level and c.veto]
    own = [c for c in checks if not c.round.higher_level and c.score is not None]
    veto_facts = [f for f in facts if _vetoes(f)]
    late = [f for f in facts if not f.veto and f.unfixed_past_due(min(end, timezone.localdate()))]
    base = dec(sum((c.score for c in own), Decimal(0)) / len(own)) if own else Decimal(100)
    deducted = _deducted(late, points)
    zeroed, veto = bool(higher), bool(higher or veto_facts)
    value = Decimal(0) if veto else max(Decimal(0), dec(base - deducted))
    return {
        "score": value,
        "veto": veto,
        "zeroed": zeroed,
        "passed": not veto and value >= version.pass_mark,
        "basis": _basis(checks, higher, veto_facts, late, base, deducted),
    }


def _basis(checks, higher, veto_facts, late, base: Decimal, deducted: Decimal) -> dict:
    """What a result was computed from, stored with it (JSON) so the outlet can follow its score."""
    return {
        "checks": [{"round": c.round_id, "kind": c.round.kind, "score": str(c.score), "veto": c.veto} for c in checks],
        "higher_level_vetoes": [c.round_id for c in higher],
        "veto_facts": [f.as_dict() for f in veto_facts],
        "late_findings": [f.as_dict() for f in late],
        "base": str(base),
        "deducted": str(deducted),
    }


@transaction.atomic
def compute_year(*, actor, office, year) -> list[Assessment]:
    """(Re)compute the year's assessments of the office's outlets; a published year is final."""
    if not perm.at_office(actor, office):
        raise NotFound()
    year = clean_year(year)
    if year > timezone.localdate().year:
        raise ValidationFailed(_("A year still to come cannot be assessed."), code="year_future")
    if Assessment.objects.filter(office=office, year=year, published_at__isnull=False).exists():
        raise Conflict(_("The year's results are published; they are final."), code="assessment_published")
    version = scheme_for(year)
    outlets = list(newmedia_selectors.active_outlets(office=office))
    ids = [o.pk for o in outlets]
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    checks = {}
    rows = OutletCheck.objects.filter(
        outlet_id__in=ids, round__year=year, round__status=Round.Status.PUBLISHED
    ).select_related("round")
    for c in rows:
        checks.setdefault(c.outlet_id, []).append(c)
    facts = {}
    for f in sources.facts(ids, start, end) + _own_findings(ids, start, end):
        facts.setdefault(f.outlet_id, []).append(f)
    now = timezone.now()
    out = []
    for outlet in outlets:
        result = evaluate(outlet, checks.get(outlet.pk, []), facts.get(outlet.pk, []), version, year=year)
        obj, _created = Assessment.objects.update_or_create(
            outlet=outlet,
            year=year,
            defaults={
                "unit": outlet.host_unit,
                "office": office,
                "version": version,
                "computed_at": now,
                "computed_by": actor,
                **result,
            },
        )
        out.append(obj)
    record(
        "inspections.assessment.compute",
        actor=actor,
        org_unit=office,
        after={
            "year": year,
            "version": version.version,
            "outlets": len(out),
            "failed": sum(1 for a in out if not a.passed),
            "zeroed": sum(1 for a in out if a.zeroed),
        },
    )
    return out


@transaction.atomic
def publish_year(*, actor, office, year) -> int:
    if not perm.at_office(actor, office):
        raise NotFound()
    year = clean_year(year)
    qs = Assessment.objects.select_for_update().filter(office=office, year=year)
    if not qs.exists():
        raise ValidationFailed(_("Compute the year's assessment first."), code="assessment_missing")
    if qs.filter(published_at__isnull=False).exists():
        raise Conflict(_("The year's results are published already."), code="assessment_published")
    n = qs.update(published_at=timezone.now())
    record("inspections.assessment.publish", actor=actor, org_unit=office, after={"year": year, "outlets": n})
    return n
