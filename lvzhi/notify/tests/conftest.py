import pytest

from lvzhi.testing import make_body, make_user


@pytest.fixture
def body(db):
    return make_body(name="测试市政协")


@pytest.fixture
def member(body):
    return make_user(body, roles=["member"], real_name="张委员", phone="13700000001")


@pytest.fixture
def other(body):
    return make_user(body, roles=["member"], real_name="李委员", phone="13700000002")


@pytest.fixture
def stranger(db):
    """A user of another body."""
    return make_user(make_body(name="另一市政协"), roles=["staff"], real_name="王干部", phone="13700000003")
