"""A deputy's public page matches their duty records (S4-2.2.1): only reviewed records count, the office's switches
decide what shows, no private identifier is ever on the page; the QR code opens the message form for that deputy."""

import datetime as dt
import io

import pytest
from django.test import Client
from django.utils import timezone
from PIL import Image

from lvzhi.deputies import services
from lvzhi.duty import services as duty
from lvzhi.duty.models import Record
from lvzhi.letters import services as letters
from lvzhi.proposals import services as proposals

from .conftest import write

ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


def _records(w, year):
    day = dt.date(year, 3, 2)
    for i, outcome in enumerate(["attended", "attended", "absent", "excused"]):
        duty.sync_source(
            source_ref=f"test.meeting:{i}",
            body=w.county,
            member=w.deputy,
            kind="meeting",
            day=day,
            title=f"常委会第{i}次会议",
            organiser=w.liaison,
            outcomes={outcome: 1},
        )
    duty.sync_source(
        source_ref="test.activity:1",
        body=w.county,
        member=w.deputy,
        kind="activity",
        day=day,
        title="视察农村公路建设",
        organiser=w.liaison,
        outcomes={"attended": 1},
    )
    duty.sync_source(
        source_ref="test.activity:2",
        body=w.county,
        member=w.deputy,
        kind="activity",
        day=day,
        title="尚未审核的活动",
        organiser=w.liaison,
        outcomes={"attended": 1},
    )
    Record.objects.filter(member=w.deputy).exclude(source_ref="test.activity:2").update(status="counted")


@pytest.mark.req("S4-2.2.1")
def test_a_deputys_page_matches_their_duty_records(w):
    year = timezone.localdate().year
    _records(w, year)
    item = proposals.create_draft(
        actor=w.deputy, body=w.county, kind="suggestion", title="关于修缮村道的建议", content="内容"
    )
    type(item).objects.filter(pk=item.pk).update(is_public=True, published_at=timezone.now())
    letter = write(w)
    letters.pass_on(actor=w.deputy, letter=letter, passed_as="suggestion")

    r = Client().get(f"/deputies/{w.page.pk}/?year={year}", **ZH)
    html = r.content.decode()
    assert r.status_code == 200
    counted = Record.objects.filter(member=w.deputy, status="counted", kind="meeting")
    attended = sum(x.quantity for x in counted if x.outcome in ("attended", "late"))
    assert (attended, counted.filter(outcome="absent").count()) == (2, 1)
    assert "出席2次，请假1次，缺席1次" in html
    assert "视察农村公路建设" in html and "尚未审核的活动" not in html
    assert "关于修缮村道的建议" in html
    assert "收到群众留言1件，答复1件，转为建议或社情民意1件，办结0件" in html
    assert "青石镇第三选区" in html and "青石镇人大代表联络站" in html
    assert w.deputy.phone not in html and "石桥村党支部书记" not in html  # workplace is off by default

    api = Client().get(f"/api/v1/deputies/{w.page.pk}?year={year}").json()
    assert api["performance"]["attendance"] == {"attended": 2, "excused": 1, "absent": 1, "total": 4}
    assert [a["title"] for a in api["performance"]["activities"]] == ["视察农村公路建设"]


@pytest.mark.req("S4-2.2.1")
def test_the_office_decides_what_shows(w):
    _records(w, timezone.localdate().year)
    services.save_page(
        actor=w.office,
        body=w.county,
        deputy=w.deputy,
        constituency="青石镇第三选区",
        station_id=w.station.pk,
        show={"attendance": False, "workplace": True},
        is_published=True,
    )
    html = Client().get(f"/deputies/{w.page.pk}/", **ZH).content.decode()
    assert 'data-testid="attendance"' not in html and "石桥村党支部书记" in html
    with pytest.raises(Exception) as exc:
        services.save_page(actor=w.other_staff, body=w.county, deputy=w.deputy)
    assert exc.value.status == 404
    services.save_page(actor=w.office, body=w.county, deputy=w.deputy, is_published=False)
    assert Client().get(f"/deputies/{w.page.pk}/").status_code == 404


@pytest.mark.req("S4-2.2.1", "S4-2.2.3")
def test_the_qr_code_opens_the_message_form_for_that_deputy(w):
    import segno

    r = Client().get(f"/deputies/{w.page.pk}/qr.svg")
    assert r.status_code == 200 and r["Content-Type"] == "image/svg+xml"
    expected = io.BytesIO()
    url = f"http://testserver/letters/write/?deputy={w.page.pk}&via=qr"
    segno.make(url, error="m").save(expected, kind="svg", scale=6, border=2, title="给俞大山代表留言")
    assert Client().get(f"/deputies/{w.page.pk}/qr.svg", **ZH).content == expected.getvalue()
    png = Client().get(f"/deputies/{w.page.pk}/qr.png")
    assert png["Content-Type"] == "image/png" and Image.open(io.BytesIO(png.content)).size[0] > 100


@pytest.mark.req("S4-2.2.1")
def test_the_deputy_list_takes_a_bounded_number_of_queries(w, django_assert_max_num_queries):
    c = Client()
    c.get("/deputies/")
    with django_assert_max_num_queries(12):
        assert c.get("/deputies/").status_code == 200
    for deputy in (w.deputy2,):
        services.save_page(actor=w.office, body=w.county, deputy=deputy, is_published=True)
    with django_assert_max_num_queries(12):
        assert c.get("/deputies/").status_code == 200
