"""Finding 11: reset codes are limited per IP address and globally (shared cache), besides per number."""

import pytest
from django.test import Client

from lvzhi.accounts.models import SmsCode
from lvzhi.testing import make_body, make_user

pytestmark = pytest.mark.django_db


def ask(phone, ip="10.1.2.3"):
    return Client(REMOTE_ADDR=ip).post("/accounts/password/forgot/", {"phone": phone})


@pytest.mark.req("S2-34", "S0-23")
def test_one_address_cannot_walk_through_many_numbers(settings):
    assert settings.LVZHI_SMS_PER_IP_HOUR == 20  # the default
    settings.LVZHI_SMS_PER_IP_HOUR = 5
    numbers = [f"1390000{n:04d}" for n in range(8)]
    answers = [ask(phone).status_code for phone in numbers]
    assert answers == [302] * 5 + [200] * 3
    assert SmsCode.objects.count() == 5
    page = ask("13911112222").content.decode()
    assert "您所在网络获取验证码次数过多" in page
    assert ask("13911112222", ip="10.9.9.9").status_code == 302  # another address is not held up


@pytest.mark.req("S2-34", "S0-23")
def test_a_global_limit_per_minute(settings):
    assert settings.LVZHI_SMS_GLOBAL_PER_MINUTE == 60
    settings.LVZHI_SMS_GLOBAL_PER_MINUTE = 3
    member = make_user(make_body(), roles=["member"])
    answers = [ask(f"1370000{n:04d}", ip=f"10.0.0.{n}").status_code for n in range(3)]
    assert answers == [302, 302, 302]
    page = ask(member.phone, ip="10.0.0.99")
    assert page.status_code == 200 and "当前获取验证码的请求过多" in page.content.decode()
    assert not SmsCode.objects.filter(phone=member.phone).exists()
