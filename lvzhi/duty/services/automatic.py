"""The one entry point through which other modules make a member's automatic duty records (S0-20, S3-6):

    from lvzhi.duty import services as duty
    duty.record_from_source(kind="post", member=user, source=comment, occurred_on=day)

- `kind`: "instruction" (a leader's 批示 on the member's public-opinion report or proposal: the opinions and
  proposals modules call it when they record one), "post" (a deliberation post: deliberation calls it), "study"
  (study time, `quantity` = whole hours: learning calls it), "training" (a completed course or an attended live
  lecture: learning calls it, with `organiser=` the unit that enters trainings when the body has no entry rule),
  "sign_in" (the first login of a day: the accounts sign-in hook below).
- `source`: the object the record comes from (a model instance) or its reference "<app>.<model>:<id>". One live
  record per (kind, source, member): calling again with the same quantity changes nothing (idempotent), a new
  quantity follows the source (see `sources.sync_source`), `quantity=0` takes the record back (withdrawn before
  review, cancelled by a correcting record after).
- `occurred_on`: the day it happened; its year is the duty year.

Sign-in days are a monthly tally (one record per member and month, quantity = days signed in, counted from the
content module's activity events), so a call for "sign_in" brings the month's tally up to date whatever `source`.

Returns the live record of that source after the call, or None (nothing to record: no quantity, a member of no
body, a body without the unit that enters the kind, or a published year — the caller's own step never fails
because of duty records).
"""

import datetime as dt
import logging

from django.db import transaction
from django.utils.translation import gettext as _

from lvzhi.accounts.models import MemberProfile
from lvzhi.content import services as content
from lvzhi.core.errors import ValidationFailed
from lvzhi.core.timeutil import local_date

from ..models import Kind, Outcome, Record
from .sources import LIVE, _key, sync_activity, sync_source

logger = logging.getLogger("lvzhi.duty")

# kind → (the duty record kind, the outcome); "instruction" takes its record kind from the source (below).
SOURCE_KINDS = {
    "instruction": (None, Outcome.INSTRUCTED),
    "post": (Kind.PLATFORM, Outcome.POST),
    "study": (Kind.PLATFORM, Outcome.STUDY),
    "sign_in": (Kind.PLATFORM, Outcome.SIGN_IN),
    "training": (Kind.TRAINING, Outcome.ATTENDED),  # learning: a completed course, an attended lecture (S3-5)
}
INSTRUCTION_KINDS = {
    "opinions.report": Kind.OPINION,
    "opinions.instruction": Kind.OPINION,
    "deliberation.followup": Kind.OPINION,  # a leader's instruction on the members' deliberation viewpoints
    "proposals.proposal": Kind.PROPOSAL,
}
QUANTITY_MAX = 1000
REF_MAX = 40  # + "#instruction" fits `Record.source_ref` (60), and the source key (80) is never cut


def source_ref_of(source) -> str:
    """ "<app>.<model>:<id>" for a model instance, or a given reference checked for that shape."""
    if hasattr(source, "_meta") and getattr(source, "pk", None) is not None:
        ref = f"{source._meta.label_lower}:{source.pk}"
    else:
        ref = str(source or "").strip()
    label, _sep, pk = ref.rpartition(":")
    if not label or "." not in label or not pk or len(ref) > REF_MAX or any(c.isspace() for c in ref):
        raise ValidationFailed(_("The source of an automatic record is not valid."), code="source_invalid")
    return ref


def _body_of(member, source, body):
    if body is not None:
        return body
    source_body = getattr(source, "body", None)
    if source_body is not None:
        return source_body
    profile = MemberProfile.objects.filter(user=member, is_active=True).select_related("body").first()
    return profile.body if profile else None


def _quantity(value) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= QUANTITY_MAX:
        raise ValidationFailed(
            _("The quantity must be a whole number from 0 to %(max)s.") % {"max": QUANTITY_MAX},
            code="quantity_invalid",
        )
    return value


@transaction.atomic
def record_from_source(
    *, kind: str, member, source, occurred_on: dt.date, quantity: int = 1, body=None, title: str = "", organiser=None
) -> Record | None:
    """Make (or bring up to date) the member's automatic record of `kind` from `source` (see the module)."""
    if kind not in SOURCE_KINDS:
        raise ValidationFailed(_("Unknown kind of automatic record."), code="source_kind_invalid")
    if isinstance(occurred_on, dt.datetime):
        occurred_on = local_date(occurred_on)
    if not isinstance(occurred_on, dt.date) or occurred_on > local_date():
        raise ValidationFailed(_("Give the day of the activity; it cannot be in the future."), code="day_invalid")
    quantity = _quantity(quantity)
    body = _body_of(member, source, body)
    if body is None:
        return None
    if kind == "sign_in":
        sync_activity(body=body, member=member, year=occurred_on.year, month=occurred_on.month)
        ref = f"platform:{body.pk}:{occurred_on.year}-{occurred_on.month:02d}"
        return _live(ref, Outcome.SIGN_IN, member)
    ref = source_ref_of(source)
    record_kind, outcome = SOURCE_KINDS[kind]
    if kind == "instruction":
        record_kind = INSTRUCTION_KINDS.get(ref.rpartition(":")[0], Kind.RESEARCH)
        ref = f"{ref}#instruction"  # its own reference: the report's own sync leaves it alone
    sync_source(
        source_ref=ref,
        body=body,
        member=member,
        kind=record_kind,
        day=occurred_on,
        title=(title or ref)[:100],
        organiser=organiser,
        outcomes={outcome.value: quantity} if quantity else {},
    )
    return _live(ref, outcome, member)


def _live(ref: str, outcome, member) -> Record | None:
    return Record.objects.filter(source_key=_key(ref, str(outcome), member.pk), status__in=LIVE).first()


def on_sign_in(sender=None, *, user, at, **kwargs) -> None:
    """The `accounts.signed_in` hook (registered in `duty.apps`): the member's month of sign-in days as a duty
    record. The day itself is recorded by the content module (idempotent, so the order of the listeners does not
    matter). A failure here is logged, never fails the login: `lvzhi duty sync` rebuilds the tallies."""

    try:
        if not MemberProfile.objects.filter(user=user, is_active=True).exists():
            return
        content.record_sign_in(actor=user, at=at)
        record_from_source(kind="sign_in", member=user, source=None, occurred_on=local_date(at))
    except Exception:  # noqa: BLE001 — the login has happened; the tally is rebuilt by `lvzhi duty sync`
        logger.exception("duty: the sign-in tally of user %s was not updated", getattr(user, "pk", None))
