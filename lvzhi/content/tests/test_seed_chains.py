"""Seed 000 art. 5 (column owners, S0-5) and art. 7 (the approval chains, S0-7.1…7.5), walked step by step with the
roles the seed names. The expected chains are written here from the seed, independently of content/defaults.py."""

import pytest

from lvzhi.accounts.roles import Role
from lvzhi.content import permissions as perms
from lvzhi.content import services
from lvzhi.content.models import Article, Column
from lvzhi.core.errors import ApplicationError
from lvzhi.orgs.models import UnitKind
from lvzhi.testing import make_unit, make_user

from .conftest import approve, draft

pytestmark = pytest.mark.django_db


def column(w, code):
    return Column.objects.get(body=w.body, code=code)


def walk(w, code, author, steps, **kw):
    """Submit a draft of `author` in column `code`, then take each (kind, who may, who may not) step in turn."""
    article = services.submit(actor=author, article=draft(w, column=column(w, code), author=author, **kw))
    for kind, right, wrongs in steps:
        article = Article.objects.get(pk=article.pk)
        assert article.current_step.kind == kind, (kind, article.current_step.kind)
        for wrong in wrongs:
            if kind == "publish":
                assert not perms.may_publish(wrong, article), wrong.real_name
                with pytest.raises(ApplicationError):
                    services.publish(actor=wrong, article=article)
            else:
                assert not perms.may_review(wrong, article), wrong.real_name
                with pytest.raises(ApplicationError):
                    approve(w, article, wrong)
            article = Article.objects.get(pk=article.pk)
        if kind == "publish":
            assert perms.may_publish(right, article)
            article = services.publish(actor=right, article=article)
        else:
            assert perms.may_review(right, article)
            article = approve(w, article, right)
    article = Article.objects.get(pk=article.pk)
    assert article.status == Article.Status.PUBLISHED and article.is_live and article.published_by == steps[-1][1]
    return article


@pytest.mark.req("S0-7", "S0-17")
def test_7_1_deliberation_topic_committee_head_approves_its_office_head_publishes(world):
    section = make_unit(world.economy, "经济委员会工作处")  # the committee's 工作处
    staff = make_user(world.economy, roles=[Role.STAFF], real_name="经委干部")
    chair = make_user(world.economy, roles=[Role.HEAD], real_name="经委主任")  # the head who approves S0-17 topics
    section_head = make_user(section, roles=[Role.HEAD], real_name="工作处处长")
    walk(
        world,
        "deliberation",
        staff,
        [
            ("approve", chair, [world.leader, section_head, world.head]),  # not the body leader (LEADER)
            ("publish", section_head, [world.publisher, chair]),  # not the general office head
        ],
        title="关于“优化营商环境”网络议政议题的发布",
    )


@pytest.mark.req("S0-7", "S0-5")
def test_7_2_notice_of_a_committee_section_reviews_head_approves_section_head_publishes(world):
    section = make_unit(world.liaison, "联络处")
    author = make_user(world.liaison, roles=[Role.STAFF], real_name="联络委干部")  # S0-5: not the general office
    section_staff = make_user(section, roles=[Role.STAFF], real_name="联络处干部")
    head = make_user(world.liaison, roles=[Role.HEAD], real_name="联络委主任")
    section_head = make_user(section, roles=[Role.HEAD], real_name="联络处处长")
    walk(
        world,
        "notices",
        author,
        [
            ("review", section_staff, [world.reviewer]),  # the general office does not review others' notices
            ("approve", head, [world.head, section_head]),
            ("publish", section_head, [world.publisher, head]),  # today's wrong rule: the general office head
        ],
    )


@pytest.mark.req("S0-7", "S0-5")
def test_7_2_work_information_of_the_research_office_stays_in_the_research_office(world):
    author = make_user(world.research, roles=[Role.STAFF], real_name="研究室撰稿")
    reviewer = make_user(world.research, roles=[Role.STAFF], real_name="研究室审核")
    head = make_user(world.research, roles=[Role.HEAD], real_name="研究室主任")
    walk(
        world,
        "work_info",
        author,
        [
            ("review", reviewer, [world.reviewer]),
            ("approve", head, [world.head]),
            ("publish", head, [world.publisher]),  # no section modelled: the office's own head publishes
        ],
    )


@pytest.mark.req("S0-7")
def test_7_3_news_reviewed_by_the_research_office_reposts_through_its_publicity_section(world):
    author = make_user(world.research, roles=[Role.STAFF], real_name="研究室撰稿")
    reviewer = make_user(world.research, roles=[Role.STAFF], real_name="研究室审核")
    head = make_user(world.research, roles=[Role.HEAD], real_name="研究室主任")
    publicity = make_user(world.publicity, roles=[Role.STAFF], real_name="宣传处干部")
    publicity_head = make_user(world.publicity, roles=[Role.HEAD], real_name="宣传处处长")
    walk(world, "news", author, [("review", reviewer, [publicity, world.reviewer]), ("publish", head, [world.head])])
    walk(
        world,
        "news",
        author,
        [
            ("review", publicity, [reviewer]),  # a repost: the publicity section, not the research office staff
            ("approve", head, [publicity_head, world.head]),  # the research office's head approves
            ("publish", head, [world.publisher]),
        ],
        is_repost=True,
        source="人民日报",
        source_other_reason="主管单位确定的稿源单位",
        title="全国政协召开双周协商座谈会",
        original_title="全国政协召开双周协商座谈会",
    )


@pytest.mark.req("S0-7")
def test_7_4_member_study_study_section_reviews_liaison_head_approves(world):
    author = make_user(world.study, roles=[Role.STAFF], real_name="学习处撰稿")
    reviewer = make_user(world.study, roles=[Role.STAFF], real_name="学习处审核")
    study_head = make_user(world.study, roles=[Role.HEAD], real_name="学习处处长")
    liaison_head = make_user(world.liaison, roles=[Role.HEAD], real_name="委联室主任")
    liaison_staff = make_user(world.liaison, roles=[Role.STAFF], real_name="委联室干部")
    walk(
        world,
        "study_garden",
        author,
        [
            ("review", reviewer, [liaison_staff, world.reviewer]),
            ("approve", liaison_head, [study_head, world.head]),
            ("publish", liaison_head, [world.publisher]),
        ],
    )


@pytest.mark.req("S0-7")
def test_7_5_party_building_party_organisation_head_approves(world):
    author = make_user(world.party, roles=[Role.STAFF], real_name="党委干部")
    party_head = make_user(world.party, roles=[Role.HEAD], real_name="机关党委书记")
    party_head2 = make_user(world.party, roles=[Role.HEAD], real_name="机关党委副书记")
    walk(
        world,
        "party",
        author,
        [("approve", party_head, [world.leader, world.head]), ("publish", party_head2, [world.publisher])],
    )


@pytest.mark.req("S0-5")
def test_5_each_department_and_committee_drafts_notices_and_work_information(world, other):
    expected = {  # seed 000 art. 5 (1) and (5): 办公厅、研究室、委员学习和联络室的各处室、各专门委员会
        world.general,
        world.research,
        world.liaison,
        world.study,
        world.economy,
        world.publicity,
        world.party,
    }
    for code in ("notices", "work_info"):
        owners = set(column(world, code).owners.all())
        assert expected <= owners, code
        assert all(unit.body_id == world.body.pk and unit.kind != UnitKind.BODY for unit in owners)
    for unit in (world.research, world.liaison, world.economy):
        staff = make_user(unit, roles=[Role.STAFF], real_name=f"{unit.name}干部")
        for code in ("notices", "work_info"):
            assert perms.may_draft(staff, column(world, code))
            article = draft(world, column=column(world, code), author=staff, title=f"{unit.name}{code}")
            assert article.unit == unit
    # Not a member, not another body's staff; a committee does not draft in the party column.
    assert not perms.may_draft(world.member, column(world, "notices"))
    assert not perms.may_draft(other.author, column(world, "notices"))
    economy_staff = make_user(world.economy, roles=[Role.STAFF], real_name="经委干部二")
    assert not perms.may_draft(economy_staff, column(world, "party"))
    assert not perms.may_draft(economy_staff, column(world, "news"))
