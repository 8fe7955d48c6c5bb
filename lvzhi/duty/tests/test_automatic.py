"""Automatic records through `duty.services.record_from_source` (S0-20, S3-6, S3-7): leaders' instructions (批示),
deliberation posts, study time and the daily sign-in; idempotent per source, following the source, reviewed like
any other record."""

import datetime as dt

import pytest
from freezegun import freeze_time

from lvzhi.audit.models import AuditEvent
from lvzhi.core import hooks
from lvzhi.core.errors import ValidationFailed
from lvzhi.duty import services
from lvzhi.duty.models import Record

from .helpers import total

DAY = dt.date(2026, 6, 10)


@pytest.mark.req("S0-20", "S3-6")
@freeze_time("2026-06-11 10:00:00+08:00")
def test_record_from_source_is_idempotent_per_source_and_follows_it(w):
    post = "deliberation.post:41"
    first = services.record_from_source(kind="post", member=w.m1, source=post, occurred_on=DAY)
    again = services.record_from_source(kind="post", member=w.m1, source=post, occurred_on=DAY)
    assert first.pk == again.pk
    assert Record.objects.filter(source_ref=post).count() == 1
    assert (first.kind, first.outcome, first.source, first.unit) == ("platform", "post", "auto", w.liaison)
    other = services.record_from_source(kind="post", member=w.m1, source="deliberation.post:42", occurred_on=DAY)
    assert other.pk != first.pk
    services.review_record(actor=w.liaison_head, record=first)
    assert total(w, w.m1) == 2
    # The post is taken down: the archived record is cancelled by a correcting record, reviewed like any other.
    still = services.record_from_source(kind="post", member=w.m1, source=post, occurred_on=DAY, quantity=0)
    assert still.pk == first.pk  # counted until the cancellation is reviewed
    cancel = Record.objects.get(source_ref=post, outcome="cancelled")
    services.review_record(actor=w.liaison_head, record=cancel)
    assert total(w, w.m1) == 0
    assert Record.objects.get(pk=first.pk).status == "superseded"
    assert AuditEvent.objects.filter(event="duty.source.sync", after__source=post).count() == 2


@pytest.mark.req("S0-20")
@freeze_time("2026-06-11 10:00:00+08:00")
def test_study_time_counts_its_hours_and_a_changed_quantity_is_followed(w):
    course = "learning.session:7"
    rec = services.record_from_source(kind="study", member=w.m2, source=course, occurred_on=DAY, quantity=3)
    assert (rec.outcome, rec.quantity, rec.points) == ("study", 3, 3)
    rec = services.record_from_source(kind="study", member=w.m2, source=course, occurred_on=DAY, quantity=4)
    assert rec.quantity == 4
    assert Record.objects.filter(source_ref=course, status__in=["pending", "counted"]).count() == 1


@pytest.mark.req("S3-6", "S3-9")
@freeze_time("2026-06-11 10:00:00+08:00")
def test_a_leaders_instruction_on_a_report_earns_its_points_apart_from_the_reports_own(w):
    rec = services.record_from_source(kind="instruction", member=w.m1, source="opinions.report:99", occurred_on=DAY)
    assert (rec.kind, rec.outcome, rec.unit, rec.points) == ("opinion", "instructed", w.general, 10)
    assert rec.source_ref == "opinions.report:99#instruction"
    services.review_record(actor=w.gen_head, record=rec)
    assert total(w, w.m1) == 10


@pytest.mark.req("S3-6")
@freeze_time("2026-06-11 10:00:00+08:00")
@pytest.mark.parametrize(
    "kwargs, code",
    [
        ({"kind": "bonus"}, "source_kind_invalid"),
        ({"source": "not a reference"}, "source_invalid"),
        ({"source": "x" * 80 + ".y:1"}, "source_invalid"),
        ({"quantity": -1}, "quantity_invalid"),
        ({"quantity": 10**6}, "quantity_invalid"),
        ({"quantity": "3"}, "quantity_invalid"),
        ({"occurred_on": dt.date(2026, 7, 1)}, "day_invalid"),
        ({"occurred_on": "2026-06-10"}, "day_invalid"),
    ],
)
def test_bad_input_to_record_from_source_is_refused_and_nothing_is_written(w, kwargs, code):
    args = {"kind": "post", "member": w.m1, "source": "deliberation.post:1", "occurred_on": DAY, **kwargs}
    with pytest.raises(ValidationFailed) as exc:
        services.record_from_source(**args)
    assert exc.value.code == code
    assert not Record.objects.exists()


@pytest.mark.req("S0-20")
def test_a_members_daily_sign_in_is_the_months_tally_updated_in_place(w):
    for day in ("2026-06-08", "2026-06-09", "2026-06-09", "2026-06-10"):  # twice on the 9th: one day
        with freeze_time(f"{day} 09:00:00+08:00"):
            hooks.fire("accounts.signed_in", user=w.m1, at=dt.datetime.fromisoformat(f"{day}T09:00:00+08:00"))
    live = Record.objects.filter(member=w.m1, outcome="sign_in", status__in=["pending", "counted"])
    assert [(r.quantity, r.points, r.source_ref) for r in live] == [(3, 3, f"platform:{w.body.pk}:2026-06")]
    assert not Record.objects.filter(member=w.m1, outcome="sign_in", status="withdrawn").exists()
    assert AuditEvent.objects.filter(event="duty.record.retally").count() == 2
    # Staff who are no members earn nothing.
    with freeze_time("2026-06-10 09:00:00+08:00"):
        hooks.fire("accounts.signed_in", user=w.econ_staff, at=dt.datetime(2026, 6, 10, 1, tzinfo=dt.UTC))
    assert not Record.objects.filter(member=w.econ_staff).exists()
