"""Giving feedback (S0-30, S3-14): signed in, it goes to the information office of the user's body; without signing
in, to the body the visitor chooses, with an optional phone number (kept SM4-encrypted) and a lookup code. Every
text is screened: secrecy terms and adverts are refused (and reported as an incident); visitors are rate-limited
per IP address in the shared cache, so every app server counts the same hits."""

from django.db import transaction
from django.utils.translation import gettext as _

from lvzhi.core.cache import hit
from lvzhi.core.errors import RateLimited, ValidationFailed
from lvzhi.core.validation import clean_mobile, clean_text
from lvzhi.notify.services import notify
from lvzhi.screening import services as screening
from lvzhi.workflow import services as wf
from lvzhi.workflow.selectors import users_with_roles

from .. import permissions as perm
from .. import rules
from ..models import Feedback
from ..workflows import FEEDBACK_FLOW, information_office

S = Feedback.Status


def _page(value) -> str:
    page = clean_text(value or "", field="page", max_length=rules.PAGE_MAX, label=_("Page"), required=False)
    return page if page.startswith("/") else ""  # a path on this site, nothing else


@transaction.atomic
def give_feedback(*, actor, kind: str, text: str, page: str = "", body=None, phone: str = "", ip: str = "") -> Feedback:
    signed_in = bool(getattr(actor, "is_authenticated", False))
    if not perm.may_give(actor):
        raise ValidationFailed(_("Administrators report problems through the security channel."), code="not_allowed")
    if kind not in Feedback.Kind.values:
        raise ValidationFailed(_("Choose what the feedback is about."), code="kind_invalid")
    body_text = clean_text(text, field="text", max_length=rules.TEXT_MAX, label=_("Your feedback"), multiline=True)
    if signed_in:
        body = actor.unit.body if actor.unit_id else None
        phone = ""
    elif phone:
        phone = clean_mobile(phone, field="phone", required=False)
    if body is None:
        raise ValidationFailed(_("Choose whom the feedback is for."), code="body_required")
    findings = screening.scan(body_text, body=body)
    if screening.has_blocking(findings):
        screening.report_blocked(actor=actor if signed_in else None, findings=findings, org_unit=body)
        raise ValidationFailed(
            _("The feedback contains words that may not be sent (secret or advertising terms)."), code="text_blocked"
        )
    if not signed_in and hit(f"feedback:ip:{ip or '-'}", window_seconds=3600) > rules.PUBLIC_PER_IP_PER_HOUR:
        raise RateLimited(_("Too much feedback from this address; please try again in an hour."), code="rate_limited")
    feedback = Feedback.objects.create(
        body=body,
        author=actor if signed_in else None,
        contact_phone=phone,
        kind=kind,
        page=_page(page),
        text=screening.mask(body_text, findings),  # personal data the visitor typed is kept masked
    )
    wf.start(
        feedback,
        actor=actor if signed_in else None,
        workflow=FEEDBACK_FLOW,
        event="give",
        audit_after={"kind": kind, "signed_in": signed_in},
    )
    office = information_office(feedback)
    notify(
        users_with_roles(office, FEEDBACK_FLOW.starts[0].notify_roles),
        title=_("New feedback: %(kind)s") % {"kind": feedback.get_kind_display()},
        link=f"/feedback/{feedback.pk}/",
        event="feedback.give",
        obj=feedback,
    )
    return feedback
