"""Every read of bills, suggestions and proposals that is filtered for a user. Statistics are in `statistics`, the
public feed in `disclosure`.

Lists are paginated by the caller and take a constant number of queries whatever their length.
"""

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lvzhi.accounts.models import RoleAssignment, User
from lvzhi.accounts.permissions import active_assignments, role_codes, units_q
from lvzhi.accounts.roles import Role
from lvzhi.core.errors import NotFound, ValidationFailed
from lvzhi.orgs.models import OrgUnit, UnitFunction, UnitKind
from lvzhi.orgs.selectors import unit_by_function
from lvzhi.workdays import calendar
from lvzhi.workdays.calendar import add_working_days
from lvzhi.workflow.declaration import get_workflow
from lvzhi.workflow.models import Deadline, WorkflowEvent
from lvzhi.workflow.selectors import users_with_roles

from . import permissions as perm
from .models import (
    Assignment,
    Contact,
    CoSigner,
    Evaluation,
    Kind,
    Proposal,
    Reply,
    UnitRequest,
)
from .rules import rule
from .workflows import EVALUATE, OPINION, REPLY, REVIEW

S = Proposal.Status
A = Assignment.Status


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        raise NotFound()


# ---- fetch and authorise -----------------------------------------------------------------------------------


def access_proposal(user, proposal_id) -> Proposal:
    """The item if `user` may see it; NotFound for missing and forbidden alike."""
    proposal = (
        Proposal.objects.select_related(
            "body", "office", "proposer", "by_delegation", "merged_into", "supervising_leader"
        )
        .filter(pk=_int(proposal_id))
        .first()
    )
    if proposal is None or not perm.may_view(user, proposal):
        raise NotFound()
    return proposal


def access_assignment(user, assignment_id) -> Assignment:
    """An assignment for its unit's staff and head, or the office of its item."""
    assignment = (
        Assignment.objects.select_related("unit", "proposal__body", "proposal__office", "proposal__proposer")
        .filter(pk=_int(assignment_id))
        .first()
    )
    if assignment is None:
        raise NotFound()
    if assignment.status == A.TRANSFERRED and not perm.is_office(user, assignment.proposal):
        raise NotFound()
    if not (perm.works_at(user, assignment.unit) or perm.is_office(user, assignment.proposal)):
        raise NotFound()
    return assignment


def access_reply(user, reply_id) -> Reply:
    reply = (
        Reply.objects.select_related("assignment__unit", "proposal__body", "proposal__office")
        .filter(pk=_int(reply_id))
        .first()
    )
    if reply is None or not perm.works_at(user, reply.assignment.unit):
        raise NotFound()
    return reply


def access_request(user, request_id) -> UnitRequest:
    """A unit's extension or transfer request, for the office that decides it."""
    request = (
        UnitRequest.objects.select_related("assignment__unit", "proposal__body", "proposal__office", "suggested_unit")
        .filter(pk=_int(request_id))
        .first()
    )
    if request is None or not perm.is_office(user, request.proposal):
        raise NotFound()
    return request


# ---- what a user may use ------------------------------------------------------------------------------------


def _per_request(user, key, compute, roles=None):
    """Computed once per user object (the request's user lives for one request; roles are cached on it too).
    With `roles`, a user who holds none of them gets [] without a query."""
    cache = user.__dict__.setdefault("_lvzhi_proposals", {})
    if key not in cache:
        cache[key] = compute() if roles is None or role_codes(user) & set(roles) else []
    return cache[key]


def offices_of(user) -> list[OrgUnit]:
    """The proposals offices where `user` is staff or head."""
    if not perm._authed(user):
        return []

    def compute():
        q = Q(pk__in=[])
        for role in perm.OFFICE_ROLES:
            q |= _units_filter(user, role)
        return list(
            OrgUnit.objects.filter(q, function=UnitFunction.PROPOSALS_OFFICE, is_active=True)
            .select_related("body")
            .order_by("path")
        )

    return _per_request(user, "offices", compute, perm.OFFICE_ROLES)


def _units_filter(user, role) -> Q:
    """A filter on OrgUnit itself for the units where `user` holds `role` (and those below, where it reaches)."""
    q = Q(pk__in=[])
    for a in active_assignments(user):
        if a.role != role:
            continue
        q |= Q(pk=a.unit_id)
        if a.include_descendants:
            q |= Q(path__startswith=a.unit.path)
    return q


def handling_units_of(user) -> list[OrgUnit]:
    if not perm._authed(user):
        return []

    def compute():
        q = Q(pk__in=[])
        for role in perm.UNIT_ROLES:
            q |= _units_filter(user, role)
        return list(OrgUnit.objects.filter(q, kind=UnitKind.HANDLING_UNIT).order_by("path"))

    return _per_request(user, "units", compute, perm.UNIT_ROLES)


def led_bodies(user) -> list[OrgUnit]:
    if not perm._authed(user):
        return []
    return _per_request(
        user,
        "led",
        lambda: list(OrgUnit.objects.filter(_units_filter(user, Role.LEADER), kind=UnitKind.BODY).order_by("path")),
        [Role.LEADER],
    )


def handling_unit_choices():
    return OrgUnit.objects.filter(kind=UnitKind.HANDLING_UNIT, is_active=True).select_related("parent").order_by("path")


# ---- proposers ---------------------------------------------------------------------------------------------


def my_items(user, *, scope: str = "all") -> QuerySet:
    """Items the user proposed or was asked to co-sign (not declined), newest first."""
    if not perm._authed(user):
        return Proposal.objects.none()
    cosigned = CoSigner.objects.filter(
        user=user, status__in=[CoSigner.Status.INVITED, CoSigner.Status.CONFIRMED]
    ).values("proposal_id")
    if scope == "mine":
        q = Q(proposer=user)
    elif scope == "cosigned":
        q = Q(pk__in=cosigned)
    else:
        # The co-signed items as a list of ids (a member co-signs few): OR-ed with a subquery, PostgreSQL scans the
        # whole table (335 ms at 500,000 items); with a list it reads the index proposals_by_proposer.
        ids = list(cosigned.values_list("proposal_id", flat=True))
        q = (Q(proposer=user) | Q(pk__in=ids)) if ids else Q(proposer=user)
    qs = Proposal.objects.filter(q).select_related("body", "proposer")
    return with_deadline(qs, EVALUATE).order_by("-created_at", "-pk")


def due_from(user) -> dict:
    """What is due from a deputy or member now: invitations to answer, drafts, replies to evaluate."""
    if not perm._authed(user):
        return {"invitations": [], "drafts": [], "to_evaluate": []}
    invitations = list(
        CoSigner.objects.filter(user=user, status=CoSigner.Status.INVITED, proposal__status=S.DRAFT)
        .select_related("proposal__proposer")
        .order_by("-invited_at")[:20]
    )
    drafts = list(Proposal.objects.filter(proposer=user, status=S.DRAFT).order_by("-created_at")[:20])
    to_evaluate = list(
        with_deadline(Proposal.objects.filter(proposer=user, status=S.REPLIED), EVALUATE).order_by(
            F("deadline_due_at").asc(nulls_last=True)
        )[:20]
    )
    return {"invitations": invitations, "drafts": drafts, "to_evaluate": to_evaluate}


# ---- deadlines on lists -------------------------------------------------------------------------------------


def with_deadline(qs: QuerySet, *kinds: str, name: str = "deadline_due_at") -> QuerySet:
    """Annotate rows with the due time of their open deadline of one of `kinds` (one subquery, no N+1)."""
    ct = ContentType.objects.get_for_model(qs.model)
    sub = (
        Deadline.objects.filter(content_type=ct, object_id=OuterRef("pk"), kind__in=kinds, met_at__isnull=True)
        .order_by("due_at")
        .values("due_at")[:1]
    )
    return qs.annotate(**{name: Subquery(sub)})


def due_soon_limit(unit=None, now=None):
    now = now or timezone.now()
    days = rule(unit, "proposals.due_soon_working_days") if unit is not None else 10
    return add_working_days(now, days)


# ---- handling units ----------------------------------------------------------------------------------------

UNIT_STATES = ("open", "done", "all")


def _unit_q(user) -> Q:
    return units_q(user, Role.HANDLING) | units_q(user, Role.HEAD)


def unit_queue(user, *, state: str = "open", unit_id=None) -> QuerySet:
    """The assignments of the user's handling units: open ones overdue and due soon first."""
    if not perm._authed(user):
        return Assignment.objects.none()
    qs = Assignment.objects.filter(_unit_q(user))
    if unit_id:
        qs = qs.filter(unit_id=_int(unit_id))
    qs = qs.select_related("unit", "proposal__proposer")
    pending = UnitRequest.objects.filter(assignment=OuterRef("pk"), status=UnitRequest.Status.PENDING).values("kind")
    qs = qs.annotate(pending_request=Subquery(pending[:1]))
    if state == "open":
        qs = with_deadline(qs.filter(status=A.HANDLING), REPLY, OPINION)
        return qs.order_by(F("deadline_due_at").asc(nulls_last=True), "assigned_at", "pk")
    qs = with_deadline(qs.exclude(status=A.TRANSFERRED) if state == "done" else qs, REPLY, OPINION)
    if state == "done":
        qs = qs.exclude(status=A.HANDLING)
    return qs.order_by("-assigned_at", "-pk")


def unit_requests(user) -> QuerySet:
    """The extension and transfer requests of the user's units, newest first."""
    if not perm._authed(user):
        return UnitRequest.objects.none()
    ids = Assignment.objects.filter(_unit_q(user)).values("pk")
    return (
        UnitRequest.objects.filter(assignment_id__in=ids)
        .select_related("assignment__unit", "proposal", "new_unit", "suggested_unit")
        .order_by("-created_at", "-pk")
    )


# ---- the office --------------------------------------------------------------------------------------------

OFFICE_STATES = ("review", "accepted", "handling", "replied", "closed", "all")


def _office_q(user, field="office") -> Q:
    q = Q(pk__in=[])
    for role in perm.OFFICE_ROLES:
        q |= units_q(user, role, field=field)
    return q


def office_flow(
    user, *, state: str = "all", kind: str = "", year=None, q: str = "", key: bool = False, body_id=None
) -> QuerySet:
    """The whole flow of the user's offices (drafts excluded), filtered; under review oldest-due first."""
    if not perm._authed(user):
        return Proposal.objects.none()
    qs = Proposal.objects.filter(_office_q(user)).exclude(status=S.DRAFT).select_related("body", "proposer")
    if body_id:
        qs = qs.filter(body_id=_int(body_id))
    if kind in Kind.values:
        qs = qs.filter(kind=kind)
    if year:
        qs = qs.filter(year=_int(year))
    if q:
        qs = qs.filter(title__icontains=q[:50])
    if key:
        qs = qs.filter(key_supervision=True)
    if state == "review":
        qs = with_deadline(qs.filter(status=S.SUBMITTED), REVIEW)
        return qs.order_by(F("deadline_due_at").asc(nulls_last=True), "submitted_at", "pk")
    states = {
        "accepted": [S.ACCEPTED],
        "handling": [S.HANDLING, S.REHANDLING],
        "replied": [S.REPLIED],
        "closed": [S.CLOSED, S.NOT_ACCEPTED, S.MERGED, S.CONVERTED, S.WITHDRAWN],
    }.get(state)
    if states:
        qs = qs.filter(status__in=states)
    return qs.order_by("-submitted_at", "-pk")  # every item but a draft has been submitted


def office_requests(user) -> QuerySet:
    if not perm._authed(user):
        return UnitRequest.objects.none()
    return (
        UnitRequest.objects.filter(_office_q(user), status=UnitRequest.Status.PENDING)
        .select_related("assignment__unit", "proposal", "suggested_unit", "requested_by")
        .order_by("created_at", "pk")
    )


def office_overdue(user, now=None) -> QuerySet:
    """Assignments of the office's items that are past their time limit."""
    if not perm._authed(user):
        return Assignment.objects.none()
    now = now or timezone.now()
    ct = ContentType.objects.get_for_model(Assignment)
    late = Deadline.objects.filter(
        content_type=ct, object_id=OuterRef("pk"), kind__in=[REPLY, OPINION], met_at__isnull=True, due_at__lte=now
    )
    offices = [o.pk for o in offices_of(user)]
    return (
        Assignment.objects.filter(proposal__office_id__in=offices, status=A.HANDLING)
        .filter(Exists(late))
        .select_related("unit", "proposal")
        .annotate(deadline_due_at=Subquery(late.order_by("due_at").values("due_at")[:1]))
        .order_by("deadline_due_at", "pk")
    )


def supervision_queue(user) -> QuerySet:
    """Key-supervision items of the bodies the user leads, open ones first."""
    if not perm._authed(user):
        return Proposal.objects.none()
    qs = Proposal.objects.filter(units_q(user, Role.LEADER, field="body"), key_supervision=True)
    qs = qs.select_related("body", "proposer", "supervising_leader").prefetch_related(
        Prefetch(
            "assignments",
            queryset=Assignment.objects.exclude(status=A.TRANSFERRED).select_related("unit").order_by("role", "pk"),
            to_attr="current_assignments",
        )
    )
    return qs.order_by(F("closed_at").desc(nulls_first=True), "-submitted_at", "-pk")


def leader_items(user) -> QuerySet:
    """All (non-draft) items of the bodies the user leads."""
    if not perm._authed(user):
        return Proposal.objects.none()
    return (
        Proposal.objects.filter(units_q(user, Role.LEADER, field="body"))
        .exclude(status=S.DRAFT)
        .select_related("body", "proposer")
        .order_by("-submitted_at", "-pk")
    )


# ---- the detail page ---------------------------------------------------------------------------------------


def detail_data(proposal: Proposal) -> dict:
    """Everything the detail page and the API show about one item, in a fixed number of queries."""
    assignments = list(proposal.assignments.select_related("unit", "transferred_from__unit").order_by("pk"))
    ids = [a.pk for a in assignments]
    ct_a = ContentType.objects.get_for_model(Assignment)
    ct_p = ContentType.objects.get_for_model(Proposal)
    deadlines = {}
    for d in Deadline.objects.filter(content_type=ct_a, object_id__in=ids).order_by("started_at", "pk"):
        deadlines.setdefault(d.object_id, {})[d.kind] = d  # the latest of each kind wins
    proposal_deadlines = {}
    for d in Deadline.objects.filter(content_type=ct_p, object_id=proposal.pk).order_by("started_at", "pk"):
        proposal_deadlines[d.kind] = d
    contacts = {}
    for c in Contact.objects.filter(assignment_id__in=ids).select_related("recorded_by"):
        contacts.setdefault(c.assignment_id, []).append(c)
    for a in assignments:
        a.deadlines = deadlines.get(a.pk, {})
        a.contact_list = contacts.get(a.pk, [])
        a.main_deadline = a.deadlines.get(REPLY if a.role == Assignment.Role.LEAD else OPINION)
    events = list(
        WorkflowEvent.objects.filter(
            Q(content_type=ct_p, object_id=proposal.pk) | Q(content_type=ct_a, object_id__in=ids)
        )
        .select_related("actor")
        .order_by("at", "id")
    )
    units = {a.pk: a.unit for a in assignments}
    for e in events:
        e.unit = units.get(e.object_id) if e.content_type_id == ct_a.pk else None
        e.label = step_label(e.workflow, e.transition)
    replies = list(proposal.replies.select_related("assignment__unit", "signed_by", "drafted_by").order_by("round"))
    evaluations = {e.reply_id: e for e in Evaluation.objects.filter(proposal=proposal).select_related("by")}
    for r in replies:
        r.evaluation_row = evaluations.get(r.pk)
    return {
        "assignments": assignments,
        "proposal_deadlines": proposal_deadlines,
        "cosigners": list(proposal.cosigners.select_related("user").order_by("pk")),
        "events": events,
        "replies": replies,
        "requests": list(
            proposal.unit_requests.select_related(
                "assignment__unit", "suggested_unit", "new_unit", "decided_by"
            ).order_by("-created_at")
        ),
        "merged": list(proposal.merged.select_related("proposer").order_by("pk")),
    }


START_LABELS = {"draft": gettext_lazy("Draft started"), "assign": gettext_lazy("Assigned")}


def step_label(workflow: str, step: str) -> str:
    if step in START_LABELS:
        return str(START_LABELS[step])
    wf = get_workflow(workflow)
    for t in wf.transitions if wf else ():
        if t.name == step:
            return str(t.label or step)
    return step


def find_cosigner(body, *, user_id=None, text: str = ""):
    """The user meant by an id, a mobile number or a real name. Unknown ids and numbers get the same answer as
    people of another body, so that nobody can probe which numbers have an account."""
    not_member = ValidationFailed(_not_member_message(body), code="cosigner_not_member")
    if user_id is not None:
        user = User.objects.filter(pk=user_id).first()
        if user is None:
            raise not_member
        return user
    text = " ".join(str(text or "").split())
    if not text:
        raise ValidationFailed(_("Enter the mobile number or the name of the co-signer."), code="cosigner_required")
    if text.isdigit():
        user = User.objects.filter(phone=text).first()
        if user is None:
            raise not_member
        return user
    ids = RoleAssignment.objects.filter(unit=body, role=perm.proposer_role(body), revoked_at__isnull=True).values(
        "user_id"
    )
    found = list(User.objects.filter(pk__in=ids, real_name=text, is_active=True)[:2])
    if not found:
        raise ValidationFailed(
            _("Nobody called %(name)s is a deputy or member of this body.") % {"name": text}, code="cosigner_unknown"
        )
    if len(found) > 1:
        raise ValidationFailed(
            _("Several deputies or members are called %(name)s; enter the mobile number instead.") % {"name": text},
            code="cosigner_ambiguous",
        )
    return found[0]


def _not_member_message(body) -> str:
    if body.body_type == "congress":
        return _("This person is not a deputy of this congress and cannot co-sign.")
    return _("This person is not a member of this CPPCC committee and cannot co-sign.")


def stats_body(user, body_id=None) -> OrgUnit:
    """The body whose statistics the user asked for: one whose proposals office they work in, or NotFound."""
    bodies = {o.body_id: o.body for o in offices_of(user)}
    if body_id is not None:
        body_id = _int(body_id)
        if body_id not in bodies:
            raise NotFound()
        return bodies[body_id]
    if not bodies:
        raise NotFound()
    return next(iter(bodies.values()))


def office_of(body) -> OrgUnit | None:
    return unit_by_function(body, UnitFunction.PROPOSALS_OFFICE)


def office_people(proposal: Proposal) -> list:
    return users_with_roles(proposal.office, perm.OFFICE_ROLES) if proposal.office_id else []


def unit_people(unit) -> list:
    return users_with_roles(unit, perm.UNIT_ROLES)


def proposer_side(proposal: Proposal) -> list:
    """The proposer and the confirmed co-signers: who hears of decisions on the item."""
    cosigners = User.objects.filter(
        cosigned__proposal=proposal, cosigned__status=CoSigner.Status.CONFIRMED, is_active=True
    )
    return [proposal.proposer, *cosigners]


def latest_extension_day(assignment: Assignment) -> dt.date:
    """The last day an extension may reach: `max_months` months from the assignment."""
    months = rule(assignment.proposal.body, "proposals.max_months")
    return calendar.due_date(calendar.add_months(assignment.assigned_at, months))


def signer_count(proposal: Proposal) -> int:
    """The proposer and the confirmed co-signers."""
    return 1 + proposal.cosigners.filter(status=CoSigner.Status.CONFIRMED).count()


def rehandlings_left(proposal: Proposal) -> int:
    allowed = rule(proposal.body, "proposals.rehandle_max") + proposal.rehandle_allowance
    return max(allowed - proposal.rehandle_count, 0)


# ---- search across modules (the members' app search page) ------------------------------------------------------


def visible_q(user) -> Q:
    """The items `user` may see (as `permissions.may_view` decides one by one), as one filter: their own and those
    they co-sign, and — once submitted — those of their offices, the bodies they lead and their handling units."""
    if not perm._authed(user):
        return Q(pk__in=[])
    cosigned = CoSigner.objects.filter(
        user=user, status__in=[CoSigner.Status.INVITED, CoSigner.Status.CONFIRMED]
    ).values("proposal_id")
    q = Q(proposer=user) | Q(pk__in=cosigned)
    staff = Q(pk__in=[])
    offices = offices_of(user)
    if offices:
        staff |= Q(office__in=offices)
    bodies = led_bodies(user)
    if bodies:
        staff |= Q(body__in=bodies)
    units = handling_units_of(user)
    if units:
        staff |= Q(pk__in=Assignment.objects.filter(unit__in=units).values("proposal_id"))
    return q | (staff & ~Q(status=S.DRAFT))


def search_items(user, query: str, *, limit: int = 10) -> list[Proposal]:
    """Items the user may see whose title or text contains every word of `query`, newest first."""
    words = [w for w in str(query or "").split() if w][:5]
    if not words:
        return []
    qs = Proposal.objects.filter(visible_q(user))
    for word in words:
        qs = qs.filter(Q(title__icontains=word) | Q(content__icontains=word))
    return list(qs.select_related("body").defer("content").order_by("-created_at", "-pk")[:limit])
