"""Limits and helpers shared by the proposals services: cleaning values, the people concerned, row locks."""

import re

from django.utils.translation import gettext as _

from lvzhi.accounts.models import MemberProfile
from lvzhi.core.errors import NotFound, ValidationFailed
from lvzhi.core.validation import clean_text
from lvzhi.duty.services import source_changed
from lvzhi.orgs.models import OrgUnit, UnitKind

from .. import permissions as perm
from ..models import Assignment, Proposal
from ..rules import rule
from ..workflows import PROPOSAL_FLOW

S = Proposal.Status


A = Assignment.Status


TITLE_MAX = 200


CONTENT_MAX = 20000


REASON_MAX = 500


NOTE_MAX = 1000


OPINION_MAX = 5000


KEYWORD_MAX_LEN = 12


SOURCE_MAX = 300


CO_UNITS_MAX = 10


_KEYWORD_SPLIT = re.compile(r"[\s,，;；、|]+")


def _clean(value, *, limit: int, code: str, required_message=None, multiline=False, label="") -> str:
    """`core.validation.clean_text` (codes `<code>_required|_too_long|_invalid`), required when `required_message`
    is given, which then words the missing case for the step at hand."""
    try:
        return clean_text(
            value, field=code, max_length=limit, label=label, required=required_message is not None, multiline=multiline
        )
    except ValidationFailed as exc:
        if required_message is not None and exc.code == f"{code}_required":
            raise ValidationFailed(required_message, code=exc.code) from None
        raise


def _reason(value, *, code="reason", message=None) -> str:
    return _clean(
        value,
        limit=REASON_MAX,
        code=code,
        required_message=message or _("Give a reason."),
        label=_("The reason"),
    )


def _title(value) -> str:
    return _clean(
        value,
        limit=TITLE_MAX,
        code="title",
        required_message=_("The title is required."),
        label=_("The title"),
    )


def _content(value) -> str:
    return _clean(
        value,
        limit=CONTENT_MAX,
        code="content",
        multiline=True,
        required_message=_("The content is required."),
        label=_("The content"),
    )


def parse_keywords(value, *, body) -> list[str]:
    """Keywords from a list or a string separated by spaces, commas or 、; unique, each at most 12 characters."""
    parts = value if isinstance(value, list | tuple) else _KEYWORD_SPLIT.split(str(value or ""))
    words = list(dict.fromkeys(w for w in (" ".join(str(p).split()).replace("|", "") for p in parts) if w))
    limit = rule(body, "proposals.keywords_max")
    if len(words) > limit:
        raise ValidationFailed(_("Give at most %(n)s keywords.") % {"n": limit}, code="too_many_keywords")
    for word in words:
        if len(word) > KEYWORD_MAX_LEN:
            raise ValidationFailed(
                _("A keyword may have at most %(n)s characters.") % {"n": KEYWORD_MAX_LEN}, code="keyword_too_long"
            )
    return words


def _stored_keywords(words: list[str]) -> str:
    return f"|{'|'.join(words)}|" if words else ""


def _category(value, *, body, required=False) -> str:
    value = " ".join(str(value or "").split())
    if not value:
        if required:
            raise ValidationFailed(_("Choose a category."), code="category_required")
        return ""
    if value not in rule(body, "proposals.categories"):
        raise ValidationFailed(_("Choose one of the body's categories."), code="unknown_category")
    return value


def _kind(value, *, body) -> str:
    if value not in perm.kinds_for(body):
        raise ValidationFailed(_("This kind of item cannot be submitted to this body."), code="wrong_kind")
    return value


def _delegation(unit, *, body, proposer) -> OrgUnit | None:
    """A bill in the name of a delegation: a delegation of the same body that the proposer belongs to."""
    if unit is None:
        return None
    if unit.kind != UnitKind.DELEGATION or unit.body_id != body.pk or not unit.is_active:
        raise ValidationFailed(_("Choose a deputy delegation of this congress."), code="wrong_delegation")
    profile = (
        MemberProfile.objects.filter(user=proposer, body=body, is_active=True).select_related("delegation").first()
    )
    own = profile.delegation if profile else None
    if own is None or not own.is_within(unit):
        raise ValidationFailed(
            _("You can submit a bill only in the name of your own delegation."), code="not_your_delegation"
        )
    return unit


def _link(proposal: Proposal) -> str:
    return PROPOSAL_FLOW.link(proposal)


def _snapshot(proposal: Proposal) -> dict:
    return {
        "kind": proposal.kind,
        "title_length": len(proposal.title),  # references and sizes only: no business text in the audit log
        "content_length": len(proposal.content),
        "category": proposal.category,
        "keywords_count": len(proposal.keyword_list),
        "disclosure_consent": proposal.disclosure_consent,
        "by_delegation": proposal.by_delegation_id,
    }


def _locked(proposal: Proposal) -> Proposal:
    locked = (
        Proposal.objects.select_for_update(of=("self",)).select_related("body", "office").filter(pk=proposal.pk).first()
    )
    if locked is None:
        raise NotFound()
    return locked


def duty_changed(proposal: Proposal) -> None:
    """The duty module's automatic records follow the item (seed 003, S3-6): called where its outcome changes."""
    source_changed(obj=proposal)
