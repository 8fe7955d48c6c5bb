"""Points (S3-8, S3-9): rules per body and year with caps and deductions, incremental totals equal to the full
recomputation, ranks, versioned rules frozen once the year's results are published."""

import datetime as dt
import io
from collections import Counter

import pytest
from django.core.management import call_command
from freezegun import freeze_time

from lvzhi.accounts.models import MemberProfile
from lvzhi.core.errors import Conflict, NotFound, ValidationFailed
from lvzhi.duty import services
from lvzhi.duty.models import MemberYear, Publication, Record, RuleSet, TotalCount
from lvzhi.duty.selectors import rank_of
from lvzhi.duty.services.scoring import totals_by_python

from .helpers import counted, total


def _counters_match(w, year=2026):
    """The counters behind the ranks equal the counts of the members' rows, scope by scope."""
    kept = {
        (c.scope, c.unit_id, c.total): c.members
        for c in TotalCount.objects.filter(body=w.body, year=year, members__gt=0)
    }
    rows = Counter()
    for my in MemberYear.objects.filter(body=w.body, year=year):
        rows["b", w.body.pk, my.total] += 1
        if my.committee_id:
            rows["c", my.committee_id, my.total] += 1
        if my.sector_id:
            rows["s", my.sector_id, my.total] += 1
    return kept == dict(rows) and bool(kept)


def _totals(w, year=2026):
    return dict(MemberYear.objects.filter(body=w.body, year=year).values_list("member_id", "total"))


@pytest.mark.req("S3-8", "S3-9")
@freeze_time("2026-06-11 10:00:00+08:00")
def test_caps_per_kind_and_deductions(w):
    # Proposals: submitted 10 and filed +15, capped at 25 a year; three proposals still give 25.
    seen = []
    for i in range(3):
        counted(w, kind="proposal", outcome="submitted", unit=w.proposals, actor=w.prop_staff, title=f"提案{i}")
        seen.append(total(w, w.m1))
        counted(w, kind="proposal", outcome="filed", unit=w.proposals, actor=w.prop_staff, title=f"提案{i}")
        seen.append(total(w, w.m1))
    assert seen == [10, 25, 25, 25, 25, 25]
    # An unexcused absence is deducted (not capped) from the other points.
    counted(w, kind="meeting", outcome="attended", title="常委会议")
    counted(w, kind="meeting", outcome="absent", title="全会")
    assert total(w, w.m1) == 25 + 2 - 2
    counted(w, kind="opinion", outcome="submitted", unit=w.general, actor=w.gen_staff)
    assert total(w, w.m1) == 35
    # The year cap (200).
    for i in range(8):
        counted(
            w,
            kind="plenary_speech",
            outcome="delivered",
            unit=w.general,
            actor=w.gen_staff,
            title=f"发言{i}",
            quantity=3,
        )
    assert total(w, w.m1) == 200
    assert MemberYear.objects.get(body=w.body, member=w.m1, year=2026).records == 17


@pytest.mark.req("S3-9")
def test_full_recomputation_gives_the_same_totals(w):
    with freeze_time("2026-06-11 10:00:00+08:00"):
        for m in (w.m1, w.m2, w.m3):
            for i in range(2):
                counted(
                    w,
                    member=m,
                    kind="proposal",
                    outcome="submitted",
                    unit=w.proposals,
                    actor=w.prop_staff,
                    title=f"提案{i}",
                )
                counted(
                    w,
                    member=m,
                    kind="proposal",
                    outcome="filed",
                    unit=w.proposals,
                    actor=w.prop_staff,
                    title=f"提案{i}",
                )
        counted(w, member=w.m2, kind="meeting", outcome="absent")
        counted(w, member=w.m3, kind="meeting", outcome="attended")
    incremental = _totals(w)
    assert incremental == {w.m1.pk: 25, w.m2.pk: 23, w.m3.pk: 27}
    assert totals_by_python(w.body, 2026) == incremental
    assert _counters_match(w)  # kept incrementally with the totals
    MemberYear.objects.filter(body=w.body).update(total=999, records=0)
    call_command("duty", "recompute", "--year", "2026", "--body", str(w.body.pk), stdout=io.StringIO())
    assert _totals(w) == incremental and _counters_match(w)
    assert MemberYear.objects.get(member=w.m1, year=2026).records == 4
    # Re-pricing the records from the rules gives the same again.
    services.recompute_year(body=w.body, year=2026, reprice=True)
    assert _totals(w) == incremental
    # Ranks: competition ranking over the indexed totals.
    my = {m: MemberYear.objects.get(body=w.body, member=m, year=2026) for m in (w.m1, w.m2, w.m3)}
    assert rank_of(my[w.m3], "body") == (1, 3)
    assert rank_of(my[w.m1], "body") == (2, 3)
    assert rank_of(my[w.m2], "committee") == (2, 2)  # m1 and m2 are in the economic committee
    assert rank_of(my[w.m1], "sector") == (2, 2)  # m1 and m3 in the same sector


@pytest.mark.req("S3-8", "S3-18")
def test_rule_change_for_next_year_does_not_touch_a_published_year(w):
    with freeze_time("2026-06-11 10:00:00+08:00"):
        rec = counted(w, kind="meeting", outcome="attended")
    with freeze_time("2027-01-10 10:00:00+08:00"):
        with pytest.raises(NotFound):
            services.publish_results(actor=w.liaison_staff, body=w.body, year=2026)
        publication, data = services.publish_results(actor=w.liaison_head, body=w.body, year=2026)
        assert data[:2] == b"PK" and Publication.objects.filter(body=w.body, year=2026).count() == 1
        assert RuleSet.objects.get(pk=w.rules.pk).status == "frozen"
        # A new version for the published year is refused; next year's rules are made from this year's.
        with pytest.raises(Conflict) as exc:
            services.create_ruleset(actor=w.liaison_staff, body=w.body, year=2026, copy_from=w.rules)
        assert exc.value.code == "year_published"
        nxt = services.create_ruleset(actor=w.liaison_staff, body=w.body, year=2027, copy_from=w.rules)
        services.set_rule(actor=w.liaison_staff, ruleset=nxt, kind="meeting", outcome="attended", points=5)
        services.activate_ruleset(actor=w.liaison_staff, ruleset=nxt)
        # 2026 unchanged: the record keeps its 2 points, the total too; no record of 2026 can be entered.
        assert Record.objects.get(pk=rec.pk).points == 2 and total(w, w.m1, 2026) == 2
        with pytest.raises(Conflict):
            services.enter_record(
                actor=w.econ_staff,
                organiser=w.econ,
                member_id=w.m2.pk,
                kind="meeting",
                outcome="attended",
                day=dt.date(2026, 12, 30),
                title="补录",
            )
        new = counted(w, kind="meeting", outcome="attended", day=dt.date(2027, 1, 8), title="新年会议")
        assert new.points == 5 and total(w, w.m1, 2027) == 5 and total(w, w.m1, 2026) == 2
        # The city's change does not touch the county's own rules (S3-18).
        assert RuleSet.objects.get(pk=w.county_rules.pk).status == "active"


@pytest.mark.req("S3-8")
@freeze_time("2026-06-11 10:00:00+08:00")
def test_rule_versions_and_bad_rules(w):
    v2 = services.create_ruleset(actor=w.liaison_staff, body=w.body, year=2026, copy_from=w.rules)
    assert v2.version == 2 and v2.status == "draft"
    for points, code in (("x", "points_invalid"), (5000, "points_invalid")):
        with pytest.raises(ValidationFailed) as exc:
            services.set_rule(actor=w.liaison_staff, ruleset=v2, kind="meeting", outcome="attended", points=points)
        assert exc.value.code == code
    with pytest.raises(ValidationFailed):
        services.set_rule(actor=w.liaison_staff, ruleset=v2, kind="nope", outcome="attended", points=1)
    with pytest.raises(NotFound):
        services.set_rule(actor=w.econ_staff, ruleset=v2, kind="meeting", outcome="attended", points=3)
    with pytest.raises(Conflict):
        services.set_rule(actor=w.liaison_staff, ruleset=w.rules, kind="meeting", outcome="attended", points=3)
    rec = counted(w, kind="meeting", outcome="attended")
    services.set_rule(actor=w.liaison_staff, ruleset=v2, kind="meeting", outcome="attended", points=3)
    services.activate_ruleset(actor=w.liaison_staff, ruleset=v2)
    assert RuleSet.objects.get(pk=w.rules.pk).status == "retired"
    assert Record.objects.get(pk=rec.pk).points == 3 and total(w, w.m1) == 3


@pytest.mark.req("S3-4", "S3-9")
@freeze_time("2026-06-11 10:00:00+08:00")
def test_a_member_moved_to_another_committee_is_ranked_there_at_once(w):
    counted(w, member=w.m1, kind="meeting", outcome="attended")
    counted(w, member=w.m2, kind="meeting", outcome="attended", title="主任会议")
    counted(w, member=w.m2, kind="meeting", outcome="attended", title="常委会议")
    counted(w, member=w.m3, kind="meeting", outcome="attended", unit=w.general, actor=w.gen_staff)
    my1 = MemberYear.objects.get(body=w.body, member=w.m1, year=2026)
    assert rank_of(my1, "committee") == (2, 2) and _counters_match(w)  # behind m2 in the economic committee
    profile = MemberProfile.objects.get(user=w.m1, body=w.body)
    data = {"committee": w.social.pk, "sector": w.sector.pk, "term": "第十三届", "workplace": "江海大学"}
    services.update_profile(actor=w.liaison_staff, profile=profile, data=data)
    my1.refresh_from_db()
    assert my1.committee == w.social and _counters_match(w)
    assert rank_of(my1, "committee") == (1, 2)  # tied with m3 (2 points each) in the social committee
    my2 = MemberYear.objects.get(body=w.body, member=w.m2, year=2026)
    assert rank_of(my2, "committee") == (1, 1)
