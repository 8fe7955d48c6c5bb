"""The crawler on local sites with planted faults (issue 16): a hidden gambling link, a dead link, a stale column,
robots.txt obeyed, mixed content, a missing 纠错 entry, unreachable sites, and the findings with their evidence."""

import datetime as dt

import pytest

from lvzhi.monitoring import crawler, services
from lvzhi.monitoring.models import CrawlRun, Finding

from .conftest import watch

TODAY = dt.date(2026, 11, 20)
HTML = "text/html; charset=utf-8"
FAST = crawler.Budget(rate=200, timeout=5, max_pages=50)

HOME = """<html><head><title>江海市住建局</title></head><body>
<a href="/news/">工作动态</a> <a href="/about.html">机构概况</a> <a href="/gone.html">旧栏目</a>
<a href="/private/secret.html">内部</a> <a href="/jiucuo/">我为政府网站找错</a>
<ul><li>关于加强住房保障的通知 2026-11-18</li><li>城市更新 2026-11-10</li><li>物业管理 2026-11-02</li></ul>
<div style="display:none"><a href="http://www.xpj-casino.bet/">澳门葡京娱乐城 真人荷官 在线赌场</a></div>
</body></html>"""
NEWS = """<html><head><title>工作动态</title></head><body><a href="/">首页</a>
<ul><li>住建局召开会议 2026-09-30</li><li>安全检查 2026-09-20</li><li>调研 2026-09-10</li></ul></body></html>"""
PAGES = {
    "/robots.txt": (200, "text/plain", "User-agent: *\nDisallow: /private/\n"),
    "/": (200, HTML, HOME),
    "/news/": (200, HTML, NEWS),
    "/about.html": (200, HTML, "<html><body><p>机构概况</p><a href='/'>首页</a></body></html>"),
    "/jiucuo/": (200, HTML, "<html><body><p>纠错</p></body></html>"),
    "/private/secret.html": (200, HTML, "<html><body>不应抓取</body></html>"),
}


def _kinds(result):
    return {p.kind: p for p in result.problems}


@pytest.mark.req("S1-3.3", "S2-39")
def test_crawler_finds_hidden_gambling_link_dead_link_and_stale_column(serve, db):
    site = serve(PAGES)
    result = crawler.crawl(site.url, budget=FAST, today=TODAY, screen=services.crawling.screen_for(None))
    found = _kinds(result)
    assert result.reachable and result.pages == 5
    assert "/private/secret.html" not in site.hits  # robots.txt obeyed
    spam = found["injected_spam"]
    assert spam.url == site.url and spam.evidence["hidden"] is True
    assert "display:none" in spam.evidence["html"] and "xpj-casino.bet" in spam.evidence["html"]
    assert "hidden_links" in found and found["hidden_links"].evidence["links"] == ["http://www.xpj-casino.bet/"]
    dead = found["dead_links"]
    assert dead.url == site.url and dead.evidence["dead"] == [site.url + "gone.html"]
    assert dead.evidence["checked"] == 4 and dead.evidence["ratio"] == 0.25
    stale = found["stale_column"]
    assert stale.url == site.url + "news/" and stale.evidence["newest"] == "2026-09-30"
    assert stale.evidence["age_days"] == 51
    assert "home_not_updated" not in found  # the home page's newest item is two days old
    assert "no_error_entry" not in found
    assert "unregistered_link" in found and found["unregistered_link"].evidence["hosts"] == ["www.xpj-casino.bet"]


@pytest.mark.req("S1-5.3")
def test_missing_error_entry_mixed_content_and_a_map_without_review_number(serve, db):
    home = """<html><body><p>2026-11-19 2026-11-18 2026-11-17</p><img src="http://cdn.example.gov.cn/a.png">
    <img src="/map.png" alt="江海市行政区划地图"></body></html>"""
    site = serve({"/": (200, HTML, home)})
    analyser = crawler.Analyser(
        start_url="https://x.gov.cn/", budget=FAST, screen=None, registered_hosts=(), today=TODAY
    )
    analyser.page("https://x.gov.cn/", home.encode())
    kinds = {p.kind for p in analyser.problems}
    assert kinds == {"no_error_entry", "mixed_content", "map_without_review_number"}
    # with 审图号 on the page the map is fine
    ok = crawler.Analyser(start_url="https://x.gov.cn/", budget=FAST, screen=None, registered_hosts=(), today=TODAY)
    ok.page(
        "https://x.gov.cn/", home.replace("</body>", "审图号：苏S(2026)001号 <a href='/j'>纠错</a></body>").encode()
    )
    assert {p.kind for p in ok.problems} == {"mixed_content"}
    assert site.url  # served, unused: the analyser is pure


@pytest.mark.req("S1-3.3")
def test_an_unreachable_site_is_one_veto_finding(w):
    site_watch = watch(w.site, crawl=True, start_url="http://127.0.0.1:9/")
    run = services.crawl_watch(site_watch, budget=crawler.Budget(rate=100, timeout=1))
    assert run.reachable is False and run.findings == 1
    finding = Finding.objects.get(outlet=w.site)
    assert finding.kind == "site_unreachable" and finding.veto and finding.status == "open"


@pytest.mark.req("S1-3.3", "S2-39")
def test_a_crawl_records_findings_with_evidence_and_a_second_crawl_updates_them(w, serve):
    site = serve(PAGES)
    site_watch = watch(w.site, crawl=True, start_url=site.url)
    run = services.crawl_watch(site_watch, budget=FAST, today=TODAY)
    assert run.reachable and run.pages == 5 and run.findings >= 4
    spam = Finding.objects.get(outlet=w.site, kind="injected_spam")
    assert spam.veto and spam.host_unit == w.housing and spam.office == w.body
    assert spam.evidence["url"] == site.url and spam.evidence["crawl"] == run.pk
    assert spam.next_due_at is not None and spam.fix_due_at == spam.next_due_at
    before = Finding.objects.count()
    services.crawl_watch(site_watch, budget=FAST, today=TODAY)
    assert Finding.objects.count() == before  # one open finding per outlet + kind + URL
    spam.refresh_from_db()
    assert spam.occurrences == 2 and CrawlRun.objects.count() == 2


@pytest.mark.req("S1-3.3")
def test_the_budget_caps_pages_and_requests(serve, db):
    pages = {"/": (200, HTML, "".join(f"<a href='/p{i}.html'>{i}</a>" for i in range(30)))}
    for i in range(30):
        pages[f"/p{i}.html"] = (200, HTML, f"<p>{i}</p>")
    site = serve(pages)
    result = crawler.crawl(site.url, budget=crawler.Budget(rate=500, max_pages=10, max_requests=8), today=TODAY)
    assert result.requests == 8 and result.pages == 7  # robots.txt is the first request
    assert len([h for h in site.hits if h != "/robots.txt"]) == 7


@pytest.mark.req("S1-3.3")
def test_the_rate_is_kept(serve, db):
    site = serve(
        {"/": (200, HTML, "<a href='/a'>a</a><a href='/b'>b</a>"), "/a": (200, HTML, "a"), "/b": (200, HTML, "b")}
    )
    result = crawler.crawl(site.url, budget=crawler.Budget(rate=10), today=TODAY)
    assert result.requests == 4 and result.seconds >= 0.3  # 4 requests at 10 a second: at least 3 gaps of 0.1 s


@pytest.mark.req("S1-3.3")
def test_oversized_responses_are_cut_at_the_size_cap(serve, db):
    big = "<html><body>" + "<p>很长</p>" * 50000 + "<a href='/x'>x</a></body></html>"
    site = serve({"/": (200, HTML, big)})
    result = crawler.crawl(site.url, budget=crawler.Budget(rate=500, max_bytes=10_000), today=TODAY)
    assert result.reachable and result.pages == 1  # the link beyond the cap was never read


@pytest.mark.req("S1-3.3")
def test_only_watches_with_a_web_address_are_due(w):
    watch(w.wechat, crawl=True)  # an account: nothing to crawl
    watch(w.site, crawl=True)  # the registry's address counts
    due = services.due_watches(dt.datetime(2026, 11, 20, tzinfo=dt.UTC))
    assert [x.outlet_id for x in due] == [w.site.pk]
