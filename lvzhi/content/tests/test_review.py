"""Approve first, publish after (S0-7): chains, the checklist (S0-8), the secrecy review (S0-9), graded review
(S2-24), no self-approval, double submission and a reviewer who lost the role meanwhile."""

import pytest
from django.utils.html import escape
from django.utils.translation import gettext

from lvzhi.accounts import services as account_services
from lvzhi.accounts.models import RoleAssignment
from lvzhi.accounts.roles import Role
from lvzhi.audit.models import AuditEvent
from lvzhi.content import services
from lvzhi.content.models import Article, Column, RegisterEntry, ReviewStep, Revision
from lvzhi.core.errors import Conflict, PermissionDenied, ValidationFailed
from lvzhi.notify.models import Message
from lvzhi.testing import login, make_user

from .conftest import CHECKLIST_OK, approve, draft, msg

pytestmark = pytest.mark.django_db


def checklist_post(step_id, decision="approve", **overrides):
    data = {f"check_{k}": v for k, v in CHECKLIST_OK.items()}
    data.update({"secrecy_reviewed": "on", "findings_accepted": "on", "expected_step": step_id, "decision": decision})
    data.update(overrides)
    return data


@pytest.mark.req("S0-7", "S0-8", "S0-9", "S2-20", "S2-6", "S2-36")
def test_an_article_goes_through_review_approval_and_publication_in_the_browser_forms(client, world):
    article = _written_in_the_form(client, world)
    # nothing is visible to readers before publication
    login(client, world.member)
    assert client.get(f"/content/a/{article.pk}/").status_code == 404
    assert article.title not in client.get("/content/").content.decode()

    steps = _submitted_to_its_chain(client, world, article)
    _reviewed_with_the_checklist(client, world, article, steps[0])

    login(client, world.head)
    assert client.post(f"/content/w/{article.pk}/decide/", checklist_post(steps[1].pk)).status_code == 302
    article.refresh_from_db()
    assert article.status == Article.Status.APPROVED
    assert article.current_step_id == steps[2].pk
    assert not article.is_live

    _published_registered_and_audited(client, world, article, steps[2])
    login(client, world.member)
    assert client.get(f"/content/a/{article.pk}/").status_code == 200


def _written_in_the_form(client, world):
    """The author writes a notice in the browser form: a draft, its paragraphs as <p>."""
    login(client, world.author)
    page = client.get(f"/content/write/?column={world.notices.pk}")
    assert page.status_code == 200
    token = page.context["form"].initial["client_token"]
    response = client.post(
        "/content/write/",
        {
            "column": world.notices.pk,
            "title": "关于召开十三届全委会第五次会议的通知",
            "body_html": "定于3月5日召开全体会议。\n\n请各位委员准时参加。",
            "grade": "normal",
            "client_token": token,
        },
    )
    article = Article.objects.get(title="关于召开十三届全委会第五次会议的通知")
    assert response.status_code == 302 and response["Location"] == f"/content/w/{article.pk}/"
    assert article.status == Article.Status.DRAFT and article.author == world.author
    assert article.body_html == "<p>定于3月5日召开全体会议。</p><p>请各位委员准时参加。</p>"
    return article


def _submitted_to_its_chain(client, world, article):
    """The author submits: review, approval and publication steps open, and the reviewer is told."""
    login(client, world.author)
    assert client.post(f"/content/w/{article.pk}/submit/", {"version": article.version}).status_code == 302
    article.refresh_from_db()
    assert article.status == Article.Status.IN_REVIEW and article.revision_no == 1
    steps = list(ReviewStep.objects.filter(article=article).order_by("position"))
    assert [(s.kind, s.role, s.unit) for s in steps] == [
        ("review", Role.STAFF, world.general),
        ("approve", Role.HEAD, world.general),
        ("publish", Role.HEAD, world.general),
    ]
    assert Message.objects.filter(recipient=world.reviewer, event="content.article.step").exists()
    return steps


def _reviewed_with_the_checklist(client, world, article, review_step):
    # the reviewer's queue lists it; the review with the nine answers and the secrecy review
    login(client, world.reviewer)
    assert article.title in client.get("/content/review/").content.decode()
    page = client.get(f"/content/w/{article.pk}/").content.decode()
    assert msg("1. Does it involve state secrets?") in page and msg("9. Are there other concerns?") in page
    response = client.post(f"/content/w/{article.pk}/decide/", checklist_post(review_step.pk))
    assert response.status_code == 302
    step = ReviewStep.objects.get(pk=review_step.pk)
    assert step.status == "done"
    assert step.decided_by == world.reviewer
    assert step.secrecy_reviewed
    assert step.checklist["secrets"] == "no"
    assert len(step.checklist) == 9


def _published_registered_and_audited(client, world, article, publish_step):
    """The publisher publishes: live, in the register with its four names, every step audited."""
    login(client, world.publisher)
    response = client.post(f"/content/w/{article.pk}/publish/", {"expected_step": publish_step.pk})
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED and article.is_live
    assert article.published_by == world.publisher
    entry = RegisterEntry.objects.get(article=article)
    assert (entry.drafted_by, entry.reviewed_by, entry.approved_by, entry.published_by) == (
        "赵撰稿",
        "钱审核",
        "孙主任",
        "周发布",
    )
    events = list(
        AuditEvent.objects.filter(object_id=str(article.pk), event__startswith="content.article.").values_list(
            "event", flat=True
        )
    )
    for name in ["content.article.create", "content.article.submit", "content.article.pass", "content.article.approve",
                 "content.article.publish"]:  # fmt: skip
        assert name in events


@pytest.mark.req("S0-8", "S0-9")
def test_the_checklist_must_be_complete_and_a_yes_on_secrets_blocks_approval(client, world):
    article = services.submit(actor=world.author, article=draft(world))
    step = article.current_step
    login(client, world.reviewer)
    incomplete = checklist_post(step.pk)
    del incomplete["check_harm"]
    response = client.post(f"/content/w/{article.pk}/decide/", incomplete)
    assert response.status_code == 400
    assert msg("Answer every item of the review checklist before approving.") in response.content.decode()
    secret = client.post(f"/content/w/{article.pk}/decide/", checklist_post(step.pk, check_secrets="yes"))
    assert secret.status_code == 400
    assert msg("It involves state secrets: it cannot be approved (S0-9). Return it instead.") in secret.content.decode()
    no_secrecy = checklist_post(step.pk)
    del no_secrecy["secrecy_reviewed"]
    response = client.post(f"/content/w/{article.pk}/decide/", no_secrecy)
    assert response.status_code == 400
    assert msg("Confirm the secrecy review (S0-9) before approving.") in response.content.decode()
    harm = client.post(f"/content/w/{article.pk}/decide/", checklist_post(step.pk, check_harm="yes"))
    assert harm.status_code == 400
    other = client.post(f"/content/w/{article.pk}/decide/", checklist_post(step.pk, check_other="yes"))
    assert other.status_code == 400
    # nothing was recorded by the refusals
    assert ReviewStep.objects.get(pk=step.pk).status == "pending"
    assert Article.objects.get(pk=article.pk).status == Article.Status.IN_REVIEW


@pytest.mark.req("S0-7", "S2-20")
def test_a_returned_article_is_corrected_and_resubmitted_as_a_new_revision(client, world):
    article = services.submit(actor=world.author, article=draft(world))
    step = article.current_step
    login(client, world.reviewer)
    empty = client.post(f"/content/w/{article.pk}/decide/", {"expected_step": step.pk, "decision": "return"})
    assert empty.status_code == 400 and msg("Say what must be changed.") in empty.content.decode()
    response = client.post(
        f"/content/w/{article.pk}/decide/", {"expected_step": step.pk, "decision": "return", "comment": "会议时间有误"}
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == Article.Status.RETURNED and article.current_step is None
    assert Message.objects.filter(recipient=world.author, event="content.article.return", body="会议时间有误").exists()
    article = services.update_draft(
        actor=world.author, article=article, title=article.title, body_html="<p>改为3月6日召开。</p>"
    )
    article = services.submit(actor=world.author, article=article)
    assert article.revision_no == 2
    assert list(Revision.objects.filter(article=article).values_list("number", flat=True).order_by("number")) == [1, 2]
    assert ReviewStep.objects.filter(revision__number=1, article=article, status="cancelled").count() == 2


@pytest.mark.req("S0-7", "S2-36")
def test_no_self_approval_and_no_two_approvals_by_one_person(world):
    # the head writes: the head cannot take any step of their own article
    article = services.submit(actor=world.head, article=draft(world, author=world.head))
    article = approve(world, article, world.reviewer)
    with pytest.raises(PermissionDenied) as own:
        approve(world, article, world.head)
    assert own.value.code == "self_approval"
    # a person who reviewed cannot also approve (head role granted meanwhile)
    other = services.submit(actor=world.author, article=draft(world, title="第二篇"))
    other = approve(world, other, world.reviewer)
    account_services.grant_role(actor=None, user=world.reviewer, role=Role.HEAD, unit=world.general)
    world.reviewer.refresh_from_db()
    with pytest.raises(PermissionDenied) as twice:
        approve(world, other, world.reviewer)
    assert twice.value.code == "second_approval"
    # the review queue leaves out one's own articles
    assert not services.perms.may_review(world.head, article)


@pytest.mark.req("S0-7", "S2-36")
def test_an_approver_who_lost_the_role_meanwhile_gets_a_clear_error_and_nothing_changes(client, world):
    article = services.submit(actor=world.author, article=draft(world))
    article = approve(world, article, world.reviewer)
    login(client, world.head)
    page = client.get(f"/content/w/{article.pk}/")
    assert page.status_code == 200
    step_id = page.context["decision_form"].initial["expected_step"]
    assignment = RoleAssignment.objects.get(user=world.head, role=Role.HEAD, revoked_at__isnull=True)
    account_services.revoke_role(actor=None, assignment=assignment)
    response = client.post(f"/content/w/{article.pk}/decide/", checklist_post(step_id))
    assert response.status_code == 404
    assert msg("Not found.") in response.content.decode()
    # a head who is still staff of the unit sees the article and is told why
    make_user(world.general, roles=[Role.STAFF])
    account_services.grant_role(actor=None, user=world.head, role=Role.STAFF, unit=world.general)
    response = client.post(f"/content/w/{article.pk}/decide/", checklist_post(step_id))
    assert response.status_code == 400
    expected = gettext(
        "You do not hold the role this step needs (%(role)s at %(unit)s); it may have been withdrawn from you."
    ) % {"role": Role.HEAD.label, "unit": "办公厅"}
    assert escape(expected) in response.content.decode()
    assert ReviewStep.objects.get(pk=step_id).status == "pending"


@pytest.mark.req("S0-7")
def test_double_submission_is_refused_without_a_second_row(client, world):
    login(client, world.author)
    data = {
        "column": world.notices.pk,
        "title": "重复提交测试",
        "body_html": "正文",
        "grade": "normal",
        "client_token": "tok-1",
    }
    first = client.post("/content/write/", data)
    second = client.post("/content/write/", data)
    assert first.status_code == 302 and second.status_code == 302
    assert Article.objects.filter(title="重复提交测试").count() == 1
    article = Article.objects.get(title="重复提交测试")
    version = article.version
    assert client.post(f"/content/w/{article.pk}/submit/", {"version": version}).status_code == 302
    again = client.post(f"/content/w/{article.pk}/submit/", {"version": version})
    assert again.status_code == 409
    assert Revision.objects.filter(article=article).count() == 1
    # two clicks on "approve": the second is told it was already decided
    step = Article.objects.get(pk=article.pk).current_step
    login(client, world.reviewer)
    assert client.post(f"/content/w/{article.pk}/decide/", checklist_post(step.pk)).status_code == 302
    repeat = client.post(f"/content/w/{article.pk}/decide/", checklist_post(step.pk))
    assert repeat.status_code == 400
    assert ReviewStep.objects.filter(article=article, status="done").count() == 1


@pytest.mark.req("S0-7")
def test_a_stale_edit_is_refused(world):
    article = draft(world)
    services.update_draft(
        actor=world.reviewer, article=article, title="同事改过的标题", body_html="x", expected_version=1
    )
    with pytest.raises(Conflict) as stale:
        services.update_draft(actor=world.author, article=article, title="我的标题", body_html="y", expected_version=1)
    assert stale.value.code == "changed_meanwhile"
    assert Article.objects.get(pk=article.pk).title == "同事改过的标题"


@pytest.mark.req("S2-24")
def test_graded_review_sends_important_items_to_the_host_leader_and_major_ones_to_the_body_leader(world):
    host_leader = make_user(world.general, roles=[Role.LEADER], real_name="分管领导")
    important = services.submit(actor=world.author, article=draft(world, grade="important", title="重要稿件"))
    steps = list(important.steps.order_by("position").values_list("kind", "role", "unit_id", "graded"))
    assert steps[-2] == ("approve", Role.LEADER, world.general.pk, True)
    assert steps[-1][0] == "publish"
    important = approve(world, important, world.reviewer)
    important = approve(world, important, world.head)
    assert important.status == Article.Status.IN_REVIEW  # the leader's sign-off is still missing
    with pytest.raises(Conflict):
        services.publish(actor=world.publisher, article=important)
    important = approve(world, important, host_leader)
    assert important.status == Article.Status.APPROVED

    major = services.submit(actor=world.author, article=draft(world, topic="disaster", title="汛情通报"))
    assert major.grade == "major"
    assert major.steps.filter(graded=True, role=Role.LEADER, unit=world.body).exists()
    with pytest.raises(Exception):  # noqa: B017  the host leader is not the body's leader
        approve(world, approve(world, approve(world, major, world.reviewer), world.head), host_leader)


@pytest.mark.req("S2-24")
def test_the_author_cannot_lower_the_grade_but_a_reviewer_can_raise_it(world):
    make_user(world.general, roles=[Role.LEADER], real_name="分管领导")
    article = services.submit(actor=world.author, article=draft(world, grade="important"))
    article = services.decide(actor=world.reviewer, article=article, approve=False, comment="请补充数据")
    with pytest.raises(ValidationFailed) as lowered:
        services.update_draft(actor=world.author, article=article, title=article.title, body_html="x", grade="normal")
    assert lowered.value.code == "grade_cannot_be_lowered"
    sensitive = services.update_draft(
        actor=world.author, article=article, title=article.title, body_html="x", topic="work_safety", grade="normal"
    )
    assert sensitive.grade == "major"  # a sensitive topic is always major (S2-24)
    normal = services.submit(actor=world.author, article=draft(world, title="普通稿件"))
    normal = approve(world, normal, world.reviewer, raise_grade="major")
    normal.refresh_from_db()
    assert normal.grade == "major" and normal.grade_floor == "major"
    assert normal.steps.filter(graded=True, role=Role.LEADER, unit=world.body, status="pending").exists()
    assert AuditEvent.objects.filter(event="content.article.grade", object_id=str(normal.pk)).exists()


@pytest.mark.req("S0-7")
def test_default_chains_follow_s0_7_for_news_reposts_study_and_party_building(world):
    def chain(code, **kw):
        column = Column.objects.get(body=world.body, code=code)
        author = kw.pop("author")
        article = services.submit(actor=author, article=draft(world, column=column, author=author, **kw))
        return [(s.kind, s.role, s.unit_id) for s in article.steps.order_by("position")]

    research_staff = make_user(world.research, roles=[Role.STAFF])
    make_user(world.research, roles=[Role.STAFF])
    make_user(world.research, roles=[Role.HEAD])
    make_user(world.publicity, roles=[Role.STAFF])
    assert chain("news", author=research_staff) == [
        ("review", Role.STAFF, world.research.pk),
        ("publish", Role.HEAD, world.research.pk),
    ]
    assert chain(
        "news",
        author=research_staff,
        is_repost=True,
        source="人民日报",
        source_other_reason="主管单位确定",
        title="转载",
        original_title="转载",
    ) == [
        ("review", Role.STAFF, world.publicity.pk),
        ("approve", Role.HEAD, world.research.pk),
        ("publish", Role.HEAD, world.research.pk),
    ]
    study_staff = make_user(world.study, roles=[Role.STAFF])
    make_user(world.study, roles=[Role.STAFF])
    make_user(world.liaison, roles=[Role.HEAD])
    assert chain("study_garden", author=study_staff) == [
        ("review", Role.STAFF, world.study.pk),
        ("approve", Role.HEAD, world.liaison.pk),
        ("publish", Role.HEAD, world.liaison.pk),
    ]
    party_staff = make_user(world.party, roles=[Role.STAFF])
    make_user(world.party, roles=[Role.HEAD])
    assert chain("party", author=party_staff) == [
        ("approve", Role.HEAD, world.party.pk),
        ("publish", Role.HEAD, world.party.pk),
    ]
    committee_staff = make_user(world.economy, roles=[Role.STAFF])
    make_user(world.economy, roles=[Role.HEAD])
    assert chain("deliberation", author=committee_staff) == [
        ("approve", Role.HEAD, world.economy.pk),
        ("publish", Role.HEAD, world.economy.pk),  # no 工作处 modelled: the committee itself
    ]


@pytest.mark.req("S0-7")
def test_submission_is_refused_when_nobody_else_can_take_a_step(world):
    column = Column.objects.get(body=world.body, code="party")
    lonely = make_user(world.party, roles=[Role.STAFF, Role.HEAD])
    article = draft(world, column=column, author=lonely)
    with pytest.raises(ValidationFailed) as refused:
        services.submit(actor=lonely, article=article)
    assert refused.value.code == "no_step_holder"
    assert Article.objects.get(pk=article.pk).status == Article.Status.DRAFT
    assert not Revision.objects.filter(article=article).exists()


@pytest.mark.req("S2-29", "S2-24")
def test_items_on_emergencies_reach_their_reviewers_by_sms_at_once(world):
    from lvzhi.notify.models import Delivery

    services.submit(actor=world.author, article=draft(world, topic="mass_incident", title="关于网传事件的情况说明"))
    assert Delivery.objects.filter(channel="sms", to=world.reviewer.phone).exists()
    services.submit(actor=world.author, article=draft(world, title="例行通知"))
    assert Delivery.objects.filter(channel="sms", to=world.reviewer.phone).count() == 1  # routine items: inbox only
