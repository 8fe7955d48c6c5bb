"""What a user is shown of a record, an objection or their own year — one answer for the web and the API."""

from django.utils.translation import gettext as _

from lvzhi.core.links import object_url
from lvzhi.workflow.selectors import history_of

from .models import Kind, Outcome


def rule_text(record) -> str:
    if record.rule_id is None:
        return _("No rule: no points") if record.outcome != Outcome.CANCELLED else _("Cancels the corrected record")
    return _("%(points)s points each × %(quantity)s") % {"points": record.rule.points, "quantity": record.quantity}


def record_rows(records) -> list[dict]:
    """The rows of a records table (我的履职, a member's page): every field the row shows, worked out here rather
    than by filters and tags in the template (issue 12: a row of tags costs hundreds of calls)."""
    rows = []
    for r in records:
        rows.append(
            {
                "pk": r.pk,
                "url": object_url("duty:record", r.pk),
                "day": r.day.strftime("%m-%d"),
                "title": r.title,
                "kind": r.get_kind_display(),
                "outcome": r.get_outcome_display(),
                "quantity": r.quantity if r.quantity != 1 else None,
                "source": r.get_source_display(),
                "counted": r.status == "counted",
                "objectable": r.status in ("counted", "pending"),
                "points": r.points,
                "rule": f"{r.rule.points} × {r.quantity}" if r.rule_id else "—",
                "status": r.get_status_display(),
            }
        )
    return rows


def record_dict(record) -> dict:
    return {
        "id": record.pk,
        "kind": record.kind,
        "kind_label": str(Kind(record.kind).label),
        "outcome": record.outcome,
        "outcome_label": str(Outcome(record.outcome).label),
        "quantity": record.quantity,
        "title": record.title,
        "day": record.day.isoformat(),
        "status": record.status,
        "status_label": str(record.get_status_display()),
        "source": record.source,
        "source_ref": record.source_ref,
        "points": record.points,
        "counts": record.status == "counted",
        "rule": rule_text(record),
        "unit": record.unit.name,
        "organiser": record.organiser.name,
        "corrects": record.corrects_id,
        "review_due_at": record.next_due_at.isoformat() if record.next_due_at else None,
    }


def record_detail(user, record, actions) -> dict:
    return {
        **record_dict(record),
        "member": record.member.real_name,
        "entered_by": record.entered_by.real_name if record.entered_by_id else _("the platform"),
        "reviewed_by": record.reviewed_by.real_name if record.reviewed_by_id else "",
        "on_time": record.on_time,
        "actions": [a.name for a in actions],
        "history": [
            {
                "step": e.transition,
                "to": e.to_state,
                "at": e.at.isoformat(),
                "by": e.actor.real_name if e.actor_id else "",
            }
            for e in history_of(record).select_related("actor")
        ],
    }


def objection_dict(obj) -> dict:
    return {
        "id": obj.pk,
        "target": obj.target,
        "target_label": str(obj.get_target_display()),
        "record": obj.record_id,
        "unit": obj.unit.name,
        "text": obj.text,
        "status": obj.status,
        "status_label": str(obj.get_status_display()),
        "answer": obj.answer,
        "due_at": obj.next_due_at.isoformat() if obj.next_due_at else None,
        "answered_at": obj.answered_at.isoformat() if obj.answered_at else None,
        "correction": obj.correction_id,
    }


def my_year_dict(data: dict) -> dict:
    my = data["my"]
    return {
        "year": my.year,
        "total": my.total,
        "ranks": {k: {"rank": v[0], "of": v[1]} for k, v in data["ranks"].items()},
        "records": [record_dict(r) for r in data["records"]],
        "trend": [{"month": m, "points": p} for m, p in data["trend"]],
        "objections": [objection_dict(o) for o in data["objections"]],
    }
