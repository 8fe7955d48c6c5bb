"""The public's pages (no login) and the handlers' pages: a visitor writes from a deputy's QR code with an SMS code
and follows the message; bad input is a Chinese message on the page, never a 500 or a half-written record; the
knowledge base suggests published answers; the office switches a feature off (recorded)."""

import re

import pytest
from django.test import Client

from lvzhi.letters import services
from lvzhi.letters.models import Letter, SecurityRecord
from lvzhi.notify.models import Delivery
from lvzhi.testing import login

from .conftest import WRITER, write

ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


def _code(client, page_id, phone=WRITER):
    r = client.post("/letters/write/", {"deputy": page_id, "phone": phone, "action": "code"}, **ZH)
    assert r.status_code == 200 and b'data-testid="code-sent"' in r.content
    return re.search(r"\d{6}", Delivery.objects.filter(to=phone).order_by("-pk").first().text).group(0)


@pytest.mark.req("S4-2.2.3", "S2-30")
def test_a_visitor_writes_by_qr_and_follows_the_message(w):
    c = Client()
    r = c.get(f"/letters/write/?deputy={w.page.pk}&via=qr", **ZH)
    assert r.status_code == 200 and "俞大山".encode() in r.content
    code = _code(c, w.page.pk)
    data = {
        "deputy": w.page.pk,
        "via": "qr",
        "kind": "suggestion",
        "title": "路灯不亮",
        "text": "石桥村路灯坏了一个月。",
    }
    r = c.post("/letters/write/", {**data, "phone": WRITER, "code": code}, **ZH)
    letter = Letter.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/letters/lookup/?code={letter.lookup_code}"
    assert letter.via == "qr" and letter.deputy == w.deputy
    r = c.get(r["Location"], **ZH)
    assert "已受理，正在办理".encode() in r.content or "路灯不亮".encode() in r.content
    assert WRITER.encode() not in r.content


@pytest.mark.req("S2-30")
@pytest.mark.parametrize(
    ("change", "status", "message"),
    [
        ({"code": "000000"}, 400, "短信验证码不正确"),
        ({"title": ""}, 400, "留言标题"),
        ({"text": "x" * 3001}, 400, "3000"),
        ({"kind": "nonsense"}, 400, "留言类型"),
        ({"phone": "12345"}, 400, "手机号"),
    ],
)
def test_bad_input_is_a_message_on_the_page_and_nothing_is_saved(w, change, status, message):
    c = Client()
    code = _code(c, w.page.pk)
    data = {
        "deputy": w.page.pk,
        "kind": "suggestion",
        "title": "路灯",
        "text": "路灯坏了。",
        "phone": WRITER,
        "code": code,
    }
    r = c.post("/letters/write/", {**data, **change}, **ZH)
    assert r.status_code == status
    assert message in r.content.decode()
    assert Letter.objects.count() == 0


@pytest.mark.req("S4-2.2.1")
def test_an_unknown_or_unpublished_deputy_is_404(w):
    w.page.is_published = False
    w.page.save()
    assert Client().get(f"/letters/write/?deputy={w.page.pk}").status_code == 404
    assert Client().get(f"/letters/write/?station={w.station.pk + 1000}").status_code == 404


@pytest.mark.req("S1-4.1", "S2-30")
def test_the_knowledge_base_suggests_published_answers(w):
    letter = write(w, to="outlet", kind="enquiry", title="公租房申请条件", text="公租房申请需要什么条件？")
    services.answer_letter(
        actor=w.host_staff, letter=letter, reply="见答复。", public_reply="本县户籍且家庭人均收入低于标准。"
    )
    r = Client().get("/letters/answers/similar/?title=公租房", **ZH)
    assert "公租房申请条件" not in r.content.decode()  # not before the office published it
    services.review_publication(actor=w.gov_staff, letter=letter, publish=True)
    r = Client().get("/letters/answers/similar/?title=公租房", **ZH)
    assert "公租房申请条件" in r.content.decode()
    r = Client().get(f"/letters/answers/{letter.pk}/", **ZH)
    assert "本县户籍" in r.content.decode() and WRITER not in r.content.decode()


@pytest.mark.req("S2-31")
def test_the_office_switches_a_feature_off_and_it_is_recorded(w):
    c = Client()
    login(c, w.office)
    r = c.post(
        "/letters/controls/",
        {"feature": "deputy", "state": "off", "per_number_per_day": 3, "per_ip_per_hour": 10, "assessment": "近期刷屏"},
    )
    assert r.status_code == 302
    record = SecurityRecord.objects.get()
    assert (record.feature, record.state, record.actor) == ("deputy", "off", w.office)
    v = Client()
    code = _code(v, w.page.pk)
    r = v.post(
        "/letters/write/",
        {"deputy": w.page.pk, "kind": "comment", "title": "t", "text": "x", "phone": WRITER, "code": code},
        **ZH,
    )
    assert r.status_code == 400 and "已关闭" in r.content.decode()
    other = Client()
    login(other, w.other_staff)
    assert other.get("/letters/controls/").status_code == 200  # its own body's controls
    assert (
        other.post(
            "/letters/controls/",
            {"feature": "deputy", "state": "open", "per_number_per_day": 99, "per_ip_per_hour": 10, "assessment": "x"},
        ).status_code
        == 302
    )
    assert SecurityRecord.objects.count() == 1  # refused: 99 is above the ceiling


@pytest.mark.req("S2-31")
def test_per_number_and_code_rate_limits(w):
    from freezegun import freeze_time

    from lvzhi.core.errors import RateLimited

    with freeze_time("2026-11-30 09:00:00") as clock:
        for i in range(3):
            write(w, title=f"第{i}条", ip=f"10.1.0.{i}")
            clock.tick(120)
        with pytest.raises(RateLimited):
            write(w, title="第4条", ip="10.1.0.9")  # the number's 3 a day (the ip differs each time)
        clock.tick(120)
        services.request_code(phone="13700009999", ip="10.2.0.1")
        with pytest.raises(RateLimited) as exc:
            services.request_code(phone="13700009999", ip="10.2.0.2")  # one code a minute
        assert exc.value.code == "code_too_soon"
    assert Letter.objects.count() == 3
