import datetime as dt
import re

import pytest
from django.utils import timezone
from freezegun import freeze_time

from lvzhi.accounts.models import ApiToken, SmsCode, User
from lvzhi.accounts.roles import Role
from lvzhi.audit.models import AuditEvent
from lvzhi.notify.models import Delivery
from lvzhi.testing import PASSWORD, make_user

from .conftest import api_login, bearer

pytestmark = pytest.mark.django_db

NEW = "Xin@mima2026"


def ask(client, phone):
    return client.post("/accounts/password/forgot/", {"phone": phone})


def reset(client, phone, code, new=NEW):
    return client.post(
        "/accounts/password/reset/", {"phone": phone, "code": code, "new_password1": new, "new_password2": new}
    )


def sent_code(phone) -> str:
    delivery = Delivery.objects.filter(channel="sms", to=phone).order_by("-id").first()
    return re.search(r"\d{6}", delivery.text).group(0)


@pytest.mark.req("S0-23")
def test_forgot_password_sends_a_code_and_the_code_resets_the_password(
    client, member, django_capture_on_commit_callbacks
):
    token = api_login(client, member)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = ask(client, member.phone)
    assert len(callbacks) == 1
    assert response.status_code == 302 and response["Location"] == "/accounts/password/reset/"
    code = sent_code(member.phone)
    row = SmsCode.objects.get(phone=member.phone)
    assert code not in row.code_digest and len(row.code_digest) == 64  # only the keyed digest is stored
    assert Delivery.objects.get(to=member.phone).status == "sent"  # sent by the task after commit
    page = client.get("/accounts/password/reset/").content.decode()
    assert member.phone in page  # the number is carried over
    response = reset(client, member.phone, code)
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    user = User.objects.get(pk=member.pk)
    assert user.check_password(NEW)
    assert AuditEvent.objects.filter(event="accounts.password.reset", actor=member).exists()
    # a reset revokes the API tokens, and the code cannot be used twice
    assert client.get("/api/v1/me", **bearer(token)).status_code == 401
    assert ApiToken.objects.get(user=member).revoked_at is not None
    assert reset(client, member.phone, code, "Other@pass2026").status_code == 200
    assert User.objects.get(pk=member.pk).check_password(NEW)


@pytest.mark.req("S0-23", "S2-34")
def test_the_answer_is_the_same_for_an_unknown_number_and_no_sms_is_sent(client, member):
    known = ask(client, member.phone)
    unknown = ask(client, "13912345678")
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    known_page = client.get(known["Location"])
    assert Delivery.objects.filter(to="13912345678").count() == 0
    assert Delivery.objects.filter(to=member.phone).count() == 1
    # the per-minute limit answers the same for both, too
    again_known = ask(client, member.phone)
    again_unknown = ask(client, "13912345678")
    assert again_known.status_code == again_unknown.status_code == 200
    assert known_page.status_code == 200


@pytest.mark.req("S0-23")
def test_a_code_expires_after_five_minutes(client, member):
    start = timezone.now()
    with freeze_time(start) as frozen:
        ask(client, member.phone)
        code = sent_code(member.phone)
        frozen.tick(dt.timedelta(minutes=5, seconds=1))
        assert reset(client, member.phone, code).status_code == 200
    assert User.objects.get(pk=member.pk).check_password(PASSWORD)


@pytest.mark.req("S0-23")
def test_a_code_allows_five_tries_then_it_is_dead(client, member):
    ask(client, member.phone)
    code = sent_code(member.phone)
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        assert reset(client, member.phone, wrong).status_code == 200
    assert SmsCode.objects.get(phone=member.phone).attempts == 5
    assert reset(client, member.phone, code).status_code == 200  # even the right code is refused now
    assert User.objects.get(pk=member.pk).check_password(PASSWORD)


@pytest.mark.req("S0-23")
def test_at_most_one_code_a_minute_and_ten_a_day(client, member):
    start = timezone.localtime().replace(hour=8, minute=0, second=0, microsecond=0)
    with freeze_time(start) as frozen:
        assert ask(client, member.phone).status_code == 302
        frozen.tick(dt.timedelta(seconds=30))
        assert ask(client, member.phone).status_code == 200
        for _ in range(9):
            frozen.tick(dt.timedelta(seconds=61))
            assert ask(client, member.phone).status_code == 302
        frozen.tick(dt.timedelta(seconds=61))
        assert ask(client, member.phone).status_code == 200
        assert SmsCode.objects.filter(phone=member.phone).count() == 10
        assert Delivery.objects.filter(to=member.phone).count() == 10
        frozen.tick(dt.timedelta(days=1))
        assert ask(client, member.phone).status_code == 302


@pytest.mark.req("S0-23")
def test_only_the_newest_code_works(client, member):
    with freeze_time(timezone.now()) as frozen:
        ask(client, member.phone)
        first = sent_code(member.phone)
        frozen.tick(dt.timedelta(seconds=61))
        ask(client, member.phone)
        second = sent_code(member.phone)
        if first != second:
            assert reset(client, member.phone, first).status_code == 200
        assert reset(client, member.phone, second).status_code == 302


@pytest.mark.req("S0-23", "S2-34")
def test_the_new_password_must_follow_the_policy_and_a_weak_one_keeps_the_code(client, member):
    ask(client, member.phone)
    code = sent_code(member.phone)
    assert reset(client, member.phone, code, "weak").status_code == 200
    assert reset(client, member.phone, code, PASSWORD).status_code == 200  # the last five may not be reused
    assert reset(client, member.phone, code).status_code == 302


@pytest.mark.parametrize("phone", ["", "123", "1" * 300, "abcdefghijk"])
@pytest.mark.req("S0-23")
def test_malformed_numbers_are_form_errors(client, phone):
    response = ask(client, phone)
    assert response.status_code == 200
    assert not SmsCode.objects.exists()


@pytest.mark.req("S0-23", "S2-37")
def test_a_reset_lifts_a_lockout(client, member):
    User.objects.filter(pk=member.pk).update(locked_until=timezone.now() + dt.timedelta(minutes=20))
    ask(client, member.phone)
    assert reset(client, member.phone, sent_code(member.phone)).status_code == 302
    assert client.post("/accounts/login/", {"phone": member.phone, "password": NEW}).status_code == 302


@pytest.mark.req("S0-23", "S0-24")
def test_a_frozen_user_gets_no_code(client, body):
    user = make_user(body, roles=[Role.MEMBER])
    User.objects.filter(pk=user.pk).update(is_frozen=True)
    assert ask(client, user.phone).status_code == 302
    assert not Delivery.objects.filter(to=user.phone).exists()
