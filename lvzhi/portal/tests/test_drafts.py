"""Draft regulations for comment and topics from the public (S4-2.1.2): parsing into articles, the period closing on
the right day, SMS-verified comments (limits, captcha), screening and moderation, adoption per comment, the report
per article with counts, the exports; topics answered by the office and looked up by code."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from freezegun import freeze_time

from lvzhi.notify.models import Delivery
from lvzhi.portal import services
from lvzhi.portal.models import DraftComment, LegislationTopic
from lvzhi.portal.parsing import split_articles
from lvzhi.testing import login

TEXT = """江海市电动自行车管理条例（草案）
第一章 总则
第一条 为了加强电动自行车管理，制定本条例。
第二条 本条例适用于本市行政区域内电动自行车的销售、登记、通行和停放充电。
第二章 停放充电
第三条 禁止在楼道内停放电动自行车或者为其充电。
违反前款规定的，由消防救援机构责令改正。
"""


@pytest.mark.req("S4-2.1.2")
def test_the_pasted_text_is_split_into_articles_with_their_chapters():
    preamble, articles = split_articles(TEXT)
    assert preamble == "江海市电动自行车管理条例（草案）"
    assert [a.label for a in articles] == ["第一条", "第二条", "第三条"]
    assert articles[2].chapter == "第二章 停放充电"
    assert articles[2].text.endswith("由消防救援机构责令改正。")


@pytest.mark.req("S4-2.1.2")
def test_the_comment_period_closes_on_the_right_day(w):
    # 30 days from 2026-12-01, the opening day not counted: the last day is 2026-12-31
    closes_at, last = services.comment_period(dt.date(2026, 12, 1), 30)
    assert last == dt.date(2026, 12, 31)
    # a period whose last day falls on the National Day holiday ends on the first working day after it
    _, last = services.comment_period(dt.date(2026, 9, 1), 30)
    assert last == dt.date(2026, 10, 8)
    draft = services.create_draft(
        actor=w.clerk, body=w.city, title="电动自行车条例", text=TEXT, opens_on=dt.date(2026, 12, 1)
    )
    draft = services.publish_draft(actor=w.clerk, draft=draft)
    assert draft.closes_on == dt.date(2026, 12, 31)
    shanghai = timezone.get_current_timezone()
    with freeze_time(dt.datetime(2026, 12, 31, 23, 59, tzinfo=shanghai)):
        assert services.drafts.is_open(draft)
    with freeze_time(dt.datetime(2027, 1, 1, 0, 0, tzinfo=shanghai)):
        assert not services.drafts.is_open(draft)
    with freeze_time(dt.datetime(2026, 12, 1, 23, 0, tzinfo=shanghai)):
        assert services.drafts.is_open(draft)  # open from the opening day itself


def _verify(client, base, phone):
    client.post(f"{base}verify/", {"step": "send", "phone": phone})
    code = re.search(r"(\d{6})", Delivery.objects.filter(to=phone).latest("pk").text).group(1)
    response = client.post(f"{base}verify/", {"step": "check", "code": code, "next": f"{base}drafts/"})
    assert response.status_code == 302


@pytest.mark.req("S4-2.1.2")
def test_a_draft_from_comment_to_adoption_report(client, w, django_capture_on_commit_callbacks):
    base = "/site/jianghai/"
    today = timezone.localdate()
    draft = services.create_draft(
        actor=w.clerk, body=w.city, title="电动自行车条例", text=TEXT, opens_on=today - dt.timedelta(days=1)
    )
    assert client.get(f"{base}drafts/{draft.pk}/").status_code == 404  # not yet published
    services.publish_draft(actor=w.clerk, draft=draft)
    page = client.get(f"{base}drafts/{draft.pk}/").content.decode()
    assert "第三条" in page and draft.closes_on.strftime("%Y-%m-%d") in page
    # commenting needs a verified number
    assert client.get(f"{base}drafts/{draft.pk}/comment/")["Location"].startswith(f"{base}verify/")
    _verify(client, base, "13900002611")
    third = draft.articles.get(label="第三条")
    response = client.post(
        f"{base}drafts/{draft.pk}/comment/",
        {"article": third.pk, "text": "建议增设集中充电设施，联系我13812345678", "name": "王小明", "show_name": "on"},
    )
    assert response.status_code == 200 and 'data-testid="comment-done"' in response.content.decode()
    client.post(f"{base}drafts/{draft.pk}/comment/", {"article": 0, "text": "总体赞成。"})
    first, whole = DraftComment.objects.order_by("pk")
    assert first.article == third and "13812345678" not in first.text and first.name == "王小明"
    assert first.public_name != "王小明" and first.public_name.startswith("王")
    assert (
        first.status == "pending" and "增设集中充电设施" not in client.get(f"{base}drafts/{draft.pk}/").content.decode()
    )
    # a secrecy term is refused with a message, nothing saved
    count = DraftComment.objects.count()
    # moderation by the office; another body's office sees nothing
    with pytest.raises(Exception) as denied:
        services.moderate(actor=w.county_clerk, comment_id=first.pk, show=True)
    assert denied.value.status == 404
    with django_capture_on_commit_callbacks(execute=True):  # the page cache is dropped after commit
        services.moderate(actor=w.clerk, comment_id=first.pk, show=True)
        services.moderate(actor=w.clerk, comment_id=whole.pk, show=True)
    assert "增设集中充电设施" in client.get(f"{base}drafts/{draft.pk}/").content.decode()
    assert DraftComment.objects.count() == count
    # adoption only after the period
    with pytest.raises(Exception) as early:
        services.record_adoption(actor=w.clerk, comment_id=first.pk, adoption="adopted", reason="已采纳")
    assert early.value.code == "period_open"
    with freeze_time(draft.closes_at + dt.timedelta(minutes=1)):
        response = client.post(f"{base}drafts/{draft.pk}/comment/", {"article": 0, "text": "晚了"})
        assert response.status_code == 409
        services.record_adoption(actor=w.clerk, comment_id=first.pk, adoption="partly", reason="部分采纳，增加第四条")
        with pytest.raises(Exception) as missing:
            services.publish_report(actor=w.clerk, draft=draft)
        assert missing.value.code == "adoption_missing"
        services.record_adoption(actor=w.clerk, comment_id=whole.pk, adoption="adopted", reason="已采纳")
        with django_capture_on_commit_callbacks(execute=True):
            services.publish_report(actor=w.clerk, draft=draft)
        report = client.get(f"{base}drafts/{draft.pk}/report/").content.decode()
    table = report.split('data-testid="report"')[1].split("</table>")[0]
    rows = re.findall(
        r"<tr><th scope=\"row\">(.*?)</th>\s*<td>(\d+)</td><td>(\d+)</td><td>(\d+)</td><td>(\d+)</td>", table
    )
    assert ("第三条", "1", "0", "1", "0") in rows and ("第一条", "0", "0", "0", "0") in rows
    assert any(r[1:] == ("1", "1", "0", "0") for r in rows)  # the whole draft
    # exports for the legislative affairs committee
    login(client, w.clerk)
    xlsx = client.post(f"/portal/office/drafts/{draft.pk}/export.xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    pdf = client.post(f"/portal/office/drafts/{draft.pk}/export.pdf")
    assert pdf.status_code == 200 and pdf.content[:5] == b"%PDF-"


@pytest.mark.req("S4-2.1.2")
def test_sms_codes_are_limited_per_number_and_a_captcha_follows_repeated_failures(client, w):
    base = "/site/jianghai/"
    for _ in range(3):
        client.post(f"{base}verify/", {"step": "send", "phone": "13900002622"})
    assert Delivery.objects.filter(to="13900002622").count() == 3
    response = client.post(f"{base}verify/", {"step": "send", "phone": "13900002622"})
    assert "try again in an hour" in response.content.decode() or "一小时" in response.content.decode()
    assert Delivery.objects.filter(to="13900002622").count() == 3
    for _ in range(3):
        client.post(f"{base}verify/", {"step": "check", "code": "000000"})
    page = client.get(f"{base}verify/").content.decode()
    assert 'name="captcha"' in page
    client.post(f"{base}verify/", {"step": "send", "phone": "13900002633", "captcha": "99", "captcha_token": "x"})
    assert not Delivery.objects.filter(to="13900002633").exists()


@pytest.mark.req("S4-2.1.2")
def test_a_topic_proposed_by_the_public_is_answered_and_looked_up(client, w, django_capture_on_commit_callbacks):
    base = "/site/jianghai/"
    _verify(client, base, "13900002644")
    response = client.post(
        f"{base}topics/new/", {"kind": "legislation", "title": "建议制定养犬管理条例", "text": "城区养犬纠纷多。"}
    )
    assert response.status_code == 200
    topic = LegislationTopic.objects.get()
    assert topic.next_due_at is not None and topic.phone == "13900002644"
    assert topic.lookup_code in response.content.decode()
    login(client, w.county_clerk)
    assert client.get(f"/portal/office/topics/{topic.pk}/").status_code == 404
    client.logout()
    login(client, w.clerk)
    client.post(
        f"/portal/office/topics/{topic.pk}/",
        {"step": "answer", "answer": "已列入明年立法计划调研项目。", "publish": "1"},
    )
    topic.refresh_from_db()
    assert topic.status == "answered" and topic.answered_in_time is True
    client.logout()
    found = client.get(f"{base}topics/lookup/", {"code": topic.lookup_code}).content.decode()
    assert "已列入明年立法计划调研项目" in found
    assert "建议制定养犬管理条例" in client.get(f"{base}topics/").content.decode()
    assert Delivery.objects.filter(to="13900002644").count() == 2  # the code, then the answer


def _more(w, n):
    for i in range(n):
        draft = services.create_draft(
            actor=w.clerk, body=w.city, title=f"草案{i}", text=TEXT, opens_on=timezone.localdate()
        )
        services.publish_draft(actor=w.clerk, draft=draft)
        topic = services.propose_topic(  # a number and an address each: posts are limited per number and address
            body=w.city, kind="legislation", title=f"选题{i}", text="理由", phone=f"139000026{50 + i:02d}",
            ip=f"192.0.2.{len(LegislationTopic.objects.all()) + 1}",
        )  # fmt: skip
        services.answer_topic(actor=w.clerk, topic=topic, answer="答复", publish=True)


@pytest.mark.req("S4-2.1.2")
@pytest.mark.parametrize("path", ["drafts/", "topics/", "bills/"])
def test_public_lists_have_bounded_queries(client, w, django_assert_max_num_queries, path):
    _more(w, 1)
    url = f"/site/jianghai/{path}"
    client.get(url, {"x": "warm"})
    with django_assert_max_num_queries(16):
        client.get(url, {"x": "1"})  # another query string: a page-cache miss, rendered from the database
    _more(w, 25)
    with django_assert_max_num_queries(16):
        assert client.get(url, {"x": "2"}).status_code == 200
