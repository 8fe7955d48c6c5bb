"""Monthly inspection rounds, quarterly spot checks and higher-level checks by the competent office (S1-5.3,
S2-40): each outlet scored on the indicator scheme, results published, findings made cases for the host unit."""

from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lvzhi.audit.services import record
from lvzhi.core.errors import Conflict, NotFound, ValidationFailed
from lvzhi.core.validation import clean_text
from lvzhi.newmedia import selectors as newmedia_selectors
from lvzhi.notify.services import notify
from lvzhi.workdays.calendar import due_date
from lvzhi.workflow import services as workflow
from lvzhi.workflow.selectors import users_with_roles

from .. import permissions as perm
from .. import rules
from ..models import CheckItem, IndicatorKind, OutletCheck, Rectification, Round, RoundKind
from ..workflows import FIX_FLOW
from .common import applies_to, clean_year, dec
from .scheme import indicators, scheme_for


def _office_or_404(actor, office):
    if not perm.at_office(actor, office):
        raise NotFound()


def _period(kind: str, period) -> int:
    try:
        period = int(period)
    except (TypeError, ValueError):
        period = 0
    high = 12 if kind == RoundKind.MONTHLY else 4 if kind == RoundKind.SPOT else 12
    if not 1 <= period <= high:
        raise ValidationFailed(_("Give the month (1–12) or the quarter (1–4) checked."), code="period_invalid")
    return period


@transaction.atomic
def create_round(*, actor, office, kind, year, period, checked_on, title="", outlet_ids=None) -> Round:
    """A round of the office's outlets (all active ones, or the sample `outlet_ids` for a spot check or a
    higher-level check). Duplicated monthly/quarterly rounds are refused (`round_exists`)."""
    _office_or_404(actor, office)
    if kind not in RoundKind.values:
        raise ValidationFailed(_("Choose the kind of check."), code="kind_invalid")
    year = clean_year(year)
    period = _period(kind, period)
    if checked_on is None:
        raise ValidationFailed(_("Give the day of the check."), code="checked_on_required")
    if checked_on > timezone.localdate():
        raise ValidationFailed(_("The day of the check cannot be in the future."), code="checked_on_future")
    title = clean_text(title, field="title", max_length=rules.TITLE_MAX, required=False)
    if not title:
        with translation.override(settings.LANGUAGE_CODE):  # stored once, in the platform's language
            title = _("%(year)s %(kind)s no. %(period)s") % {
                "year": year,
                "kind": RoundKind(kind).label,
                "period": period,
            }
    outlets = newmedia_selectors.active_outlets(office=office)
    if outlet_ids:
        outlets = outlets.filter(pk__in=list(outlet_ids))
    outlets = list(outlets[: rules.MAX_OUTLETS_PER_ROUND + 1])
    if not outlets:
        raise ValidationFailed(_("No website or account of this office to check."), code="no_outlets")
    if len(outlets) > rules.MAX_OUTLETS_PER_ROUND:
        raise ValidationFailed(_("Too many websites and accounts for one round."), code="too_many_outlets")
    periodic = kind in (RoundKind.MONTHLY, RoundKind.SPOT)
    if periodic and Round.objects.filter(office=office, kind=kind, year=year, period=period).exists():
        raise Conflict(_("This round exists already."), code="round_exists")
    version = scheme_for(year)
    try:
        with transaction.atomic():
            round_ = Round.objects.create(
                office=office,
                kind=kind,
                title=title,
                year=year,
                period=period,
                checked_on=checked_on,
                version=version,
                created_by=actor,
            )
    except IntegrityError:  # the same round created at the same moment by a colleague
        raise Conflict(_("This round exists already."), code="round_exists") from None
    OutletCheck.objects.bulk_create(OutletCheck(round=round_, outlet=o, unit=o.host_unit) for o in outlets)
    record(
        "inspections.round.create",
        actor=actor,
        obj=round_,
        org_unit=office,
        after={"kind": kind, "year": year, "period": period, "outlets": len(outlets), "version": round_.version_id},
    )
    return round_


def _parse_items(check, items: dict) -> list[tuple]:
    """[(indicator, deduction, veto, note)] for every indicator of the outlet's scope; `items` maps an indicator
    code to {"deduction", "veto", "note"}. Unknown codes are refused; deductions are bounded by the points."""
    scope = applies_to(check.outlet)
    known = {i.code: i for i in indicators(check.round.version, scope)}
    unknown = set(items) - set(known)
    if unknown:
        raise ValidationFailed(_("An indicator is not part of the scheme."), code="indicator_unknown")
    rows = []
    for code, indicator in known.items():
        given = items.get(code) or {}
        try:
            deduction = Decimal(str(given.get("deduction") or 0))
        except (ArithmeticError, ValueError):
            raise ValidationFailed(_("A deduction must be a number."), code="deduction_invalid") from None
        if not deduction.is_finite() or deduction < 0:
            raise ValidationFailed(_("A deduction must be a number."), code="deduction_invalid")
        if indicator.kind == IndicatorKind.VETO and deduction:
            raise ValidationFailed(_("A veto item has no points to deduct."), code="deduction_invalid")
        if deduction > indicator.points:
            raise ValidationFailed(
                _("A deduction cannot exceed the indicator's %(points)s points.") % {"points": indicator.points},
                code="deduction_too_high",
            )
        veto = indicator.kind == IndicatorKind.VETO and str(given.get("veto", "")).lower() in ("1", "true", "on")
        note = clean_text(given.get("note", ""), field="note", max_length=rules.NOTE_MAX, required=False)
        if (deduction or veto) and not note:
            raise ValidationFailed(_("Describe each finding."), code="note_required")
        rows.append((indicator, dec(deduction), veto, note))
    return rows


def score(rows, pass_mark: int) -> dict:
    """The scheme's arithmetic: a veto fails the outlet (score 0); else 100 less the deductions, rescaled to 100
    when the scope's points do not add up to 100 (e.g. services left out); below the pass mark fails."""
    total = sum(ind.points for ind, *_r in rows if ind.kind == IndicatorKind.DEDUCTION)
    deductions = sum((d for _i, d, _v, _n in rows), Decimal(0))
    veto = any(v for _i, _d, v, _n in rows)
    value = dec((Decimal(total) - deductions) * 100 / Decimal(total)) if total else Decimal(100)
    value = Decimal(0) if veto else value
    return {
        "items_checked": len(rows),
        "deductions": dec(deductions),
        "veto": veto,
        "score": value,
        "passed": not veto and value >= pass_mark,
    }


@transaction.atomic
def score_outlet(*, actor, check: OutletCheck, items: dict) -> OutletCheck:
    check = OutletCheck.objects.select_for_update().select_related("round__version", "outlet").get(pk=check.pk)
    _office_or_404(actor, check.round.office)
    if check.round.status != Round.Status.OPEN:
        raise Conflict(_("The results are published; the scores can no longer change."), code="round_published")
    rows = _parse_items(check, items or {})
    before = {"score": str(check.score) if check.score is not None else None, "veto": check.veto}
    result = score(rows, check.round.version.pass_mark)
    check.items.all().delete()
    CheckItem.objects.bulk_create(
        CheckItem(outlet_check=check, indicator=ind, deduction=d, veto_hit=v, note=n) for ind, d, v, n in rows
    )
    for key, value in result.items():
        setattr(check, key, value)
    check.scored_by, check.scored_at = actor, timezone.now()
    check.save()
    record(
        "inspections.check.score",
        actor=actor,
        obj=check,
        org_unit=check.round.office,
        before=before,
        after={"score": str(check.score), "veto": check.veto, "passed": check.passed, "items": len(rows)},
    )
    return check


@transaction.atomic
def publish_round(*, actor, round_: Round) -> Round:
    """Publish the results (every outlet scored first); each finding (a deduction or a veto) becomes a case for
    the host unit with its deadline, and the units are told."""
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    _office_or_404(actor, round_.office)
    if round_.status != Round.Status.OPEN:
        raise Conflict(_("The results are published already."), code="round_published")
    if round_.checks.filter(score__isnull=True).exists():
        raise ValidationFailed(_("Score every website and account first."), code="not_all_scored")
    now = timezone.now()
    round_.status, round_.published_at = Round.Status.PUBLISHED, now
    round_.save(update_fields=["status", "published_at", "updated_at"])
    findings = CheckItem.objects.filter(outlet_check__round=round_).exclude(deduction=0, veto_hit=False)
    units = {}
    for item in findings.select_related("outlet_check__outlet", "outlet_check__unit"):
        check = item.outlet_check
        fix = Rectification.objects.create(
            item=item, outlet=check.outlet, unit=check.unit, office=round_.office, found_on=round_.checked_on
        )
        workflow.start(fix, actor=actor, workflow=FIX_FLOW)
        fix.refresh_from_db()
        fix.due_on = due_date(fix.next_due_at) if fix.next_due_at else None  # the last day
        fix.save(update_fields=["due_on"])
        units[check.unit_id] = check.unit
    record(
        "inspections.round.publish",
        actor=actor,
        obj=round_,
        org_unit=round_.office,
        after={"findings": findings.count(), "units": len(units)},
    )
    for unit in units.values():
        recipients = users_with_roles(unit, perm.UNIT_ROLES)
        if recipients:
            notify(
                recipients,
                title=_("Inspection results: findings to fix"),
                body=round_.title,
                link="/inspections/fixes/",
                event="inspections.round.publish",
                obj=round_,
            )
    return round_
