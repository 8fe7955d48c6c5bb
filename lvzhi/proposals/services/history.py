"""Past years' items brought in when a body adopts Lvzhi (issue 20, `lvzhi.onboarding`): each lands closed, with its
handling units, the lead unit's reply and the proposer's evaluation, for the statistics (the roll-ups count them
through the models' save signals, `rollups.py`; `statistics.unit_statistics` reads the assignments) and for
disclosure. Nothing of the live workflow runs: no transition, no deadline, no notification — the item was handled
years ago, outside the platform. Audited `proposals.history.import|update`.

The same (body, year, kind, number) is the same item: importing it again changes nothing when the facts are the
same, updates the imported item when they differ, and refuses a number held by an item handled on the platform.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils.translation import gettext as _

from lvzhi.audit.services import record
from lvzhi.core.errors import Conflict
from lvzhi.orgs.models import OrgUnit

from ..models import Assignment, CoSigner, Counter, Evaluation, Proposal, Reply
from ..selectors import office_of
from .common import A, S

# The item's "source" says where it came from (shown with the item; it also marks an imported item).
HISTORY_SOURCE = "往年数据导入"


@dataclass
class PastItem:
    body: OrgUnit
    kind: str
    year: int
    number: int
    title: str
    content: str
    category: str
    proposer: object
    cosigners: list = field(default_factory=list)
    lead_unit: OrgUnit | None = None
    co_units: list = field(default_factory=list)
    submitted_at: dt.datetime | None = None
    replied_at: dt.datetime | None = None
    reply: str = ""
    classification: str = ""
    rating: str = ""
    public: bool = False


def _facts(p: Proposal) -> tuple:
    lead = next((a for a in p.assignments.all() if a.role == Assignment.Role.LEAD), None)
    reply = next(iter(p.replies.all()), None)
    return (
        p.title,
        p.content,
        p.category,
        p.proposer_id,
        sorted(c.user_id for c in p.cosigners.all()),
        getattr(lead, "unit_id", None),
        sorted(a.unit_id for a in p.assignments.all() if a.role == Assignment.Role.CO),
        p.submitted_at,
        p.replied_at,
        getattr(reply, "content", ""),
        getattr(reply, "classification", ""),
        p.rating,
        p.is_public,
    )


def _submitted(item: PastItem) -> dt.datetime:
    return item.submitted_at or dt.datetime(item.year, 1, 1, 9, tzinfo=dt.UTC)


def _wanted(item: PastItem) -> tuple:
    return (
        item.title,
        item.content,
        item.category,
        item.proposer.pk,
        sorted(u.pk for u in item.cosigners),
        getattr(item.lead_unit, "pk", None),
        sorted(u.pk for u in item.co_units),
        _submitted(item),
        item.replied_at if item.reply else None,
        item.reply,
        item.classification if item.reply else "",
        item.rating if item.reply else "",
        item.public,
    )


def _existing(item: PastItem) -> Proposal | None:
    return (
        Proposal.objects.filter(body=item.body, year=item.year, kind=item.kind, number=item.number)
        .prefetch_related("assignments", "replies", "cosigners")
        .first()
    )


@transaction.atomic
def record_past_item(*, actor, item: PastItem) -> tuple[str, Proposal]:
    """("created" | "updated" | "unchanged", the item). The caller checked the values and may import."""
    existing = _existing(item)
    if existing is not None and existing.source_note != HISTORY_SOURCE:
        raise Conflict(_("This number belongs to an item handled on the platform."), code="number_taken")
    if existing is not None and _facts(existing) == _wanted(item):
        return "unchanged", existing
    outcome = "created" if existing is None else "updated"
    before = None if existing is None else {"title": existing.title, "rating": existing.rating}
    proposal = existing or Proposal(body=item.body, kind=item.kind, year=item.year, number=item.number)
    if existing is not None:
        # The imported item's parts are rebuilt from the file (they were imported too; nothing else refers to them).
        Evaluation.objects.filter(proposal=existing).delete()
        Reply.objects.filter(proposal=existing).delete()
        for assignment in existing.assignments.all():
            assignment.delete()  # one by one: the roll-ups recount the days they leave
        CoSigner.objects.filter(proposal=existing).delete()
    _save(proposal, item)
    _parts(proposal, item)
    record(
        f"proposals.history.{'import' if outcome == 'created' else 'update'}",
        actor=actor,
        obj=proposal,
        org_unit=item.body,
        before=before,
        after={"reference": proposal.reference, "title": proposal.title, "rating": proposal.rating},
    )
    return outcome, proposal


def _save(proposal: Proposal, item: PastItem) -> None:
    submitted = _submitted(item)
    replied = item.replied_at if item.reply else None
    proposal.office = office_of(item.body)
    proposal.status = S.CLOSED
    proposal.proposer = item.proposer
    proposal.title, proposal.content, proposal.category = item.title, item.content, item.category
    proposal.source_note = HISTORY_SOURCE
    proposal.disclosure_consent = proposal.is_public = item.public
    proposal.published_at = (replied or submitted) if item.public else None
    proposal.rating = item.rating if item.reply else ""
    proposal.submitted_at = proposal.accepted_at = submitted
    proposal.assigned_at = submitted if item.lead_unit else None
    proposal.replied_at = replied
    proposal.closed_at = replied or submitted
    proposal.save()


def _parts(proposal: Proposal, item: PastItem) -> None:
    submitted, replied = proposal.submitted_at, proposal.replied_at
    CoSigner.objects.bulk_create(
        [
            CoSigner(proposal=proposal, user=u, status=CoSigner.Status.CONFIRMED, responded_at=submitted)
            for u in item.cosigners
        ]
    )
    lead = None
    for unit, role in [(item.lead_unit, Assignment.Role.LEAD)] + [(u, Assignment.Role.CO) for u in item.co_units]:
        if unit is None:
            continue
        is_lead = role == Assignment.Role.LEAD
        assignment = Assignment.objects.create(
            proposal=proposal, unit=unit, role=role, status=A.CLOSED, body=item.body, year=item.year,
            assigned_at=submitted, assigned_by=None, ended_at=replied or submitted,
            replied_at=replied if is_lead else None,
            classification=item.classification if is_lead and replied else "",
            rating=item.rating if is_lead and replied else "",
        )  # fmt: skip
        lead = assignment if is_lead else lead
    if lead is not None and item.reply:
        reply = Reply.objects.create(
            proposal=proposal, assignment=lead, round=1, content=item.reply, classification=item.classification,
            status=Reply.Status.SENT, sent_at=replied, signed_at=replied, is_public=item.public,
        )  # fmt: skip
        if item.rating:
            Evaluation.objects.create(
                proposal=proposal, reply=reply, round=1, rating=item.rating, by=item.proposer, at=replied
            )
    counter, _created = Counter.objects.get_or_create(body=item.body, year=item.year, kind=item.kind)
    Counter.objects.filter(pk=counter.pk).update(last=Greatest(F("last"), item.number))  # live numbers go on after
