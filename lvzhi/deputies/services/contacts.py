"""Standing-committee members and deputies (S4-2.2.2): a member records a contact with a deputy (a visit or talk)
or puts a question, which the deputy answers. A visit counts at once, a question once answered, in both sides' duty
records (automatic records through `lvzhi.duty.services.sync_source`, reviewed like every automatic record)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.accounts.permissions import has_role
from lvzhi.accounts.roles import Role
from lvzhi.audit.services import record
from lvzhi.core.errors import Conflict, NotFound, ValidationFailed
from lvzhi.core.timeutil import local_date
from lvzhi.core.validation import clean_text
from lvzhi.duty import services as duty
from lvzhi.notify.services import notify

from .. import permissions as perm
from ..models import ContactRecord

K = ContactRecord.Kind


def _count_in_duty(contact: ContactRecord) -> None:
    ref = f"deputies.contact:{contact.pk}"
    title = _("Contact between a standing-committee member and a deputy")
    for person, body in (
        (contact.member, contact.body),
        (contact.deputy, contact.deputy.unit.body or contact.deputy.unit),
    ):
        duty.sync_source(
            source_ref=ref,
            body=body,
            member=person,
            kind="activity",
            day=contact.day,
            title=title,
            organiser=perm.office_of(body),
            outcomes={"attended": 1},
        )


@transaction.atomic
def record_contact(*, actor, body, deputy, kind: str, text: str, day=None) -> ContactRecord:
    if not perm.is_committee_member(actor, body):
        raise NotFound()
    if not (has_role(deputy, Role.DEPUTY) and deputy.unit_id and deputy.unit.is_within(body)):
        raise ValidationFailed(_("Choose a deputy of this body or of a body below it."), code="deputy_invalid")
    if kind not in K.values:
        raise ValidationFailed(_("Choose a visit or a question."), code="kind_invalid")
    day = day or local_date()
    if day > local_date():
        raise ValidationFailed(_("Give the day of the contact; it cannot be in the future."), code="day_invalid")
    contact = ContactRecord.objects.create(
        body=body,
        member=actor,
        deputy=deputy,
        kind=kind,
        day=day,
        text=clean_text(text, field="text", max_length=2000, label=_("Content"), multiline=True),
    )
    record("deputies.contact.record", actor=actor, obj=contact, org_unit=body, after={"kind": kind})
    if kind == K.VISIT:
        _count_in_duty(contact)
    notify(
        [deputy],
        title=_("%(name)s recorded a contact with you") % {"name": actor.real_name}
        if kind == K.VISIT
        else _("%(name)s asks you a question") % {"name": actor.real_name},
        link=f"/deputies/contacts/{contact.pk}/",
        event="deputies.contact.record",
        obj=contact,
    )
    return contact


@transaction.atomic
def reply_contact(*, actor, contact: ContactRecord, reply: str) -> ContactRecord:
    contact = ContactRecord.objects.select_for_update().select_related("member", "deputy", "body").get(pk=contact.pk)
    if contact.deputy_id != getattr(actor, "pk", None):
        raise NotFound()
    if contact.kind != K.QUESTION or contact.replied_at is not None:
        raise Conflict(_("This question has been answered already."), code="already_replied")
    contact.reply = clean_text(reply, field="reply", max_length=2000, label=_("Reply"), multiline=True)
    contact.replied_at = timezone.now()
    contact.save(update_fields=["reply", "replied_at"])
    record("deputies.contact.reply", actor=actor, obj=contact, org_unit=contact.body)
    _count_in_duty(contact)
    notify(
        [contact.member],
        title=_("%(name)s answered your question") % {"name": actor.real_name},
        link=f"/deputies/contacts/{contact.pk}/",
        event="deputies.contact.reply",
        obj=contact,
    )
    return contact
