import datetime as dt

import pytest
from django.utils import timezone
from freezegun import freeze_time

from lvzhi.accounts.errors import AccountFrozen, InvalidCredentials
from lvzhi.accounts.models import User
from lvzhi.accounts.roles import Role
from lvzhi.audit.models import AuditEvent
from lvzhi.testing import PASSWORD, make_user

pytestmark = pytest.mark.django_db

WRONG = "Wrong@pass123"
BAD = str(InvalidCredentials.default_message)
FROZEN = str(AccountFrozen.default_message)


def post_login(client, phone, password):
    return client.post("/accounts/login/", {"phone": phone, "password": password})


@pytest.mark.req("S0-22", "S2-34")
def test_login_with_phone_and_password_shows_the_real_name(client, member):
    page = client.get("/accounts/login/").content.decode()
    assert 'name="phone"' in page and 'name="password"' in page
    assert "remember" not in page.lower()
    response = post_login(client, member.phone, PASSWORD)
    assert response.status_code == 302
    home = client.get("/").content.decode()
    assert "王委员" in home
    event = AuditEvent.objects.filter(event="accounts.login.success").get()
    assert event.actor_id == member.pk


@pytest.mark.req("S2-34")
def test_unknown_phone_and_wrong_password_give_the_same_answer_and_are_audited(client, member):
    unknown = post_login(client, "13999999999", WRONG)
    wrong = post_login(client, member.phone, WRONG)
    assert unknown.status_code == wrong.status_code == 200
    message = BAD
    assert message in unknown.content.decode() and message in wrong.content.decode()
    failures = list(AuditEvent.objects.filter(event="accounts.login.failure").order_by("id"))
    assert len(failures) == 2
    assert failures[0].actor_id is None and failures[0].after["phone"] == "139****9999"
    assert failures[1].actor_id == member.pk and failures[1].after["phone"] == member.masked_phone
    assert "13999999999" not in str(failures[0].after)
    assert "_auth_user_id" not in client.session


@pytest.mark.req("S2-37", "S2-34")
def test_five_failures_lock_the_account_for_thirty_minutes_then_it_opens_again(client, member):
    start = timezone.now()
    with freeze_time(start) as frozen:
        for _ in range(4):
            assert BAD in post_login(client, member.phone, WRONG).content.decode()
        fifth = post_login(client, member.phone, WRONG).content.decode()
        member.refresh_from_db()
        assert member.locked_until == start + dt.timedelta(minutes=30)
        until = timezone.localtime(member.locked_until).strftime("%Y-%m-%d %H:%M")
        assert until in fifth and BAD not in fifth
        assert AuditEvent.objects.filter(event="accounts.login.locked", actor=member).count() == 1
        # even the right password is refused while locked
        locked = post_login(client, member.phone, PASSWORD)
        assert locked.status_code == 200 and until in locked.content.decode()
        assert "_auth_user_id" not in client.session
        frozen.tick(dt.timedelta(minutes=29))
        assert post_login(client, member.phone, PASSWORD).status_code == 200
        frozen.tick(dt.timedelta(minutes=2))
        assert post_login(client, member.phone, PASSWORD).status_code == 302
    member.refresh_from_db()
    assert member.failed_login_count == 0 and member.locked_until is None


@pytest.mark.req("S2-37")
def test_a_successful_login_resets_the_failure_count(client, member):
    for _ in range(4):
        post_login(client, member.phone, WRONG)
    assert User.objects.get(pk=member.pk).failed_login_count == 4
    assert post_login(client, member.phone, PASSWORD).status_code == 302
    assert User.objects.get(pk=member.pk).failed_login_count == 0
    client.post("/accounts/logout/")
    for _ in range(4):
        post_login(client, member.phone, WRONG)
    assert User.objects.get(pk=member.pk).locked_until is None


@pytest.mark.req("S2-34")
def test_an_unknown_number_locks_like_a_real_one_so_lockouts_reveal_nothing(client):
    for _ in range(4):
        post_login(client, "13999999998", WRONG)
    fifth = post_login(client, "13999999998", WRONG).content.decode()
    assert BAD not in fifth
    assert "locked" in fifth or "锁定" in fifth


@pytest.mark.req("S0-24")
def test_a_frozen_user_cannot_log_in_and_is_told_to_contact_the_information_office(client, body):
    user = make_user(body, roles=[Role.MEMBER])
    User.objects.filter(pk=user.pk).update(is_frozen=True)
    page = post_login(client, user.phone, PASSWORD).content.decode()
    assert FROZEN in page
    assert "_auth_user_id" not in client.session
    # without the right password nothing is revealed
    assert FROZEN not in post_login(client, user.phone, WRONG).content.decode()


@pytest.mark.req("S0-27", "S2-38")
def test_a_departed_user_cannot_log_in(client, body):
    user = make_user(body, roles=[Role.MEMBER])
    User.objects.filter(pk=user.pk).update(is_active=False)
    response = post_login(client, user.phone, PASSWORD)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


@pytest.mark.req("S2-37", "S2-34")
def test_logout_is_a_post_and_is_audited(client, member):
    post_login(client, member.phone, PASSWORD)
    assert client.get("/accounts/logout/").status_code == 405
    assert "_auth_user_id" in client.session
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    event = AuditEvent.objects.get(event="accounts.logout")
    assert event.actor_id == member.pk and event.after == {"reason": "user"}
    assert client.get("/").status_code == 302


@pytest.mark.req("S2-37")
def test_the_session_cookie_dies_with_the_browser(client, member):
    response = post_login(client, member.phone, PASSWORD)
    cookie = response.cookies["sessionid"]
    assert cookie["expires"] == "" and cookie["max-age"] == ""


@pytest.mark.parametrize(
    ("phone", "password"),
    [("", ""), ("1" * 500, PASSWORD), ("13800000000", "x" * 5000), ("<script>", "' OR 1=1 --")],
)
@pytest.mark.req("S2-34")
def test_bad_login_input_is_a_form_error_never_a_500(client, member, phone, password):
    response = post_login(client, phone, password)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


@pytest.mark.req("S2-34")
def test_the_next_parameter_may_not_leave_the_site(client, member):
    response = client.post("/accounts/login/?next=https://evil.example/", {"phone": member.phone, "password": PASSWORD})
    assert response["Location"] == "/"
    client.post("/accounts/logout/")
    response = client.post("/accounts/login/?next=/accounts/profile/", {"phone": member.phone, "password": PASSWORD})
    assert response["Location"] == "/accounts/profile/"
