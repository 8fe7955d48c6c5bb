"""Every write on bills, suggestions and proposals. Each validates, saves, audits and notifies in one transaction.

State changes go through `lvzhi.workflow.services.transition` (which locks the row, checks the state and the
permission — of two clerks acting at once exactly one succeeds —, records the history, opens and closes the
deadlines and audits `<workflow>.<step>`); the other writes audit `proposals.<thing>.<verb>` themselves.
"""

import datetime as dt
import re

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.accounts.models import MemberProfile, User
from lvzhi.accounts.permissions import has_role, may_read_business_content
from lvzhi.accounts.roles import Role
from lvzhi.audit.services import record
from lvzhi.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from lvzhi.core.timeutil import local_date, start_of_day
from lvzhi.notify.services import notify
from lvzhi.orgs.models import OrgUnit, UnitFunction, UnitKind
from lvzhi.orgs.selectors import unit_by_function
from lvzhi.workdays import calendar
from lvzhi.workflow.selectors import deadline_of, users_with_roles
from lvzhi.workflow.services import start, transition

from . import permissions as perm
from .models import (
    Assignment,
    Classification,
    Contact,
    CoSigner,
    Counter,
    Evaluation,
    Kind,
    Proposal,
    Rating,
    Reply,
    UnitRequest,
)
from .rules import rule
from .workflows import CO_FLOW, EVALUATE, LEAD_FLOW, OPINION, PROPOSAL_FLOW, REPLY, flow_for

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


# ---- values ------------------------------------------------------------------------------------------------


def _clean(value, *, limit: int, required_message=None, code: str, too_long_message=None, multiline=False) -> str:
    text = str(value or "")
    text = text.strip() if multiline else " ".join(text.split())
    if multiline:
        text = text.replace("\r\n", "\n")
    if not text and required_message is not None:
        raise ValidationFailed(required_message, code=f"{code}_required")
    if len(text) > limit:
        message = too_long_message or _("The text may have at most %(n)s characters.") % {"n": limit}
        raise ValidationFailed(message, code=f"{code}_too_long")
    return text


def _reason(value, *, code="reason", message=None) -> str:
    return _clean(
        value,
        limit=REASON_MAX,
        code=code,
        required_message=message or _("Give a reason."),
        too_long_message=_("The reason may have at most %(n)s characters.") % {"n": REASON_MAX},
    )


def _title(value) -> str:
    return _clean(
        value,
        limit=TITLE_MAX,
        code="title",
        required_message=_("The title is required."),
        too_long_message=_("The title may have at most %(n)s characters.") % {"n": TITLE_MAX},
    )


def _content(value) -> str:
    return _clean(
        value,
        limit=CONTENT_MAX,
        code="content",
        multiline=True,
        required_message=_("The content is required."),
        too_long_message=_("The content may have at most %(n)s characters.") % {"n": CONTENT_MAX},
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


def _office_of(body) -> OrgUnit | None:
    return unit_by_function(body, UnitFunction.PROPOSALS_OFFICE)


def office_people(proposal: Proposal) -> list:
    return users_with_roles(proposal.office, perm.OFFICE_ROLES) if proposal.office_id else []


def unit_people(unit) -> list:
    return users_with_roles(unit, perm.UNIT_ROLES)


def _proposer_side(proposal: Proposal) -> list:
    """The proposer and the confirmed co-signers: who hears of decisions on the item."""
    cosigners = User.objects.filter(
        cosigned__proposal=proposal, cosigned__status=CoSigner.Status.CONFIRMED, is_active=True
    )
    return [proposal.proposer, *cosigners]


def _link(proposal: Proposal) -> str:
    return PROPOSAL_FLOW.link(proposal)


def _snapshot(proposal: Proposal) -> dict:
    return {
        "kind": proposal.kind,
        "title": proposal.title,
        "category": proposal.category,
        "keywords": proposal.keyword_list,
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


# ---- drafting ----------------------------------------------------------------------------------------------


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


@transaction.atomic
def invite_cosigner(*, actor, proposal: Proposal, user: User) -> CoSigner:
    """Invite a deputy or member of the same body to co-sign; they confirm in the app."""
    proposal = _locked(proposal)
    if not perm.is_proposer(actor, proposal):
        raise NotFound()
    if proposal.status != S.DRAFT:
        raise Conflict(_("Co-signers can be invited only while the item is a draft."), code="not_a_draft")
    if user is None:
        raise ValidationFailed(_("Enter the mobile number or the name of the co-signer."), code="cosigner_required")
    if user.pk == proposal.proposer_id:
        raise ValidationFailed(_("You are the proposer; you cannot also co-sign."), code="cosigner_is_proposer")
    if not perm.user_is_member_of(user, proposal.body):
        from .selectors import _not_member_message

        raise ValidationFailed(_not_member_message(proposal.body), code="cosigner_not_member")
    if CoSigner.objects.filter(proposal=proposal, user=user).exists():
        raise Conflict(
            _("%(name)s was already invited to co-sign this item.") % {"name": user.real_name},
            code="cosigner_twice",
        )
    try:
        with transaction.atomic():
            cosigner = CoSigner.objects.create(proposal=proposal, user=user)
    except IntegrityError:
        raise Conflict(
            _("%(name)s was already invited to co-sign this item.") % {"name": user.real_name},
            code="cosigner_twice",
        )
    record("proposals.cosigner.invite", actor=actor, obj=proposal, org_unit=proposal.body, after={"user": user.pk})
    notify(
        [user],
        title=_("%(name)s asks you to co-sign: %(title)s") % {"name": actor.real_name, "title": proposal.title},
        body=_("Open it to confirm or decline."),
        link=_link(proposal),
        event="proposals.cosigner.invite",
        obj=proposal,
    )
    return cosigner


@transaction.atomic
def remove_cosigner(*, actor, proposal: Proposal, user_id: int) -> None:
    proposal = _locked(proposal)
    if not perm.is_proposer(actor, proposal):
        raise NotFound()
    if proposal.status != S.DRAFT:
        raise Conflict(_("Co-signers can be changed only while the item is a draft."), code="not_a_draft")
    deleted, _rows = CoSigner.objects.filter(proposal=proposal, user_id=user_id).delete()
    if not deleted:
        raise NotFound()
    record("proposals.cosigner.remove", actor=actor, obj=proposal, org_unit=proposal.body, before={"user": user_id})


@transaction.atomic
def respond_cosign(*, actor, proposal: Proposal, confirm: bool) -> CoSigner:
    """The invited deputy or member confirms (counts as co-signer) or declines."""
    proposal = _locked(proposal)
    cosigner = CoSigner.objects.select_for_update().filter(proposal=proposal, user=actor).first()
    if cosigner is None or not may_read_business_content(actor):
        raise NotFound()
    if proposal.status != S.DRAFT:
        raise Conflict(_("The item was already submitted or withdrawn."), code="not_a_draft")
    if cosigner.status != CoSigner.Status.INVITED:
        raise Conflict(_("You have already answered this invitation."), code="cosign_answered")
    if confirm and not perm.user_is_member_of(actor, proposal.body):
        raise ValidationFailed(_("Only deputies or members of this body can co-sign."), code="cosigner_not_member")
    cosigner.status = CoSigner.Status.CONFIRMED if confirm else CoSigner.Status.DECLINED
    cosigner.responded_at = timezone.now()
    cosigner.save(update_fields=["status", "responded_at"])
    record(
        "proposals.cosigner.confirm" if confirm else "proposals.cosigner.decline",
        actor=actor,
        obj=proposal,
        org_unit=proposal.body,
        before={"status": CoSigner.Status.INVITED},
        after={"status": cosigner.status},
    )
    title = _("%(name)s co-signs: %(title)s") if confirm else _("%(name)s declined to co-sign: %(title)s")
    notify(
        [proposal.proposer],
        title=title % {"name": actor.real_name, "title": proposal.title},
        link=_link(proposal),
        event="proposals.cosigner.answer",
        obj=proposal,
    )
    return cosigner


def signer_count(proposal: Proposal) -> int:
    """The proposer and the confirmed co-signers."""
    return 1 + proposal.cosigners.filter(status=CoSigner.Status.CONFIRMED).count()


@transaction.atomic
def submit(*, actor, proposal: Proposal) -> Proposal:
    """Submit a draft to the body's proposals office (S4-2.2.4). Checks the body's rules for the kind of item."""
    proposal = _locked(proposal)
    if not perm.is_proposer(actor, proposal):
        raise NotFound()
    body = proposal.body
    if not perm.is_member_of(actor, body):
        raise PermissionDenied(_("You are no longer a deputy or member of this body."), code="not_a_member")
    if proposal.status != S.DRAFT:
        raise Conflict(_("The item was already submitted."), code="transition_not_allowed")
    office = proposal.office or _office_of(body)
    if office is None:
        raise ValidationFailed(
            _("This body has no proposals office yet; please contact its general office."), code="no_office"
        )
    _category(proposal.category, body=body, required=True)
    in_session = rule(body, "proposals.in_session")
    if proposal.kind == Kind.BILL:
        if rule(body, "proposals.bill_needs_session") and not in_session:
            raise ValidationFailed(
                _("Bills can be submitted only during the session; submit it as a suggestion instead."),
                code="bill_outside_session",
            )
        needed = rule(body, "proposals.bill_min_signers")
        by_delegation = proposal.by_delegation_id is not None and rule(body, "proposals.bill_by_delegation")
        if not by_delegation and signer_count(proposal) < needed:
            raise ValidationFailed(
                _("A bill needs %(n)s deputies (you included) or a delegation; %(have)s have confirmed so far.")
                % {"n": needed, "have": signer_count(proposal)},
                code="not_enough_signers",
            )
    now = timezone.now()
    signers = signer_count(proposal)
    done = transition(
        proposal,
        "submit",
        actor=actor,
        workflow=PROPOSAL_FLOW,
        changes={
            "office": office,
            "submitted_at": now,
            "year": local_date(now).year,
            "during_session": bool(in_session),
            "session_name": rule(body, "proposals.session_name")[:80],
        },
        audit_after={"signers": signers, "during_session": bool(in_session)},
    )
    # Invitations nobody answered lapse with the submission.
    CoSigner.objects.filter(proposal=done, status=CoSigner.Status.INVITED).update(
        status=CoSigner.Status.DECLINED, responded_at=now
    )
    notify(
        [u for u in office_people(done) if u.pk != actor.pk],
        title=_("New %(kind)s to review: %(title)s") % {"kind": done.get_kind_display(), "title": done.title},
        link=_link(done),
        event="proposals.proposal.submit",
        obj=done,
    )
    return done


@transaction.atomic
def withdraw(*, actor, proposal: Proposal, reason: str = "") -> Proposal:
    reason = _clean(reason, limit=REASON_MAX, code="reason")
    done = transition(
        proposal, "withdraw", actor=actor, workflow=PROPOSAL_FLOW, comment=reason, changes={"closed_at": timezone.now()}
    )
    if proposal.status == S.SUBMITTED:
        notify(
            office_people(done),
            title=_("Withdrawn by the proposer: %(title)s") % {"title": done.title},
            body=reason,
            link=_link(done),
            event="proposals.proposal.withdraw",
            obj=done,
        )
    return done


# ---- review (审查/立案) -------------------------------------------------------------------------------------


def _next_number(body, year: int, kind: str) -> int:
    counter, _created = Counter.objects.get_or_create(body=body, year=year, kind=kind)
    Counter.objects.filter(pk=counter.pk).update(last=F("last") + 1)
    return Counter.objects.values_list("last", flat=True).get(pk=counter.pk)


@transaction.atomic
def accept(*, actor, proposal: Proposal, note: str = "") -> Proposal:
    """Accept (立案) a submitted item; it gets its registration number. Of two clerks at once, one wins."""
    note = _clean(note, limit=REASON_MAX, code="note")
    locked = _locked(proposal)  # first: the second clerk waits here, then sees the item accepted
    if not perm.may_review(actor, locked):
        raise PermissionDenied() if perm.may_view(actor, locked) else NotFound()
    if locked.status != S.SUBMITTED:
        raise Conflict(
            _("This step is not possible in the current state; the case may have been handled meanwhile."),
            code="transition_not_allowed",
        )
    number = _next_number(locked.body, locked.year, locked.kind)
    done = transition(
        locked,
        "accept",
        actor=actor,
        workflow=PROPOSAL_FLOW,
        comment=note,
        changes={"number": number, "accepted_at": timezone.now(), "decision_note": note},
        audit_after={"number": number},
    )
    notify(
        _proposer_side(done),
        title=_("Accepted: %(title)s") % {"title": done.title},
        body=_("Registered as %(ref)s; it will be assigned to the handling units.") % {"ref": done.reference},
        link=_link(done),
        event="proposals.proposal.accept",
        obj=done,
    )
    return done


@transaction.atomic
def not_accept(*, actor, proposal: Proposal, reason: str) -> Proposal:
    reason = _reason(reason, message=_("Give the reason for not accepting the item."))
    done = transition(
        proposal,
        "not_accept",
        actor=actor,
        workflow=PROPOSAL_FLOW,
        comment=reason,
        changes={"decision_note": reason, "closed_at": timezone.now()},
        audit_after={"reason": reason},
    )
    notify(
        _proposer_side(done),
        title=_("Not accepted: %(title)s") % {"title": done.title},
        body=reason,
        link=_link(done),
        event="proposals.proposal.not_accept",
        obj=done,
    )
    return done


MERGE_TARGET_STATES = (S.SUBMITTED, S.ACCEPTED, S.HANDLING)


@transaction.atomic
def merge(*, actor, proposal: Proposal, into: Proposal, note: str = "") -> Proposal:
    """Merge a submitted item into a similar one of the same body (并案); both proposers are told."""
    note = _clean(note, limit=REASON_MAX, code="note")
    if into is None or into.pk == proposal.pk:
        raise ValidationFailed(_("Choose another item to merge into."), code="merge_into_itself")
    target = Proposal.objects.select_for_update().filter(pk=into.pk).first()
    if target is None or target.body_id != proposal.body_id or not perm.may_review(actor, target):
        raise ValidationFailed(_("Choose an item of the same body to merge into."), code="merge_other_body")
    if target.kind != proposal.kind:
        raise ValidationFailed(_("Only items of the same kind can be merged."), code="merge_other_kind")
    if target.status not in MERGE_TARGET_STATES:
        raise ValidationFailed(
            _("The item to merge into must be under review, accepted or being handled."), code="merge_target_state"
        )
    done = transition(
        proposal,
        "merge",
        actor=actor,
        workflow=PROPOSAL_FLOW,
        comment=note,
        changes={"merged_into": target, "decision_note": note, "closed_at": timezone.now()},
        audit_after={"merged_into": target.pk},
    )
    record(
        "proposals.proposal.merged_in",
        actor=actor,
        obj=target,
        org_unit=target.body_id,
        after={"merged": done.pk},
    )
    notify(
        _proposer_side(done),
        title=_("Merged with a similar item: %(title)s") % {"title": done.title},
        body=_("Your item was merged into “%(other)s” and is handled with it; you will see its reply.")
        % {"other": target.title},
        link=_link(target),
        event="proposals.proposal.merge",
        obj=done,
    )
    notify(
        _proposer_side(target),
        title=_("A similar item was merged into yours: %(title)s") % {"title": target.title},
        body=_("“%(other)s” by %(name)s is handled together with your item.")
        % {"other": done.title, "name": done.proposer.real_name},
        link=_link(target),
        event="proposals.proposal.merge",
        obj=target,
    )
    return done


@transaction.atomic
def convert(*, actor, proposal: Proposal, reason: str) -> Proposal:
    """A bill that does not qualify is handled as a suggestion (Deputies Law); a proposal or suggestion that does
    not qualify is turned into an opinion letter (转为意见/来信) for the units' reference."""
    reason = _reason(reason, message=_("Give the reason for the conversion."))
    if proposal.kind == Kind.BILL:
        done = transition(
            proposal,
            "convert_to_suggestion",
            actor=actor,
            workflow=PROPOSAL_FLOW,
            comment=reason,
            changes={"kind": Kind.SUGGESTION, "converted_from": Kind.BILL, "decision_note": reason},
            audit_before={"kind": Kind.BILL},
            audit_after={"kind": Kind.SUGGESTION, "reason": reason},
        )
        title = _("Your bill will be handled as a suggestion: %(title)s")
    else:
        done = transition(
            proposal,
            "convert",
            actor=actor,
            workflow=PROPOSAL_FLOW,
            comment=reason,
            changes={"decision_note": reason, "closed_at": timezone.now()},
            audit_after={"reason": reason},
        )
        title = _("Turned into an opinion letter: %(title)s")
    notify(
        _proposer_side(done),
        title=title % {"title": done.title},
        body=reason,
        link=_link(done),
        event="proposals.proposal.convert",
        obj=done,
    )
    return done


# ---- assignment (交办) --------------------------------------------------------------------------------------


def _handling_unit(unit) -> OrgUnit:
    if unit is None or unit.kind != UnitKind.HANDLING_UNIT or not unit.is_active:
        raise ValidationFailed(_("Choose an active handling unit."), code="not_a_handling_unit")
    return unit


def _open_assignment(actor, proposal, unit, role, *, now, transferred_from=None) -> Assignment:
    try:
        with transaction.atomic():
            assignment = Assignment.objects.create(
                proposal=proposal,
                unit=unit,
                role=role,
                body_id=proposal.body_id,
                year=proposal.year,
                assigned_at=now,
                assigned_by=actor,
                transferred_from=transferred_from,
            )
    except IntegrityError:
        raise ValidationFailed(
            _("%(unit)s already handles this item.") % {"unit": unit.name}, code="unit_already_assigned"
        )
    flow = LEAD_FLOW if role == Assignment.Role.LEAD else CO_FLOW
    start(assignment, actor=actor, workflow=flow, event="assign", audit_after={"proposal": proposal.pk, "role": role})
    due = deadline_of(assignment, REPLY if role == Assignment.Role.LEAD else OPINION)
    if role == Assignment.Role.LEAD:
        title = _("New item to handle as lead unit: %(title)s")
        body = _("Contact the proposer and reply by %(day)s.")
    else:
        title = _("New item to co-handle: %(title)s")
        body = _("Send your opinion to the lead unit by %(day)s.")
    notify(
        unit_people(unit),
        title=title % {"title": proposal.title},
        body=body % {"day": due.last_day.isoformat()},
        link=_link(proposal),
        event="proposals.assignment.new",
        obj=proposal,
    )
    return assignment


@transaction.atomic
def assign(*, actor, proposal: Proposal, lead_unit: OrgUnit, co_units=()) -> Proposal:
    """Assign an accepted item to one lead unit and any co-handling units; each unit's clock starts now."""
    lead_unit = _handling_unit(lead_unit)
    co_units = list(dict.fromkeys(co_units or ()))
    if len(co_units) > CO_UNITS_MAX:
        raise ValidationFailed(_("At most %(n)s co-handling units.") % {"n": CO_UNITS_MAX}, code="too_many_co_units")
    for unit in co_units:
        _handling_unit(unit)
        if unit.pk == lead_unit.pk:
            raise ValidationFailed(_("The lead unit cannot also be a co-handling unit."), code="lead_also_co")
    now = timezone.now()
    done = transition(
        proposal,
        "assign",
        actor=actor,
        workflow=PROPOSAL_FLOW,
        changes={"assigned_at": now},
        audit_after={"lead": lead_unit.pk, "co": [u.pk for u in co_units]},
    )
    _open_assignment(actor, done, lead_unit, Assignment.Role.LEAD, now=now)
    for unit in co_units:
        _open_assignment(actor, done, unit, Assignment.Role.CO, now=now)
    names = "、".join([lead_unit.name, *[u.name for u in co_units]])
    notify(
        _proposer_side(done),
        title=_("Assigned for handling: %(title)s") % {"title": done.title},
        body=_("Handled by %(units)s.") % {"units": names},
        link=_link(done),
        event="proposals.proposal.assign",
        obj=done,
    )
    return done


@transaction.atomic
def set_key_supervision(*, actor, proposal: Proposal, on: bool, note: str = "", leader=None) -> Proposal:
    """The office marks an item for the leaders' key supervision (重点督办), naming a leader or all of them."""
    proposal = _locked(proposal)
    if not perm.may_review(actor, proposal):
        raise NotFound() if not perm.may_view(actor, proposal) else PermissionDenied()
    if proposal.status not in perm.PUBLISHABLE_STATES:
        raise Conflict(_("Only accepted items can be put under key supervision."), code="not_accepted")
    note = _clean(note, limit=300, code="note")
    if leader is not None and not has_role(leader, Role.LEADER, proposal.body):
        raise ValidationFailed(_("Choose a leader of this body."), code="not_a_leader")
    before = {"key_supervision": proposal.key_supervision, "leader": proposal.supervising_leader_id}
    proposal.key_supervision = bool(on)
    proposal.supervision_note = note if on else ""
    proposal.supervising_leader = leader if on else None
    proposal.save(update_fields=["key_supervision", "supervision_note", "supervising_leader", "updated_at"])
    record(
        "proposals.proposal.supervise",
        actor=actor,
        obj=proposal,
        org_unit=proposal.body,
        before=before,
        after={"key_supervision": proposal.key_supervision, "leader": proposal.supervising_leader_id, "note": note},
    )
    if on:
        leaders = [leader] if leader is not None else users_with_roles(proposal.body, [Role.LEADER])
        notify(
            leaders,
            title=_("For your supervision: %(title)s") % {"title": proposal.title},
            body=note,
            link=_link(proposal),
            event="proposals.proposal.supervise",
            obj=proposal,
        )
    return proposal


@transaction.atomic
def publish(*, actor, proposal: Proposal, public: bool, with_replies: bool = True) -> Proposal:
    """The office discloses an item (and its sent replies) on the portal, or takes it down (S4-2.2.4)."""
    proposal = _locked(proposal)
    if not perm.may_review(actor, proposal):
        raise NotFound() if not perm.may_view(actor, proposal) else PermissionDenied()
    if public:
        if proposal.status not in perm.PUBLISHABLE_STATES:
            raise Conflict(_("Only accepted items can be disclosed."), code="not_accepted")
        if rule(proposal.body, "proposals.disclosure_needs_consent") and not proposal.disclosure_consent:
            raise ValidationFailed(
                _("The proposer did not agree to public disclosure of this item."), code="no_consent"
            )
    before = {"is_public": proposal.is_public}
    proposal.is_public = bool(public)
    proposal.published_at = timezone.now() if public else None
    proposal.save(update_fields=["is_public", "published_at", "updated_at"])
    replies = proposal.replies.filter(status=Reply.Status.SENT)
    changed = replies.update(is_public=bool(public and with_replies))
    record(
        "proposals.proposal.publish" if public else "proposals.proposal.unpublish",
        actor=actor,
        obj=proposal,
        org_unit=proposal.body,
        before=before,
        after={"is_public": proposal.is_public, "replies": changed if public and with_replies else 0},
    )
    return proposal


# ---- handling ----------------------------------------------------------------------------------------------


def _locked_assignment(assignment: Assignment) -> Assignment:
    locked = (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("proposal__body", "proposal__office", "unit")
        .filter(pk=assignment.pk)
        .first()
    )
    if locked is None:
        raise NotFound()
    return locked


def _may_see_assignment(actor, assignment) -> bool:
    return perm.works_at(actor, assignment.unit) or perm.is_office(actor, assignment.proposal)


@transaction.atomic
def record_contact(*, actor, assignment: Assignment, method: str, contacted_on: dt.date, note: str) -> Contact:
    """The unit records how and when it contacted the proposer (before the reply, within 15 working days)."""
    assignment = _locked_assignment(assignment)
    if not perm.works_at(actor, assignment.unit):
        raise NotFound()
    if assignment.status != A.HANDLING:
        raise Conflict(_("This unit's handling has ended."), code="transition_not_allowed")
    if method not in Contact.Method.values:
        raise ValidationFailed(_("Choose how the proposer was contacted."), code="contact_method")
    if not isinstance(contacted_on, dt.date):
        raise ValidationFailed(_("Enter the date of the contact."), code="contact_date")
    if contacted_on > local_date() or contacted_on < timezone.localtime(assignment.assigned_at).date():
        raise ValidationFailed(_("The contact date must lie between the assignment and today."), code="contact_date")
    note = _clean(note, limit=NOTE_MAX, code="note", required_message=_("Say briefly what was discussed."))
    contact = Contact.objects.create(
        assignment=assignment, method=method, contacted_on=contacted_on, note=note, recorded_by=actor
    )
    changes = {} if assignment.contacted_at else {"contacted_at": timezone.now()}
    transition(
        assignment,
        "contact",
        actor=actor,
        workflow=flow_for(assignment),
        comment=note,
        data={"method": method, "date": contacted_on.isoformat()},
        changes=changes,
    )
    return contact


@transaction.atomic
def send_opinion(*, actor, assignment: Assignment, opinion: str) -> Assignment:
    """A co-handling unit sends its opinion to the lead unit (协办意见)."""
    assignment = _locked_assignment(assignment)
    if not perm.works_at(actor, assignment.unit):
        raise NotFound()
    if assignment.role != Assignment.Role.CO:
        raise ValidationFailed(_("Only co-handling units send opinions; the lead unit replies."), code="not_co")
    opinion = _clean(
        opinion, limit=OPINION_MAX, code="opinion", multiline=True, required_message=_("Write the opinion.")
    )
    done = transition(
        assignment,
        "send_opinion",
        actor=actor,
        workflow=CO_FLOW,
        changes={"opinion": opinion, "opinion_at": timezone.now(), "opinion_by": actor},
        audit_after={"length": len(opinion)},
    )
    lead = assignment.proposal.assignments.filter(role=Assignment.Role.LEAD, status=A.HANDLING).first()
    if lead is not None:
        notify(
            unit_people(lead.unit),
            title=_("Co-handling opinion from %(unit)s: %(title)s")
            % {"unit": assignment.unit.name, "title": assignment.proposal.title},
            link=_link(assignment.proposal),
            event="proposals.assignment.opinion",
            obj=assignment.proposal,
        )
    return done


def _current_round(proposal: Proposal) -> int:
    return proposal.rehandle_count + 1


@transaction.atomic
def save_reply(*, actor, assignment: Assignment, content: str, classification: str) -> Reply:
    """The lead unit drafts (or redrafts) its reply letter; a change after sign-off needs a new sign-off."""
    assignment = _locked_assignment(assignment)
    if not perm.works_at(actor, assignment.unit):
        raise NotFound()
    if assignment.role != Assignment.Role.LEAD:
        raise ValidationFailed(_("Only the lead unit replies; co-handling units send opinions."), code="not_lead")
    if assignment.status != A.HANDLING:
        raise Conflict(_("This unit's handling has ended."), code="transition_not_allowed")
    if classification not in Classification.values:
        raise ValidationFailed(_("Choose the class of the reply (A, B, C or D)."), code="classification")
    content = _clean(
        content, limit=CONTENT_MAX, code="reply", multiline=True, required_message=_("Write the reply letter.")
    )
    proposal = assignment.proposal
    round_ = _current_round(proposal)
    reply = Reply.objects.select_for_update().filter(proposal=proposal, round=round_).first()
    if reply is not None and reply.status == Reply.Status.SENT:
        raise Conflict(_("The reply of this round was already sent."), code="reply_sent")
    before = None
    if reply is None:
        reply = Reply.objects.create(
            proposal=proposal,
            assignment=assignment,
            round=round_,
            content=content,
            classification=classification,
            drafted_by=actor,
        )
    else:
        before = {"classification": reply.classification, "signed": reply.status == Reply.Status.SIGNED}
        reply.assignment = assignment
        reply.content, reply.classification, reply.drafted_by = content, classification, actor
        reply.status, reply.signed_by, reply.signed_at = Reply.Status.DRAFT, None, None
        reply.save(
            update_fields=[
                "assignment",
                "content",
                "classification",
                "drafted_by",
                "status",
                "signed_by",
                "signed_at",
                "updated_at",
            ]
        )
    record(
        "proposals.reply.draft",
        actor=actor,
        obj=reply,
        org_unit=assignment.unit,
        before=before,
        after={"classification": classification, "round": round_, "length": len(content)},
    )
    heads = [u for u in users_with_roles(assignment.unit, [Role.HEAD]) if u.pk != actor.pk]
    notify(
        heads,
        title=_("Reply letter to sign off: %(title)s") % {"title": proposal.title},
        link=_link(proposal),
        event="proposals.reply.draft",
        obj=proposal,
    )
    return reply


def _locked_reply(reply: Reply) -> Reply:
    locked = (
        Reply.objects.select_for_update(of=("self",))
        .select_related("assignment__unit", "proposal__body", "proposal__office")
        .filter(pk=reply.pk)
        .first()
    )
    if locked is None:
        raise NotFound()
    return locked


@transaction.atomic
def sign_off_reply(*, actor, reply: Reply) -> Reply:
    """The head of the lead unit signs the reply letter off (签发); only then can it be sent."""
    reply = _locked_reply(reply)
    unit = reply.assignment.unit
    if not perm.works_at(actor, unit):
        raise NotFound()
    if not perm.is_unit_head(actor, unit):
        raise PermissionDenied(
            _("Only the head of the lead unit can sign off the reply letter."), code="head_sign_off_required"
        )
    if reply.status == Reply.Status.SENT:
        raise Conflict(_("The reply was already sent."), code="reply_sent")
    if reply.assignment.status != A.HANDLING:
        raise Conflict(_("This unit's handling has ended."), code="transition_not_allowed")
    reply.status, reply.signed_by, reply.signed_at = Reply.Status.SIGNED, actor, timezone.now()
    reply.save(update_fields=["status", "signed_by", "signed_at", "updated_at"])
    record(
        "proposals.reply.sign_off",
        actor=actor,
        obj=reply,
        org_unit=unit,
        before={"status": Reply.Status.DRAFT},
        after={"status": Reply.Status.SIGNED, "classification": reply.classification},
    )
    return reply


@transaction.atomic
def send_reply(*, actor, reply: Reply) -> Reply:
    """Send the signed-off reply to the proposer: the lead unit's and the item's handling end, the co-handling
    units' too, and the proposer's evaluation period starts (S4-2.2.4)."""
    reply = _locked_reply(reply)
    assignment = reply.assignment
    proposal = reply.proposal
    if not perm.works_at(actor, assignment.unit):
        raise NotFound()
    if reply.status == Reply.Status.SENT:
        raise Conflict(_("The reply was already sent."), code="reply_sent")
    if reply.status != Reply.Status.SIGNED or reply.signed_by_id is None:
        raise ValidationFailed(
            _("The reply letter has not been signed off by the head of the unit; it cannot be sent."),
            code="reply_not_signed",
        )
    if (
        rule(proposal.body, "proposals.contact_before_reply")
        and not Contact.objects.filter(assignment__proposal=proposal, assignment__unit=assignment.unit).exists()
    ):
        raise ValidationFailed(
            _("Record the contact with the proposer before sending the reply."), code="contact_required"
        )
    now = timezone.now()
    deadline = deadline_of(assignment, REPLY)
    on_time = deadline is not None and deadline.met_at is None and now < deadline.due_at
    changes = {"classification": reply.classification}
    if assignment.replied_at is None:
        changes.update(replied_at=now, replied_on_time=on_time)
    transition(
        assignment,
        "reply",
        actor=actor,
        workflow=LEAD_FLOW,
        changes=changes,
        audit_after={"classification": reply.classification, "round": reply.round, "on_time": on_time},
    )
    for co in proposal.assignments.filter(role=Assignment.Role.CO, status=A.HANDLING):
        transition(co, "close", actor=actor, workflow=CO_FLOW, changes={"ended_at": now})
    reply.status, reply.sent_at = Reply.Status.SENT, now
    reply.is_public = proposal.is_public
    reply.save(update_fields=["status", "sent_at", "is_public", "updated_at"])
    done = transition(
        proposal,
        "reply",
        actor=actor,
        workflow=PROPOSAL_FLOW,
        changes={"replied_at": now},
        audit_after={"reply": reply.pk, "classification": reply.classification},
    )
    due = deadline_of(done, EVALUATE)
    notify(
        [done.proposer],
        title=_("Reply received: %(title)s") % {"title": done.title},
        body=_("%(unit)s replied. Please evaluate the reply by %(day)s.")
        % {"unit": assignment.unit.name, "day": due.last_day.isoformat()},
        link=_link(done),
        event="proposals.reply.sent",
        obj=done,
        sms=True,
    )
    others = [u for u in _proposer_side(done) if u.pk != done.proposer_id]
    others += [p.proposer for p in done.merged.select_related("proposer")]
    notify(
        others,
        title=_("Reply received: %(title)s") % {"title": done.title},
        link=_link(done),
        event="proposals.reply.sent",
        obj=done,
    )
    return reply


# ---- extension and transfer requests ------------------------------------------------------------------------


def latest_extension_day(assignment: Assignment) -> dt.date:
    """The last day an extension may reach: `max_months` months from the assignment."""
    months = rule(assignment.proposal.body, "proposals.max_months")
    return calendar.due_date(calendar.add_months(assignment.assigned_at, months))


@transaction.atomic
def request_extension(*, actor, assignment: Assignment, until: dt.date, reason: str) -> UnitRequest:
    """The unit asks the office for more time (at most six months from the assignment), with a reason."""
    assignment = _locked_assignment(assignment)
    if not perm.works_at(actor, assignment.unit):
        raise NotFound()
    if assignment.status != A.HANDLING:
        raise Conflict(_("This unit's handling has ended."), code="transition_not_allowed")
    reason = _reason(reason, message=_("Give the reason for the extension."))
    kind = REPLY if assignment.role == Assignment.Role.LEAD else OPINION
    deadline = deadline_of(assignment, kind)
    if not isinstance(until, dt.date):
        raise ValidationFailed(_("Enter the new time limit."), code="extension_date")
    if deadline is None or deadline.met_at is not None or until <= deadline.last_day:
        raise ValidationFailed(_("The new time limit must be later than the current one."), code="extension_not_later")
    latest = latest_extension_day(assignment)
    if until > latest:
        raise ValidationFailed(
            _("An extension can reach %(day)s at the latest (%(n)s months from the assignment).")
            % {"day": latest.isoformat(), "n": rule(assignment.proposal.body, "proposals.max_months")},
            code="extension_too_long",
        )
    return _new_request(actor, assignment, UnitRequest.Kind.EXTENSION, reason, requested_until=until)


@transaction.atomic
def request_transfer(*, actor, assignment: Assignment, reason: str, suggested_unit: OrgUnit | None = None):
    """The unit says the item is not its business (转办) and asks the office to reassign it, with a reason."""
    assignment = _locked_assignment(assignment)
    if not perm.works_at(actor, assignment.unit):
        raise NotFound()
    if assignment.status != A.HANDLING:
        raise Conflict(_("This unit's handling has ended."), code="transition_not_allowed")
    reason = _reason(reason, message=_("Give the reason for the transfer."))
    if suggested_unit is not None:
        _handling_unit(suggested_unit)
        if suggested_unit.pk == assignment.unit_id:
            raise ValidationFailed(_("An item cannot be transferred to the same unit."), code="transfer_same_unit")
    return _new_request(actor, assignment, UnitRequest.Kind.TRANSFER, reason, suggested_unit=suggested_unit)


def _new_request(actor, assignment, kind, reason, **fields) -> UnitRequest:
    proposal = assignment.proposal
    if UnitRequest.objects.filter(assignment=assignment, status=UnitRequest.Status.PENDING).exists():
        raise Conflict(_("A request of this unit is already waiting for the office."), code="request_pending")
    try:
        with transaction.atomic():
            request = UnitRequest.objects.create(
                assignment=assignment,
                proposal=proposal,
                office=proposal.office,
                kind=kind,
                reason=reason,
                requested_by=actor,
                **fields,
            )
    except IntegrityError:
        raise Conflict(_("A request of this unit is already waiting for the office."), code="request_pending")
    record(
        f"proposals.request.{kind}",
        actor=actor,
        obj=request,
        org_unit=assignment.unit,
        after={
            "assignment": assignment.pk,
            "reason": reason,
            "until": fields.get("requested_until"),
            "suggested_unit": getattr(fields.get("suggested_unit"), "pk", None),
        },
    )
    title = (
        _("Extension requested by %(unit)s: %(title)s")
        if kind == UnitRequest.Kind.EXTENSION
        else _("Transfer requested by %(unit)s: %(title)s")
    )
    notify(
        office_people(proposal),
        title=title % {"unit": assignment.unit.name, "title": proposal.title},
        body=reason,
        link=_link(proposal),
        event="proposals.request.new",
        obj=proposal,
    )
    return request


@transaction.atomic
def decide_request(
    *, actor, request: UnitRequest, approve: bool, note: str = "", new_unit: OrgUnit | None = None
) -> UnitRequest:
    """The office approves or rejects a unit's request. An approved extension moves the unit's time limit; an
    approved transfer ends the unit's assignment and opens one for `new_unit`, whose clock starts afresh."""
    request = (
        UnitRequest.objects.select_for_update(of=("self",))
        .select_related("assignment__unit", "proposal__body", "proposal__office")
        .filter(pk=request.pk)
        .first()
    )
    if request is None or not perm.is_office(actor, request.proposal):
        raise NotFound()
    if request.status != UnitRequest.Status.PENDING:
        raise Conflict(_("This request was already decided."), code="request_decided")
    note = _clean(note, limit=REASON_MAX, code="note")
    if not approve and not note:
        raise ValidationFailed(_("Give the reason for rejecting the request."), code="reason_required")
    assignment = request.assignment
    flow = flow_for(assignment)
    now = timezone.now()
    if approve and request.kind == UnitRequest.Kind.EXTENSION:
        kind = REPLY if assignment.role == Assignment.Role.LEAD else OPINION
        transition(
            assignment,
            "extend",
            actor=actor,
            workflow=flow,
            comment=request.reason,
            changes={"extended": True},
            reschedule={kind: start_of_day(request.requested_until + dt.timedelta(days=1))},
            data={"request": request.pk},
        )
    elif approve:
        new_unit = _handling_unit(new_unit or request.suggested_unit)
        if new_unit.pk == assignment.unit_id:
            raise ValidationFailed(_("An item cannot be transferred to the same unit."), code="transfer_same_unit")
        transition(
            assignment,
            "transfer",
            actor=actor,
            workflow=flow,
            comment=request.reason,
            changes={"ended_at": now},
            data={"request": request.pk, "to": new_unit.pk},
            audit_after={"to": new_unit.pk},
        )
        _open_assignment(actor, request.proposal, new_unit, assignment.role, now=now, transferred_from=assignment)
    request.status = UnitRequest.Status.APPROVED if approve else UnitRequest.Status.REJECTED
    request.decided_by, request.decided_at, request.decision_note = actor, now, note
    request.new_unit = new_unit if approve and request.kind == UnitRequest.Kind.TRANSFER else None
    request.save(update_fields=["status", "decided_by", "decided_at", "decision_note", "new_unit"])
    record(
        f"proposals.request.{'approve' if approve else 'reject'}",
        actor=actor,
        obj=request,
        org_unit=request.office_id,
        before={"status": UnitRequest.Status.PENDING},
        after={"status": request.status, "note": note, "new_unit": request.new_unit_id},
    )
    if request.kind == UnitRequest.Kind.EXTENSION:
        title = _("Extension approved: %(title)s") if approve else _("Extension not approved: %(title)s")
    else:
        title = _("Transfer approved: %(title)s") if approve else _("Transfer not approved: %(title)s")
    notify(
        unit_people(assignment.unit),
        title=title % {"title": request.proposal.title},
        body=note,
        link=_link(request.proposal),
        event="proposals.request.decided",
        obj=request.proposal,
    )
    if approve and request.kind == UnitRequest.Kind.TRANSFER:
        notify(
            _proposer_side(request.proposal),
            title=_("Handling unit changed: %(title)s") % {"title": request.proposal.title},
            body=_("Now handled by %(unit)s.") % {"unit": new_unit.name},
            link=_link(request.proposal),
            event="proposals.assignment.transfer",
            obj=request.proposal,
        )
    return request


# ---- evaluation -------------------------------------------------------------------------------------------


def _lead_assignment(proposal: Proposal) -> Assignment | None:
    return (
        proposal.assignments.filter(role=Assignment.Role.LEAD)
        .exclude(status__in=[A.TRANSFERRED, A.CLOSED])
        .select_related("unit")
        .first()
    )


def rehandlings_left(proposal: Proposal) -> int:
    allowed = rule(proposal.body, "proposals.rehandle_max") + proposal.rehandle_allowance
    return max(allowed - proposal.rehandle_count, 0)


def _rehandle_lead(actor, proposal: Proposal, comment: str) -> None:
    lead = _lead_assignment(proposal)
    if lead is None:
        raise Conflict(_("The item has no lead unit to handle it again."), code="no_lead_unit")
    transition(lead, "rehandle", actor=actor, workflow=LEAD_FLOW, comment=comment, changes={"rating": ""})
    due = deadline_of(lead, REPLY)
    notify(
        unit_people(lead.unit) + office_people(proposal),
        title=_("To be handled again: %(title)s") % {"title": proposal.title},
        body=_("The proposer is not satisfied: %(comment)s. Reply again by %(day)s.")
        % {"comment": comment, "day": due.last_day.isoformat()},
        link=_link(proposal),
        event="proposals.proposal.rehandle",
        obj=proposal,
    )


@transaction.atomic
def evaluate(*, actor, proposal: Proposal, rating: str, comment: str = "") -> Evaluation:
    """The proposer rates the reply. 不满意 sends it back for re-handling (one month), at most `rehandle_max` times
    unless the office decides otherwise."""
    if rating not in (Rating.SATISFIED, Rating.BASIC, Rating.UNSATISFIED):
        raise ValidationFailed(_("Choose satisfied, basically satisfied or unsatisfied."), code="rating")
    comment = _clean(comment, limit=NOTE_MAX, code="comment", multiline=True)
    if rating == Rating.UNSATISFIED and not comment:
        raise ValidationFailed(_("Say what is unsatisfactory about the reply."), code="comment_required")
    locked = _locked(proposal)
    if not perm.is_proposer(actor, locked):
        raise NotFound() if not perm.may_view(actor, locked) else PermissionDenied()
    if locked.status != S.REPLIED:
        raise Conflict(_("There is no reply waiting for your evaluation."), code="transition_not_allowed")
    reply = locked.replies.filter(status=Reply.Status.SENT).order_by("-round").first()
    now = timezone.now()
    evaluation = Evaluation.objects.create(
        proposal=locked, reply=reply, round=reply.round, rating=rating, comment=comment, by=actor, at=now
    )
    lead = reply.assignment
    Assignment.objects.filter(pk=lead.pk).update(rating=rating)
    if rating == Rating.UNSATISFIED and rehandlings_left(locked) > 0:
        evaluation.proposal = transition(
            locked,
            "rehandle",
            actor=actor,
            workflow=PROPOSAL_FLOW,
            comment=comment,
            changes={"rating": rating, "rehandle_count": locked.rehandle_count + 1},
            audit_after={"rating": rating},
        )
        _rehandle_lead(actor, locked, comment)
    else:
        done = transition(
            locked,
            "close",
            actor=actor,
            workflow=PROPOSAL_FLOW,
            comment=comment,
            changes={"rating": rating, "closed_at": now},
            audit_after={"rating": rating},
        )
        evaluation.proposal = done
        notify(
            unit_people(lead.unit) + office_people(done),
            title=_("Evaluated as %(rating)s: %(title)s") % {"rating": Rating(rating).label, "title": done.title},
            body=comment,
            link=_link(done),
            event="proposals.proposal.evaluate",
            obj=done,
        )
    return evaluation


@transaction.atomic
def allow_rehandling(*, actor, proposal: Proposal, reason: str) -> Proposal:
    """The office decides that a closed, unsatisfied item is handled once more (beyond the usual limit)."""
    reason = _reason(reason, message=_("Give the reason for handling it again."))
    locked = _locked(proposal)
    if not perm.may_review(actor, locked):
        raise NotFound() if not perm.may_view(actor, locked) else PermissionDenied()
    if locked.status != S.CLOSED or locked.rating not in (Rating.UNSATISFIED, Rating.NONE):
        raise Conflict(
            _("Only a closed item whose reply was not found satisfactory can be handled again."),
            code="transition_not_allowed",
        )
    done = transition(
        locked,
        "reopen",
        actor=actor,
        workflow=PROPOSAL_FLOW,
        comment=reason,
        changes={
            "rehandle_allowance": locked.rehandle_allowance + 1,
            "rehandle_count": locked.rehandle_count + 1,
            "closed_at": None,
        },
    )
    _rehandle_lead(actor, done, reason)
    return done


@transaction.atomic
def record_missing_evaluation(*, proposal: Proposal, now=None) -> Evaluation | None:
    """No evaluation came within the period: record "no evaluation" (not "satisfied") and close. Run by tick."""
    locked = Proposal.objects.select_for_update().filter(pk=proposal.pk, status=S.REPLIED).first()
    if locked is None:
        return None
    reply = locked.replies.filter(status=Reply.Status.SENT).order_by("-round").first()
    if reply is None or Evaluation.objects.filter(reply=reply).exists():
        return None
    now = now or timezone.now()
    evaluation = Evaluation.objects.create(
        proposal=locked, reply=reply, round=reply.round, rating=Rating.NONE, by=None, at=now
    )
    Assignment.objects.filter(pk=reply.assignment_id).update(rating=Rating.NONE)
    transition(
        locked,
        "lapse",
        actor=None,
        workflow=PROPOSAL_FLOW,
        changes={"rating": Rating.NONE, "closed_at": now},
        audit_after={"rating": Rating.NONE},
    )
    return evaluation


__all__ = [
    "accept",
    "allow_rehandling",
    "assign",
    "convert",
    "create_draft",
    "decide_request",
    "draft_from_report",
    "evaluate",
    "invite_cosigner",
    "merge",
    "not_accept",
    "publish",
    "record_contact",
    "record_missing_evaluation",
    "remove_cosigner",
    "request_extension",
    "request_transfer",
    "respond_cosign",
    "save_reply",
    "send_opinion",
    "send_reply",
    "set_key_supervision",
    "sign_off_reply",
    "submit",
    "update_draft",
    "withdraw",
]
