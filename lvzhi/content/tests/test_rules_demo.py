"""The demo lets its roles reach the seeds' content rules: maintainers and categories on every column (S2-18/19),
designated sources (S2-27), the archive with an overdue loan and a destruction awaiting approval (S0-10), a rumour
rebuttal with its response time (S2-29) and an annual report draft (S2-6); a second run changes nothing."""

from io import StringIO

import pytest
from django.core.management import call_command

from lvzhi.accounts.models import User
from lvzhi.content.demo import load_content_rules_demo
from lvzhi.content.models import AnnualReport, ArchiveLoan, ArchiveRecord, Article, Column, RepostSource
from lvzhi.orgs.models import OrgUnit
from lvzhi.testing import login
from lvzhi.web.demo import DEMO_PASSWORD


@pytest.mark.django_db
@pytest.mark.req("S0-10", "S2-6", "S2-18", "S2-19", "S2-27", "S2-29")
def test_the_demo_reaches_every_rule(client):
    call_command("demo", stdout=StringIO())
    cppcc = OrgUnit.objects.get(parent=None, name="江海市政协")
    columns = Column.objects.filter(body=cppcc)
    assert columns.exists() and not columns.filter(maintainer__isnull=True).exists()
    assert not columns.filter(disclosure_category__isnull=True).exists()
    assert RepostSource.objects.filter(body=cppcc, is_active=True).count() >= 4
    assert ArchiveLoan.objects.filter(record__body=cppcc, returned_at__isnull=True).exists()
    assert ArchiveRecord.objects.filter(body=cppcc, status="destroy_req").exists()
    rumour = Article.objects.get(body=cppcc, urgency="rumour")
    assert rumour.is_live and rumour.response_minutes is not None and rumour.response_minutes >= 135
    assert AnnualReport.objects.filter(body=cppcc).exists()
    assert load_content_rules_demo() == 0  # idempotent
    info = User.objects.get(phone="13900000001")  # 信息化办
    login(client, info, DEMO_PASSWORD)
    assert 'data-testid="overdue-count"' in client.get("/content/archive/").content.decode()
    assert "新华社" in client.get("/content/sources/").content.decode()
    assert rumour.title in client.get("/content/response-times/").content.decode()
    pending = ArchiveRecord.objects.filter(body=cppcc, status="destroy_req").select_related("entry__unit").first()
    clerk = pending.destruction_requested_by
    login(client, clerk, DEMO_PASSWORD)
    assert client.get(f"/content/archive/{pending.entry_id}/").status_code == 200
    report = AnnualReport.objects.filter(body=cppcc).select_related("created_by").first()
    login(client, report.created_by, DEMO_PASSWORD)
    assert report.article.title in client.get("/content/annual-reports/").content.decode()
