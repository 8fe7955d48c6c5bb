"""Monitoring (S0-28, S0-29): monitors and readers report items to the information office, which handles each as a
case with a deadline: contact the poster, close as corrected (after a correction), remove, or dismiss."""

import datetime as dt

import pytest
from freezegun import freeze_time

from lvzhi.audit.models import AuditEvent
from lvzhi.content import services
from lvzhi.content.models import Article, MonitorReport
from lvzhi.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from lvzhi.notify.models import Message
from lvzhi.testing import login
from lvzhi.workflow.selectors import deadline_of

from .conftest import approve, msg, publish_article

pytestmark = pytest.mark.django_db


@pytest.mark.req("S0-28", "S0-29")
def test_a_monitor_reports_an_item_and_the_information_office_removes_it(client, world):
    with freeze_time("2026-03-02 10:00:00+08:00"):  # a Monday
        article = publish_article(world)
        report = _reported_once_and_followed_by_its_reporter(client, world, article)
        _contacted_and_removed_by_the_information_office(client, world, article, report)


def _reported_once_and_followed_by_its_reporter(client, world, article):
    """The monitor reports the article: a case of the information office due in three working days."""
    login(client, world.monitor)
    assert client.get(f"/content/a/{article.pk}/report/").status_code == 200
    response = client.post(f"/content/a/{article.pk}/report/", {"kind": "wrong", "reason": "会议日期写错"})
    assert response.status_code == 302
    report = MonitorReport.objects.get()
    assert report.office == world.info and report.status == "open" and report.reporter == world.monitor
    deadline = deadline_of(report, "handle_report")
    assert deadline.due_at.astimezone(dt.timezone(dt.timedelta(hours=8))).date() == dt.date(2026, 3, 5)
    assert Message.objects.filter(recipient=world.info_officer, event="content.report.submit").exists()
    again = client.post(f"/content/a/{article.pk}/report/", {"kind": "wrong", "reason": "再报一次"})
    assert again.status_code == 400
    assert msg("You have already reported this article; it is being handled.") in again.content.decode()
    # the reporter follows the report; others cannot see it
    assert client.get(f"/content/reports/{report.pk}/").status_code == 200
    login(client, world.member)
    assert client.get(f"/content/reports/{report.pk}/").status_code == 404
    return report


def _contacted_and_removed_by_the_information_office(client, world, article, report):
    """The office contacts the poster, then removes the article (a note required): withdrawn, deadline met."""
    login(client, world.info_officer)
    queue = client.get("/content/reports/").content.decode()
    assert article.published_title in queue
    contact = client.post(f"/content/reports/{report.pk}/", {"action": "contact", "note": "请核实日期"})
    assert contact.status_code == 302
    assert Message.objects.filter(recipient=world.author, event="content.report.contact").exists()
    empty = client.post(f"/content/reports/{report.pk}/", {"action": "remove", "note": ""})
    assert empty.status_code == 400
    remove = client.post(f"/content/reports/{report.pk}/", {"action": "remove", "note": "内容有误，先撤下"})
    assert remove.status_code == 302
    report.refresh_from_db()
    article.refresh_from_db()
    assert report.status == "removed" and report.closed_at is not None
    assert article.status == Article.Status.WITHDRAWN and not article.is_live
    assert deadline_of(report, "handle_report").met_at is not None
    assert Message.objects.filter(recipient=world.monitor, event="content.report.close").exists()
    for event in ("content.report.submit", "content.report.contact", "content.report.remove"):
        assert AuditEvent.objects.filter(event=event, object_id=str(report.pk)).exists()


@pytest.mark.req("S0-28", "S0-29")
def test_a_report_is_closed_as_corrected_only_after_a_correction_was_submitted(world):
    article = publish_article(world)
    report = services.report_article(actor=world.member, article=article, kind="outdated", reason="信息过时")
    with pytest.raises(ValidationFailed) as early:
        services.handle_report(actor=world.info_officer, report=report, action="correct", note="")
    assert early.value.code == "not_corrected"
    article = services.revise(actor=world.author, article=article)
    article = services.update_draft(actor=world.author, article=article, title="已更新", body_html="<p>新</p>")
    article = services.submit(actor=world.author, article=article)
    report = services.handle_report(actor=world.info_officer, report=report, action="correct", note="已更正")
    assert report.status == "corrected"
    article = services.publish(
        actor=world.publisher, article=approve(world, approve(world, article, world.reviewer), world.head)
    )
    assert article.published_title == "已更新" and article.revision_no == 2


@pytest.mark.req("S0-28", "S0-29")
def test_report_permissions_and_bad_input(world, other):
    article = publish_article(world)
    with pytest.raises(NotFound):  # another body's reader cannot see it, so cannot report it
        services.report_article(actor=other.member, article=article, kind="wrong", reason="x")
    with pytest.raises(NotFound):
        services.report_article(actor=world.sysadmin, article=article, kind="wrong", reason="x")
    with pytest.raises(ValidationFailed):
        services.report_article(actor=world.member, article=article, kind="spam", reason="x")
    with pytest.raises(ValidationFailed):
        services.report_article(actor=world.member, article=article, kind="wrong", reason="  ")
    with pytest.raises(ValidationFailed):
        services.report_article(actor=world.member, article=article, kind="wrong", reason="长" * 501)
    report = services.report_article(actor=world.member, article=article, kind="inappropriate", reason="措辞不当")
    for user in (world.member, world.author, world.head, world.monitor, other.info_officer, world.leader):
        with pytest.raises((PermissionDenied, NotFound)):
            services.handle_report(actor=user, report=report, action="dismiss", note="无问题")
    report = services.handle_report(actor=world.info_officer, report=report, action="dismiss", note="经核实无问题")
    with pytest.raises(Conflict):
        services.handle_report(actor=world.info_officer, report=report, action="dismiss", note="再次")
    # once closed, the same reader may report the article again
    services.report_article(actor=world.member, article=article, kind="wrong", reason="又发现问题")
    assert MonitorReport.objects.filter(article=article).count() == 2
