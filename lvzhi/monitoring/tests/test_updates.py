"""The update-frequency rules (S2-25, S1-3.3): items each working day (holidays skipped, 调休 days counted), an
original item and an update a week, and the veto after 14 days without an update; the platform's own register
feeds the log; the same item reading differently on two outlets is flagged; Excel import."""

import datetime as dt
import io

import pytest
from django.utils import timezone
from openpyxl import Workbook

from lvzhi.core import hooks
from lvzhi.core.errors import NotFound, ValidationFailed
from lvzhi.monitoring import jobs, services
from lvzhi.monitoring.models import Finding, ItemSource, JobDay, OutletItem
from lvzhi.monitoring.services.updates import check_stale, check_week

from .conftest import watch


def at(day: dt.date, hour=10):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def log(outlet, day, *, original=True, title=None):
    return services.add_item(
        outlet=outlet, source=ItemSource.MANUAL, ref=f"t:{day}:{title}", title=title or f"动态 {day}",
        published_at=at(day), is_original=original,
    )[0]  # fmt: skip


@pytest.mark.req("S2-25")
def test_the_national_day_week_is_not_missing_daily_items(w):
    # 2026-09-28 (Mon) … 10-04 (Sun): working days 28, 29, 30; 1–4 October are holidays
    wt = watch(w.wechat)
    for day in (28, 29, 30):
        log(w.wechat, dt.date(2026, 9, day))
    assert check_week(wt, dt.date(2026, 9, 28)) == []
    assert not Finding.objects.filter(kind="no_daily_update").exists()


@pytest.mark.req("S2-25")
def test_a_missing_working_day_and_the_adjusted_saturday_are_counted(w):
    # 2026-10-05 … 10-11: 5–7 October holidays, 8–9 working, Saturday 10 October a 调休 working day
    wt = watch(w.wechat)
    log(w.wechat, dt.date(2026, 10, 8))
    log(w.wechat, dt.date(2026, 10, 9), original=False)
    assert check_week(wt, dt.date(2026, 10, 5)) == ["no_daily_update"]
    finding = Finding.objects.get(kind="no_daily_update")
    assert finding.evidence["missing_days"] == ["2026-10-10"] and not finding.veto
    assert finding.host_unit == w.housing and finding.status == "open"
    check_week(wt, dt.date(2026, 10, 5))  # the check runs twice: still one finding
    assert Finding.objects.filter(kind="no_daily_update").count() == 1


@pytest.mark.req("S2-25", "S1-3.3")
def test_a_week_without_an_original_item_and_without_any_update(w):
    wt = watch(w.wechat)
    wt_edu = watch(w.edu_wechat)
    for day in range(16, 21):
        log(w.wechat, dt.date(2026, 11, day), original=False)
    assert check_week(wt, dt.date(2026, 11, 16)) == ["no_weekly_original"]
    assert check_week(wt_edu, dt.date(2026, 11, 16)) == ["no_daily_update", "no_weekly_update", "no_weekly_original"]


@pytest.mark.req("S1-3.3", "S2-25")
def test_a_veto_after_14_days_without_an_update(w):
    wt = watch(w.wechat)
    log(w.wechat, dt.date(2026, 11, 1))
    assert check_stale(wt, dt.date(2026, 11, 14)) is False  # 13 days
    assert check_stale(wt, dt.date(2026, 11, 15)) is True  # 14 days
    finding = Finding.objects.get(kind="not_updated_14_days")
    assert finding.veto and finding.evidence["last_item"] == "2026-11-01" and finding.evidence["days"] == 14
    check_stale(wt, dt.date(2026, 11, 16))
    finding.refresh_from_db()
    assert finding.occurrences == 2 and Finding.objects.filter(kind="not_updated_14_days").count() == 1


@pytest.mark.req("S2-25")
def test_the_daily_job_runs_once_a_day(w):
    watch(w.wechat, since=dt.date(2026, 11, 1))
    now = at(dt.date(2026, 11, 20), 1)
    assert jobs.run_update_check(now) > 0
    assert jobs.run_update_check(now) == 0
    assert JobDay.objects.filter(job="update_check").count() == 1


@pytest.mark.req("S2-25")
def test_the_same_item_reading_differently_on_two_outlets_is_flagged(w):
    services.add_item(
        outlet=w.wechat,
        source="manual",
        ref="a",
        title="关于 调整公积金 的通知",
        text="缴存比例为百分之十二。",
        published_at=at(dt.date(2026, 11, 2)),
    )
    services.add_item(
        outlet=w.edu_wechat,
        source="manual",
        ref="b",
        title="关于调整公积金的通知",
        text="缴存比例为百分之十二。",
        published_at=at(dt.date(2026, 11, 2)),
    )
    assert not Finding.objects.exists()  # the same text
    services.add_item(
        outlet=w.site,
        source="manual",
        ref="c",
        title="关于调整公积金的通知！",
        text="缴存比例为百分之十。",
        published_at=at(dt.date(2026, 11, 3)),
    )
    finding = Finding.objects.get(kind="inconsistent_item")
    assert finding.outlet == w.site and finding.evidence["other_excerpt"] == "缴存比例为百分之十二。"


def _xlsx(rows):
    book = Workbook()
    sheet = book.active
    sheet.append(["标题", "链接", "发布时间", "原创", "正文"])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.req("S2-25")
def test_excel_import_all_or_nothing_and_only_for_the_outlets_people(w):
    watch(w.wechat)
    data = _xlsx(
        [
            ["第一条", "https://mp.weixin.qq.com/s/1", "2026-11-02 09:00", "是", ""],
            ["第二条", "", dt.datetime(2026, 11, 3, 9), "否", ""],
        ]
    )
    assert services.import_items(actor=w.op, outlet=w.wechat, data=data) == 2
    assert services.import_items(actor=w.op, outlet=w.wechat, data=data) == 0  # idempotent
    assert list(OutletItem.objects.order_by("published_at").values_list("is_original", flat=True)) == [True, False]
    bad = _xlsx([["第三条", "", "2026-11-04", "是", ""], ["", "", "明天", "", "x"]])
    with pytest.raises(ValidationFailed) as exc:
        services.import_items(actor=w.op, outlet=w.wechat, data=bad)
    assert exc.value.code == "row_invalid" and OutletItem.objects.count() == 2
    with pytest.raises(ValidationFailed) as exc:
        services.import_items(actor=w.op, outlet=w.wechat, data=b"not a workbook")
    assert exc.value.code == "file_invalid"
    with pytest.raises(NotFound):
        services.import_items(actor=w.edu_op, outlet=w.wechat, data=data)


@pytest.mark.req("S2-25")
def test_a_publication_through_the_platform_is_logged_for_the_watched_website(w):
    class Entry:
        article_id, revision_id, unit_id, body_id = 7, 9, w.housing.pk, w.body.pk
        title, published_at, revision = "住建局发布通知", at(dt.date(2026, 11, 5)), None

    watch(w.site)
    services.on_content_published(entry=Entry(), article=None)
    services.on_content_published(entry=Entry(), article=None)
    item = OutletItem.objects.get(outlet=w.site)
    assert item.source == "register" and item.ref == "register:7:9" and item.is_original
    assert not OutletItem.objects.filter(outlet=w.wechat).exists()  # accounts are not the platform's publications
    assert services.on_content_published in hooks.listeners("content.published")  # wired in MonitoringConfig.ready
