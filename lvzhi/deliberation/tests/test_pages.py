"""The pages and the API: what members and the committee see, and bounded query counts on every list."""

import pytest

from lvzhi.deliberation import services
from lvzhi.deliberation.models import Post
from lvzhi.testing import login, make_user

from .conftest import draft, published, topic_data

pytestmark = pytest.mark.django_db


def crowd(world, n=12):
    from lvzhi.accounts import services as account_services
    from lvzhi.accounts.roles import Role

    members = []
    for i in range(n):
        m = make_user(world.body, roles=[Role.MEMBER], real_name=f"委员{i:02d}")
        account_services.set_member_profile(actor=None, user=m, body=world.body, committee=world.econ)
        members.append(m)
    return members


@pytest.mark.req("S0-12")
def test_the_topic_list_and_page_on_a_phone(client, world):
    topic = published(world, live_url="https://live.example.gov.cn/r/1")
    draft(world, title="尚未发布的议题")
    login(client, world.m1)
    page = client.get("/deliberation/").content.decode()
    assert "优化营商环境" in page and "尚未发布的议题" not in page
    page = client.get(f"/deliberation/topics/{topic.pk}/").content.decode()
    assert "如何降低企业制度性交易成本" in page and 'data-testid="post-form"' in page
    assert "https://live.example.gov.cn/r/1" in page
    response = client.post(f"/deliberation/topics/{topic.pk}/", {"text": "建议推行一网通办。"})
    assert response.status_code == 302
    assert Post.objects.get().author == world.m1
    response = client.post(f"/deliberation/topics/{topic.pk}/", {"text": ""})
    assert response.status_code == 200 and not Post.objects.filter(text="").exists()


@pytest.mark.req("S0-12", "S0-19")
def test_list_pages_have_bounded_queries(client, world, django_assert_max_num_queries):
    topics = [published(world, title=f"议题{i}") for i in range(6)]
    members = crowd(world)
    from lvzhi.deliberation.services.topics import invite_members

    invite_members(topics[0])
    parent = None
    for i, m in enumerate(members):
        p = services.create_post(actor=m, topic=topics[0], text_value=f"意见{i}", parent=parent if i % 3 else None)
        parent = parent or p
        if i % 2:
            services.mark_viewpoint(actor=world.staff, post=p)
    login(client, world.m1)
    with django_assert_max_num_queries(20):
        assert client.get("/deliberation/").status_code == 200
    with django_assert_max_num_queries(30):
        assert client.get(f"/deliberation/topics/{topics[0].pk}/").status_code == 200
    client.force_login(world.staff)
    with django_assert_max_num_queries(25):
        assert client.get("/deliberation/manage/").status_code == 200
    with django_assert_max_num_queries(25):
        assert client.get(f"/deliberation/topics/{topics[0].pk}/participation/").status_code == 200
    with django_assert_max_num_queries(35):
        assert client.get(f"/deliberation/topics/{topics[0].pk}/work/").status_code == 200
    with django_assert_max_num_queries(25):
        assert client.get(f"/api/v1/deliberation/topics/{topics[0].pk}/posts").status_code == 200


@pytest.mark.req("S0-12")
def test_bad_ids_and_params_never_500(client, world):
    topic = published(world)
    login(client, world.m1)
    for url in (
        "/deliberation/topics/999999999/",
        "/deliberation/posts/999999999/support/",
        "/deliberation/attachments/0/",
        f"/deliberation/topics/{topic.pk}/step/nonsense/",
    ):
        response = client.post(url) if "step" in url or "support" in url else client.get(url)
        assert response.status_code == 404, url
    assert client.get("/deliberation/?page=abc").status_code == 200
    assert client.post(f"/deliberation/topics/{topic.pk}/", {"text": "回复", "parent": "x"}).status_code in (200, 302)
    client.force_login(world.staff)
    response = client.post(
        "/deliberation/topics/new/", {**topic_data(discuss_from="2026-02-30"), "committee": world.econ.pk}
    )
    assert response.status_code == 200 and 'data-testid="topic-form"' in response.content.decode()


@pytest.mark.req("S0-12", "S0-12.2")
def test_the_api_lists_posts_and_takes_steps(client, world):
    topic = published(world)
    login(client, world.m1)
    response = client.post(
        f"/api/v1/deliberation/topics/{topic.pk}/posts", {"text": "API 意见"}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["author"] == "金文博"
    data = client.get(f"/api/v1/deliberation/topics/{topic.pk}/posts").json()
    assert [p["text"] for p in data["posts"]] == ["API 意见"]
    response = client.post(
        f"/api/v1/deliberation/topics/{topic.pk}/posts",
        {"text": "注册送38元彩金，真人荷官在线。"},
        content_type="application/json",
    )
    assert response.status_code == 400 and response.json()["code"] == "blocked_by_screening"
    assert client.get(f"/api/v1/deliberation/topics/{topic.pk}/report").status_code == 404
    client.force_login(world.staff)
    post_id = data["posts"][0]["id"]
    services.mark_viewpoint(actor=world.staff, post=Post.objects.get(pk=post_id))
    response = client.post(
        f"/api/v1/deliberation/topics/{topic.pk}/report/steps/draft", {}, content_type="application/json"
    )
    assert response.status_code == 200 and "金文博：API 意见" in response.json()["report"]["text"]
    response = client.post(f"/api/v1/deliberation/topics/{topic.pk}/steps/publish", {}, content_type="application/json")
    assert response.status_code == 409
