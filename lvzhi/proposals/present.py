"""What a user is shown of an item, and which steps they may take on it — one answer for the web and the API."""

from django.utils import timezone

from . import actions as steps
from . import permissions as perm
from . import selectors
from .models import Assignment, CoSigner, Proposal, Reply, UnitRequest
from .rules import rule


def _dt(value):
    return value.isoformat() if value else None


def _deadline(d):
    if d is None:
        return None
    return {
        "kind": d.kind,
        "due_at": _dt(d.due_at),
        "last_day": d.last_day.isoformat(),
        "met_at": _dt(d.met_at),
        "overdue": d.met_at is None and d.due_at <= timezone.now(),
    }


def sees_internal(user, data: dict, available: dict) -> bool:
    """The office and the handling units see the internal parts: contacts, co-handling opinions, draft replies
    and the units' requests; the proposer and co-signers see what was sent to them."""
    return available["office"] or any(perm.works_at(user, a.unit) for a in data["assignments"])


def visible_cosigners(user, proposal: Proposal, cosigners) -> list:
    """Confirmed co-signers; the proposer and each invitee also see the pending and declined invitations."""
    proposer = perm.is_proposer(user, proposal)
    return [c for c in cosigners if c.status == CoSigner.Status.CONFIRMED or proposer or c.user_id == user.pk]


def visible_replies(replies, internal: bool) -> list:
    return [r for r in replies if r.status == Reply.Status.SENT or internal]


def _assignment_json(a: Assignment, steps, internal: bool) -> dict:
    return {
        "id": a.pk,
        "unit": {"id": a.unit_id, "name": a.unit.name},
        "role": a.role,
        "status": a.status,
        "assigned_at": _dt(a.assigned_at),
        "deadline": _deadline(a.main_deadline),
        "contacted_at": _dt(a.contacted_at),
        "extended": a.extended,
        "opinion": a.opinion if internal else "",
        "transferred_from": a.transferred_from_id,
        "actions": sorted(steps),
    }


def _reply_json(r: Reply) -> dict:
    evaluation = r.evaluation_row
    return {
        "id": r.pk,
        "round": r.round,
        "unit": r.assignment.unit.name,
        "classification": r.classification,
        "status": r.status,
        "content": r.content,
        "signed_by": r.signed_by.real_name if r.signed_by_id else None,
        "sent_at": _dt(r.sent_at),
        "evaluation": {"rating": evaluation.rating, "comment": evaluation.comment} if evaluation else None,
    }


def _event_json(e) -> dict:
    return {
        "at": _dt(e.at),
        "step": e.transition,
        "from": e.from_state,
        "to": e.to_state,
        "actor": e.actor.real_name if e.actor_id else None,
        "unit": e.unit.name if e.unit else None,
        "comment": e.comment,
    }


def detail_json(user, proposal: Proposal) -> dict:
    data = selectors.detail_data(proposal)
    available = steps.available(user, proposal, data)
    internal = sees_internal(user, data, available)
    proposer = proposal.proposer
    return {
        "id": proposal.pk,
        "reference": proposal.reference,
        "kind": proposal.kind,
        "status": proposal.status,
        "status_label": str(proposal.get_status_display()),
        "title": proposal.title,
        "content": proposal.content,
        "category": proposal.category,
        "keywords": proposal.keyword_list,
        "body": {"id": proposal.body_id, "name": proposal.body.name},
        "proposer": {
            "id": proposal.proposer_id,
            "name": proposer.real_name,
            "phone": proposer.phone if internal or perm.is_proposer(user, proposal) else None,
        },
        "by_delegation": proposal.by_delegation.name if proposal.by_delegation_id else None,
        "during_session": proposal.during_session,
        "session_name": proposal.session_name,
        "disclosure_consent": proposal.disclosure_consent,
        "source_note": proposal.source_note,
        "year": proposal.year,
        "submitted_at": _dt(proposal.submitted_at),
        "merged_into": proposal.merged_into_id,
        "merged": [{"id": m.pk, "title": m.title, "proposer": m.proposer.real_name} for m in data["merged"]],
        "converted_from": proposal.converted_from,
        "decision_note": proposal.decision_note,
        "key_supervision": proposal.key_supervision,
        "is_public": proposal.is_public,
        "rating": proposal.rating,
        "rehandle_count": proposal.rehandle_count,
        "deadlines": {k: _deadline(d) for k, d in data["proposal_deadlines"].items()},
        "cosigners": [
            {"user_id": c.user_id, "name": c.user.real_name, "status": c.status}
            for c in visible_cosigners(user, proposal, data["cosigners"])
        ],
        "assignments": [_assignment_json(a, available["units"].get(a.pk, ()), internal) for a in data["assignments"]],
        "replies": [_reply_json(r) for r in visible_replies(data["replies"], internal)],
        "requests": [request_json(r) for r in data["requests"]] if internal else [],
        "history": [_event_json(e) for e in data["events"]],
        "actions": sorted(available["item"]),
    }


def request_json(r: UnitRequest) -> dict:
    return {
        "id": r.pk,
        "proposal_id": r.proposal_id,
        "title": r.proposal.title,
        "unit": r.assignment.unit.name,
        "kind": r.kind,
        "status": r.status,
        "reason": r.reason,
        "requested_until": r.requested_until.isoformat() if r.requested_until else None,
        "suggested_unit": r.suggested_unit.name if r.suggested_unit_id else None,
        "created_at": _dt(r.created_at),
        "decision_note": r.decision_note,
    }


def assignment_json(a: Assignment) -> dict:
    due = getattr(a, "deadline_due_at", None)
    return {
        "id": a.pk,
        "proposal_id": a.proposal_id,
        "title": a.proposal.title,
        "reference": a.proposal.reference,
        "proposer": a.proposal.proposer.real_name,
        "unit": a.unit.name,
        "role": a.role,
        "status": a.status,
        "assigned_at": _dt(a.assigned_at),
        "due_at": _dt(due),
        "overdue": bool(due and due <= timezone.now()),
        "pending_request": getattr(a, "pending_request", None),
    }


def stats_json(stats: dict) -> dict:
    return {
        "body": {"id": stats["body"].pk, "name": stats["body"].name},
        "year": stats["year"],
        "items": stats["item_counts"],
        "transferred": stats["transferred"],
        "units": [{**row, "unit": {"id": row["unit_id"], "name": row["unit__name"]}} for row in stats["rows"]],
        "totals": stats["totals"],
    }


def due_soon_day(unit):
    return selectors.due_soon_limit(unit)


def rule_value(unit, key):
    return rule(unit, key)
