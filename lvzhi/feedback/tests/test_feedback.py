"""意见反馈 (S0-30, S3-14): given from any page signed in or not, answered by the information office within its
working-day limit, tracked to the change it led to, logged with response times; bad input loses nothing."""

import datetime as dt
import io

import pytest
from django.db import connection
from django.utils import timezone
from freezegun import freeze_time
from openpyxl import load_workbook

from lvzhi.audit.models import AuditEvent
from lvzhi.core.errors import NotFound, ValidationFailed
from lvzhi.feedback import services
from lvzhi.feedback.models import Feedback
from lvzhi.notify.models import Message
from lvzhi.testing import login
from lvzhi.workdays import calendar

pytestmark = pytest.mark.django_db
J = "application/json"
TEXT = "提交社情民意时上传照片一直转圈，换了网络也不行。"


def give(w, actor=None, **kw):
    return services.give_feedback(
        actor=actor or w.member, kind=kw.pop("kind", "fault"), text=kw.pop("text", TEXT), **kw
    )


@pytest.mark.req("S0-30", "S3-14")
def test_a_member_gives_feedback_from_a_page_and_the_information_office_is_told_with_a_working_day_limit(w, client):
    # Tuesday 29 September 2026: 5 working days are 30 Sep, 8, 9, 10 (the 调休 Saturday) and 12 October
    with freeze_time(timezone.make_aware(dt.datetime(2026, 9, 29, 10, 0))):
        login(client, w.member)
        page = client.get("/feedback/new/?page=/opinions/new/").content.decode()
        assert 'value="/opinions/new/"' in page and "意见反馈" in page
        response = client.post("/feedback/new/", {"kind": "fault", "text": TEXT, "page": "/opinions/new/"})
    feedback = Feedback.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/feedback/{feedback.pk}/"
    assert feedback.body == w.body and feedback.author == w.member and feedback.page == "/opinions/new/"
    assert calendar.due_date(feedback.next_due_at) == dt.date(2026, 10, 12)
    told = Message.objects.filter(event="feedback.give")
    assert {m.recipient for m in told} == {w.officer, w.info_head}  # not the other body's office
    row = AuditEvent.objects.get(event="feedback.feedback.give")
    assert row.actor == w.member and TEXT not in str(row.after) and row.after["kind"] == "fault"
    login(client, w.officer)
    page = client.get(f"/feedback/{feedback.pk}/").content.decode()
    assert "2026-10-12" in page and "金文博" in page and "/opinions/new/" in page


@pytest.mark.req("S0-30", "S3-14")
def test_the_office_answers_then_records_the_change_and_the_member_reads_both(w, client):
    with freeze_time(timezone.make_aware(dt.datetime(2026, 11, 2, 9, 0))):
        feedback = give(w)
    with freeze_time(timezone.make_aware(dt.datetime(2026, 11, 4, 9, 0))):
        login(client, w.officer)
        response = client.post(f"/feedback/{feedback.pk}/steps/answer/", {"answer": "已定位为图片压缩问题，本周修复。"})
        assert response.status_code == 302
        client.post(f"/feedback/{feedback.pk}/steps/record_change/", {"note": "11月5日版本已修复大图上传。"})
    feedback.refresh_from_db()
    assert feedback.status == "changed" and feedback.answered_in_time is True
    assert feedback.answer == "已定位为图片压缩问题，本周修复。" and feedback.handled_by == w.officer
    rows = AuditEvent.objects.filter(event__startswith="feedback.feedback.", object_id=str(feedback.pk)).order_by("id")
    actions = list(rows.values_list("event", flat=True))
    assert actions == ["feedback.feedback.give", "feedback.feedback.answer", "feedback.feedback.record_change"]
    assert not any("修复" in str(a.after) for a in rows)
    assert Message.objects.filter(recipient=w.member, event="feedback.answer").count() == 2
    login(client, w.member)
    page = client.get(f"/feedback/{feedback.pk}/").content.decode()
    assert "已定位为图片压缩问题" in page and "11月5日版本已修复大图上传" in page and "因反馈已改进" in page
    assert 'data-step="' not in page  # the author takes no step


@pytest.mark.req("S0-30")
def test_a_late_answer_is_recorded_as_late_and_closing_unanswered_needs_an_answer(w):
    with freeze_time(timezone.make_aware(dt.datetime(2026, 11, 2, 9, 0))):
        late, other = give(w), give(w, text="希望增加字号调节。", kind="suggestion")
    with freeze_time(timezone.make_aware(dt.datetime(2026, 11, 12, 9, 0))):  # 8 working days later
        services.answer_feedback(actor=w.officer, feedback=late, answer="已处理。")
        with pytest.raises(ValidationFailed) as refused:
            services.close_feedback(actor=w.officer, feedback=other, reason="no_change")
        assert refused.value.code == "answer_required"
        services.close_feedback(actor=w.officer, feedback=other, reason="duplicate", answer="与第1条相同。")
    late.refresh_from_db()
    other.refresh_from_db()
    assert late.answered_in_time is False and other.answered_in_time is False and other.status == "closed"


@pytest.mark.req("S0-30", "S3-14")
def test_a_visitor_gives_feedback_keeps_a_lookup_code_and_the_phone_is_encrypted(w, client):
    response = client.post(
        "/feedback/new/",
        {"body": w.body.pk, "kind": "content", "text": "网站首页的联系电话已停用。", "phone": "139 1234 5678"},
    )
    feedback = Feedback.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/feedback/lookup/?code={feedback.lookup_code}"
    assert feedback.author is None and feedback.contact_phone == "13912345678"
    with connection.cursor() as cursor:
        cursor.execute("SELECT contact_phone FROM feedback_feedback WHERE id = %s", [feedback.pk])
        assert "13912345678" not in cursor.fetchone()[0]
    services.answer_feedback(actor=w.officer, feedback=feedback, answer="已更新为新号码。")
    page = client.get(response["Location"]).content.decode()
    assert "已更新为新号码。" in page and feedback.lookup_code in page
    assert "139****5678" not in page  # the visitor's own page shows no office detail
    assert client.get("/feedback/lookup/?code=ZZZZZZZZ").content.decode().count("没有这个查询码") == 1
    login(client, w.officer)
    assert "139****5678" in client.get(f"/feedback/{feedback.pk}/").content.decode()


@pytest.mark.req("S0-30", "S2-21")
@pytest.mark.parametrize(
    "data,code,message",
    [
        ({"kind": "fault", "text": "   "}, "text_required", "反馈内容"),
        ({"kind": "fault", "text": "长" * 2001}, "text_too_long", "2000"),
        ({"kind": "fault", "text": "正常文字\x1b[31m"}, "text_invalid", "控制字符"),
        ({"kind": "nonsense", "text": TEXT}, "kind_invalid", "请选择反馈类别"),
        ({"kind": "fault", "text": "本文件为机密★一年，请勿外传。"}, "text_blocked", "不能发送"),
        ({"kind": "fault", "text": "ＶＩＰ娱乐城开业，注册送彩金。"}, "text_blocked", "不能发送"),
    ],
)
def test_bad_feedback_is_refused_with_a_clear_message_and_nothing_is_kept(w, client, data, code, message):
    login(client, w.member)
    response = client.post("/feedback/new/", data)
    assert response.status_code == 400 and message in response.content.decode()
    api = client.post("/api/v1/feedback", data, content_type=J)
    assert api.status_code == 400 and api.json()["code"] == code
    assert not Feedback.objects.exists() and not AuditEvent.objects.filter(event__startswith="feedback.").exists()


@pytest.mark.req("S0-30", "S2-34")
def test_visitors_are_limited_per_address_across_servers(w, client):
    for i in range(5):
        assert (
            client.post("/feedback/new/", {"body": w.body.pk, "kind": "other", "text": f"第{i}条"}).status_code == 302
        )
    refused = client.post("/feedback/new/", {"body": w.body.pk, "kind": "other", "text": "第6条"})
    assert refused.status_code == 429 and "一小时后" in refused.content.decode()
    assert Feedback.objects.count() == 5
    missing_body = client.post(
        "/feedback/new/", {"body": 999999, "kind": "other", "text": "无主"}, REMOTE_ADDR="10.0.0.9"
    )
    assert missing_body.status_code == 400 and Feedback.objects.count() == 5


# role × action × state: who sees a feedback and who may take each step
def _expected(role, step, state):
    office = role in ("officer", "info_head")
    sees = office or role == "author"
    may = office and ((step == "answer" and state == "new") or (step != "answer" and state in ("new", "answered")))
    return sees, may


ROLES = ["author", "member2", "staff", "officer", "info_head", "other_officer", "other_member", "sysadmin"]


@pytest.mark.req("S0-30")
@pytest.mark.parametrize("state", ["new", "answered", "closed"])
def test_permission_matrix_for_every_role_step_and_state(w, client, state):
    feedback = give(w)
    if state != "new":
        feedback = services.answer_feedback(actor=w.officer, feedback=feedback, answer="已收到。")
    if state == "closed":
        services.close_feedback(actor=w.officer, feedback=feedback, reason="answered")
    users = {"author": w.member, **{r: getattr(w, r) for r in ROLES if r != "author"}}
    for role in ROLES:
        login(client, users[role])
        for step in ("answer", "record_change", "close"):
            sees, may = _expected(role, step, state)
            page = client.get(f"/feedback/{feedback.pk}/")
            assert page.status_code == (200 if sees else 404), (role, state)
            api = client.get(f"/api/v1/feedback/{feedback.pk}")
            assert api.status_code == (200 if sees else 404), (role, state)
            if sees:
                assert (step in api.json()["steps"]) == may, (role, step, state)
        missing = client.get("/feedback/999999/")
        assert missing.status_code == 404
    # another body's information office gets exactly what a missing feedback gets
    login(client, w.other_officer)
    foreign = client.get(f"/api/v1/feedback/{feedback.pk}").json()
    assert foreign == client.get("/api/v1/feedback/999999").json()


@pytest.mark.req("S0-30")
def test_a_step_taken_by_someone_who_may_not_changes_nothing(w, client):
    feedback = give(w)
    login(client, w.other_officer)
    assert client.post(f"/feedback/{feedback.pk}/steps/answer/", {"answer": "越权答复"}).status_code == 404
    login(client, w.member)
    refused = client.post(f"/api/v1/feedback/{feedback.pk}/steps/answer", {"answer": "自己答复"}, content_type=J)
    assert refused.status_code == 403 and refused.json()["code"] == "forbidden"
    feedback.refresh_from_db()
    assert feedback.status == "new" and feedback.answer == ""
    with pytest.raises(NotFound):
        services.answer_feedback(actor=w.sysadmin, feedback=feedback, answer="管理员")


@pytest.mark.req("S0-30", "S3-14")
def test_the_office_log_shows_response_times_exports_and_costs_the_same_whatever_its_size(
    w, client, django_assert_max_num_queries
):
    with freeze_time(timezone.make_aware(dt.datetime(2026, 11, 2, 9, 0))):
        first = give(w)
        give(w, actor=w.member2, kind="suggestion", text="建议增加夜间模式。")
        give(w, actor=w.other_member, text="外区的反馈。")
    with freeze_time(timezone.make_aware(dt.datetime(2026, 11, 2, 15, 0))):
        services.answer_feedback(actor=w.officer, feedback=first, answer="已修复。")
    login(client, w.officer)
    page = client.get("/feedback/office/").content.decode()
    assert "外区的反馈" not in page and "建议增加夜间模式" in page
    figures = " ".join(page.split('data-testid="feedback-figures"')[1].split("</section>")[0].split())
    assert "按时答复率 100%" in figures and "平均答复用时 6.0 小时" in figures and "合计 2 · 待答复 1" in figures
    with django_assert_max_num_queries(30) as few:
        client.get("/feedback/office/")
    for i in range(25):
        give(w, actor=w.member2, text=f"第{i}条建议。", kind="suggestion")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/feedback/office/?status=new")
    export = client.get("/feedback/office/export.xlsx?kind=suggestion")
    sheet = load_workbook(io.BytesIO(export.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "编号" and len(rows) == 1 + 26 and all(r[4] == "建议" for r in rows[1:])
    assert AuditEvent.objects.filter(event="feedback.export", actor=w.officer).get().after["rows"] == 26
    login(client, w.member)
    assert client.get("/feedback/office/").status_code == 404
    assert client.get("/feedback/office/export.xlsx").status_code == 404


@pytest.mark.req("S0-30")
def test_every_page_offers_feedback_but_administrators_report_elsewhere(w, client):
    login(client, w.member)
    home = client.get("/").content.decode()
    assert 'data-testid="feedback-link"' in home and "/feedback/new/?page=/" in home
    client.logout()
    assert 'data-testid="feedback-link"' in client.get("/accounts/login/").content.decode()
    mine = give(w)
    login(client, w.member)
    api = client.get("/api/v1/feedback/mine").json()
    assert api["count"] == 1 and api["items"][0]["id"] == mine.pk and "phone" not in api["items"][0]
