"""S0-20: the duty-records module scores daily sign-ins and posts; filing a public-opinion report is a post,
counted once however often it is returned and resubmitted; the first login of each day is a sign-in."""

import pytest
from freezegun import freeze_time

from lvzhi.accounts import auth_services
from lvzhi.content.models import ActivityEvent
from lvzhi.content.selectors import activity_counts, activity_events
from lvzhi.opinions import services
from lvzhi.testing import PASSWORD

from .conftest import submit


@pytest.mark.req("S0-20")
def test_filing_a_report_is_one_post(w):
    draft = services.create_report(actor=w.member, title="东湖路红绿灯损坏", content="东" * 30, category="")
    assert not ActivityEvent.objects.filter(kind="post").exists()  # a draft is not a post yet
    report = submit(w)
    post = ActivityEvent.objects.get(user=w.member, kind="post")
    assert (post.ref, post.body, post.article) == (f"opinions.report:{report.pk}", w.body, None)
    services.return_report(actor=w.staff, report=report, reason="请补充具体位置")
    services.submit_report(actor=w.member, report=report)
    assert ActivityEvent.objects.filter(user=w.member, kind="post").count() == 1  # resubmitted: still one
    assert activity_counts(user=w.member)["post"] == 1
    assert draft.pk != report.pk


@pytest.mark.req("S0-20")
def test_the_first_login_of_each_day_is_a_sign_in(w, django_capture_on_commit_callbacks):
    def log_in():
        with django_capture_on_commit_callbacks(execute=True):
            auth_services.login_with_password(phone=w.member.phone, password=PASSWORD)

    with freeze_time("2026-11-27T07:00:00+08:00"):
        log_in()
    with freeze_time("2026-11-27T21:00:00+08:00"):
        log_in()  # the same day: nothing more
    with freeze_time("2026-11-28T00:30:00+08:00"):  # just after local midnight (still the 27th in UTC)
        log_in()
    days = list(activity_events(user=w.member, kinds=["sign_in"]).values_list("day", flat=True))
    assert [d.isoformat() for d in days] == ["2026-11-27", "2026-11-28"]
    assert activity_counts(user=w.member)["sign_in"] == 2
    # A failed login is no sign-in.
    with pytest.raises(auth_services.InvalidCredentials), django_capture_on_commit_callbacks(execute=True):
        auth_services.login_with_password(phone=w.co.phone, password="wrong-password")
    assert not ActivityEvent.objects.filter(user=w.co).exists()
