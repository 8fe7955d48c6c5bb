import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from freezegun import freeze_time

from lvzhi.audit.models import AuditEvent
from lvzhi.core.errors import Conflict, NotFound, ValidationFailed
from lvzhi.newmedia import selectors, services
from lvzhi.newmedia.models import Filing, NameApproval, Origin, Outlet, Status

from .conftest import people, png, register

pytestmark = pytest.mark.django_db


@freeze_time("2026-06-08T10:00:00+08:00")
@pytest.mark.req("S1-3.1", "S2-11")
def test_second_account_same_unit_and_platform_refused(w):
    first = register(w)
    assert first.status == Status.PLANNED and first.competent_office == w.body
    with pytest.raises(Conflict) as exc:
        register(w, name="住建之声")
    assert exc.value.code == "duplicate_account"
    assert "一个" in str(exc.value.message) or "one account per unit" in str(exc.value.message)
    assert Outlet.objects.filter(host_unit=w.housing, platform="wechat").count() == 1
    assert Filing.objects.count() == 1  # nothing half-written
    # Another platform is fine; so is the same platform for another unit.
    register(w, platform="weibo", account_id="zj_weibo")
    register(w, unit=w.edu, actor=w.edu_op, name="教育之窗")


@freeze_time("2026-06-08T10:00:00+08:00")
@pytest.mark.req("S1-3.1")
def test_database_refuses_second_registered_account(w):
    first = register(w)
    with pytest.raises(IntegrityError), transaction.atomic():
        Outlet.objects.create(
            body=w.body, platform="wechat", name="x", verification_subject=w.housing.name, host_unit=w.housing,
            competent_office=w.body,
        )  # fmt: skip
    # An old duplicate found in the inventory may be recorded, to be merged or closed.
    old = Outlet.objects.create(
        body=w.body, platform="wechat", name="住建之声", verification_subject=w.housing.name, host_unit=w.housing,
        competent_office=w.body, origin=Origin.INVENTORY, status=Status.OPEN,
    )  # fmt: skip
    pairs = selectors.duplicates(w.office)
    assert [(a.pk, b.pk, why) for a, b, why in pairs] == [(first.pk, old.pk, "same_unit")]


@freeze_time("2026-06-08T10:00:00+08:00")
@pytest.mark.req("S2-11", "S2-12", "S1-3.1")
@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"name": "住建宣传月活动"}, "one_off_event"),
        ({"verification_subject": "张三"}, "verification_subject"),
        ({"head_consent": False}, "head_consent_required"),
        ({"decision_ref": ""}, "decision_ref_required"),
        ({"decision_date": None}, "decision_date_required"),
        ({"decision_date": dt.date(2026, 7, 1)}, "decision_date_invalid"),
        ({"platform": "myspace"}, "platform_invalid"),
        ({"name": "住" * 61}, "name_too_long"),
        ({"name": "住建\x07"}, "name_invalid"),
        ({"account_id": "", "url": ""}, "address_required"),
        ({"url": "javascript:alert(1)"}, "url_invalid"),
        ({"undertaking_unit": "江海传媒公司"}, "agreement_required"),
    ],
)
def test_bad_registrations_refused_with_clear_codes(w, change, code):
    with pytest.raises(ValidationFailed) as exc:
        register(w, **change)
    assert exc.value.code == code
    assert not Outlet.objects.exists() and not Filing.objects.exists()


@freeze_time("2026-06-08T10:00:00+08:00")
@pytest.mark.req("S2-11", "S2-12", "S1-3.1")
def test_internal_subunit_cannot_host(w):
    from lvzhi.accounts.roles import Role
    from lvzhi.testing import make_user

    sub_op = make_user(w.subunit, roles=[Role.NM_OPERATOR, Role.NM_EDITOR])
    with pytest.raises(ValidationFailed) as exc:
        register(w, unit=w.subunit, actor=sub_op, people=people(sub_op))
    assert exc.value.code == "internal_subunit"


@freeze_time("2026-06-08T10:00:00+08:00")
@pytest.mark.req("S2-13")
def test_people_must_hold_the_right_roles(w):
    with pytest.raises(ValidationFailed) as exc:
        register(w, people={"chief_editor": [w.chief.pk], "editor": [w.op.pk], "reviewer": [w.chief.pk]})
    assert exc.value.code == "people_missing"
    with pytest.raises(ValidationFailed) as exc:  # a plain staff member is not a new-media editor
        register(w, people=people(w.chief, w.staff))
    assert exc.value.code == "person_not_eligible"
    with pytest.raises(ValidationFailed) as exc:  # the chief editor needs the chief-editor role
        register(w, people=people(w.op, w.op))
    assert exc.value.code == "person_not_eligible"
    with pytest.raises(ValidationFailed) as exc:  # another unit's editor
        register(w, people=people(w.chief, w.edu_op))
    assert exc.value.code == "person_not_eligible"
    outlet = register(w)
    assert {p.duty for p in outlet.people.all()} == {"chief_editor", "editor", "reviewer", "technical"}


@freeze_time("2026-06-08T10:00:00+08:00")
@pytest.mark.req("S2-14", "S2-15")
def test_region_name_waits_for_the_city_approval(w):
    outlet = register(w, name="江海住建")
    assert outlet.name_approval == NameApproval.PENDING
    filing = outlet.filings.get()
    services.file_filing(actor=w.op, filing=filing)
    with pytest.raises(Conflict) as exc:
        services.accept_filing(actor=w.office, filing=filing)
    assert exc.value.code == "name_not_approved"
    page, table = selectors.matrix(w.office)
    assert "name_pending" in table[0]["outlets"][0].warnings
    services.decide_name(actor=w.office, outlet=outlet, approve=True)
    services.accept_filing(actor=w.office, filing=filing)
    outlet.refresh_from_db()
    assert outlet.status == Status.OPEN and outlet.name_approval == NameApproval.APPROVED
    assert AuditEvent.objects.filter(event="newmedia.outlet.name_decided").exists()
    plain = register(w, unit=w.edu, actor=w.edu_op, name="教育之窗")
    assert plain.name_approval == NameApproval.NOT_NEEDED


@freeze_time("2026-06-08T10:00:00+08:00")
@pytest.mark.req("S2-14")
def test_names_consistent_across_platforms(w):
    register(w, name="住建之声")
    with pytest.raises(ValidationFailed) as exc:
        register(w, platform="weibo", name="住建发布")
    assert exc.value.code == "name_inconsistent"
    register(w, platform="weibo", name="住建之声", avatar=png((1, 2, 3)))
    register(w, platform="douyin", name="住建之声", avatar=png((9, 9, 9)))
    _page, table = selectors.matrix(w.office)
    codes = {c for o in table[0]["outlets"] for c in o.warnings}
    assert "avatar_inconsistent" in codes


@freeze_time("2026-06-08T10:00:00+08:00")
@pytest.mark.req("S2-7")
def test_undertaking_unit_needs_a_valid_agreement(w):
    with pytest.raises(ValidationFailed) as exc:
        register(w, undertaking_unit="江海传媒公司", agreement=png(), agreement_expires=dt.date(2026, 6, 1))
    assert exc.value.code == "agreement_expired"
    with pytest.raises(ValidationFailed) as exc:
        register(
            w,
            undertaking_unit="江海传媒公司",
            agreement=b"%PDF-1.4 not an image",
            agreement_expires=dt.date(2027, 6, 1),
        )
    assert exc.value.code == "bad_file_type"
    outlet = register(w, undertaking_unit="江海传媒公司", agreement=png(), agreement_expires=dt.date(2026, 6, 20))
    assert outlet.agreement.name and outlet.agreement_expires == dt.date(2026, 6, 20)
    _page, table = selectors.matrix(w.office)
    assert "agreement_expiring" in table[0]["outlets"][0].warnings


@freeze_time("2026-06-08T10:00:00+08:00")
@pytest.mark.req("S1-3.1")
def test_outside_matrix_listed_for_closure_and_similar_names_detected(w):
    a = register(w, name="住建之声")
    b = register(w, unit=w.edu, actor=w.edu_op, name="住建之声号")
    pairs = selectors.duplicates(w.office)
    assert [(x.pk, y.pk, why) for x, y, why in pairs] == [(a.pk, b.pk, "similar_name")]
    services.set_in_matrix(actor=w.office, outlet=b, in_matrix=False)
    assert [o.pk for o in selectors.closure_list(w.office)] == [b.pk]
    with pytest.raises(NotFound):
        services.set_in_matrix(actor=w.office2, outlet=b, in_matrix=True)
    from lvzhi.core.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.set_in_matrix(actor=w.edu_op, outlet=b, in_matrix=True)
