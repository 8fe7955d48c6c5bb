"""The station's staff work the bookings of their reception days (attended / did not come / cancel, audited); the
deputies' public pages are shown in their own body's site (look, menu, host), not the default site (S4-2.1.3)."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone
from freezegun import freeze_time

from lvzhi.accounts.roles import Role
from lvzhi.audit.models import AuditEvent
from lvzhi.deputies import services
from lvzhi.deputies.models import Booking
from lvzhi.notify.models import Delivery
from lvzhi.portal import services as portal
from lvzhi.testing import login, make_user

from .conftest import sms_code

ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


def _reception(w, days=3, bookings=2, first=0):
    reception = services.announce_reception(
        actor=w.station_staff, station=w.station, day=timezone.localdate() + dt.timedelta(days=days), hours="9:00",
        capacity=50,
    )  # fmt: skip
    made = []
    for i in range(first, first + bookings):
        phone = f"13700001{i:03d}"
        made.append(
            services.book_reception(reception=reception, phone=phone, code=sms_code(phone, ip=f"ip{i}"), ip=f"b{i}")
        )
    return reception, made


def _client(user):
    c = Client()
    if user is not None:
        login(c, user)
    return c


@pytest.mark.req("S4-2.2.3")
def test_the_station_staff_mark_bookings_attended_no_show_or_cancelled(w):
    reception, (first, second) = _reception(w)
    c = _client(w.station_staff)
    html = c.get(f"/deputies/stations/{w.station.pk}/bookings/", **ZH).content.decode()
    assert first.code in html and second.code in html and "13700001000" not in html  # the number masked
    assert c.post(f"/deputies/bookings/{first.pk}/mark/", {"mark": "attended"}).status_code == 302
    first.refresh_from_db()
    assert first.attendance == ""  # not before the day: refused with a message
    c.post(f"/deputies/bookings/{first.pk}/mark/", {"mark": "cancel"})
    first.refresh_from_db()
    assert first.cancelled and first.marked_by == w.station_staff
    assert first.code in Delivery.objects.filter(to="13700001000").latest("pk").text  # the booker is told
    event = AuditEvent.objects.filter(event="deputies.booking.mark").latest("pk")
    assert event.after == {"attendance": "", "cancelled": True, "mark": "cancel"}
    with freeze_time(timezone.now() + dt.timedelta(days=4)):
        c = _client(w.station_staff)
        assert c.post(f"/deputies/bookings/{second.pk}/mark/", {"mark": "no_show"}).status_code == 302
        second.refresh_from_db()
        assert second.attendance == Booking.Attendance.NO_SHOW
        again = c.post(f"/deputies/bookings/{second.pk}/mark/", {"mark": "attended"}, follow=True, **ZH)
        assert "已标记" in again.content.decode()
        second.refresh_from_db()
        assert second.attendance == Booking.Attendance.NO_SHOW
        assert c.post(f"/deputies/bookings/{first.pk}/mark/", {"mark": "attended"}).status_code == 302
        first.refresh_from_db()
        assert first.cancelled and first.attendance == ""  # a cancelled booking stays cancelled
    # the page offers the filter per reception day
    html = c.get(f"/deputies/stations/{w.station.pk}/bookings/?reception={reception.pk}", **ZH).content.decode()
    assert 'data-testid="bookings"' in html and "已取消" in html


@pytest.mark.req("S4-2.2.3")
@pytest.mark.parametrize(
    ("who", "status"),
    [("station_staff", 200), ("office", 200), ("other_staff", 404), ("deputy", 404), ("sysadmin", 404)],
)
def test_who_sees_and_marks_a_stations_bookings(w, who, status):
    _reception_obj, (booking,) = _reception(w, bookings=1)
    c = _client(getattr(w, who))
    assert c.get(f"/deputies/stations/{w.station.pk}/bookings/").status_code == status
    marked = c.post(f"/deputies/bookings/{booking.pk}/mark/", {"mark": "cancel"})
    assert marked.status_code == (302 if status == 200 else 404)
    booking.refresh_from_db()
    assert booking.cancelled is (status == 200)


@pytest.mark.req("S4-2.2.3")
def test_anonymous_visitors_are_sent_to_log_in(w):
    assert Client().get(f"/deputies/stations/{w.station.pk}/bookings/").status_code == 302


@pytest.mark.req("S4-2.2.3")
def test_the_booking_list_reads_a_bounded_number_of_queries(w, django_assert_max_num_queries):
    _reception(w, bookings=2)
    c = _client(w.station_staff)
    url = f"/deputies/stations/{w.station.pk}/bookings/"
    with django_assert_max_num_queries(14):
        assert c.get(url).status_code == 200
    _reception(w, days=5, bookings=35, first=100)
    with django_assert_max_num_queries(14):
        assert c.get(url).status_code == 200
    assert c.get(url + "?page=2").status_code == 200


# ---- the deputy's page in their body's site -----------------------------------------------------------------------


@pytest.mark.req("S4-2.1.3", "S4-2.2.1")
def test_deputies_pages_use_their_bodys_site(w, settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "rd.xishan.test", "rd.donghu.test"]
    portal.install_site(body=w.county, code="xishan", name="西山人大", host="rd.xishan.test", colour="#1d4e89")
    portal.install_site(body=w.other, code="donghu", name="东湖人大", host="rd.donghu.test", is_default=True)
    other_deputy = make_user(w.other, roles=[Role.DEPUTY], real_name="东湖代表")
    other_page = services.save_page(
        actor=w.other_staff, body=w.other, deputy=other_deputy, constituency="东湖第一选区", is_published=True
    )
    c = Client()
    mine = c.get(f"/deputies/{w.page.pk}/", **ZH).content.decode()
    assert "西山人大" in mine and "东湖人大" not in mine and 'href="/site/xishan/theme.css"' in mine
    theirs = c.get(f"/deputies/{other_page.pk}/", **ZH).content.decode()
    assert "东湖人大" in theirs and 'href="/site/donghu/theme.css"' in theirs
    # under the deputy's site's own host name its links start at "/"
    on_host = c.get(f"/deputies/{w.page.pk}/", HTTP_HOST="rd.xishan.test", **ZH).content.decode()
    assert 'href="/theme.css"' in on_host and "西山人大" in on_host
    # the station and its booking page too
    station = c.get(f"/deputies/stations/{w.station.pk}/", **ZH).content.decode()
    assert 'href="/site/xishan/theme.css"' in station
