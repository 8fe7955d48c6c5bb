"""A capped deadline rule (S3-18): a body's setting is a tightening of the seed's ceiling. Setting a looser value is
refused; a looser value already stored (or a ceiling that depends on the body's seed) is clamped when the deadline
is computed. The numbers below are the seeds', written independently of `orgs/limits.py`."""

import datetime as dt

import pytest
from django.utils import timezone

from lvzhi.accounts.roles import Role
from lvzhi.core.errors import ValidationFailed
from lvzhi.orgs import services as org_services
from lvzhi.orgs.models import BodySetting, BodyType, Level
from lvzhi.testing import make_body, make_user
from lvzhi.workflow.declaration import DeadlineRule

pytestmark = [pytest.mark.django_db, pytest.mark.req("S3-18")]

ANSWER = "feedback.answer_working_days"  # the platform's ceiling: 5 working days
REVIEW = "duty.review_working_days"  # seed 003 art. 7: 10 working days at most, 5 by default
FILING = "newmedia.filing_working_days"  # S1-3.2: 2 working days; S2-16: 7


@pytest.fixture
def tree(db):
    city = make_body("江海市人大常委会", body_type=BodyType.CONGRESS)
    county = make_body("东湖区人大常委会", level=Level.COUNTY, body_type=BodyType.CONGRESS, parent=city)
    sysadmin = make_user(city, roles=[(Role.SYSADMIN, city, True)], real_name="吴系统")
    return city, county, sysadmin


def rule(key, **options):
    return DeadlineRule("answer", setting=key, responsible=lambda obj: obj, **options)


def test_a_tighter_value_of_the_body_counts(tree):
    city, county, sysadmin = tree
    org_services.set_body_setting(actor=sysadmin, body=county, key=ANSWER, value=3)
    assert rule(ANSWER, capped=True).length(county) == ("working", 3)
    assert rule(ANSWER, capped=True).length(city) == ("working", 5)  # the default, above it untouched


def test_a_looser_value_is_refused_when_set(tree):
    city, county, sysadmin = tree
    with pytest.raises(ValidationFailed) as error:
        org_services.set_body_setting(actor=sysadmin, body=county, key=REVIEW, value=11)
    assert error.value.code == "setting_above_maximum"
    assert not BodySetting.objects.filter(key=REVIEW).exists()
    assert rule(REVIEW, capped=True).length(county) == ("working", 5)


def test_a_looser_stored_value_never_lengthens_the_deadline(tree):
    city, county, sysadmin = tree
    BodySetting.objects.create(body=county, key=REVIEW, value=30)  # stored before the bounds existed
    assert rule(REVIEW, capped=True).length(county)[1] <= 10
    BodySetting.objects.filter(key=REVIEW).update(value="ten")  # unreadable: the default
    assert rule(REVIEW, capped=True).length(county) == ("working", 5)


def test_at_most_clamps_below_the_registry_bound_per_body(tree):
    city, county, sysadmin = tree
    org_services.set_body_setting(actor=sysadmin, body=city, key=FILING, value=7)
    seed = {city.pk: 7, county.pk: 2}  # the county adopted seed 001's 2 days, the city seed 002's 7
    capped = rule(FILING, at_most=lambda unit: seed[unit.pk])
    assert capped.length(city) == ("working", 7)
    assert capped.length(county) == ("working", 2)  # inherits 7 from the city, clamped to its own 2
    assert rule(ANSWER, at_most=4).length(county) == ("working", 4)  # default 5 above a fixed ceiling of 4
    start = dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.UTC)  # a Monday
    assert timezone.localtime(capped.due_at(start, county)).date() == dt.date(2026, 6, 4)  # after Tue and Wed


def test_only_a_setting_can_be_capped():
    with pytest.raises(ValueError):
        DeadlineRule("answer", working_days=5, capped=True, responsible=lambda obj: obj)
