"""Records: who enters which kind (S3-5, S3-18), the 5-working-day entry period (S3-6), review by the entering
unit's head, archiving and corrections, and the quarterly sample (S3-7)."""

import datetime as dt

import pytest
from freezegun import freeze_time

from lvzhi.audit.models import AuditEvent
from lvzhi.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from lvzhi.duty import services
from lvzhi.duty.models import EntryRule, Record, Sample
from lvzhi.duty.services.samples import draw, population

from .helpers import counted, enter, status, total

R = Record.Status


@pytest.mark.req("S3-5")
@freeze_time("2026-06-11 10:00:00+08:00")
def test_who_organises_enters(w):
    # Meetings by the organising committee; public-opinion reports by the general office; proposals by the
    # proposals committee: another unit is told who enters them and nothing is written.
    rec = enter(w, kind="meeting")
    assert (rec.unit, rec.organiser, rec.status) == (w.econ, w.econ, R.PENDING)
    with pytest.raises(PermissionDenied) as exc:
        enter(w, kind="opinion", outcome="submitted")
    assert exc.value.code == "not_entering_unit" and "办公室" in str(exc.value.message)
    rec2 = enter(w, kind="opinion", outcome="submitted", unit=w.general, actor=w.gen_staff)
    assert rec2.unit == w.general
    with pytest.raises(PermissionDenied):
        enter(w, kind="proposal", outcome="submitted", unit=w.general, actor=w.gen_staff)
    assert enter(w, kind="proposal", outcome="submitted", unit=w.proposals, actor=w.prop_staff).unit == w.proposals
    assert Record.objects.count() == 3
    # Somebody of another unit: the unit looks missing.
    with pytest.raises(NotFound):
        enter(w, kind="meeting", actor=w.social_staff)


@pytest.mark.req("S3-5", "S3-18")
@freeze_time("2026-06-11 10:00:00+08:00")
def test_a_county_adopts_its_own_entry_units(w):
    from lvzhi.accounts.roles import Role
    from lvzhi.testing import make_user

    liaison_staff = make_user(w.county_liaison, roles=[Role.STAFF], real_name="东湖联络")
    # Seed default: the county's general office enters public-opinion records.
    rec = services.enter_record(
        actor=w.county_staff,
        organiser=w.county_office,
        member_id=w.county_member.pk,
        kind="opinion",
        outcome="submitted",
        day=dt.date(2026, 6, 10),
        title="社情民意",
    )
    assert rec.unit == w.county_office and rec.points == 8  # the county's own rule (8, the city gives 10)
    # The county decides its members' liaison room enters them (data per body).
    EntryRule.objects.create(body=w.county, kind="opinion", unit=w.county_liaison)
    with pytest.raises(PermissionDenied):
        services.enter_record(
            actor=w.county_staff,
            organiser=w.county_office,
            member_id=w.county_member.pk,
            kind="opinion",
            outcome="submitted",
            day=dt.date(2026, 6, 10),
            title="社情民意",
        )
    rec = services.enter_record(
        actor=liaison_staff,
        organiser=w.county_liaison,
        member_id=w.county_member.pk,
        kind="opinion",
        outcome="submitted",
        day=dt.date(2026, 6, 10),
        title="社情民意",
    )
    assert rec.unit == w.county_liaison
    # The city is unchanged.
    assert enter(w, kind="opinion", outcome="submitted", unit=w.general, actor=w.gen_staff).points == 10


@pytest.mark.req("S3-6")
def test_hand_entry_on_the_sixth_working_day_needs_approval(w):
    # The activity on Monday 28 September 2026; National Day holidays 1-7 October; Saturday 10 October is a
    # working day (调休). Working days after it: 29 Sep (1), 30 Sep (2), 8 Oct (3), 9 Oct (4), 10 Oct (5), 12 Oct (6).
    day = dt.date(2026, 9, 28)
    with freeze_time("2026-10-10 17:00:00+08:00"):  # the 5th working day: on time
        on_time = enter(w, day=day, title="9月28日视察")
    assert (on_time.status, on_time.on_time) == (R.PENDING, True)
    with freeze_time("2026-10-12 09:00:00+08:00"):  # the 6th working day: late
        late = enter(w, day=day, title="9月28日视察", member=w.m2)
        assert (late.status, late.on_time) == (R.NEEDS_APPROVAL, False)
        # The head cannot review it yet; the members' work committee approves first.
        with pytest.raises(Conflict):
            services.review_record(actor=w.econ_head, record=late)
        with pytest.raises(PermissionDenied):
            services.approve_late_entry(actor=w.econ_head, record=late)
        services.approve_late_entry(actor=w.liaison_staff, record=late)
        assert status(late) == R.PENDING
        services.review_record(actor=w.econ_head, record=late)
    assert status(late) == R.COUNTED and total(w, w.m2) == 2
    assert AuditEvent.objects.filter(event="duty.record.approve_late", object_id=str(late.pk)).exists()


@pytest.mark.req("S3-6")
@freeze_time("2026-06-11 10:00:00+08:00")
def test_bad_hand_entries_write_nothing(w):
    cases = [
        ({"kind": "nonsense"}, "kind_invalid"),
        ({"outcome": "nonsense"}, "outcome_invalid"),
        ({"title": ""}, "title_required"),
        ({"title": "x" * 101}, "title_too_long"),
        ({"title": "会议\u202e"}, "title_invalid"),
        ({"day": dt.date(2026, 6, 20)}, "day_in_future"),
        ({"quantity": 0}, "quantity_invalid"),
        ({"member": w.member_b2}, "member_invalid"),
        ({"kind": "platform"}, "kind_invalid"),
    ]
    for kwargs, code in cases:
        with pytest.raises(ValidationFailed) as exc:
            enter(w, **kwargs)
        assert exc.value.code == code, kwargs
    # Staff who are members themselves do not enter their own records.
    from lvzhi.accounts import services as account_services
    from lvzhi.accounts.roles import Role
    from lvzhi.testing import make_user

    both = make_user(w.econ, roles=[Role.STAFF, (Role.MEMBER, w.body)], real_name="兼任委员")
    account_services.set_member_profile(actor=None, user=both, body=w.body, committee=w.econ)
    with pytest.raises(PermissionDenied) as exc:
        enter(w, member=both, actor=both)
    assert exc.value.code == "own_record"
    assert Record.objects.count() == 0


@pytest.mark.req("S3-7")
@freeze_time("2026-06-11 10:00:00+08:00")
def test_only_the_entering_units_head_reviews_and_the_record_is_then_archived(w):
    rec = enter(w)
    assert total(w, w.m1) == 0  # not counted before review
    for user in (w.econ_staff, w.gen_head, w.liaison_head, w.leader, w.m1):
        with pytest.raises((PermissionDenied, NotFound)):
            services.review_record(actor=user, record=rec)
    rec = services.review_record(actor=w.econ_head, record=rec)
    assert (rec.status, rec.reviewed_by, rec.points) == (R.COUNTED, w.econ_head, 2)
    assert total(w, w.m1) == 2
    # Archived: no second review, no withdrawal; a correction is a new record that supersedes it on review.
    with pytest.raises(Conflict):
        services.review_record(actor=w.econ_head, record=rec)
    with pytest.raises((Conflict, PermissionDenied)):
        services.withdraw_record(actor=w.econ_staff, record=rec)
    fix = services.correct_record(actor=w.econ_staff, record=rec, outcome="absent")
    assert (fix.status, fix.corrects_id, status(rec)) == (R.PENDING, rec.pk, R.COUNTED)
    with pytest.raises(Conflict):
        services.correct_record(actor=w.econ_staff, record=rec, outcome="late")
    services.review_record(actor=w.econ_head, record=fix)
    assert status(rec) == R.SUPERSEDED and status(fix) == R.COUNTED
    assert total(w, w.m1) == -2  # the deduction for an unexcused absence
    original = Record.objects.get(pk=rec.pk)
    assert (original.outcome, original.points, original.reviewed_by_id) == ("attended", 2, w.econ_head.pk)


@pytest.mark.req("S3-7")
def test_quarterly_random_sample_is_reproducible_and_checked(w):
    with freeze_time("2026-05-14 10:00:00+08:00"):
        recs = [
            counted(w, member=m, day=dt.date(2026, 5, d), title=f"会议{d}") for d in (11, 12, 13) for m in (w.m1, w.m2)
        ]
    with freeze_time("2026-07-02 10:00:00+08:00"):
        with pytest.raises(NotFound):
            services.draw_sample(actor=w.econ_head, body=w.body, year=2026, quarter=2, size=3)
        sample = services.draw_sample(actor=w.liaison_staff, body=w.body, year=2026, quarter=2, size=3)
        assert (sample.size, sample.population) == (3, len(recs))
        chosen = sorted(sample.items.values_list("record_id", flat=True))
        # Anyone can draw the same sample again from the recorded seed.
        assert draw(population(w.body, 2026, 2), sample.seed, 3) == chosen
        audit = AuditEvent.objects.get(event="duty.sample.draw")
        assert audit.after["seed"] == sample.seed and audit.after["records"] == chosen
        with pytest.raises(Conflict):
            services.draw_sample(actor=w.liaison_staff, body=w.body, year=2026, quarter=2, size=3)
        item = sample.items.first()
        with pytest.raises(ValidationFailed) as exc:
            services.check_item(actor=w.liaison_staff, item_id=item.pk, result="problem", note="")
        assert exc.value.code == "note_required"
        services.check_item(actor=w.liaison_staff, item_id=item.pk, result="correct")
        assert Sample.objects.get(pk=sample.pk).items.filter(result="correct").count() == 1


@pytest.mark.req("S3-6", "S3-18")
def test_a_body_may_shorten_the_entry_period_but_not_lengthen_it(w):
    from lvzhi.orgs import services as org_services

    day = dt.date(2026, 6, 1)  # Monday; working days after it: 2 (1), 3 (2), 4 (3), 5 (4), 8 (5), 9 (6)
    with pytest.raises(ValidationFailed) as refused:  # 9 days is looser than the seed's 5: refused, nothing stored
        org_services.set_body_setting(actor=None, body=w.body, key="duty.entry_working_days", value=9)
    assert refused.value.code == "setting_above_maximum"
    with freeze_time("2026-06-09 09:00:00+08:00"):  # the seed's 5 still hold: the 6th working day is late
        assert enter(w, day=day).status == R.NEEDS_APPROVAL
    org_services.set_body_setting(actor=None, body=w.body, key="duty.entry_working_days", value=3)
    with freeze_time("2026-06-05 09:00:00+08:00"):  # the 4th working day is late under the body's own 3
        assert enter(w, day=day, member=w.m2).status == R.NEEDS_APPROVAL
    with freeze_time("2026-06-04 09:00:00+08:00"):
        assert enter(w, day=day, member=w.m3).status == R.PENDING
