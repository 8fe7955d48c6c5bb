"""Reads for public disclosure: the items the office made public, as the portal shows them (personal data masked)."""

import re

from django.db.models import Prefetch, QuerySet

from lvzhi.core.masking import mask_id_card, mask_name, mask_phone

from .models import Assignment, Kind, Proposal, Reply
from .selectors import _int

A = Assignment.Status


# ---- public disclosure --------------------------------------------------------------------------------------

_PHONE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
_ID_CARD = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
_LANDLINE = re.compile(r"(?<!\d)0\d{2,3}-?\d{7,8}(?!\d)")


def mask_text(text: str) -> str:
    """Personal data in published text: mobile and landline numbers and ID-card numbers are masked."""
    text = _ID_CARD.sub(lambda m: mask_id_card(m.group(0)), text or "")
    text = _PHONE.sub(lambda m: mask_phone(m.group(0)), text)
    return _LANDLINE.sub(lambda m: m.group(0)[:4] + "****", text)


def public_feed(*, body_id=None, year=None, kind: str = "") -> QuerySet:
    """Items the office made public, newest disclosure first, with their public replies and handling units."""
    qs = Proposal.objects.filter(is_public=True).select_related("body", "proposer")
    if body_id:
        qs = qs.filter(body_id=_int(body_id))
    if year:
        qs = qs.filter(year=_int(year))
    if kind in Kind.values:
        qs = qs.filter(kind=kind)
    return qs.prefetch_related(
        Prefetch(
            "replies",
            queryset=Reply.objects.filter(is_public=True, status=Reply.Status.SENT)
            .select_related("assignment__unit")
            .order_by("round"),
            to_attr="public_replies",
        ),
        Prefetch(
            "assignments",
            queryset=Assignment.objects.exclude(status=A.TRANSFERRED).select_related("unit").order_by("role", "pk"),
            to_attr="current_assignments",
        ),
    ).order_by("-published_at", "-pk")


def public_item(p: Proposal) -> dict:
    """One item as the portal shows it: no contact data, the proposer's name masked, numbers in texts masked."""
    return {
        "id": p.pk,
        "reference": p.reference,
        "kind": p.kind,
        "kind_label": str(p.get_kind_display()),
        "body": p.body.name,
        "year": p.year,
        "session": p.session_name,
        "title": mask_text(p.title),
        "content": mask_text(p.content),
        "category": p.category,
        "keywords": p.keyword_list,
        "proposer": mask_name(p.proposer.real_name),
        "status": p.status,
        "status_label": str(p.get_status_display()),
        "lead_units": [a.unit.name for a in p.current_assignments if a.role == Assignment.Role.LEAD],
        "co_units": [a.unit.name for a in p.current_assignments if a.role == Assignment.Role.CO],
        "published_at": p.published_at.isoformat() if p.published_at else None,
        "replies": [
            {
                "round": r.round,
                "unit": r.assignment.unit.name,
                "classification": r.classification,
                "classification_label": str(r.get_classification_display()),
                "sent_at": r.sent_at.date().isoformat() if r.sent_at else None,
                "content": mask_text(r.content),
            }
            for r in p.public_replies
        ],
    }
