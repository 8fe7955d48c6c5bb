"""The permission matrix: role × action × state, including another committee's and another body's topic (404)."""

import pytest

from lvzhi.deliberation import actions, services
from lvzhi.deliberation.models import Topic
from lvzhi.testing import login

from .conftest import approved, draft, published

pytestmark = pytest.mark.django_db
T = Topic.Status

ROLES = [
    "staff",
    "head",
    "social_staff",
    "social_head",
    "m1",
    "leader",
    "gen_staff",
    "member_b2",
    "staff_b2",
    "sysadmin",
]

# state -> the topic steps each role may take there (everyone else: none)
STEPS = {
    T.DRAFT: {"staff": {"submit"}, "head": {"submit"}},
    T.PENDING: {"head": {"approve", "return"}},
    T.APPROVED: {"staff": {"publish"}, "head": {"publish", "return"}},
    T.OPEN: {"staff": {"remind", "close"}, "head": {"remind", "close"}},
}
# state -> who sees the topic page (200); everyone else 404
SEES = {
    T.DRAFT: {"staff", "head"},
    T.PENDING: {"staff", "head"},
    T.APPROVED: {"staff", "head"},
    T.OPEN: {"staff", "head", "social_staff", "social_head", "m1", "leader", "gen_staff"},
}
MANAGES = {"staff", "head"}


def make(world, state):
    if state == T.DRAFT:
        return draft(world)
    if state == T.PENDING:
        return services.submit_topic(actor=world.staff, topic=draft(world))
    if state == T.APPROVED:
        return approved(world)
    return published(world)


@pytest.mark.req("S0-12", "S0-19")
@pytest.mark.parametrize("state", list(STEPS))
def test_matrix_of_steps_and_pages(client, world, state):
    topic = make(world, state)
    for role in ROLES:
        user = getattr(world, role)
        names = {a.name for a in actions.available_actions(user, topic, "topic")}
        assert names == STEPS[state].get(role, set()), (role, state)
        login(client, user)
        status = client.get(f"/deliberation/topics/{topic.pk}/").status_code
        assert status == (200 if role in SEES[state] else 404), (role, state, status)
        for page in ("work", "participation", "report"):
            status = client.get(f"/deliberation/topics/{topic.pk}/{page}/").status_code
            assert status == (200 if role in MANAGES else 404), (role, state, page, status)


@pytest.mark.req("S0-12")
@pytest.mark.parametrize("role", ["m1", "social_staff", "member_b2", "sysadmin"])
def test_a_step_not_offered_is_refused_over_http_and_changes_nothing(client, world, role):
    topic = approved(world)
    login(client, getattr(world, role))
    response = client.post(f"/deliberation/topics/{topic.pk}/step/publish/")
    assert response.status_code in (302, 403, 404)
    assert Topic.objects.get(pk=topic.pk).status == T.APPROVED


@pytest.mark.req("S0-12")
@pytest.mark.parametrize(
    ("role", "post_status", "support_status"),
    [("m1", 302, 302), ("m2", 302, 302), ("staff", 302, 302), ("member_b2", 404, 404), ("sysadmin", 404, 404)],
)
def test_posting_and_support_by_role(client, world, role, post_status, support_status):
    topic = published(world)
    post = services.create_post(actor=world.m3, topic=topic, text_value="原帖。")
    user = getattr(world, role)
    login(client, user)
    response = client.post(f"/deliberation/topics/{topic.pk}/", {"text": "我的意见。"})
    assert response.status_code in (post_status, 200)
    posted = topic.posts.filter(author=user).exists()
    assert posted == (role in ("m1", "m2"))
    response = client.post(f"/deliberation/posts/{post.pk}/support/")
    assert response.status_code == support_status
    post.refresh_from_db()
    assert post.supports.filter(member=user).exists() == (role in ("m1", "m2"))


@pytest.mark.req("S0-12")
@pytest.mark.parametrize(("role", "allowed"), [("staff", True), ("head", True), ("social_staff", False), ("m1", False)])
def test_moderation_and_marking_only_by_the_hosting_committee(client, world, role, allowed):
    topic = published(world)
    post = services.create_post(actor=world.m2, topic=topic, text_value="原帖。")
    login(client, getattr(world, role))
    client.post(f"/deliberation/posts/{post.pk}/mark/")
    client.post(f"/deliberation/posts/{post.pk}/hide/", {"reason": "测试"})
    post.refresh_from_db()
    assert post.status == ("hidden" if allowed else "visible")
    assert post.marked_at is not None if allowed else post.marked_at is None


@pytest.mark.req("S0-12")
def test_a_hidden_post_is_shown_to_its_author_with_the_reason_and_absent_for_others(client, world):
    topic = published(world)
    post = services.create_post(actor=world.m1, topic=topic, text_value="被隐藏的意见。")
    services.hide_post(actor=world.staff, post=post, reason="涉及个人信息")
    login(client, world.m1)
    page = client.get(f"/deliberation/topics/{topic.pk}/").content.decode()
    assert "被隐藏的意见。" in page and "涉及个人信息" in page
    client.force_login(world.m2)
    page = client.get(f"/deliberation/topics/{topic.pk}/").content.decode()
    assert "被隐藏的意见。" not in page and "涉及个人信息" not in page
    assert client.post(f"/deliberation/posts/{post.pk}/support/").status_code == 404


@pytest.mark.req("S0-12.2")
def test_the_report_steps_by_role(client, world):
    topic = published(world)
    post = services.create_post(actor=world.m1, topic=topic, text_value="建议。")
    services.mark_viewpoint(actor=world.staff, post=post)
    report = services.submit_report(actor=world.staff, report=services.draft_report(actor=world.staff, topic=topic))
    assert {a.name for a in actions.available_actions(world.staff, report, "report")} == set()
    assert {a.name for a in actions.available_actions(world.head, report, "report")} == {"approve", "return"}
    assert {a.name for a in actions.available_actions(world.social_head, report, "report")} == set()
    client.force_login(world.social_head)
    assert client.post(f"/deliberation/topics/{topic.pk}/report/", {"step": "approve"}).status_code == 404
    report.refresh_from_db()
    assert report.status == "pending"
