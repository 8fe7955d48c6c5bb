"""Automatic records (S3-6, S0-20) from what the platform already knows: public-opinion reports, proposals and the
platform activity (reading, favourites). Each record links to its source (`source_ref`) and follows it: the source
service calls `source_changed(obj=…)` whenever its state changes; `lvzhi duty sync` rebuilds them all.

Following a source: an outcome the source gained is a new record (reviewed like any other); an outcome it lost
is withdrawn while not yet reviewed, else cancelled by a correcting record (reviewed, then the original is
superseded); a changed quantity likewise — except a monthly platform tally (reading, favourites, sign-in days)
still awaiting review, whose quantity is brought up to date in place (`duty.record.retally`), so that a daily
sign-in does not withdraw and re-enter the month's record every day. Every step is audited (`duty.record.*`,
`duty.source.sync`). Other modules make their automatic records through `record_from_source` (automatic.py).
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from lvzhi.accounts.models import MemberProfile
from lvzhi.audit.services import record as audit
from lvzhi.content import selectors as content
from lvzhi.core.timeutil import local_date
from lvzhi.workflow import services as wf

from ..models import Kind, Outcome, Publication, Record, Source
from ..workflows import RECORD_FLOW
from . import scoring
from .common import entering_unit
from .records import create_record

R = Record.Status
LIVE = (R.NEEDS_APPROVAL, R.PENDING, R.COUNTED)


def _key(source_ref: str, outcome: str, member_id: int) -> str:
    return f"{source_ref}:{outcome}:{member_id}"[:80]


def _replace_pending_corrections(original: Record) -> None:
    for pending in Record.objects.filter(corrects=original, status__in=[R.PENDING, R.NEEDS_APPROVAL]):
        wf.transition(pending, "withdraw", actor=None, workflow=RECORD_FLOW, comment="source changed")


@transaction.atomic
def sync_source(
    *,
    source_ref: str,
    body,
    member,
    kind: str,
    day: dt.date,
    title: str,
    organiser=None,
    outcomes: dict[str, int],
    known_outcomes=None,
) -> dict:
    """Make the member's live automatic records of `source_ref` match `outcomes` ({outcome: quantity}).
    Returns {"created": n, "withdrawn": n, "corrections": n}. A published year is left as it is."""
    if Publication.objects.filter(body=body, year=day.year).exists() or entering_unit(body, kind, organiser) is None:
        # A published year stays as published; a body without the unit that enters this kind records nothing
        # automatically (its staff enter by hand) — the source's own step never fails because of duty records.
        return {"created": 0, "withdrawn": 0, "corrections": 0, "updated": 0}
    prefix = f"{source_ref}:"
    live = {
        r.outcome: r
        for r in Record.objects.select_for_update(of=("self",))
        .filter(member=member, source_key__startswith=prefix, status__in=LIVE)
        .select_related("body", "unit", "organiser", "member")
    }
    stats = {"created": 0, "withdrawn": 0, "corrections": 0, "updated": 0}
    for outcome in sorted(set(live) | set(outcomes)):
        want = outcomes.get(outcome, 0)
        rec = live.get(outcome)
        if rec is not None and rec.quantity == want:
            if rec.status == R.COUNTED and _has_cancellation(rec):
                _replace_pending_corrections(rec)  # the source came back before the cancellation was reviewed
            continue
        if rec is not None and want and rec.status == R.PENDING and rec.kind == Kind.PLATFORM:
            _retally(rec, want)
            stats["updated"] += 1
            continue
        if rec is not None and rec.status != R.COUNTED:
            wf.transition(rec, "withdraw", actor=None, workflow=RECORD_FLOW, comment="source changed")
            stats["withdrawn"] += 1
            rec = None
        if rec is None:
            if want:
                create_record(
                    actor=None,
                    body=body,
                    member=member,
                    kind=kind,
                    outcome=outcome,
                    day=day,
                    title=title,
                    organiser=organiser,
                    source=Source.AUTO,
                    quantity=want,
                    source_ref=source_ref,
                    source_key=_key(source_ref, outcome, member.pk),
                    late_needs_approval=False,
                )
                stats["created"] += 1
            continue
        # An archived record whose source changed: a correcting record (cancellation or new quantity).
        _replace_pending_corrections(rec)
        create_record(
            actor=None,
            body=body,
            member=member,
            kind=kind,
            outcome=outcome if want else Outcome.CANCELLED,
            day=rec.day,
            title=title,
            organiser=rec.organiser,
            source=Source.AUTO,
            quantity=want or rec.quantity,
            source_ref=source_ref,
            corrects=rec,
            late_needs_approval=False,
        )
        stats["corrections"] += 1
    if any(stats.values()):
        audit(
            "duty.source.sync",
            org_unit=body,
            after={"source": source_ref, "member": member.pk, "outcomes": sorted(outcomes), **stats},
        )
    return stats


def _retally(rec: Record, quantity: int) -> None:
    """A monthly platform tally awaiting review follows its count in place (priced again), audited."""
    before = {"quantity": rec.quantity, "points": rec.points}
    rec.quantity = quantity
    rec.rule, rec.points = scoring.price(rec, scoring.ruleset_for(rec.body, rec.year))
    rec.save(update_fields=["quantity", "rule", "points", "updated_at"])
    audit(
        "duty.record.retally",
        obj=rec,
        org_unit=rec.unit,
        before=before,
        after={"quantity": rec.quantity, "points": rec.points},
    )


def _has_cancellation(rec: Record) -> bool:
    return Record.objects.filter(corrects=rec, status__in=[R.PENDING, R.NEEDS_APPROVAL]).exists()


# ---- adapters: what each source means in duty records -----------------------------------------------------------

OPINION_GONE = {"draft", "withdrawn"}
OPINION_NOT_ACCEPTED = {"draft", "submitted", "returned", "transferred", "return_pending", "withdrawn"}
PROPOSAL_FILED = {"accepted", "handling", "replied", "rehandling", "closed"}


def opinion_outcomes(report) -> dict[str, int]:
    """A submitted report earns "submitted"; accepted by a committee "accepted"; chosen for the monthly digest or
    turned into a proposal "adopted". A withdrawn report earns nothing."""
    status = str(report.status)
    if status in OPINION_GONE:
        return {}
    out = {Outcome.SUBMITTED.value: 1}
    if status not in OPINION_NOT_ACCEPTED or getattr(report, "routed_at", None):
        out[Outcome.ACCEPTED.value] = 1
    if getattr(report, "is_notable", False) or getattr(report, "proposal_id", None):
        out[Outcome.ADOPTED.value] = 1
    return out


def proposal_outcomes(proposal) -> dict[str, int]:
    """Submitted; filed (立案, accepted and later); merged; key supervision counts as rated excellent. A withdrawn
    or draft item earns nothing."""
    status = str(proposal.status)
    if status in ("draft", "withdrawn"):
        return {}
    out = {Outcome.SUBMITTED.value: 1}
    if status in PROPOSAL_FILED:
        out[Outcome.FILED.value] = 1
    if status == "merged":
        out[Outcome.MERGED.value] = 1
    if getattr(proposal, "key_supervision", False):
        out[Outcome.EXCELLENT.value] = 1
    return out


def _day_of(value) -> dt.date:
    return local_date(value) if value else local_date()


def source_changed(*, obj) -> dict:
    """Called by the opinions and proposals services (in their transaction) when a report or proposal changes."""
    label = obj._meta.label_lower
    if label == "opinions.report":
        if obj.submitted_at is None and not _has_any(f"opinions.report:{obj.pk}:"):
            return {}
        return sync_source(
            source_ref=f"opinions.report:{obj.pk}",
            body=obj.body,
            member=obj.author,
            kind=Kind.OPINION,
            day=_day_of(obj.submitted_at or obj.created_at),
            title=obj.reference,
            organiser=None,
            outcomes=opinion_outcomes(obj),
        )
    if label == "proposals.proposal":
        if obj.submitted_at is None and not _has_any(f"proposals.proposal:{obj.pk}:"):
            return {}
        return sync_source(
            source_ref=f"proposals.proposal:{obj.pk}",
            body=obj.body,
            member=obj.proposer,
            kind=Kind.PROPOSAL,
            day=_day_of(obj.submitted_at or obj.created_at),
            title=f"{obj.get_kind_display()} {obj.number or obj.pk}",
            organiser=None,
            outcomes=proposal_outcomes(obj),
        )
    return {}


def _has_any(prefix: str) -> bool:
    return Record.objects.filter(source_key__startswith=prefix).exists()


def sync_activity(*, body, member, year: int, month: int) -> dict:
    """S0-20: a member's platform activity of one month (articles read, favourites, days signed in) as one
    automatic record per outcome, quantity = the count; points per unit and the caps come from the rules."""

    since = timezone.make_aware(dt.datetime(year, month, 1))
    until = timezone.make_aware(dt.datetime(year + (month == 12), month % 12 + 1, 1))
    counts = content.activity_counts(user=member, since=since, until=until)
    outcomes = {
        Outcome.READING.value: counts.get("read", 0),
        Outcome.FAVOURITE.value: counts.get("favourite", 0),
        Outcome.SIGN_IN.value: counts.get("sign_in", 0),
    }
    last = min(until.date() - dt.timedelta(days=1), local_date())
    return sync_source(
        source_ref=f"platform:{body.pk}:{year}-{month:02d}",
        body=body,
        member=member,
        kind=Kind.PLATFORM,
        day=last,
        title=f"{year}-{month:02d}",
        organiser=None,
        outcomes={k: v for k, v in outcomes.items() if v},
    )


def sync_all(*, year: int | None = None, stdout=None) -> dict:
    """Rebuild every automatic record from its source (the `lvzhi duty sync` command)."""
    from lvzhi.opinions import selectors as opinion_selectors  # noqa: F401  (the apps whose objects we read)
    from lvzhi.opinions.models import Report
    from lvzhi.proposals.models import Proposal

    totals = {"created": 0, "withdrawn": 0, "corrections": 0, "updated": 0, "sources": 0}

    def add(stats):
        totals["sources"] += 1
        for key, value in stats.items():
            totals[key] += value

    reports = Report.objects.exclude(submitted_at__isnull=True).select_related("body", "author")
    proposals = Proposal.objects.exclude(submitted_at__isnull=True).select_related("body", "proposer")
    if year:
        reports = reports.filter(submitted_at__year=year)
        proposals = proposals.filter(year=year)
    for report in reports.iterator(chunk_size=500):
        add(source_changed(obj=report))
    for proposal in proposals.iterator(chunk_size=500):
        add(source_changed(obj=proposal))
    today = local_date()
    years = [year] if year else [today.year]
    for y in years:
        months = range(1, (today.month if y == today.year else 12) + 1)
        for profile in MemberProfile.objects.filter(is_active=True).select_related("user", "body"):
            for m in months:
                add(sync_activity(body=profile.body, member=profile.user, year=y, month=m))
    return totals
