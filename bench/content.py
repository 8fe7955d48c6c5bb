"""Benchmark of content: the home feed and search with 100,000 articles and 1,000,000 reading records.

    .venv/bin/python bench/content.py            (its own PostgreSQL database lvzhi_bench_content)

Targets (issue 3): home feed p95 < 100 ms, search p95 < 200 ms, measured with gunicorn on 127.0.0.1.
Data: two CPPCC bodies (80% / 20% of the articles), the default columns, 100,000 published articles with
Chinese titles and texts indexed through lvzhi.search.services.index, 200 members of the first body who each read
5,000 articles (1,000,000 reading records). The reader measured is one of them, so unread markers come from real rows.
"""

import datetime as dt
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import Server, bench_database_url, report, setup_django  # noqa: E402

N_ARTICLES = 100_000
N_READERS = 200
READS_PER_READER = 5_000
PASSWORD = "Bench@2026read"
WORDS = [
    "协商", "民主", "委员", "履职", "提案", "调研", "社情民意", "乡村振兴", "营商环境", "生态环境", "教育", "医疗",
    "养老", "就业", "科技创新", "文化", "交通", "防汛", "安全生产", "基层治理", "数字经济", "人才", "住房", "水利",
    "农业", "旅游", "制造业", "民营经济", "法治", "监督", "视察", "座谈会", "常委会", "专题", "学习", "培训",
]  # fmt: skip
RARE = "量子通信试验区"


def log(*args):
    print(time.strftime("%H:%M:%S"), *args, flush=True)


def build():
    from django.contrib.auth.hashers import make_password
    from django.db import connection, transaction

    from lvzhi.accounts.models import RoleAssignment, User
    from lvzhi.accounts.roles import Role
    from lvzhi.content import services
    from lvzhi.content.models import Article, Column, ReadRecord
    from lvzhi.orgs.models import Level, OrgUnit, UnitFunction
    from lvzhi.search import services as search
    from lvzhi.testing import make_body, make_unit, make_user

    reader = User.objects.filter(real_name="基准读者").first()
    if reader is not None and Article.objects.count() >= N_ARTICLES and ReadRecord.objects.count() >= 1_000_000:
        log("data already there")
        return reader.phone
    if OrgUnit.objects.exists():
        raise SystemExit("the benchmark database holds other data; drop lvzhi_bench_content and run again")

    log("bodies, units, users")
    bodies = []
    for name, level in (("基准市政协", Level.CITY), ("基准县政协", Level.COUNTY)):
        body = make_body(name, level=level)
        office = make_unit(body, "办公厅", function=UnitFunction.GENERAL_OFFICE)
        make_unit(body, "研究室", function=UnitFunction.RESEARCH_OFFICE)
        make_unit(body, "信息化办", function=UnitFunction.INFO_OFFICE)
        services.ensure_default_columns(body=body)
        bodies.append((body, office, list(Column.objects.filter(body=body, is_active=True))))
    reader = make_user(bodies[0][0], roles=[Role.MEMBER], real_name="基准读者", password=PASSWORD)
    hashed = make_password(PASSWORD)
    members = User.objects.bulk_create(
        User(phone=f"139{i:08d}", real_name=f"委员{i}", unit=bodies[0][0], password=hashed, must_change_password=False)
        for i in range(N_READERS - 1)
    )
    RoleAssignment.objects.bulk_create(RoleAssignment(user=u, role=Role.MEMBER, unit=bodies[0][0]) for u in members)

    log("articles and their search entries")
    rng = random.Random(20260301)
    start = dt.datetime(2024, 3, 1, tzinfo=dt.UTC)
    span = 730 * 24 * 3600
    batch, texts = [], []
    for i in range(N_ARTICLES):
        body, office, columns = bodies[0] if i % 5 else bodies[1]
        words = rng.sample(WORDS, 4)
        title = f"关于{words[0]}和{words[1]}工作的{words[2]}情况通报（第{i}号）"
        if i % 997 == 0:
            title = f"{RARE}建设进展（第{i}号）"
        text = f"{words[3]}方面，各单位认真落实{words[0]}{words[1]}部署，推进{words[2]}。"
        at = start + dt.timedelta(seconds=int(span * i / N_ARTICLES))
        batch.append(
            Article(
                column=rng.choice(columns),
                body=body,
                unit=office,
                title=title,
                body_html=f"<p>{text}</p>",
                status=Article.Status.PUBLISHED,
                is_live=True,
                published_title=title,
                published_summary=text,
                published_at=at,
                revision_no=1,
            )  # fmt: skip
        )
        texts.append((title, text))
        if len(batch) == 5000:
            with transaction.atomic():
                created = Article.objects.bulk_create(batch)
                for article, (title_text, body_text) in zip(created, texts, strict=True):
                    search.index(article, title=title_text, text=body_text)  # the search app's own write
            batch, texts = [], []
            log(f"  {i + 1} articles")

    log("1,000,000 reading records")
    with connection.cursor() as cursor:
        cursor.execute(
            """
            WITH a AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS rn FROM content_article WHERE body_id = %s),
                 n AS (SELECT count(*) AS c FROM a),
                 u AS (SELECT user_id AS id, row_number() OVER (ORDER BY user_id) - 1 AS rn
                       FROM accounts_roleassignment WHERE role = 'member' AND unit_id = %s)
            INSERT INTO content_readrecord (user_id, article_id, first_read_at, last_read_at, seconds, visits)
            SELECT u.id, a.id, now() - (g %% 700) * interval '1 day', now() - (g %% 700) * interval '1 day',
                   (g %% 300), 1
            FROM generate_series(0, %s - 1) AS g
            JOIN u ON u.rn = g %% %s
            JOIN a ON a.rn = ((g / %s) * 13 + (g %% %s)) %% (SELECT c FROM n)
            ON CONFLICT DO NOTHING
            """,
            [bodies[0][0].pk, bodies[0][0].pk, N_READERS * READS_PER_READER, N_READERS, N_READERS, N_READERS],
        )
        cursor.execute("ANALYZE")
    log("reading records:", ReadRecord.objects.count())
    return reader.phone


def q(text: str) -> str:
    from urllib.parse import quote

    return quote(text)


def main():
    url = bench_database_url("lvzhi_bench_content")
    setup_django(url)
    phone = build()
    with Server(url, port=8037) as server:
        session = server.login(phone, PASSWORD)
        results = [
            report("home page (tiles + home feed + inbox)", server.time_get(session, "/", n=300), 100),
            report("all-columns feed, page 1", server.time_get(session, "/content/", n=300), 100),
            report("all-columns feed, page 50", server.time_get(session, "/content/?page=50", n=200), 100),
            report("column feed (通知公告)", server.time_get(session, "/content/c/notices/", n=300), 100),
            report("API feed", server.time_get(session, "/api/v1/content/feed", n=300), 100),
            report(
                "search: common word (协商)", server.time_get(session, f"/content/search/?q={q('协商')}", n=200), 200
            ),
            report(
                "search: two words (乡村振兴 教育)",
                server.time_get(session, f"/content/search/?q={q('乡村振兴 教育')}", n=200),
                200,
            ),
            report(
                f"search: rare phrase ({RARE})", server.time_get(session, f"/content/search/?q={q(RARE)}", n=200), 200
            ),
            report("API search", server.time_get(session, f"/api/v1/content/search?q={q('营商环境')}", n=200), 200),
            report(
                "search by relevance (乡村振兴 教育)",
                server.time_get(session, f"/content/search/?sort=relevance&q={q('乡村振兴 教育')}", n=100),
            ),
        ]
    print("\n".join(results))


if __name__ == "__main__":
    main()
