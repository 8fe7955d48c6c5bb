"""What each side sees of a public message, decided once for the web pages and the API.

- the writer (by lookup code) and the public: status, the reply to them, the result, how it was passed on; never
  who handled it inside, the phone or the name; a public reply only once the office published it;
- the deputy, the answering unit, the department and the office: also the writer's name and phone (masked; the full
  number only to the office, who keeps it), the time limit and whether it was met, the public reply under review."""

from django.utils.translation import gettext as _

from lvzhi.core.masking import mask_phone

from . import permissions as perm
from .models import Letter

P = Letter.Publication


def target_name(letter: Letter) -> str:
    if letter.deputy_id:
        return _("Deputy %(name)s") % {"name": letter.deputy.real_name}
    if letter.station_id:
        return letter.station.name
    if letter.outlet_id:
        return f"{letter.outlet.name}（{letter.unit.name}）"
    return ""


def for_writer(letter: Letter) -> dict:
    return {
        "id": letter.pk,
        "lookup_code": letter.lookup_code,
        "target": letter.target,
        "to": target_name(letter),
        "kind": letter.kind,
        "kind_label": letter.get_kind_display(),
        "title": letter.title,
        "text": letter.text,
        "status": letter.status,
        "status_label": letter.get_status_display(),
        "reply": letter.reply,
        "result": letter.result,
        "reject_reason": letter.reject_reason,
        "passed_as": letter.passed_as,
        "passed_as_label": letter.get_passed_as_display() if letter.passed_as else "",
        "forwarded": letter.forwarded_to_id is not None,
        "public_reply": letter.public_reply if letter.publication == P.PUBLISHED else "",
        "created_at": letter.created_at,
        "answered_at": letter.answered_at,
        "ended_at": letter.ended_at,
    }


def present(user, letter: Letter) -> dict:
    view = for_writer(letter)
    if not perm.may_see(user, letter):
        return view
    office = perm.is_office(user, letter.body)
    view.update(
        {
            "handler": True,
            "unit": letter.unit.name,
            "writer_name": letter.writer_name,
            "phone": letter.phone if office else mask_phone(letter.phone),
            "via": letter.via,
            "due_at": letter.next_due_at,
            "answered_in_time": letter.answered_in_time,
            "forwarded_to": letter.forwarded_to.name if letter.forwarded_to_id else "",
            "passed_ref": letter.passed_ref,
            "publication": letter.publication,
            "publication_label": letter.get_publication_display(),
            "public_reply": letter.public_reply,
            "handled_by": letter.handled_by.real_name if letter.handled_by_id else "",
        }
    )
    return view


def public_entry(letter: Letter) -> dict:
    """One entry of the knowledge base: the question and the published reply, nothing about the writer."""
    return {
        "id": letter.pk,
        "title": letter.title,
        "text": letter.text,
        "kind_label": letter.get_kind_display(),
        "unit": letter.unit.name,
        "public_reply": letter.public_reply,
        "published_at": letter.published_at,
    }
