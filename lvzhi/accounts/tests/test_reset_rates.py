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


def ask_via_proxy(phone, forwarded, proxy="10.0.0.10"):
    client = Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR=forwarded)
    return client.post("/accounts/password/forgot/", {"phone": phone})


@pytest.mark.req("S2-34", "S0-23")
def test_behind_a_trusted_proxy_the_limit_is_per_client_and_a_forged_header_does_not_help(settings):
    settings.LVZHI_SMS_PER_IP_HOUR = 3
    settings.LVZHI_TRUSTED_PROXIES = ("10.0.0.10", "127.0.0.0/8")
    # An attacker behind nginx sends a new forged X-Forwarded-For each time: nginx appends the real address, the
    # rightmost untrusted hop, and that one is counted.
    answers = [
        ask_via_proxy(f"1390001{n:04d}", f"203.0.113.{n}, 198.51.100.7, 127.0.0.1").status_code for n in range(5)
    ]
    assert answers == [302] * 3 + [200] * 2
    # Another client behind the same proxy is not held up by it.
    assert ask_via_proxy("13900029999", "198.51.100.8").status_code == 302


@pytest.mark.req("S2-34", "S0-23")
def test_without_trusted_proxies_x_forwarded_for_is_ignored(settings):
    settings.LVZHI_SMS_PER_IP_HOUR = 2
    assert settings.LVZHI_TRUSTED_PROXIES == ()  # the default
    answers = [ask_via_proxy(f"1390003{n:04d}", f"198.51.100.{n}").status_code for n in range(3)]
    assert answers == [302, 302, 200]  # all counted on the address that connected


@pytest.mark.req("S2-34")
def test_client_ip_rules(rf, settings):
    from lvzhi.core.netaddr import client_ip

    settings.LVZHI_TRUSTED_PROXIES = ("10.0.0.0/24",)

    def ip(remote, forwarded=None):
        meta = {"REMOTE_ADDR": remote} | ({"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {})
        return client_ip(rf.get("/", **meta))

    assert ip("192.0.2.1", "6.6.6.6") == "192.0.2.1"  # not from a proxy: the header is not believed
    assert ip("10.0.0.5", "6.6.6.6, 192.0.2.9") == "192.0.2.9"
    assert ip("10.0.0.5", "192.0.2.9, 10.0.0.7") == "192.0.2.9"  # two proxies in a row
    assert ip("10.0.0.5", "10.0.0.8") == "10.0.0.8"  # only proxies: the leftmost of them
    assert ip("10.0.0.5", "") == "10.0.0.5"
    assert ip("10.0.0.5", "forged, 192.0.2.9") == "192.0.2.9"
    assert ip("10.0.0.5", "192.0.2.9, garbage") == "10.0.0.5"  # a malformed hop: trust nothing left of it
