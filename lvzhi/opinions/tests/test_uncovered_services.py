"""Services no other test ran (issue 8): removing a photo, accepting a transfer, closing an unrated case."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from freezegun import freeze_time

from lvzhi.audit.models import AuditEvent
from lvzhi.core.errors import Conflict, NotFound, PermissionDenied
from lvzhi.notify.models import Message
from lvzhi.opinions import services
from lvzhi.opinions.models import Attachment, Report
from lvzhi.opinions.workflows import REPORT_FLOW
from lvzhi.workflow.models import WorkflowEvent

from .conftest import HOTLINE_TEXT, submit
from .test_bad_input import jpeg

S = Report.Status


def _inbox(user, event):
    return Message.objects.filter(recipient=user, event=event)


@pytest.mark.req("S0-16")
def test_the_author_removes_a_photo_from_a_draft_and_nobody_else_can(w):
    report = services.create_report(
        actor=w.member, title="路灯不亮", content=HOTLINE_TEXT, category="sudden_problem", location="", submit=False
    )
    photo = services.add_attachment(
        actor=w.member, report=report, upload=SimpleUploadedFile("灯.jpg", jpeg(), content_type="image/jpeg")
    )
    kept = services.add_attachment(
        actor=w.member, report=report, upload=SimpleUploadedFile("路.jpg", jpeg(), content_type="image/jpeg")
    )
    for outsider in (w.other_member, w.staff, w.member_b2):
        with pytest.raises(NotFound):
            services.remove_attachment(actor=outsider, attachment=photo)
    photo_pk = photo.pk  # the row is deleted, and Django forgets the instance's key
    services.remove_attachment(actor=w.member, attachment=photo)
    assert list(Attachment.objects.filter(report=report).values_list("pk", flat=True)) == [kept.pk]
    row = AuditEvent.objects.get(event="opinions.attachment.remove")
    assert row.before == {"attachment": photo_pk} and row.object_id == str(report.pk)
    services.submit_report(actor=w.member, report=Report.objects.get(pk=report.pk))
    with pytest.raises(Conflict) as late:
        services.remove_attachment(actor=w.member, attachment=Attachment.objects.get(pk=kept.pk))
    assert late.value.code == "not_editable" and Attachment.objects.filter(pk=kept.pk).exists()


@pytest.mark.req("S0-16")
def test_the_receiving_committee_accepts_a_transfer_and_both_sides_are_told(w):
    report = submit(w, category="politics_law", title="社区矫正工作建议")
    report = services.transfer_report(actor=w.staff, report=report, to_committee=w.social, reason="属社法委业务范围")
    for outsider in (w.staff, w.member, w.hotline, w.staff_b2):
        with pytest.raises(PermissionDenied):
            services.accept_transfer(actor=outsider, report=Report.objects.get(pk=report.pk))
        assert Report.objects.get(pk=report.pk).status == S.TRANSFERRED, outsider
    done = services.accept_transfer(actor=w.social_staff, report=Report.objects.get(pk=report.pk), note="我委办理")
    assert done.status == S.ACCEPTED and done.committee == w.social and done.origin_committee == w.econ
    assert (
        WorkflowEvent.objects.filter(
            workflow=REPORT_FLOW.name, object_id=report.pk, transition="accept_transfer"
        ).count()
        == 1
    )
    assert _inbox(w.staff, "opinions.report.accept_transfer").exists()  # the office that sent it
    assert _inbox(w.member, "opinions.report.accept_transfer").exists()
    with pytest.raises(Conflict):  # accepted once only
        services.accept_transfer(actor=w.social_staff, report=Report.objects.get(pk=report.pk))


@pytest.mark.req("S0-16.3")
def test_an_unrated_case_is_closed_only_after_the_rating_period(w):
    answered_at = timezone.make_aware(dt.datetime(2026, 11, 2, 10, 0))  # a Monday
    with freeze_time(answered_at):
        report = submit(w)
        report = services.forward_to_hotline(actor=w.staff, report=report)
        report = services.report_hotline_result(actor=w.hotline, report=report, result="已修复。")
        report = services.answer_member(actor=w.staff, report=report, answer="已修复。")
    with freeze_time(answered_at + dt.timedelta(days=7)):
        with pytest.raises(Conflict) as early:
            services.close_unrated(actor=w.staff, report=Report.objects.get(pk=report.pk), note="委员未评价")
        assert early.value.code == "rating_period_running"
        assert Report.objects.get(pk=report.pk).status == S.ANSWERED
    with freeze_time(answered_at + dt.timedelta(days=21)):  # more than 10 working days later
        with pytest.raises(PermissionDenied):
            services.close_unrated(actor=w.staff_b2, report=Report.objects.get(pk=report.pk), note="外单位")
        closed = services.close_unrated(actor=w.staff, report=Report.objects.get(pk=report.pk), note="委员未评价")
    assert closed.status == S.CLOSED and closed.closed_at is not None and closed.satisfaction == ""
    assert _inbox(w.member, "opinions.report.close").exists()
