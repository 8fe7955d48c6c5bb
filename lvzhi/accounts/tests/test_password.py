import datetime as dt

import pytest
from django.utils import timezone
from freezegun import freeze_time

from lvzhi.accounts.models import PasswordHistory, User
from lvzhi.accounts.roles import Role
from lvzhi.audit.models import AuditEvent
from lvzhi.testing import PASSWORD, login, make_user

pytestmark = pytest.mark.django_db

NEW = "Xin@mima2026"


def change(client, current, new1, new2=None):
    return client.post(
        "/accounts/password/change/",
        {"current_password": current, "new_password1": new1, "new_password2": new2 if new2 is not None else new1},
    )


@pytest.mark.req("S0-22", "S2-5")
def test_first_login_with_the_initial_password_forces_a_change_before_anything_else(client, body):
    user = make_user(body, roles=[Role.MEMBER], must_change_password=True)
    response = login(client, user)
    assert response.status_code == 302
    for path in ("/", "/accounts/profile/", "/inbox/", "/office/"):
        answer = client.get(path)
        assert answer.status_code == 302 and answer["Location"] == "/accounts/password/change/", path
    page = client.get("/accounts/password/change/")
    assert page.status_code == 200 and 'data-testid="forced"' in page.content.decode()
    assert change(client, PASSWORD, NEW).status_code == 302
    user.refresh_from_db()
    assert user.must_change_password is False and user.check_password(NEW)
    assert client.get("/").status_code == 200  # the session survived the change
    assert AuditEvent.objects.filter(event="accounts.password.change", actor=user).exists()


@pytest.mark.req("S0-22")
def test_the_change_needs_the_current_password_and_the_same_new_one_twice(client, body):
    user = make_user(body, roles=[Role.MEMBER], must_change_password=True)
    login(client, user)
    wrong_current = change(client, "Nope@12345", NEW)
    assert wrong_current.status_code == 200
    mismatch = change(client, PASSWORD, NEW, NEW + "x")
    assert mismatch.status_code == 200
    empty = change(client, "", "", "")
    assert empty.status_code == 200
    user.refresh_from_db()
    assert user.must_change_password is True and user.check_password(PASSWORD)
    assert not AuditEvent.objects.filter(event="accounts.password.change").exists()


@pytest.mark.parametrize(
    ("new", "why"),
    [
        ("Ab1!", "too short"),
        ("abcdefgh1", "two classes"),
        ("ABCDEFGH", "one class"),
        ("{phone}Aa!", "contains the phone"),
        (PASSWORD, "the current one"),
        ("x" * 129, "oversized"),
    ],
)
@pytest.mark.req("S0-22", "S2-34")
def test_the_password_policy_refuses_weak_passwords(client, body, new, why):
    user = make_user(body, roles=[Role.MEMBER], must_change_password=True)
    login(client, user)
    response = change(client, PASSWORD, new.format(phone=user.phone))
    assert response.status_code == 200, why
    user.refresh_from_db()
    assert user.check_password(PASSWORD) and user.must_change_password, why


@pytest.mark.req("S0-22", "S2-34")
def test_none_of_the_last_five_passwords_may_be_reused(client, body):
    user = make_user(body, roles=[Role.MEMBER])
    login(client, user)
    history = [PASSWORD] + [f"Mima@{i}abcX" for i in range(1, 6)]
    for previous, new in zip(history, history[1:], strict=False):
        assert change(client, previous, new).status_code == 302, new
    # the last five (1..5) are refused; the sixth back (the initial one) is allowed again
    current = history[-1]
    for old in history[1:5]:
        assert change(client, current, old).status_code == 200, old
    assert change(client, current, PASSWORD).status_code == 302
    assert PasswordHistory.objects.filter(user=user).count() == 7


@pytest.mark.req("S0-22", "S2-34")
def test_an_administrator_password_older_than_ninety_days_must_be_changed(client, office):
    admin = make_user(office, roles=[Role.SECADMIN])
    User.objects.filter(pk=admin.pk).update(password_changed_at=timezone.now())
    with freeze_time(timezone.now() + dt.timedelta(days=89)):
        login(client, admin)
        assert client.get("/").status_code == 200
        client.post("/accounts/logout/")
    with freeze_time(timezone.now() + dt.timedelta(days=91)):
        login(client, admin)
        response = client.get("/")
        assert response.status_code == 302 and response["Location"] == "/accounts/password/change/"
        assert change(client, PASSWORD, NEW).status_code == 302
        assert client.get("/").status_code == 200


@pytest.mark.req("S0-22")
def test_an_ordinary_user_is_not_forced_by_age(client, member):
    User.objects.filter(pk=member.pk).update(password_changed_at=timezone.now() - dt.timedelta(days=400))
    login(client, member)
    assert client.get("/").status_code == 200
