"""A report never goes to a committee where nobody can take its next step: it falls back to the members' liaison
office, which is told why; with nobody at the liaison office either, it is refused and nothing is written."""

import pytest

from lvzhi.accounts import services as account_services
from lvzhi.audit.models import AuditEvent
from lvzhi.core.errors import ValidationFailed
from lvzhi.notify.models import Message
from lvzhi.opinions import selectors, services
from lvzhi.opinions.models import Category, Report

pytestmark = pytest.mark.django_db


def _write(member, title="小区电梯长期停运"):
    return services.save_report(
        actor=member, title=title, content="六层老楼电梯停运三个月，居民出行困难。", category=Category.values[0]
    )


@pytest.mark.req("S0-15", "S0-16")
def test_a_staffed_committee_gets_its_members_report(w):
    report = services.submit_report(actor=w.member, report=_write(w.member))
    assert report.committee == w.econ
    assert Message.objects.filter(recipient=w.staff, link=f"/opinions/{report.pk}/").exists()
    assert not Message.objects.filter(recipient=w.liaison_staff).exists()


@pytest.mark.req("S0-15", "S0-16")
def test_a_committee_without_staff_passes_the_report_to_the_liaison_office_which_is_told_why(w):
    for user in (w.staff, w.staff2):
        account_services.freeze_user(actor=w.secadmin, user=user, reason="离岗")
    report = services.submit_report(actor=w.member, report=_write(w.member))
    report.refresh_from_db()
    assert report.committee == w.liaison
    assert report.status == Report.Status.SUBMITTED
    message = Message.objects.get(recipient=w.liaison_staff, link=f"/opinions/{report.pk}/")
    assert "经济委员会" in message.body and "信息化办" in message.body
    event = AuditEvent.objects.get(event="opinions.report.submit", object_id=str(report.pk))
    assert event.after["passed_over"] == w.econ.pk and event.after["committee"] == w.liaison.pk
    # the committee's head alone cannot accept or forward: heads do not take these steps
    assert not Message.objects.filter(recipient=w.head, link=f"/opinions/{report.pk}/").exists()


@pytest.mark.req("S0-15")
def test_with_nobody_at_the_liaison_office_either_the_report_is_refused_and_stays_a_draft(w):
    account_services.freeze_user(actor=w.secadmin, user=w.liaison_staff, reason="离岗")
    draft = _write(w.loner)
    with pytest.raises(ValidationFailed) as exc:
        services.submit_report(actor=w.loner, report=draft)
    assert exc.value.code == "no_handling_office"
    draft.refresh_from_db()
    assert draft.status == Report.Status.DRAFT and draft.committee_id is None
    assert not AuditEvent.objects.filter(event="opinions.report.submit").exists()


@pytest.mark.req("S0-16")
def test_a_report_cannot_be_transferred_to_a_committee_without_staff(w):
    report = services.submit_report(actor=w.member, report=_write(w.member))
    assert set(selectors.transfer_targets(report)) == {w.social, w.liaison}
    account_services.freeze_user(actor=w.secadmin, user=w.social_staff, reason="离岗")
    assert set(selectors.transfer_targets(report)) == {w.liaison}
    with pytest.raises(ValidationFailed):
        services.transfer_report(actor=w.staff, report=report, to_committee=w.social, reason="不属本委职责")
    report.refresh_from_db()
    assert report.committee == w.econ
