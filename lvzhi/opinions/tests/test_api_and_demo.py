"""The mobile API end to end, the S0-13/S0-14 guidance beside the form, and the demo reports."""

import pathlib

import polib
import pytest
from django.utils import translation
from django.utils.html import escape

from lvzhi.opinions import rules, services
from lvzhi.opinions.models import HOTLINE_CATEGORIES, Report
from lvzhi.testing import login

from .conftest import HOTLINE_TEXT, submit

S = Report.Status
PO = pathlib.Path(__file__).resolve().parents[3] / "locale-src" / "opinions.po"


def post(client, url, data=None, token=None):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return client.post(url, data or {}, content_type="application/json", **headers)


@pytest.mark.req("S0-5.4", "S0-16", "S0-16.3")
def test_the_api_carries_a_case_with_a_bearer_token(client, w):
    from lvzhi.testing import PASSWORD

    def token(user):
        response = post(client, "/api/v1/auth/token", {"phone": user.phone, "password": PASSWORD, "device": "phone"})
        assert response.status_code == 200, response.content
        return response.json()["token"]

    member, staff, hotline = token(w.member), token(w.staff), token(w.hotline)
    categories = client.get("/api/v1/opinions/categories", HTTP_AUTHORIZATION=f"Bearer {member}").json()
    assert {c["value"] for c in categories if c["hotline"]} == {str(c) for c in HOTLINE_CATEGORIES}
    created = post(
        client,
        "/api/v1/opinions",
        {"title": "路灯不亮", "content": HOTLINE_TEXT, "category": "sudden_problem", "co_reporter_ids": [w.co.pk]},
        member,
    )
    assert created.status_code == 201 and created.json()["status"] == "draft"
    rid = created.json()["id"]
    submitted = post(client, f"/api/v1/opinions/{rid}/submit", token=member).json()
    assert submitted["status"] == "submitted" and submitted["committee"]["name"] == "经济委员会"
    assert submitted["deadlines"] == []  # the member side does not see the offices' time limits
    queue = client.get("/api/v1/opinions/queue", HTTP_AUTHORIZATION=f"Bearer {staff}").json()
    assert queue["count"] == 1 and queue["items"][0]["due_at"]
    detail = client.get(f"/api/v1/opinions/{rid}", HTTP_AUTHORIZATION=f"Bearer {staff}").json()
    assert {"accept", "forward", "handle", "transfer", "return"} <= set(detail["steps"])
    assert detail["deadlines"][0]["kind"] == "route"
    forwarded = post(client, f"/api/v1/opinions/{rid}/steps/forward", {"text": "请办理"}, staff).json()
    assert forwarded["status"] == "at_hotline" and forwarded["hotline"]["name"] == "委员热线"
    post(client, f"/api/v1/opinions/{rid}/steps/update", {"text": "已派单"}, hotline)
    done = post(client, f"/api/v1/opinions/{rid}/steps/hotline_result", {"text": "已修复"}, hotline).json()
    assert done["status"] == "hotline_done"
    post(client, f"/api/v1/opinions/{rid}/steps/answer", {"text": "路灯已修复"}, staff)
    mine = client.get(f"/api/v1/opinions/{rid}", HTTP_AUTHORIZATION=f"Bearer {member}").json()
    assert mine["answer"] == "路灯已修复" and mine["updates"][0]["text"] == "已派单" and mine["steps"] == ["rate"]
    assert mine["result"] == ""  # the hotline's own wording stays with the offices
    closed = post(client, f"/api/v1/opinions/{rid}/steps/rate", {"level": "basically"}, member).json()
    assert closed["status"] == "closed" and closed["satisfaction"] == "basically"
    assert [e["step"] for e in closed["history"]] == ["submit", "forward", "hotline_result", "answer", "rate"]
    assert client.get("/api/v1/openapi.json").status_code == 200


@pytest.mark.req("S0-13", "S0-14")
def test_the_guidance_is_shown_beside_the_form_in_chinese(client, w):
    login(client, w.member)
    page = client.get("/opinions/new/").content.decode()
    with translation.override("zh-hans"):
        assert escape(str(rules.GUIDANCE_SCOPE)) in page and escape(str(rules.GUIDANCE_PRINCIPLES)) in page
    for label in HOTLINE_CATEGORIES:
        with translation.override("zh-hans"):
            assert escape(str(label.label)) in page
    # The Chinese of the guidance is the regulation's wording (S0-13, S0-14), ready for the catalogue.
    text = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n' + PO.read_text(encoding="utf-8")
    entries = {e.msgid: e.msgstr for e in polib.pofile(text)}
    with translation.override("en"):
        assert "人民群众关心的实际问题" in entries[str(rules.GUIDANCE_SCOPE)]
        assert "坚持问题导向" in entries[str(rules.GUIDANCE_PRINCIPLES)]


@pytest.mark.req("S0-5.4")
def test_drafts_are_private_saved_edited_and_deleted(client, w):
    login(client, w.member)
    response = client.post("/opinions/new/", {"title": "写到一半", "content": "", "do": "draft"})
    draft = Report.objects.get()
    assert response.status_code == 302 and draft.status == S.DRAFT and draft.committee is None
    page = client.get(f"/opinions/{draft.pk}/edit/").content.decode()
    assert "写到一半" in page
    client.logout()
    login(client, w.staff)
    assert client.get(f"/opinions/{draft.pk}/").status_code == 404
    assert client.get(f"/opinions/{draft.pk}/edit/").status_code == 404
    client.logout()
    login(client, w.member)
    response = client.post(
        f"/opinions/{draft.pk}/edit/",
        {"title": "写完了", "content": HOTLINE_TEXT, "category": "hot_issue", "do": "submit"},
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == S.SUBMITTED and draft.title == "写完了"
    assert client.post(f"/opinions/{draft.pk}/delete/").status_code == 409
    second = services.create_report(actor=w.member, title="另一个草稿", content="", category="")
    assert client.post(f"/opinions/{second.pk}/delete/").status_code == 302
    assert not Report.objects.filter(pk=second.pk).exists()


@pytest.mark.req("S0-5.4")
def test_demo_reports_are_idempotent(db):
    from django.core.management import call_command

    from lvzhi.opinions.demo import load_opinions_demo

    call_command("demo", stdout=__import__("io").StringIO())  # `lvzhi demo` loads the reports too
    first = Report.objects.count()
    assert first >= 5
    statuses = set(Report.objects.values_list("status", flat=True))
    assert {S.SUBMITTED, S.AT_HOTLINE, S.ANSWERED, S.CLOSED, S.DRAFT} <= statuses
    assert load_opinions_demo(None) == 0
    assert Report.objects.count() == first


@pytest.mark.req("S0-16")
def test_the_detail_page_of_each_state_renders_for_each_party(client, w):
    report = submit(w)
    for user in (w.member, w.staff, w.leader):
        client.logout()
        login(client, user)
        assert client.get(f"/opinions/{report.pk}/").status_code == 200
    assert rules.PAGE_SIZE == 20
