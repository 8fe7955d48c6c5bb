"""The site group: two bodies' sites on two host names, a township's column on its county's site, unknown hosts, only
published public content, the page cache and its invalidation by publishing and withdrawing."""

import pytest

from lvzhi.content import services as content
from lvzhi.content.models import Column
from lvzhi.portal.models import Site

from .conftest import publish


@pytest.mark.req("S4-2.1.3", "S2-2", "S4-2.4")
def test_two_bodies_sites_on_two_host_names_with_a_township_column(client, w):
    publish(w, w.city, "legislation", "市人大立法规划发布")
    publish(w, w.county, "supervision", "县人大监督工作报告")
    publish(w, w.township, "township_news", "青石镇人大代表活动")
    city = client.get("/", HTTP_HOST="rd.jianghai.test")
    county = client.get("/", HTTP_HOST="rd.xishan.test")
    assert city.status_code == 200 and county.status_code == 200
    city_html, county_html = city.content.decode(), county.content.decode()
    assert "江海人大" in city_html and "市人大立法规划发布" in city_html
    assert "县人大监督工作报告" not in city_html and "青石镇人大代表活动" not in city_html
    assert "西山人大" in county_html and "县人大监督工作报告" in county_html
    # the township is served on its county's site, with its own column in the menu
    assert "青石镇人大代表活动" in county_html and 'data-testid="township"' in county_html
    assert f"/c/{w.township.pk}/township_news/" in county_html
    township_column = client.get(f"/c/{w.township.pk}/township_news/", HTTP_HOST="rd.xishan.test")
    assert township_column.status_code == 200 and "青石镇人大代表活动" in township_column.content.decode()
    # the city's site does not serve the township's column
    assert client.get(f"/c/{w.township.pk}/township_news/", HTTP_HOST="rd.jianghai.test").status_code == 404
    # each site has its own look: its colour sheet
    assert "#1d4e89" in client.get("/theme.css", HTTP_HOST="rd.xishan.test").content.decode()
    # the same site under the platform's host, by path
    by_path = client.get("/site/xishan/")
    assert by_path.status_code == 200 and "县人大监督工作报告" in by_path.content.decode()
    assert 'href="/site/xishan/drafts/"' in by_path.content.decode()


@pytest.mark.req("S4-2.1.3")
def test_an_unknown_host_gets_the_default_site_or_404_as_configured(client, w, settings):
    settings.LVZHI_SITE_UNKNOWN_HOST = "404"
    assert client.get("/", HTTP_HOST="unknown.test").status_code == 404
    settings.LVZHI_SITE_UNKNOWN_HOST = "default"
    Site.objects.filter(pk=w.city_site.pk).update(is_default=True)
    response = client.get("/", HTTP_HOST="unknown.test")
    assert response.status_code == 200 and "江海人大" in response.content.decode()
    # a host outside ALLOWED_HOSTS is refused before any site is looked up
    assert client.get("/", HTTP_HOST="evil.example").status_code == 400
    # the platform's own host keeps the members' app at its root
    assert client.get("/").status_code == 302


@pytest.mark.req("S4-2.4", "S4-2.1.3")
def test_nothing_unpublished_or_internal_reaches_the_public(client, w):
    column = Column.objects.get(body=w.city, code="legislation")
    draft = content.create_draft(actor=w.author, column=column, title="尚未审核的稿件", body_html="<p>草稿</p>")
    members_only = Column.objects.get(body=w.city, code="notices")
    assert members_only.audience != "public"
    internal = publish(w, w.city, "notices", "内部通知")
    html = client.get("/site/jianghai/").content.decode()
    assert "尚未审核的稿件" not in html and "内部通知" not in html
    assert client.get(f"/site/jianghai/a/{draft.pk}/").status_code == 404
    assert client.get(f"/site/jianghai/a/{internal.pk}/").status_code == 404
    assert client.get(f"/site/jianghai/c/{w.city.pk}/notices/").status_code == 404
    live = publish(w, w.city, "legislation", "公开的立法动态")
    page = client.get(f"/site/jianghai/a/{live.pk}/")
    assert page.status_code == 200 and "公开的立法动态" in page.content.decode()
    found = client.get("/site/jianghai/search/", {"q": "立法动态"}).content.decode()
    assert "公开的立法动态" in found
    results = client.get("/site/jianghai/search/", {"q": "内部通知"}).content.decode()
    assert "内部通知" not in results.split('data-testid="articles"')[1]


@pytest.mark.req("S4-2.1.3", "S4-2.4")
def test_pages_are_cached_with_headers_and_dropped_when_an_article_is_published_or_withdrawn(
    client, w, django_capture_on_commit_callbacks
):
    first = publish(w, w.city, "legislation", "第一篇")
    response = client.get("/site/jianghai/")
    assert response["Cache-Control"] == "public, max-age=60"
    etag = response["ETag"]
    assert client.get("/site/jianghai/", HTTP_IF_NONE_MATCH=etag).status_code == 304
    with django_capture_on_commit_callbacks(execute=True):
        publish(w, w.city, "decisions", "第二篇决定")
    again = client.get("/site/jianghai/")
    assert "第二篇决定" in again.content.decode() and again["ETag"] != etag
    with django_capture_on_commit_callbacks(execute=True):
        content.withdraw(actor=w.publisher, article=first, reason="信息有误")
    assert "第一篇" not in client.get("/site/jianghai/").content.decode().split("<main")[1]


@pytest.mark.req("S4-2.1.3")
def test_large_text_mode_works_without_script(client, w):
    response = client.get("/site/jianghai/text-size/", {"large": "1", "next": "/site/jianghai/drafts/"})
    assert response.status_code == 302 and response["Location"] == "/site/jianghai/drafts/"
    assert 'class="public large-text"' in client.get("/site/jianghai/drafts/").content.decode()
    outside = client.get("/site/jianghai/text-size/", {"large": "1", "next": "//evil.example/"})
    assert outside["Location"] == "/site/jianghai/"


@pytest.mark.req("S4-2.1.3")
def test_site_list_pages_have_bounded_queries(client, w, django_assert_max_num_queries, settings):
    publish(w, w.city, "legislation", "一")
    client.get(f"/site/jianghai/c/{w.city.pk}/legislation/", {"page": 2})
    with django_assert_max_num_queries(18):
        client.get(f"/site/jianghai/c/{w.city.pk}/legislation/", {"page": 3})
    for i in range(5):
        publish(w, w.city, "legislation", f"更多{i}")
    with django_assert_max_num_queries(18):
        assert client.get(f"/site/jianghai/c/{w.city.pk}/legislation/", {"page": 4}).status_code == 200
