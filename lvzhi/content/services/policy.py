"""S1-4.1: an interpretation names the policy documents it interprets. The host unit's drafters set the list at any
time before the item is withdrawn or archived (a published interpretation found without its document by the
monitor is fixed this way); every document must be a published policy document of the same body."""

from django.db import transaction
from django.utils.translation import gettext as _

from lvzhi.audit.services import record
from lvzhi.core.errors import Conflict, NotFound, ValidationFailed

from .. import permissions as perms
from .. import selectors_policy as policy
from ..models import Article, PolicyLink
from .publication import _live_changed

CLOSED = policy.CLOSED


def _ids(values) -> list[int]:
    if values is None:
        values = []
    if isinstance(values, (str, int)):
        values = [values]
    ids = []
    for value in values:
        try:
            number = int(str(value).strip())
        except (TypeError, ValueError):
            number = 0
        if not 0 < number < 2**63:
            raise ValidationFailed(
                _("Choose the policy documents from the list of this body's published policy documents."),
                code="policy_document_invalid",
            )
        if number not in ids:
            ids.append(number)
    return ids


@transaction.atomic
def set_policy_documents(*, actor, article, document_ids) -> list[Article]:
    """Replace the policy documents `article` (an interpretation) names; returns them in the order given."""
    locked = Article.objects.select_for_update(of=("self",)).select_related("column__disclosure_category")
    article = locked.get(pk=article.pk)
    if not perms.may_edit(actor, article):
        raise NotFound()
    if article.status in CLOSED:
        raise Conflict(_("A withdrawn or archived item can no longer be changed."), code="policy_link_closed")
    if not policy.is_interpretation(article):
        raise ValidationFailed(
            _("Only an item of a policy-interpretation column names policy documents."),
            code="policy_link_not_interpretation",
        )
    ids = _ids(document_ids)
    if len(ids) > policy.MAX_DOCUMENTS:
        raise ValidationFailed(
            _("An interpretation names at most %(n)s policy documents.") % {"n": policy.MAX_DOCUMENTS},
            code="policy_documents_too_many",
        )
    found = {d.pk: d for d in policy.published_documents(article.body_id).filter(pk__in=ids).exclude(pk=article.pk)}
    if len(found) != len(ids):
        raise ValidationFailed(
            _("Choose the policy documents from the list of this body's published policy documents."),
            code="policy_document_invalid",
        )
    before = policy.document_ids(article)
    if sorted(before) == sorted(ids):
        return [found[i] for i in ids]
    PolicyLink.objects.filter(interpretation=article).exclude(document_id__in=ids).delete()
    for document_id in ids:
        if document_id not in before:
            PolicyLink.objects.create(interpretation=article, document_id=document_id, created_by=actor)
    record(
        "content.article.policy_documents",
        actor=actor,
        obj=article,
        org_unit=article.unit,
        before={"documents": sorted(before)},
        after={"documents": sorted(ids)},
    )
    if article.is_live:
        _live_changed(article)  # the public pages of both articles show the link
    return [found[i] for i in ids]
