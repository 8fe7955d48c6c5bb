"""Demo monitoring for `lvzhi demo` (after the new-media demo): the city government's portal, the housing bureau's
website and two accounts are watched, with items of the last weeks, and findings of each kind (a crawled demo site
is not possible offline, so the crawler's findings are seeded with evidence) for the competent office (邱主管,
13900001501) and the housing bureau's operator (蒋运营, 13900001502) to walk through. Idempotent: findings are
de-duplicated by outlet + kind + URL, items by their reference, watches by outlet."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from lvzhi.core.timeutil import local_date
from lvzhi.newmedia import selectors as registry

from . import services
from .models import Finding, ItemSource, Watch

HOST = "http://zjj.jianghai.invalid"  # a reserved name that never resolves: the demo crawls nothing real
SEEDS = [
    # (outlet name, kind, url, summary, evidence)
    (
        "江海市人大常委会网站",
        "no_error_entry",
        "http://jhrd.localhost/",
        "首页未提供“我要纠错”入口",
        {"url": "http://jhrd.localhost/"},
    ),
    (
        "江海市住建局网站",
        "injected_spam",
        HOST + "/",
        "首页被植入隐藏的赌博链接",
        {
            "url": HOST + "/",
            "excerpt": "澳门葡京娱乐城 真人荷官",
            "html": '<div style="display:none"><a href="http://xpj.bet/">澳门葡京娱乐城</a></div>',
            "terms": ["澳门葡京", "娱乐城"],
            "hidden": True,
        },
    ),
    ("江海市住建局网站", "hidden_links", HOST + "/", "首页有 12 个隐藏链接", {"url": HOST + "/", "count": 12}),
    (
        "江海市住建局网站",
        "dead_links",
        HOST + "/zwgk/",
        "政务公开页有死链",
        {"url": HOST + "/zwgk/", "dead": [HOST + "/old.html"], "count": 1, "checked": 20, "ratio": 0.05},
    ),
    (
        "江海市住建局网站",
        "stale_column",
        HOST + "/gzdt/",
        "工作动态栏目超过两周未更新",
        {"url": HOST + "/gzdt/", "newest": "2026-10-30", "age_days": 30},
    ),
    ("江海市住建局网站", "mixed_content", HOST + "/", "https 页面引用 http 资源", {"url": HOST + "/", "count": 2}),
    ("江海市住建局网站", "no_error_entry", HOST + "/", "首页没有纠错入口", {"url": HOST + "/"}),
    (
        "江海市住建局网站",
        "unregistered_link",
        HOST + "/links/",
        "链接到未备案域名",
        {"url": HOST + "/links/", "hosts": ["jh-fangchan.com"]},
    ),
    ("江海市住建局网站", "map_without_review_number", HOST + "/ghxx/", "规划图未标注审图号", {"url": HOST + "/ghxx/"}),
    (
        "江海市人民政府门户网站",
        "site_unreachable",
        "http://www.jianghai.invalid/",
        "门户网站无法访问（超时）",
        {"url": "http://www.jianghai.invalid/", "error": "ConnectTimeout"},
    ),
    ("住建之声", "no_daily_update", "week:demo", "上周有 2 个工作日未发布信息", {"missing_days": ["周二", "周四"]}),
    ("住建之声", "no_weekly_original", "week:demo", "上周没有原创信息", {}),
    ("住建之声", "not_updated_14_days", "stale:demo", "微博账号超过两周未更新", {"days": 15}),
    (
        "住建之声",
        "inconsistent_item",
        "item:demo",
        "《关于调整公积金缴存比例的通知》与江海发布表述不一致",
        {"excerpt": "百分之十", "other_excerpt": "百分之十二"},
    ),
    ("住建之声", "harmful_content", "comment:demo", "评论区出现赌博广告", {"excerpt": "加微信领彩金"}),
    (
        "住建之声",
        "counterfeit_account",
        "wechat:住建之声官方",
        "疑似仿冒“住建之声”：住建之声官方",
        {"name": "住建之声官方", "platform": "wechat", "score": 0.8},
    ),
    ("江海政协", "no_weekly_original", "week:demo", "上周没有原创信息", {"week": "上周"}),
]
WATCHED = ["江海市人民政府门户网站", "江海市住建局网站", "住建之声", "教育之窗", "江海政协", "江海市人大常委会网站"]


def load_monitoring_demo(actor=None) -> int:
    outlets = {}
    for outlet in registry.outlets_named(WATCHED):
        outlets.setdefault(outlet.name, outlet)
    if not outlets:
        return 0
    made = 0
    today = local_date()
    with transaction.atomic():
        for name, outlet in outlets.items():
            _watch, created = Watch.objects.get_or_create(
                outlet=outlet,
                defaults={
                    "since": today - dt.timedelta(days=30),
                    "crawl": name == "江海市住建局网站",
                    "start_url": HOST + "/" if name == "江海市住建局网站" else "",
                },  # fmt: skip
            )
            made += int(created)
            for n in range(1, 15, 2):
                day = today - dt.timedelta(days=n)
                moment = timezone.make_aware(dt.datetime.combine(day, dt.time(9, 30)))
                made += int(
                    services.add_item(
                        outlet=outlet,
                        source=ItemSource.MANUAL,
                        ref=f"demo:{outlet.pk}:{n}",
                        title=f"{name}工作动态（{day:%m月%d日}）",
                        published_at=moment,
                        is_original=n % 4 != 3,
                    )[1]
                )
        for name, kind, url, summary, evidence in SEEDS:
            outlet = outlets.get(name)
            if outlet is None or Finding.objects.filter(outlet=outlet, kind=kind, url=url).exists():
                continue
            services.raise_finding(kind=kind, summary=summary, outlet=outlet, url=url, evidence=evidence)
            made += 1
    return made
