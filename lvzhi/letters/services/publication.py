"""Review before publication (S1-4.1, S2-30): whoever answers proposes a public reply; the body's office publishes
it or refuses. Published messages (their masked text and the public reply) form the question-and-answer knowledge
base, indexed in `lvzhi.search`. A restricted feature publishes nothing."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.audit.services import record
from lvzhi.core.errors import Conflict, NotFound, ValidationFailed
from lvzhi.core.validation import clean_text
from lvzhi.search import services as search

from .. import permissions as perm
from .. import rules
from ..models import FeatureControl, Letter
from .controls import control_of
from .writing import FEATURES

P = Letter.Publication
S = Letter.Status


def _locked(letter: Letter) -> Letter:
    return Letter.objects.select_for_update().select_related("body", "unit").get(pk=letter.pk)


@transaction.atomic
def propose_public_reply(*, actor, letter: Letter, public_reply: str) -> Letter:
    letter = _locked(letter)
    if not perm.may_see(actor, letter):
        raise NotFound()
    if not perm.may_propose_publication(actor, letter):
        raise NotFound()
    if letter.status not in (S.ANSWERED, S.PASSED_ON, S.CLOSED) or letter.publication == P.PUBLISHED:
        raise Conflict(_("A public reply can be proposed once the message is answered."), code="not_answered")
    letter.public_reply = clean_text(
        public_reply, field="public_reply", max_length=rules.REPLY_MAX, label=_("Public reply"), multiline=True
    )
    letter.publication = P.PENDING
    letter.save(update_fields=["public_reply", "publication"])
    record("letters.letter.propose_public", actor=actor, obj=letter, org_unit=letter.unit)
    return letter


@transaction.atomic
def review_publication(*, actor, letter: Letter, publish: bool) -> Letter:
    letter = _locked(letter)
    if not perm.may_see(actor, letter):
        raise NotFound()
    if not perm.may_publish(actor, letter):
        raise NotFound()
    if letter.publication != P.PENDING:
        raise Conflict(_("No public reply awaits review."), code="nothing_to_review")
    if publish and control_of(letter.body, FEATURES[letter.target]).state != FeatureControl.State.OPEN:
        raise ValidationFailed(_("This feature is restricted: nothing of it is published."), code="feature_restricted")
    letter.publication = P.PUBLISHED if publish else P.REFUSED
    letter.published_at = timezone.now() if publish else None
    letter.save(update_fields=["publication", "published_at"])
    if publish:
        search.index(letter, title=letter.title, text=f"{letter.text}\n{letter.public_reply}")
    else:
        search.remove(letter)
    record("letters.letter.publication", actor=actor, obj=letter, org_unit=letter.body, after={"publish": publish})
    return letter
