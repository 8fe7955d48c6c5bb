"""Who may do what with columns and articles: small predicates over role × org unit × state.

- Readers: a live article of an active column of the reader's own body whose audience includes them
  (members and deputies; staff; all users; the public portal). The body's information office, secrecy office,
  volunteer monitors and leaders see every column of their body. The three administrators see no content.
- Authors: staff and heads of a column's owning departments draft in it; the article's host unit is that
  department, and its staff and heads share its drafts.
- Reviewers: the holder of the current step's role at the step's unit — never the author or the submitter, and
  nobody decides two review/approval steps of one revision.
- Takedown (S0-11): the secrecy office and the information office of the body, and the head of the host unit.
- Column changes: proposed by the information office, approved by a leader of the body (not the proposer).
"""

from django.db.models import Q

from lvzhi.accounts.permissions import active_assignments, has_any_role, has_role, is_administrator
from lvzhi.accounts.roles import Role

from .models import Article, Audience, Column, ReviewStep, StepKind

MEMBER_ROLES = (Role.MEMBER, Role.DEPUTY)
DRAFTER_ROLES = (Role.STAFF, Role.HEAD)
OVERSIGHT_ROLES = (Role.INFO_OFFICE, Role.SECRECY_OFFICE, Role.MONITOR, Role.LEADER)
TAKEDOWN_ROLES = (Role.INFO_OFFICE, Role.SECRECY_OFFICE)
BODY_STAFF_ROLES = (Role.STAFF, Role.HEAD, Role.LEADER, Role.INFO_OFFICE, Role.SECRECY_OFFICE, Role.MONITOR)


def _authenticated(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.is_active and not is_administrator(user)


def body_id_of(user) -> int | None:
    unit = getattr(user, "unit", None)
    return unit.body_id if unit is not None else None


def roles_in_body(user, body) -> set[str]:
    """The roles the user holds at any unit of the body (or above it, reaching down). `body` is a unit or an id."""
    body_id = getattr(body, "pk", body)
    body_path = getattr(body, "path", None)
    found = set()
    for a in active_assignments(user):
        if a.unit.body_id == body_id or (a.include_descendants and body_path and body_path.startswith(a.unit.path)):
            found.add(a.role)
    return found


def holds_in_body(user, roles, body) -> bool:
    if body is None:
        return False
    return bool(roles_in_body(user, body) & set(roles))


def oversight_body_ids(user, roles=OVERSIGHT_ROLES) -> set[int]:
    """Bodies where the user holds one of `roles` (at the body or a unit in it)."""
    return {a.unit.body_id for a in active_assignments(user) if a.role in roles and a.unit.body_id}


def is_member(user) -> bool:
    return has_any_role(user, MEMBER_ROLES)


def audience_allows(user, column: Column) -> bool:
    """May the user read the column (its body, its audience)?"""
    if not _authenticated(user) or not column.is_active:
        return False
    roles = roles_in_body(user, column.body)
    if roles & set(OVERSIGHT_ROLES):
        return True
    if body_id_of(user) != column.body_id:
        return False
    return _audience_match(column.audience, roles)


def _audience_match(audience: str, roles: set[str]) -> bool:
    if audience in (Audience.ALL, Audience.PUBLIC):
        return True
    if audience == Audience.MEMBERS:
        return bool(roles & (set(MEMBER_ROLES) | set(BODY_STAFF_ROLES)))
    if audience == Audience.STAFF:
        return bool(roles - set(MEMBER_ROLES))
    return False


def visible_column_filter(user) -> Q:
    """A filter on Column: the active columns the user may read (used by the column selectors)."""
    if not _authenticated(user):
        return Q(pk__in=[])
    oversight, own, audiences = visible_column_scope(user)
    q = Q(body_id__in=oversight)
    if own is not None:
        q |= Q(body_id=own, audience__in=audiences)
    return q & Q(is_active=True)


def visible_column_scope(user) -> tuple:
    """All that `visible_column_filter` depends on: (oversight body ids, own body id, audiences), hashable (users
    with the same scope see the same columns: the cache key of the column tiles)."""
    own = body_id_of(user)
    audiences = ()
    if own is not None:
        roles = roles_in_body(user, own)
        audiences = tuple(a for a in Audience.values if _audience_match(a, roles))
    return tuple(sorted(oversight_body_ids(user))), own, audiences


# ---- authors ---------------------------------------------------------------------------------------------------


def draft_units(user, column: Column) -> list:
    """The owning departments of `column` in which the user may draft (as staff or head)."""
    if not _authenticated(user) or not column.is_active:
        return []
    return [unit for unit in column.owners.all() if unit.is_active and has_any_role(user, DRAFTER_ROLES, unit)]


def may_draft(user, column: Column) -> bool:
    return bool(draft_units(user, column))


def may_edit(user, article: Article) -> bool:
    """Staff and heads of the host unit edit and submit its drafts (the author among them)."""
    return _authenticated(user) and has_any_role(user, DRAFTER_ROLES, article.unit)


# ---- reviewers ---------------------------------------------------------------------------------------------------


def _current_step(article):
    step = article.current_step
    if step is None or step.revision_id is None:
        return None
    return step


def holds_step(user, step) -> bool:
    return _authenticated(user) and has_role(user, step.role, step.unit)


def _other_deciders(article, step) -> set[int]:
    """Users who already decided a review/approval step of this revision."""
    return set(
        ReviewStep.objects.filter(revision_id=step.revision_id, status=ReviewStep.Status.DONE)
        .exclude(pk=step.pk)
        .exclude(kind=StepKind.PUBLISH)
        .exclude(decided_by=None)
        .values_list("decided_by_id", flat=True)
    )


def is_own_article(user, article: Article) -> bool:
    return user.pk in {article.author_id, article.submitted_by_id}


def may_decide(user, article: Article, *, kinds=(StepKind.REVIEW, StepKind.APPROVE)) -> bool:
    """May the user take the current review/approval step (or, with kinds=(PUBLISH,), publish)?"""
    step = _current_step(article)
    if step is None or step.kind not in kinds or not holds_step(user, step):
        return False
    if is_own_article(user, article):
        return False  # no self-approval
    # one person, one approval per revision
    return step.kind == StepKind.PUBLISH or user.pk not in _other_deciders(article, step)


def may_publish(user, article: Article) -> bool:
    return article.status == Article.Status.APPROVED and may_decide(user, article, kinds=(StepKind.PUBLISH,))


def may_unschedule(user, article: Article) -> bool:
    """Take back a scheduled publication: who holds the publish step of the scheduled revision (that step is done,
    so `may_publish`, which wants an approved article and a pending step, never holds here)."""
    if article.status != Article.Status.SCHEDULED:
        return False
    step = ReviewStep.objects.filter(
        revision__article=article, revision__number=article.revision_no, kind=StepKind.PUBLISH
    ).first()
    return step is not None and holds_step(user, step)


def may_review(user, article: Article) -> bool:
    return article.status == Article.Status.IN_REVIEW and may_decide(user, article)


def may_return(user, article: Article) -> bool:
    return may_review(user, article) or may_publish(user, article)


# ---- after publication -----------------------------------------------------------------------------------------


def may_take_down(user, article: Article) -> bool:
    """S0-11: the secrecy office and the information office of the body at once; the host unit's head too."""
    if not _authenticated(user):
        return False
    return holds_in_body(user, TAKEDOWN_ROLES, article.body) or has_role(user, Role.HEAD, article.unit)


def may_read(user, article: Article) -> bool:
    return article.is_live and audience_allows(user, article.column)


def may_work_on(user, article: Article) -> bool:
    """See an article's working copy, history, steps and findings."""
    if not _authenticated(user):
        return False
    if may_edit(user, article) or holds_in_body(
        user, (Role.INFO_OFFICE, Role.SECRECY_OFFICE, Role.LEADER), article.body
    ):
        return True
    step = _current_step(article)
    return step is not None and holds_step(user, step)


def may_report(user, article: Article) -> bool:
    return may_read(user, article)


def may_handle_report(user, report) -> bool:
    return _authenticated(user) and (
        has_role(user, Role.INFO_OFFICE, report.office) or holds_in_body(user, (Role.INFO_OFFICE,), report.body)
    )


def report_queue_filter(user) -> Q:
    if not _authenticated(user):
        return Q(pk__in=[])
    return Q(body_id__in=oversight_body_ids(user, (Role.INFO_OFFICE,)))


def may_use_report_queue(user) -> bool:
    return _authenticated(user) and bool(oversight_body_ids(user, (Role.INFO_OFFICE,)))


# ---- queues and the register -------------------------------------------------------------------------------------


def step_queue_filter(user) -> Q:
    """A filter on Article: its current step is held by the user (role at the step's unit or below a reaching
    assignment)."""
    q = Q(pk__in=[])
    if not _authenticated(user):
        return q
    for a in active_assignments(user):
        where = Q(current_step__unit_id=a.unit_id)
        if a.include_descendants:
            where |= Q(current_step__unit__path__startswith=a.unit.path)
        q |= Q(current_step__role=a.role) & where
    return q


def register_filter(user) -> Q:
    """A filter on RegisterEntry: a department's staff and heads see its register; the information office, the
    secrecy office and leaders see their body's."""
    q = Q(pk__in=[])
    if not _authenticated(user):
        return q
    for a in active_assignments(user):
        if a.role in DRAFTER_ROLES:
            q |= Q(unit_id=a.unit_id)
            if a.include_descendants:
                q |= Q(unit__path__startswith=a.unit.path)
    bodies = oversight_body_ids(user, (Role.INFO_OFFICE, Role.SECRECY_OFFICE, Role.LEADER))
    if bodies:
        q |= Q(body_id__in=bodies)
    return q


def may_see_register(user) -> bool:
    return _authenticated(user) and (
        has_any_role(user, DRAFTER_ROLES)
        or bool(oversight_body_ids(user, (Role.INFO_OFFICE, Role.SECRECY_OFFICE, Role.LEADER)))
    )


def may_write(user) -> bool:
    """Show the "write" entry at all (staff or head somewhere)."""
    return _authenticated(user) and has_any_role(user, DRAFTER_ROLES)


# ---- columns -------------------------------------------------------------------------------------------------------


def may_propose_column_change(user, body) -> bool:
    return _authenticated(user) and holds_in_body(user, (Role.INFO_OFFICE,), body)


def may_decide_column_change(user, change) -> bool:
    return (
        _authenticated(user) and change.proposed_by_id != user.pk and holds_in_body(user, (Role.LEADER,), change.body)
    )


def column_admin_body_ids(user) -> set[int]:
    return oversight_body_ids(user, (Role.INFO_OFFICE, Role.LEADER)) if _authenticated(user) else set()


# ---- archive handling (S0-10), sources (S2-27), urgent items (S2-29) ---------------------------------------------


def roles_at_unit(user, unit) -> set[str]:
    """The roles the user holds at `unit` itself or at a unit above it that reaches down."""
    if not _authenticated(user) or unit is None:
        return set()
    return {
        a.role
        for a in active_assignments(user)
        if a.unit_id == unit.pk or (a.include_descendants and unit.path.startswith(a.unit.path))
    }


def may_handle_archive(user, entry) -> bool:
    """Keep, lend, take back and ask to destroy a register entry's archive: its department's staff and heads, and
    the body's information office."""
    return bool(roles_at_unit(user, entry.unit) & set(DRAFTER_ROLES)) or holds_in_body(
        user, (Role.INFO_OFFICE,), entry.body_id
    )


def may_approve_destruction(user, record) -> bool:
    """A destruction is approved by the department's head or a leader of the body, never by its requester."""
    if not _authenticated(user) or record.destruction_requested_by_id == user.pk:
        return False
    return Role.HEAD in roles_at_unit(user, record.unit) or holds_in_body(user, (Role.LEADER,), record.body_id)


def may_admin_sources(user, body) -> bool:
    return _authenticated(user) and body is not None and holds_in_body(user, (Role.INFO_OFFICE,), body)


def urgent_report_body_ids(user) -> set[int]:
    """Bodies whose emergency and rumour response times the user may see: information office and leaders."""
    return oversight_body_ids(user, (Role.INFO_OFFICE, Role.LEADER)) if _authenticated(user) else set()
