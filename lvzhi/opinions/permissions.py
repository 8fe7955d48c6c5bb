"""Who may see and do what with a public-opinion report: small predicates of role × org unit × state.

- the author: everything about their own report (drafts are theirs alone), answering verification questions,
  rating; co-reporters read it;
- the committee office (role staff at the handling committee, or at the members' liaison office for members in
  no committee, S0-15): accept, return, classify, forward, handle, transfer, verify, answer; a committee that
  transferred a report keeps reading it;
- the office head (role head there): approves a transfer back (S0-16) and deliberation topics (S0-17);
- the members' hotline (role hotline at the hotline unit the report was forwarded to): updates, questions, result;
- leaders (role leader at the body, or above it reaching down): read the body's reports and the statistics;
- the three administrators and the public: nothing (S0-4; 三员 do not read business content).
Nobody handles their own report. Another body's reports look like missing ones.
"""

from django.db.models import Q

from lvzhi.accounts.permissions import active_assignments, has_role, is_administrator
from lvzhi.accounts.roles import Role

from .models import Report

S = Report.Status
OFFICE_ROLES = (Role.STAFF, Role.HEAD)


def _user(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.is_active and not is_administrator(user)


def is_author(user, report: Report) -> bool:
    return _user(user) and report.author_id == user.pk


def is_co_reporter(user, report: Report) -> bool:
    if not _user(user) or report.pk is None:
        return False
    cached = getattr(report, "_co_reporter_ids", None)
    if cached is None:
        cached = set(report.co_reporters.values_list("pk", flat=True))
        report._co_reporter_ids = cached
    return user.pk in cached


def is_office_staff(user, report: Report) -> bool:
    """Staff of the office handling the report now (never for their own report)."""
    return (
        _user(user)
        and report.committee_id is not None
        and report.author_id != user.pk
        and has_role(user, Role.STAFF, report.committee)
    )


def is_office_head(user, report: Report) -> bool:
    return (
        _user(user)
        and report.committee_id is not None
        and report.author_id != user.pk
        and has_role(user, Role.HEAD, report.committee)
    )


def is_office_member(user, report: Report) -> bool:
    return is_office_staff(user, report) or is_office_head(user, report)


def is_origin_office(user, report: Report) -> bool:
    return (
        _user(user)
        and report.origin_committee_id is not None
        and any(has_role(user, role, report.origin_committee) for role in OFFICE_ROLES)
    )


def is_hotline_staff(user, report: Report) -> bool:
    return (
        _user(user)
        and report.hotline_id is not None
        and report.author_id != user.pk
        and has_role(user, Role.HOTLINE, report.hotline)
    )


def is_leader(user, report: Report) -> bool:
    return _user(user) and has_role(user, Role.LEADER, report.body)


def may_view(user, report: Report) -> bool:
    if not _user(user):
        return False
    if report.status == S.DRAFT:
        return report.author_id == user.pk
    return (
        report.author_id == user.pk
        or is_office_member(user, report)
        or is_origin_office(user, report)
        or is_hotline_staff(user, report)
        or is_leader(user, report)
        or is_co_reporter(user, report)
    )


def may_edit(user, report: Report) -> bool:
    """The author edits a draft, or a report returned for revision."""
    return is_author(user, report) and report.status in (S.DRAFT, S.RETURNED)


def may_write_reports(user) -> bool:
    """Members and deputies write reports; the administrators do not."""
    return _user(user) and (has_role(user, Role.MEMBER) or has_role(user, Role.DEPUTY))


def may_use_queue(user) -> bool:
    return _user(user) and any(has_role(user, role) for role in (Role.STAFF, Role.HEAD, Role.HOTLINE, Role.LEADER))


def may_see_statistics(user) -> bool:
    return _user(user) and any(has_role(user, role) for role in (Role.STAFF, Role.HEAD, Role.LEADER))


def _scope(user, roles) -> tuple[list[int], list[str]]:
    """(unit ids, paths reached below) where the user holds one of `roles`."""
    ids, paths = [], []
    for assignment in active_assignments(user):
        if assignment.role in roles:
            ids.append(assignment.unit_id)
            if assignment.include_descendants:
                paths.append(assignment.unit.path)
    return sorted(set(ids)), sorted(set(paths))


def _field_q(field: str, ids, paths) -> Q:
    q = Q(**{f"{field}_id__in": ids}) if ids else Q(pk__in=[])
    for path in paths:
        q |= Q(**{f"{field}__path__startswith": path})
    return q


def visible_q(user, *, transferred_out: bool = False) -> Q:
    """Submitted reports the user sees in the staff queue: their offices', their hotline's, their bodies' (one
    indexed condition per kind of scope; drafts have no office or hotline). With `transferred_out`: the reports
    their offices transferred to another committee."""
    if not _user(user):
        return Q(pk__in=[])
    offices = _scope(user, OFFICE_ROLES)
    if transferred_out:
        return _field_q("origin_committee", *offices) if offices[0] or offices[1] else Q(pk__in=[])
    q = Q(pk__in=[])
    if offices[0] or offices[1]:
        q |= _field_q("committee", *offices)
    hotlines = _scope(user, (Role.HOTLINE,))
    if hotlines[0] or hotlines[1]:
        q |= _field_q("hotline", *hotlines)
    bodies = _scope(user, (Role.LEADER,))
    if bodies[0] or bodies[1]:
        q |= _field_q("body", *bodies) & ~Q(status=S.DRAFT)
    return q


def statistics_units_q(user) -> Q:
    """The handling units (OrgUnit) whose statistics the user sees: their own offices, and every office of the
    bodies they lead."""
    if not _user(user):
        return Q(pk__in=[])
    q = Q(pk__in=[])
    for assignment in active_assignments(user):
        if assignment.role in OFFICE_ROLES:
            q |= Q(pk=assignment.unit_id)
        elif assignment.role == Role.LEADER:
            q |= Q(body_id=assignment.unit_id)
            if assignment.include_descendants:
                q |= Q(path__startswith=assignment.unit.path)
    return q


def may_post_update(user, report: Report) -> bool:
    if report.status in (S.AT_HOTLINE, S.VERIFYING):
        return is_hotline_staff(user, report)
    if report.status == S.HANDLING:
        return is_office_staff(user, report)
    return False


# ---- leaders' instructions (批示) -------------------------------------------------------------------------------

INSTRUCTABLE_GONE = (S.DRAFT, S.RETURNED, S.WITHDRAWN)


def may_instruct(user, report: Report) -> bool:
    """A leader of the report's body (or of a body above it, reaching down) records their instruction; the handling
    office records one for a named leader. Not on a draft, returned or withdrawn report, never on one's own."""
    return (
        _user(user)
        and report.author_id != user.pk
        and report.status not in INSTRUCTABLE_GONE
        and (is_leader(user, report) or is_office_member(user, report))
    )


def may_end_instruction(user, instruction) -> bool:
    """The instruction's leader, or the office handling its report, withdraws or corrects it."""
    report = instruction.report
    return (
        _user(user)
        and report.author_id != user.pk
        and ((instruction.leader_id == user.pk and is_leader(user, report)) or is_office_member(user, report))
    )
