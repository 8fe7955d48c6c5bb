import pytest
from django.db import connection

from lvzhi.testing import login, make_body, make_unit, make_user


def admin_login(client, user):
    """Log an administrator in through the real login page and its second-factor (TOTP) step."""
    return login(client, user)


def drop_guard():
    """Lift the append-only triggers inside the test's transaction (rolled back with it)."""
    from lvzhi.audit.db import remove_guard

    remove_guard(connection)


@pytest.fixture
def body(db):
    return make_body(name="测试市政协")


@pytest.fixture
def office(body):
    return make_unit(body, name="信息化办")


@pytest.fixture
def auditor(body):
    return make_user(body, roles=["auditadmin"], real_name="审计员", phone="13900000009")


@pytest.fixture
def auditor_client(client, auditor):
    admin_login(client, auditor)
    return client
