"""Drafting: creating a draft (also from a public-opinion report) and editing it."""

from django.db import transaction
from django.utils.translation import gettext as _

from lvzhi.accounts.permissions import may_read_business_content
from lvzhi.audit.services import record
from lvzhi.core.errors import Conflict, NotFound, ValidationFailed
from lvzhi.core.timeutil import local_date
from lvzhi.notify.services import notify
from lvzhi.orgs.models import OrgUnit
from lvzhi.workflow.services import start

from .. import permissions as perm
from ..models import Kind, Proposal
from ..workflows import PROPOSAL_FLOW
from .common import (
    CONTENT_MAX,
    SOURCE_MAX,
    TITLE_MAX,
    S,
    _category,
    _clean,
    _content,
    _delegation,
    _kind,
    _link,
    _locked,
    _office_of,
    _snapshot,
    _stored_keywords,
    _title,
    parse_keywords,
)


@transaction.atomic
def create_draft(
    *,
    actor,
    body: OrgUnit,
    kind: str,
    title: str,
    content: str,
    category: str = "",
    keywords=(),
    disclosure_consent: bool = False,
    by_delegation: OrgUnit | None = None,
    source_note: str = "",
    proposer=None,
) -> Proposal:
    """A new draft of `proposer` (the actor by default), a deputy or member of `body`."""
    proposer = proposer or actor
    if body is None or not body.is_body:
        raise ValidationFailed(_("Choose the body to submit to."), code="body_required")
    if not perm.user_is_member_of(proposer, body):
        raise ValidationFailed(_("Only deputies or members of this body can submit items to it."), code="not_a_member")
    kind = _kind(kind, body=body)
    words = parse_keywords(keywords, body=body)
    proposal = Proposal.objects.create(
        body=body,
        office=_office_of(body),
        kind=kind,
        proposer=proposer,
        by_delegation=_delegation(by_delegation, body=body, proposer=proposer) if kind == Kind.BILL else None,
        title=_title(title),
        content=_content(content),
        category=_category(category, body=body),
        keywords=_stored_keywords(words),
        disclosure_consent=bool(disclosure_consent),
        source_note=_clean(source_note, limit=SOURCE_MAX, code="source"),
        year=local_date().year,
    )
    start(proposal, actor=actor, workflow=PROPOSAL_FLOW, event="draft", audit_after=_snapshot(proposal))
    return proposal


@transaction.atomic
def draft_from_report(*, actor, proposer, title: str, body: str, source_note: str) -> Proposal:
    """A draft proposal (CPPCC) or suggestion (congress) for `proposer`, made from a public-opinion report (S0-17).

    `body` is the report's text. The draft goes to the body where the proposer is a member (a CPPCC committee
    first, their own unit's body first); the proposer is told and decides whether to submit it.
    """
    if actor is not None and not may_read_business_content(actor):
        raise NotFound()
    bodies = perm.bodies_of(proposer)
    if not bodies:
        raise ValidationFailed(
            _("The author is not a deputy or member of a body; no draft can be made."), code="not_a_member"
        )
    own_body = proposer.unit.body_id if proposer.unit_id else None
    bodies.sort(key=lambda b: (b.pk != own_body, b.body_type != "cppcc", b.path))
    target = bodies[0]
    kind = Kind.PROPOSAL if target.body_type == "cppcc" else Kind.SUGGESTION
    text = str(body or "").strip()
    if len(text) > CONTENT_MAX:
        raise ValidationFailed(
            _("The content may have at most %(n)s characters.") % {"n": CONTENT_MAX}, code="content_too_long"
        )
    proposal = create_draft(
        actor=actor,
        proposer=proposer,
        body=target,
        kind=kind,
        title=" ".join(str(title or "").split())[:TITLE_MAX],
        content=text,
        source_note=" ".join(str(source_note or "").split())[:SOURCE_MAX],
    )
    if actor is None or actor.pk != proposer.pk:
        notify(
            [proposer],
            title=_("A draft was prepared from your report: %(title)s") % {"title": proposal.title},
            body=_("Check it, add co-signers if you wish, and submit it."),
            link=_link(proposal),
            event="proposals.proposal.draft_from_report",
            obj=proposal,
        )
    return proposal


@transaction.atomic
def update_draft(
    *,
    actor,
    proposal: Proposal,
    title: str,
    content: str,
    category: str = "",
    keywords=(),
    disclosure_consent: bool = False,
    by_delegation: OrgUnit | None = None,
    kind: str | None = None,
) -> Proposal:
    proposal = _locked(proposal)
    if not perm.is_proposer(actor, proposal):
        raise NotFound()
    if proposal.status != S.DRAFT:
        raise Conflict(_("Only a draft can be changed."), code="not_a_draft")
    before = _snapshot(proposal)
    kind = _kind(kind or proposal.kind, body=proposal.body)
    proposal.kind = kind
    proposal.title = _title(title)
    proposal.content = _content(content)
    proposal.category = _category(category, body=proposal.body)
    proposal.keywords = _stored_keywords(parse_keywords(keywords, body=proposal.body))
    proposal.disclosure_consent = bool(disclosure_consent)
    proposal.by_delegation = (
        _delegation(by_delegation, body=proposal.body, proposer=actor) if kind == Kind.BILL else None
    )
    proposal.save(
        update_fields=[
            "kind",
            "title",
            "content",
            "category",
            "keywords",
            "disclosure_consent",
            "by_delegation",
            "updated_at",
        ]
    )
    record(
        "proposals.proposal.edit",
        actor=actor,
        obj=proposal,
        org_unit=proposal.body,
        before=before,
        after=_snapshot(proposal),
    )
    return proposal
