"""Role × step × state for a message to a deputy (answered for by the deputy and the station's staff) and a 纠错 to
a website (answered for by the host unit), written out by hand. Who may not see a message is told it does not
exist (404); who sees it but may not take a step is refused (403)."""

import pytest
from django.contrib.auth.models import AnonymousUser

from lvzhi.core.errors import NotFound, PermissionDenied
from lvzhi.letters import selectors, services
from lvzhi.letters.actions import STEPS

from .conftest import write

ROLES = ("deputy", "station_staff", "host_staff", "office", "gov_staff", "other_staff", "anonymous", "sysadmin")


def _user(w, role):
    return AnonymousUser() if role == "anonymous" else getattr(w, role)


def _to_state(w, letter, state):
    if state == "answered":
        return services.answer_letter(actor=w.station_staff, letter=letter, reply="已收到。", public_reply="公开答复。")
    if state == "passed_on":
        return services.pass_on(actor=w.deputy, letter=letter, passed_as="suggestion")
    if state == "closed":
        letter = services.pass_on(actor=w.deputy, letter=letter, passed_as="suggestion")
        return services.close_letter(actor=w.deputy, letter=letter, result="已办结。")
    return letter


DEPUTY_LETTER = {
    "received": {
        "deputy": ["answer", "forward", "pass_on", "decline"],
        "station_staff": ["answer", "forward", "decline"],
    },
    "answered": {
        "deputy": ["pass_on", "close"],
        "station_staff": ["close"],
        "office": ["publish", "refuse_publication"],
    },
    "passed_on": {
        "deputy": ["close", "propose_public"],
        "station_staff": ["close", "propose_public"],
        "office": ["propose_public"],
    },
    "closed": {"deputy": ["propose_public"], "station_staff": ["propose_public"], "office": ["propose_public"]},
}
SEES_DEPUTY_LETTER = {"deputy", "station_staff", "office"}


@pytest.mark.req("S4-2.2.3", "S2-30")
@pytest.mark.parametrize("state", list(DEPUTY_LETTER))
def test_steps_on_a_message_to_a_deputy(w, state):
    letter = _to_state(w, write(w), state)
    for role in ROLES:
        user = _user(w, role)
        if role not in SEES_DEPUTY_LETTER:
            with pytest.raises(NotFound):
                selectors.access(user, letter.pk)
            assert STEPS.available(user, letter) == [], role
            continue
        assert selectors.access(user, letter.pk) == letter
        assert [s.name for s in STEPS.available(user, letter)] == DEPUTY_LETTER[state].get(role, []), (role, state)


OUTLET_LETTER = {
    "received": {"host_staff": ["answer", "forward", "decline"]},
    "forwarded": {"host_staff": ["answer"], "transport_staff": ["answer"]},
    "answered": {"host_staff": ["close"], "gov_staff": ["publish", "refuse_publication"]},
}


@pytest.mark.req("S2-30", "S1-5.3")
@pytest.mark.parametrize("state", list(OUTLET_LETTER))
def test_steps_on_an_error_report_to_a_site(w, state):
    letter = write(w, to="outlet", kind="error_report")
    if state in ("forwarded", "answered"):
        letter = services.forward_letter(actor=w.host_staff, letter=letter, unit_id=w.transport.pk)
    if state == "answered":
        letter = services.answer_letter(
            actor=w.transport_staff, letter=letter, reply="已更正。", public_reply="已更正。"
        )
    sees = {"host_staff", "gov_staff"} | ({"transport_staff"} if state != "received" else set())
    for role in (*ROLES, "transport_staff"):
        user = _user(w, role)
        if role not in sees:
            with pytest.raises(NotFound):
                selectors.access(user, letter.pk)
            continue
        assert [s.name for s in STEPS.available(user, letter)] == OUTLET_LETTER[state].get(role, []), (role, state)


@pytest.mark.req("S4-2.2.3")
def test_forbidden_steps_are_refused_and_change_nothing(w):
    letter = write(w)
    with pytest.raises(PermissionDenied):
        STEPS.perform(actor=w.station_staff, obj=letter, name="pass_on", data={"passed_as": "suggestion"})
    with pytest.raises(NotFound):
        STEPS.perform(actor=w.other_staff, obj=letter, name="answer", data={"reply": "x"})
    with pytest.raises(PermissionDenied):
        STEPS.perform(actor=w.office, obj=letter, name="answer", data={"reply": "x"})
    with pytest.raises(NotFound):
        STEPS.perform(actor=w.deputy, obj=letter, name="nonsense", data={})
    letter.refresh_from_db()
    assert (letter.status, letter.reply, letter.passed_ref) == ("received", "", "")
