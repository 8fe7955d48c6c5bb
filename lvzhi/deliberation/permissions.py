"""Who may see and do what in online deliberation: small predicates of role × org unit × state.

- the hosting committee's staff and head (its 工作处): draft, edit and publish topics, moderate posts, mark
  viewpoints, draft the 专报, choose speakers, link activities, record follow-ups, see participation, remind;
- the committee head (the S0-7.1 chain role, HEAD at the committee): approves the topic and the 专报;
- a member or deputy of the body: reads published topics, posts, replies, supports, while the discussion is open;
- any other user of the body: reads published topics; another body's users and the three administrators: nothing
  (missing, not forbidden). A topic not yet published is seen by its committee only.
"""

from lvzhi.accounts.permissions import active_assignments, has_role, is_administrator
from lvzhi.accounts.roles import Role
from lvzhi.core.timeutil import local_date
from lvzhi.orgs.models import UnitKind

from .models import Topic

T = Topic.Status
PUBLISHED = (T.OPEN, T.CLOSED, T.HELD)
OFFICE_ROLES = (Role.STAFF, Role.HEAD)


def _user(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.is_active and not is_administrator(user)


def works_at(user, committee) -> bool:
    """Staff or head of the hosting committee."""
    return _user(user) and committee is not None and any(has_role(user, r, committee) for r in OFFICE_ROLES)


def is_head(user, committee) -> bool:
    return _user(user) and committee is not None and has_role(user, Role.HEAD, committee)


def in_body(user, body) -> bool:
    unit = getattr(user, "unit", None)
    return _user(user) and unit is not None and unit.body_id == body.pk


def is_member_of(user, body) -> bool:
    return _user(user) and (has_role(user, Role.MEMBER, body) or has_role(user, Role.DEPUTY, body))


def may_see(user, topic) -> bool:
    if works_at(user, topic.committee):
        return True
    return topic.status in PUBLISHED and (in_body(user, topic.body) or is_member_of(user, topic.body))


def may_manage(user, topic) -> bool:
    return works_at(user, topic.committee)


def may_edit(user, topic) -> bool:
    return topic.status == T.DRAFT and works_at(user, topic.committee)


def discussion_open(topic, today=None) -> bool:
    today = today or local_date()
    return topic.status == T.OPEN and topic.discuss_from <= today <= topic.discuss_until


def may_post(user, topic) -> bool:
    return discussion_open(topic) and is_member_of(user, topic.body)


def may_support(user, post) -> bool:
    return may_post(user, post.topic) and post.author_id != user.pk and post.status == "visible"


def may_moderate(user, topic) -> bool:
    return topic.status in PUBLISHED and works_at(user, topic.committee)


def committees_of(user) -> list:
    """The committees where the user is staff or head (the ones whose topics they manage)."""

    if not _user(user):
        return []
    units = {a.unit for a in active_assignments(user) if a.role in OFFICE_ROLES and a.unit.kind == UnitKind.COMMITTEE}
    return sorted(units, key=lambda u: u.path)
