"""In real Chromium at 390 px: the liaison office uploads a 2,000-row workbook, watches the check and then the import
progress on the job page (the page polls its counters while the task writes batch by batch), and gets the report.
The task is driven from the test (batch by batch) so that the page is seen in the middle of the import."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from lvzhi.onboarding import services
from lvzhi.onboarding.models import ImportJob
from lvzhi.onboarding.services import jobs
from lvzhi.testing import PASSWORD

from .conftest import member_row, xlsx_file

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.req("S0-2"),
    pytest.mark.req("S0-26"),
    pytest.mark.req("S3-4"),
]


def test_progress_of_a_2000_row_import_is_shown_while_it_runs(live_server, phone_page, world, monkeypatch, tmp_path):
    monkeypatch.setattr(jobs, "_enqueue", lambda name, job_id: None)  # the test runs the task's steps itself
    path = tmp_path / "members.xlsx"
    upload: SimpleUploadedFile = xlsx_file([member_row(i) for i in range(1, 2001)])
    path.write_bytes(upload.read())
    base, page = live_server.url, phone_page
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=phone]", world.clerk.phone)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{base}/")
    page.goto(f"{base}/office/")
    page.click("[data-nav='onboarding:index']")
    page.wait_for_url(f"{base}/office/onboarding/")
    page.set_input_files("[data-testid=upload-form] input[name=file]", str(path))
    with page.expect_navigation():
        page.click("[data-testid=upload-form] button[type=submit]")
    page.wait_for_url(re.compile(r".*/office/onboarding/jobs/\d+/$"))
    job = ImportJob.objects.get()
    assert page.get_by_test_id("progress").get_attribute("data-status") == "checking"
    services.check_job(job.pk)
    page.wait_for_selector("[data-testid=confirm-form]")  # the page noticed the end of the check and reloaded
    assert page.get_by_test_id("rows-checked").inner_text() == "2000"
    assert page.get_by_test_id("rows-bad").inner_text() == "0"
    with page.expect_navigation():
        page.click("[data-testid=confirm-form] button[type=submit]")
    assert page.get_by_test_id("progress").get_attribute("data-status") == "importing"
    services.run_job(job.pk, max_batches=3)
    page.wait_for_selector("[data-testid=rows-written]:text-is('600')")  # polled, not reloaded
    assert page.get_by_test_id("progress").get_attribute("data-percent") == "30"
    assert page.get_by_test_id("rows-created").inner_text() == "600"
    services.run_job(job.pk)
    page.wait_for_selector("[data-testid=progress][data-status=done]")
    assert page.get_by_test_id("rows-created").inner_text() == "2000"
    assert page.get_by_test_id("report").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
