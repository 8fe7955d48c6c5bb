"""S0-5.3 permission matrix: every role × every action × the meeting's state, through the API (the web pages call
the same services). ok = 200 and the state moved; forbidden = 403 (a meeting the user sees, a step not theirs);
hidden = 404 (a meeting the user may not see answers like one that does not exist — another body's people, the
administrators, members not invited)."""

import datetime as dt

import pytest
from freezegun import freeze_time

from lvzhi.consultation.models import Invitation, Meeting
from lvzhi.testing import login

from .conftest import build_world, department_meeting, member_meeting

pytestmark = [pytest.mark.req("S0-5.3"), pytest.mark.django_db]
J = "application/json"
ROLES = [
    "econ_staff",
    "econ_head",
    "info_head",
    "info_staff",
    "leader",
    "m1",
    "m2",
    "m3",
    "social_staff",
    "leader2",
    "member2",
    "sysadmin",
]
OK, NO, HIDDEN = 200, 403, 404


def expect(case, action, role):
    """The matrix, written out. `m2` is invited to every meeting; `m1` starts the member's meeting."""
    if case == "member":
        seen = {"m1", "m2"}
        host = {"m1"}
    else:
        seen = {"econ_staff", "econ_head", "info_head", "info_staff", "leader", "m2"}
        host = {"econ_staff", "econ_head"}
    if role not in seen:
        return HIDDEN
    state = {"member": "scheduled", "applied": "applied", "scheduled": "scheduled"}[case]
    if action == "view":
        return OK
    if action in ("approve", "refuse"):
        return OK if state == "applied" and role in {"info_head", "leader"} else NO
    if action == "cancel":
        return OK if role in host else NO
    if action == "end":
        return OK if state == "scheduled" and role in host else NO
    if action == "join":
        return OK if state == "scheduled" and role in host | {"m2"} else HIDDEN
    if action == "invite":
        return OK if role in host else NO
    raise AssertionError(action)


def make(w, case):
    if case == "member":
        return member_meeting(w, invite=[w.m2])
    return department_meeting(w, approve=case == "scheduled", invite=[w.m2])


def act(client, w, m, action):
    base = f"/api/v1/consultation/meetings/{m.pk}"
    if action == "view":
        return client.get(base)
    if action == "join":
        return client.get(f"{base}/join")
    if action == "invite":
        return client.post(f"{base}/invitations", {"users": [w.m3.pk]}, content_type=J)
    text = "理由" if action == "refuse" else ""
    return client.post(f"{base}/steps/{action}", {"text": text}, content_type=J)


AFTER = {"approve": "scheduled", "refuse": "refused", "cancel": "cancelled", "end": "ended"}


@pytest.mark.parametrize("case", ["applied", "scheduled", "member"])
@pytest.mark.parametrize("action", ["view", "approve", "refuse", "cancel", "end", "join", "invite"])
def test_matrix(client, case, action):
    w = build_world()
    meeting = make(w, case)
    for role in ROLES:
        user = getattr(w, role)
        m = meeting
        before = Meeting.objects.get(pk=m.pk).status
        with freeze_time(m.starts_at + dt.timedelta(minutes=5)):
            client.logout()
            login(client, user)
            r = act(client, w, m, action)
        want = expect(case, action, role)
        assert r.status_code == want, (case, action, role, r.status_code, r.content[:200])
        after = Meeting.objects.get(pk=m.pk).status
        if want == OK and action in AFTER:
            assert after == AFTER[action]
            meeting = make(w, case)  # a fresh meeting for the next role
        else:
            assert after == before
        if action == "invite":
            invited = Invitation.objects.filter(meeting=m, user=w.m3).exists()
            assert invited == (want == OK)
            Invitation.objects.filter(meeting=m, user=w.m3).delete()
        if want == HIDDEN:
            assert r.json()["code"] == "not_found" and m.title not in r.content.decode()
