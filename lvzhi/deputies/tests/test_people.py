"""Reception days booked by the public (capacity, one per number, SMS confirmation); standing-committee members and
deputies (contacts counted in both sides' duty records, S4-2.2.2); group channels with moderation and abuse controls
(S4-2.3)."""

import datetime as dt
import re

import pytest
from django.test import Client
from django.utils import timezone
from freezegun import freeze_time

from lvzhi.core.errors import Conflict, NotFound, ValidationFailed
from lvzhi.deputies import selectors, services
from lvzhi.deputies.models import ChannelPost
from lvzhi.duty.models import Record
from lvzhi.letters import services as letters
from lvzhi.notify.models import Delivery

from .conftest import sms_code

ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


@pytest.mark.req("S4-2.2.3")
def test_a_reception_day_is_booked_up_to_its_capacity_with_sms_confirmation(w):
    day = timezone.localdate() + dt.timedelta(days=7)
    with pytest.raises(NotFound):
        services.announce_reception(actor=w.other_staff, station=w.station, day=day, hours="9:00-11:30")
    reception = services.announce_reception(
        actor=w.station_staff, station=w.station, day=day, hours="9:00-11:30", capacity=2, deputy_ids=[w.deputy.pk]
    )
    html = Client().get(f"/deputies/stations/{w.station.pk}/", **ZH).content.decode()
    assert "已预约0/2" in html
    phones = ["13700000001", "13700000002", "13700000003"]
    booking = services.book_reception(reception=reception, phone=phones[0], code=sms_code(phones[0]), ip="1")
    sms = Delivery.objects.filter(to=phones[0]).latest("pk").text
    assert booking.code in sms and day.isoformat() in sms
    with freeze_time(timezone.now() + dt.timedelta(minutes=2)), pytest.raises(Conflict) as exc:
        services.book_reception(reception=reception, phone=phones[0], code=sms_code(phones[0], ip="9"), ip="2")
    assert exc.value.code == "already_booked"
    services.book_reception(reception=reception, phone=phones[1], code=sms_code(phones[1]), ip="3")
    with pytest.raises(Conflict) as exc:
        services.book_reception(reception=reception, phone=phones[2], code=sms_code(phones[2]), ip="4")
    assert exc.value.code == "fully_booked"
    assert reception.bookings.count() == 2


@pytest.mark.req("S4-2.2.3")
def test_booking_through_the_page(w):
    reception = services.announce_reception(
        actor=w.station_staff, station=w.station, day=timezone.localdate() + dt.timedelta(days=3), hours="9:00"
    )
    c = Client()
    r = c.post(f"/deputies/receptions/{reception.pk}/book/", {"phone": "13700000011", "action": "code"}, **ZH)
    assert r.status_code == 200
    code = re.search(r"\d{6}", Delivery.objects.filter(to="13700000011").latest("pk").text).group(0)
    r = c.post(f"/deputies/receptions/{reception.pk}/book/", {"phone": "13700000011", "code": "111111"}, **ZH)
    assert r.status_code == 400 and "短信验证码不正确" in r.content.decode()
    r = c.post(f"/deputies/receptions/{reception.pk}/book/", {"phone": "13700000011", "code": code}, **ZH)
    assert r.status_code == 200 and "预约码" in r.content.decode()


@pytest.mark.req("S4-2.2.2")
def test_contacts_between_committee_members_and_deputies_count_on_both_sides(w):
    visit = services.record_contact(actor=w.leader, body=w.county, deputy=w.deputy, kind="visit", text="走访座谈。")
    for person in (w.leader, w.deputy):
        record = Record.objects.get(member=person, source_ref__startswith=f"deputies.contact:{visit.pk}")
        assert (record.kind, record.outcome, record.quantity) == ("activity", "attended", 1)
    question = services.record_contact(
        actor=w.leader, body=w.county, deputy=w.deputy, kind="question", text="村道修缮进展？"
    )
    assert not Record.objects.filter(source_ref__startswith=f"deputies.contact:{question.pk}").exists()
    with pytest.raises(NotFound):
        services.reply_contact(actor=w.deputy2, contact=question, reply="x")
    services.reply_contact(actor=w.deputy, contact=question, reply="已列入计划。")
    assert Record.objects.filter(source_ref__startswith=f"deputies.contact:{question.pk}").count() == 2
    with pytest.raises(Conflict):
        services.reply_contact(actor=w.deputy, contact=question, reply="再答")
    with pytest.raises(NotFound):
        services.record_contact(actor=w.office, body=w.county, deputy=w.deputy, kind="visit", text="x")
    assert selectors.access_contact(w.deputy, question.pk) == question
    with pytest.raises(NotFound):
        selectors.access_contact(w.other_staff, question.pk)


@pytest.mark.req("S4-2.3", "S2-31")
def test_a_group_channel_with_moderation_and_abuse_controls(w):
    with pytest.raises(NotFound):
        services.open_channel(actor=w.other_staff, unit=w.group, title="x")
    channel = services.open_channel(actor=w.office, unit=w.group, title="青石镇代表小组与群众面对面")
    first = services.post_as_deputy(actor=w.deputy, channel=channel, text="本月听取道路建设意见。")
    with pytest.raises(NotFound):
        services.post_as_deputy(actor=w.deputy2, channel=channel, text="不在本组")
    post = services.post_as_public(
        channel=channel,
        text="村口路灯坏了。",
        phone="13700000021",
        code=sms_code("13700000021"),
        parent_id=first.pk,
        ip="5",
    )
    assert post.status == ChannelPost.Status.PENDING
    html = Client().get(f"/deputies/channels/{channel.pk}/", **ZH).content.decode()
    assert "本月听取道路建设意见。" in html and "村口路灯坏了。" not in html
    services.moderate_post(actor=w.deputy, post=post, show=True)
    html = Client().get(f"/deputies/channels/{channel.pk}/", **ZH).content.decode()
    assert "村口路灯坏了。" in html and "13700000021" not in html
    letters.set_feature(
        actor=w.office,
        body=w.county,
        feature="channel",
        state="off",
        per_number_per_day=3,
        per_ip_per_hour=10,
        assessment="频道遭刷帖，暂时关闭。",
    )
    with pytest.raises(ValidationFailed) as exc:
        services.post_as_public(channel=channel, text="再发", phone="13700000022", code="123456", ip="6")
    assert exc.value.code == "feature_off"
    with pytest.raises(ValidationFailed) as exc:
        services.post_as_deputy(actor=w.deputy, channel=channel, text="访问 www.888bet.com 注册送彩金")
    assert exc.value.code == "text_blocked"
