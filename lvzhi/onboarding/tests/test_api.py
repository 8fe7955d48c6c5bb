"""The onboarding API (issue 20): upload, problems, confirm naming the rows left out, progress, report, templates;
the page's permissions (another body's office: 404), stable error codes for oversized, malformed, unclean and
repeated requests, and bounded queries for the lists."""

import io

import pytest
from django.test import TestCase
from openpyxl import load_workbook

from lvzhi.accounts.models import User
from lvzhi.accounts.tokens import issue_token
from lvzhi.onboarding import reader
from lvzhi.onboarding.models import ImportJob

from .conftest import member_row, xlsx_file

pytestmark = [pytest.mark.req("S0-2"), pytest.mark.req("S0-26"), pytest.mark.req("S3-4")]

API = "/api/v1/onboarding"


def bearer(user) -> dict:
    _token, secret = issue_token(actor=user, user=user, device="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def post_file(client, auth, body, f, kind="members", **extra):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(f"{API}/jobs", {"body": body.pk, "kind": kind, "file": f, **extra}, **auth)


def test_upload_check_confirm_with_listed_rows_and_report(world, client):
    auth = bearer(world.clerk)
    response = post_file(client, auth, world.body, xlsx_file([member_row(1), member_row(2, phone="123")]))
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "checking"  # the check runs as a task once the upload is committed
    job = client.get(f"{API}/jobs/{response.json()['id']}", **auth).json()
    assert (job["status"], job["rows"]["total"], job["rows"]["bad"]) == ("checked", 2, 1)
    problems = client.get(f"{API}/jobs/{job['id']}/problems", **auth).json()
    assert problems["count"] == 1
    assert (problems["items"][0]["row"], problems["items"][0]["code"]) == (3, "phone_invalid")
    assert problems["items"][0]["message"] == "请输入11位大陆手机号。"
    # Confirming without naming the bad row is refused with the rows to name.
    refused = client.post(f"{API}/jobs/{job['id']}/confirm", {}, content_type="application/json", **auth)
    assert refused.status_code == 409
    assert refused.json()["code"] == "file_not_clean" and refused.json()["detail"]["rows"] == [3]
    with TestCase.captureOnCommitCallbacks(execute=True):
        done = client.post(
            f"{API}/jobs/{job['id']}/confirm", {"exclude_rows": [3]}, content_type="application/json", **auth
        )
    assert done.status_code == 200, done.content
    progress = client.get(f"{API}/jobs/{job['id']}", **auth).json()
    assert (progress["status"], progress["percent"], progress["rows"]["created"]) == ("done", 100, 1)
    assert (progress["rows"]["excluded"], progress["rows"]["written"]) == (1, 2)
    assert User.objects.filter(phone=member_row(1)[1]).exists()
    again = client.post(
        f"{API}/jobs/{job['id']}/confirm", {"exclude_rows": [3]}, content_type="application/json", **auth
    )
    assert (again.status_code, again.json()["code"]) == (409, "job_not_checked")
    report = client.get(f"{API}/jobs/{job['id']}/report.xlsx", **auth)
    assert report.status_code == 200
    assert len(load_workbook(io.BytesIO(report.content), read_only=True).sheetnames) == 3
    template = client.get(f"{API}/bodies/{world.body.pk}/members/template.xlsx", **auth)
    assert template.status_code == 200 and template["Content-Type"].startswith("application/vnd.openxmlformats")


def test_a_clean_row_can_be_left_out_by_name(world, client):
    auth = bearer(world.clerk)
    job = post_file(client, auth, world.body, xlsx_file([member_row(1), member_row(2)])).json()
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(f"{API}/jobs/{job['id']}/confirm", {"exclude_rows": [2]}, content_type="application/json", **auth)
    assert ImportJob.objects.get(pk=job["id"]).rows_created == 1
    assert not User.objects.filter(phone=member_row(1)[1]).exists()
    bad = post_file(client, auth, world.body, xlsx_file([member_row(3)])).json()
    response = client.post(
        f"{API}/jobs/{bad['id']}/confirm", {"exclude_rows": [0, 1]}, content_type="application/json", **auth
    )
    assert (response.status_code, response.json()["code"]) == (400, "exclude_rows_invalid")
    response = client.post(
        f"{API}/jobs/{bad['id']}/confirm", {"exclude_rows": "x"}, content_type="application/json", **auth
    )
    assert (response.status_code, response.json()["code"]) == (422, "validation_failed")


def test_oversized_malformed_and_unknown_kinds_answer_with_stable_codes(world, client, monkeypatch):
    auth = bearer(world.clerk)
    monkeypatch.setattr(reader, "MAX_BYTES", 100)
    big = post_file(client, auth, world.body, xlsx_file([member_row(i) for i in range(1, 5)]))
    assert (big.status_code, big.json()["code"]) == (400, "file_size")
    monkeypatch.undo()
    binary = io.BytesIO(b"\x00\x01binary" * 10)
    binary.name = "x.xlsx"
    malformed = post_file(client, auth, world.body, binary)
    assert (malformed.status_code, malformed.json()["code"]) == (400, "file_invalid")
    broken = io.BytesIO(b"PK\x03\x04 not a zip")
    broken.name = "y.xlsx"
    job = client.get(f"{API}/jobs/{post_file(client, auth, world.body, broken).json()['id']}", **auth).json()
    assert job["status"] == "failed" and job["error"]
    unknown = post_file(client, auth, world.body, xlsx_file([member_row(1)]), kind="planets")
    assert (unknown.status_code, unknown.json()["code"]) == (404, "not_found")
    missing = client.post(f"{API}/jobs", {"body": world.body.pk, "kind": "members"}, **auth)
    assert (missing.status_code, missing.json()["code"]) == (422, "validation_failed")
    assert ImportJob.objects.filter(status="checked").count() == 0


def test_another_bodys_office_and_the_wrong_roles_get_404(world, client):
    job = post_file(client, bearer(world.clerk), world.body, xlsx_file([member_row(1)])).json()
    for actor in (world.other_clerk, world.sysadmin):  # another body's liaison office; 三员 (no member lists)
        auth = bearer(actor)
        for url in (
            f"{API}/jobs/{job['id']}",
            f"{API}/jobs/{job['id']}/problems",
            f"{API}/jobs/{job['id']}/report.xlsx",
            f"{API}/bodies/{world.body.pk}/members/template.xlsx",
            f"{API}/bodies/{world.body.pk}/members/export.xlsx",
            f"{API}/bodies/{world.body.pk}/staff/template.xlsx",
        ):
            response = client.get(url, **auth)
            assert (response.status_code, response.json()["code"]) == (404, "not_found"), url
        for url in (f"{API}/jobs/{job['id']}/confirm", f"{API}/jobs/{job['id']}/cancel"):
            response = client.post(url, {}, content_type="application/json", **auth)
            assert response.status_code == 404, url
        upload = post_file(client, auth, world.body, xlsx_file([member_row(2)]))
        assert upload.status_code == 404
        assert client.get(f"{API}/jobs", **auth).json()["count"] == 0
    # The liaison office may not import staff (the information office grants roles).
    staff = post_file(client, bearer(world.clerk), world.body, xlsx_file([member_row(3)]), kind="staff")
    assert staff.status_code == 404
    assert ImportJob.objects.get(pk=job["id"]).status == "checked"
    assert client.get(f"{API}/jobs/{job['id']}").status_code == 401  # no token, no session


def test_the_job_lists_are_bounded_in_queries(world, client, django_assert_max_num_queries):
    auth = bearer(world.clerk)
    post_file(client, auth, world.body, xlsx_file([member_row(i, phone="x") for i in range(1, 4)]))

    def lists(job_id):
        with django_assert_max_num_queries(12):
            assert client.get(f"{API}/jobs", **auth).status_code == 200
        with django_assert_max_num_queries(12):
            assert client.get(f"{API}/jobs/{job_id}/problems", **auth).status_code == 200

    lists(ImportJob.objects.latest("pk").pk)
    for _ in range(4):
        post_file(client, auth, world.body, xlsx_file([member_row(i, phone="x") for i in range(1, 90)]))
    lists(ImportJob.objects.latest("pk").pk)
    assert client.get(f"{API}/jobs", **auth).json()["count"] == 5
