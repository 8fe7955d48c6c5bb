"""Bad input and bad timing: each a clear error with a stable code, and nothing half-written."""

import io
import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from PIL import Image

from lvzhi.audit.models import AuditEvent
from lvzhi.core.errors import Conflict
from lvzhi.notify.models import Message
from lvzhi.opinions import rules, services
from lvzhi.opinions.models import Attachment, Rating, Report
from lvzhi.testing import login
from lvzhi.workflow.models import WorkflowEvent

from .conftest import HOTLINE_TEXT, build_world, submit

S = Report.Status


def api_post(client, url, data):
    return client.post(url, data, content_type="application/json")


def jpeg(size=(64, 48), exif_gps=False) -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    out = io.BytesIO()
    if exif_gps:
        exif = Image.Exif()
        exif[0x010F] = "TestPhoneMaker"
        exif[0x8825] = {1: "N", 2: (31.0, 14.0, 0.0), 3: "E", 4: (121.0, 28.0, 0.0)}
        image.save(out, format="JPEG", exif=exif)
    else:
        image.save(out, format="JPEG")
    return out.getvalue()


@pytest.mark.req("S0-16")
def test_empty_and_oversized_reports_are_refused_and_nothing_is_written(client, w):
    login(client, w.member)
    response = client.post("/opinions/new/", {"title": "", "content": "", "category": "", "do": "submit"})
    assert response.status_code == 400 and "errorlist" in response.content.decode()
    response = client.post("/opinions/new/", {"title": "", "content": "", "do": "draft"})
    assert response.status_code == 400
    assert not Report.objects.exists()

    api = api_post(
        client, "/api/v1/opinions", {"title": "标题", "content": "字" * 5001, "category": "other", "submit": True}
    )
    assert api.status_code == 400 and api.json()["code"] == "content_too_long"
    api = api_post(client, "/api/v1/opinions", {"title": "标" * 101, "content": HOTLINE_TEXT, "category": "other"})
    assert api.json()["code"] == "title_too_long"
    api = api_post(
        client, "/api/v1/opinions", {"title": "标题", "content": "太短", "category": "other", "submit": True}
    )
    assert api.json()["code"] == "content_too_short"
    api = api_post(
        client, "/api/v1/opinions", {"title": "  ", "content": HOTLINE_TEXT, "category": "other", "submit": True}
    )
    assert api.json()["code"] == "title_required"
    assert not Report.objects.exists()
    # a draft may be incomplete
    api = api_post(client, "/api/v1/opinions", {"title": "先存草稿", "content": "", "category": ""})
    assert api.status_code == 201 and api.json()["status"] == "draft"
    draft = Report.objects.get()
    response = api_post(client, f"/api/v1/opinions/{draft.pk}/submit", {})
    assert response.status_code == 400 and response.json()["code"] == "content_required"
    assert Report.objects.get().status == S.DRAFT and not WorkflowEvent.objects.exists()


@pytest.mark.req("S0-16.1")
def test_a_forged_category_is_refused_everywhere(client, w):
    login(client, w.member)
    response = client.post(
        "/opinions/new/", {"title": "标题", "content": HOTLINE_TEXT, "category": "free_money", "do": "submit"}
    )
    assert response.status_code == 400 and not Report.objects.exists()
    api = api_post(
        client, "/api/v1/opinions", {"title": "标题", "content": HOTLINE_TEXT, "category": "free_money", "submit": True}
    )
    assert api.status_code == 400 and api.json()["code"] == "invalid_category"
    report = submit(w)
    client.logout()
    login(client, w.staff)
    api = api_post(client, f"/api/v1/opinions/{report.pk}/steps/accept", {"category": "free_money"})
    assert api.status_code == 400 and api.json()["code"] == "invalid_category"
    page = client.post(f"/opinions/{report.pk}/step/accept/", {"category": "free_money"})
    assert page.status_code == 400 and 'data-testid="step-error"' in page.content.decode()
    report.refresh_from_db()
    assert report.status == S.SUBMITTED and report.category == "sudden_problem"
    # a category outside the hotline kinds does not go to the hotline
    api = api_post(client, f"/api/v1/opinions/{report.pk}/steps/forward", {"category": "party_building"})
    assert api.status_code == 400 and api.json()["code"] == "not_hotline_kind"
    assert Report.objects.get(pk=report.pk).status == S.SUBMITTED


@pytest.mark.req("S0-16", "S0-16.3")
def test_steps_out_of_order_are_conflicts_and_change_nothing(client, w):
    report = submit(w)
    login(client, w.staff)
    for name, data in (("answer", {"text": "答复"}), ("verified", {"text": "核实"}), ("accept_transfer", {})):
        api = api_post(client, f"/api/v1/opinions/{report.pk}/steps/{name}", data)
        assert api.status_code == 409 and api.json()["code"] == "transition_not_allowed", name
    api = api_post(client, f"/api/v1/opinions/{report.pk}/steps/no_such_step", {})
    assert api.status_code == 404
    services.forward_to_hotline(actor=w.staff, report=report)
    api = api_post(client, f"/api/v1/opinions/{report.pk}/steps/accept", {"category": "sudden_problem"})
    assert api.status_code == 409
    api = api_post(client, f"/api/v1/opinions/{report.pk}/steps/return", {"text": ""})
    assert api.status_code == 400 and api.json()["code"] == "reason_required"
    client.logout()
    login(client, w.member)
    api = api_post(client, f"/api/v1/opinions/{report.pk}/steps/rate", {"level": "satisfied"})
    assert api.status_code == 409
    assert Report.objects.get(pk=report.pk).status == S.AT_HOTLINE
    assert list(WorkflowEvent.objects.filter(object_id=report.pk).values_list("transition", flat=True)) == [
        "submit",
        "forward",
    ]


@pytest.mark.req("S0-16.3")
def test_satisfaction_given_twice_is_refused(client, w):
    report = services.forward_to_hotline(actor=w.staff, report=submit(w))
    report = services.report_hotline_result(actor=w.hotline, report=report, result="已修复")
    report = services.answer_member(actor=w.staff, report=report, answer="已修复")
    login(client, w.member)
    assert api_post(client, f"/api/v1/opinions/{report.pk}/steps/rate", {"level": "great"}).json()["code"] == (
        "invalid_level"
    )
    api = api_post(client, f"/api/v1/opinions/{report.pk}/steps/rate", {"level": "unsatisfied", "text": ""})
    assert api.status_code == 400 and api.json()["code"] == "comment_required"
    assert client.post(f"/opinions/{report.pk}/step/rate/", {"level": "satisfied"}).status_code == 302
    again = api_post(client, f"/api/v1/opinions/{report.pk}/steps/rate", {"level": "unsatisfied", "text": "不满意"})
    assert again.status_code == 409 and again.json()["code"] == "already_rated"
    page = client.post(f"/opinions/{report.pk}/step/rate/", {"level": "basically"})
    assert page.status_code == 409
    assert Rating.objects.filter(report=report).count() == 1
    report.refresh_from_db()
    assert report.status == S.CLOSED and report.satisfaction == "satisfied" and report.round == 1


@pytest.mark.req("S0-16")
def test_co_reporters_must_be_members_of_the_same_body(client, w):
    login(client, w.member)
    for ids, code in (
        ([w.member_b2.pk], "invalid_co_reporter"),
        ([w.staff.pk], "invalid_co_reporter"),
        ([w.member.pk], "invalid_co_reporter"),
        (list(range(1, 13)), "too_many_co_reporters"),
    ):
        api = api_post(
            client,
            "/api/v1/opinions",
            {"title": "标题", "content": HOTLINE_TEXT, "category": "other", "co_reporter_ids": ids},
        )
        assert api.status_code == 400 and api.json()["code"] == code, ids
    response = client.post(
        "/opinions/new/",
        {"title": "标题", "content": HOTLINE_TEXT, "category": "other", "co_reporters": "范晨阳", "do": "submit"},
    )
    assert response.status_code == 400 and "范晨阳" in response.content.decode()
    assert not Report.objects.exists()
    response = client.post(
        "/opinions/new/",
        {
            "title": "标题",
            "content": HOTLINE_TEXT,
            "category": "other",
            "co_reporters": "魏静怡、陶宏宇",
            "do": "draft",
        },
    )
    assert response.status_code == 302
    assert set(Report.objects.get().co_reporters.all()) == {w.co, w.other_member}


@pytest.mark.req("S0-16")
def test_photos_are_checked_by_content_and_stripped_of_location(client, w, settings):
    login(client, w.member)
    draft = services.create_report(actor=w.member, title="路面塌陷", content=HOTLINE_TEXT, category="sudden_problem")
    url = f"/api/v1/opinions/{draft.pk}/attachments"
    fake = SimpleUploadedFile("evil.jpg", b"<?php system($_GET['c']); ?>" * 10, content_type="image/jpeg")
    response = client.post(url, {"file": fake})
    assert response.status_code == 400 and response.json()["code"] == "bad_file_type"
    broken = SimpleUploadedFile("broken.jpg", jpeg()[:200], content_type="image/jpeg")
    assert client.post(url, {"file": broken}).json()["code"] == "bad_image"
    big = SimpleUploadedFile("big.jpg", b"\xff\xd8\xff" + b"0" * (rules.ATTACHMENT_BYTES_MAX + 1))
    assert client.post(url, {"file": big}).json()["code"] == "attachment_too_large"
    assert not Attachment.objects.exists()

    good = SimpleUploadedFile("现场.jpg", jpeg(exif_gps=True), content_type="image/jpeg")
    response = client.post(url, {"file": good})
    assert response.status_code == 201
    stored = Attachment.objects.get()
    with stored.file.open("rb") as fh, Image.open(fh) as image:
        assert image.format == "JPEG" and image.size == (64, 48)
        assert not image.getexif()  # no maker, no GPS
    assert client.get(response.json()["url"]).status_code == 200
    client.logout()
    login(client, w.other_member)
    assert client.get(f"/opinions/{draft.pk}/photos/{stored.pk}/").status_code == 404
    assert client.post(url, {"file": SimpleUploadedFile("a.jpg", jpeg())}).status_code == 404
    client.logout()
    login(client, w.member)
    for _ in range(rules.ATTACHMENTS_MAX - 1):
        assert client.post(url, {"file": SimpleUploadedFile("a.jpg", jpeg())}).status_code == 201
    assert client.post(url, {"file": SimpleUploadedFile("a.jpg", jpeg())}).json()["code"] == "too_many_attachments"
    services.submit_report(actor=w.member, report=draft)
    response = client.post(url, {"file": SimpleUploadedFile("late.jpg", jpeg())})
    assert response.status_code == 409 and response.json()["code"] == "not_editable"


@pytest.mark.req("S0-16")
def test_a_bad_photo_in_the_form_writes_nothing_at_all(client, w, settings):
    import os

    login(client, w.member)
    media = settings.MEDIA_ROOT / "opinions"
    before = sum(len(files) for _d, _s, files in os.walk(media)) if media.exists() else 0
    response = client.post(
        "/opinions/new/",
        {
            "title": "标题",
            "content": HOTLINE_TEXT,
            "category": "sudden_problem",
            "do": "submit",
            "photos": [SimpleUploadedFile("ok.jpg", jpeg()), SimpleUploadedFile("bad.jpg", b"not an image at all")],
        },
    )
    assert response.status_code == 400 and "errorlist" in response.content.decode()
    assert not Report.objects.exists() and not Attachment.objects.exists()
    after = sum(len(files) for _d, _s, files in os.walk(media)) if media.exists() else 0
    assert after == before
    assert not Message.objects.filter(event="opinions.report.submit").exists()


@pytest.mark.req("S0-16")
def test_transfers_only_to_another_committee_of_the_same_body(client, w):
    report = submit(w)
    login(client, w.staff)
    for target in (w.econ2.pk, w.econ.pk, w.hotline_unit.pk, 999999, "x"):
        api = api_post(client, f"/api/v1/opinions/{report.pk}/steps/transfer", {"committee": target, "text": "转办"})
        if target == "x":
            assert api.status_code == 422
        else:
            assert api.status_code == 400 and api.json()["code"] == "invalid_committee", target
    api = api_post(client, f"/api/v1/opinions/{report.pk}/steps/transfer", {"committee": w.social.pk, "text": ""})
    assert api.json()["code"] == "reason_required"
    assert Report.objects.get(pk=report.pk).committee == w.econ


@pytest.mark.req("S0-16.1")
@pytest.mark.django_db(transaction=True)
def test_two_staff_forwarding_at_the_same_moment_exactly_one_succeeds():
    if connection.vendor == "sqlite":
        pytest.skip("row locks need PostgreSQL; SQLite serialises writers itself")
    w = build_world()
    report = submit(w)
    barrier = threading.Barrier(2)
    outcomes = []

    def run(clerk):
        try:
            barrier.wait()
            services.forward_to_hotline(actor=clerk, report=Report.objects.get(pk=report.pk), note=clerk.real_name)
            outcomes.append("ok")
        except Conflict as exc:
            outcomes.append(exc.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(clerk,)) for clerk in (w.staff, w.staff2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["ok", "transition_not_allowed"]
    assert WorkflowEvent.objects.filter(object_id=report.pk, transition="forward").count() == 1
    assert AuditEvent.objects.filter(event="opinions.report.forward").count() == 1
    assert Message.objects.filter(event="opinions.report.forward", recipient=w.hotline).count() == 1
    assert Report.objects.get(pk=report.pk).status == S.AT_HOTLINE
