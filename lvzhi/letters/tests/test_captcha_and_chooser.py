"""A captcha after repeated failures on the public's SMS-verified posting (messages, bookings, channel posts), kept
in the shared cache per address and per number; `/letters/write/` without an addressee is a chooser of this site's
deputies and contact stations."""

import datetime as dt
import re

import pytest
from django.test import Client
from django.utils import timezone

from lvzhi.core import captcha
from lvzhi.core.errors import ValidationFailed
from lvzhi.deputies import services as deputies
from lvzhi.letters import services
from lvzhi.letters.models import Letter
from lvzhi.notify.models import Delivery
from lvzhi.portal import services as portal

from .conftest import WRITER, sms_code

ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}
DIGITS = "零一二三四五六七八九十"


def _answer(html: str) -> dict:
    """Read the question on the page and answer it (as a person would)."""
    token = re.search(r'name="captcha_token" value="([^"]+)"', html).group(1)
    a, b = re.search(r"([一二三四五六七八九])加([一二三四五六七八九])等于几", html).groups()
    return {"captcha_token": token, "captcha": str(DIGITS.index(a) + DIGITS.index(b))}


def _letter(w, **extra):
    return {"deputy": w.page.pk, "kind": "suggestion", "title": "路灯", "text": "路灯坏了。", "phone": WRITER, **extra}


@pytest.mark.req("S4-2.2.3", "S4-2.1.2")
def test_after_three_wrong_codes_the_message_form_asks_the_question(w):
    c = Client(REMOTE_ADDR="10.1.1.1")
    sms_code(WRITER, ip="10.1.1.1")
    assert 'name="captcha"' not in c.get(f"/letters/write/?deputy={w.page.pk}", **ZH).content.decode()
    for _ in range(3):
        r = c.post("/letters/write/", _letter(w, code="000000"), **ZH)
        assert r.status_code == 400
    html = r.content.decode()
    assert 'data-testid="captcha"' in html and "等于几" in html
    assert Letter.objects.count() == 0
    # the right code without the answer is refused, and nothing is saved
    # from this address, another number too must answer it (the number above used up its messages for today)
    other = "13700005555"
    r = c.post("/letters/write/", _letter(w, phone=other, action="code", captcha="99", captcha_token="x"), **ZH)
    assert r.status_code == 400 and "请回答问题" in r.content.decode()
    assert not Delivery.objects.filter(to=other).exists()
    # answering the question: a code is sent, then the message goes through (a new question on the way)
    sent = c.post("/letters/write/", _letter(w, phone=other, action="code", **_answer(r.content.decode())), **ZH)
    assert sent.status_code == 200 and 'data-testid="code-sent"' in sent.content.decode()
    code = re.search(r"\d{6}", Delivery.objects.filter(to=other).latest("pk").text).group(0)
    done = c.post("/letters/write/", _letter(w, phone=other, code=code, **_answer(sent.content.decode())), **ZH)
    assert done.status_code == 302 and Letter.objects.count() == 1


@pytest.mark.req("S4-2.2.3")
def test_the_failures_are_counted_per_number_across_addresses_in_the_shared_cache(w):
    for i in range(3):
        with pytest.raises(ValidationFailed):
            services.check_code(phone=WRITER, code="000000", ip=f"10.2.0.{i}")
    assert services.captcha_required(ip="10.3.3.3", phone=WRITER)  # the number, from a fresh address
    assert not services.captcha_required(ip="10.3.3.3", phone="13700009999")
    with pytest.raises(ValidationFailed) as exc:
        services.request_code(phone=WRITER, ip="10.3.3.3")
    assert exc.value.code == "captcha_wrong"
    token, question = captcha.new()
    a, b = re.search(r"([一二三四五六七八九])加([一二三四五六七八九])", str(question)).groups()
    services.request_code(phone=WRITER, ip="10.3.3.3", captcha=(token, str(DIGITS.index(a) + DIGITS.index(b))))
    with pytest.raises(ValidationFailed):  # a token is used once
        services.request_code(phone=WRITER, ip="10.3.3.4", captcha=(token, str(DIGITS.index(a) + DIGITS.index(b))))
    # the state is in the shared cache, not in this process: a fresh read of the store sees the count
    assert captcha.failures("letters", f"phone:{services.phone_key(WRITER)}") == 3


@pytest.mark.req("S4-2.2.3", "S4-2.3")
def test_bookings_and_channel_posts_ask_the_question_too(w):
    reception = deputies.announce_reception(
        actor=w.station_staff, station=w.station, day=timezone.localdate() + dt.timedelta(days=3), hours="9:00"
    )
    c = Client(REMOTE_ADDR="10.4.4.4")
    sms_code(WRITER, ip="10.4.4.5")
    for _ in range(3):
        c.post(f"/deputies/receptions/{reception.pk}/book/", {"phone": WRITER, "code": "000000"}, **ZH)
    assert 'data-testid="captcha"' in c.get(f"/deputies/receptions/{reception.pk}/book/", **ZH).content.decode()
    channel = deputies.open_channel(actor=w.office, unit=w.group, title="青石镇代表小组与群众面对面", area="青石镇")
    assert 'data-testid="captcha"' in c.get(f"/deputies/channels/{channel.pk}/", **ZH).content.decode()
    r = c.post(f"/deputies/channels/{channel.pk}/", {"phone": WRITER, "action": "code"}, **ZH)
    assert "请回答问题" in r.content.decode()


@pytest.mark.req("S4-2.2.3")
def test_the_api_gives_the_question_and_takes_the_answer(w):
    c = Client(REMOTE_ADDR="10.5.5.5")
    assert c.get("/api/v1/letters/captcha").json() == {"required": False, "token": "", "question": ""}
    sms_code(WRITER, ip="10.5.5.6")
    for _ in range(3):
        c.post("/api/v1/letters", _letter(w, code="000000"), content_type="application/json")
    refused = c.post("/api/v1/letters/code", {"phone": "13700006666"}, content_type="application/json")
    assert refused.status_code == 400 and refused.json()["code"] == "captcha_wrong"
    given = c.get("/api/v1/letters/captcha", HTTP_ACCEPT_LANGUAGE="zh-hans").json()
    a, b = re.search(r"([一二三四五六七八九])加([一二三四五六七八九])", given["question"]).groups()
    ok = c.post(
        "/api/v1/letters/code",
        {"phone": "13700006666", "captcha_token": given["token"], "captcha": str(DIGITS.index(a) + DIGITS.index(b))},
        content_type="application/json",
    )
    assert ok.status_code == 200


# ---- the chooser ---------------------------------------------------------------------------------------------------


@pytest.mark.req("S4-2.2.3", "S4-2.1.3")
def test_write_without_an_addressee_offers_this_sites_deputies_and_stations(w):
    portal.install_site(body=w.county, code="xishan", name="西山人大", is_default=True)
    portal.install_site(body=w.other, code="donghu", name="东湖人大")
    other_station = deputies.save_station(actor=w.other_staff, body=w.other, unit=w.other_liaison, name="东湖联络站")
    c = Client()
    r = c.get("/letters/write/", **ZH)
    html = r.content.decode()
    assert r.status_code == 200 and "西山人大" in html
    assert f'href="/letters/write/?deputy={w.page.pk}"' in html and "俞大山" in html
    assert f'href="/letters/write/?station={w.station.pk}"' in html
    assert f"station={other_station.pk}" not in html  # another body's site
    found = c.get("/letters/write/?q=第三选区", **ZH).content.decode()
    assert "俞大山" in found
    none = c.get("/letters/write/?q=不存在的人", **ZH).content.decode()
    assert "俞大山" not in none and "未找到代表" in none


@pytest.mark.req("S4-2.2.3")
def test_the_chooser_reads_a_bounded_number_of_queries(w, django_assert_max_num_queries):
    portal.install_site(body=w.county, code="xishan", name="西山人大", is_default=True)
    c = Client()
    with django_assert_max_num_queries(12):
        assert c.get("/letters/write/").status_code == 200
    for i in range(25):
        deputies.save_station(actor=w.office, body=w.county, unit=w.station_unit, name=f"联络站{i}", address=f"村{i}")
    with django_assert_max_num_queries(12):
        assert c.get("/letters/write/").status_code == 200
    assert c.get("/letters/write/?spage=2").status_code == 200
