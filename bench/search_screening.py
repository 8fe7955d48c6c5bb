"""Search over 100,000 indexed documents on PostgreSQL, and screening a 200 KB text against 5,000 terms.

Usage:  .venv/bin/python bench/search_screening.py [--docs 100000] [--tokens 250] [--rebuild]
Uses its own database (lvzhi_bench_screening; BENCH_DATABASE_URL overrides). The documents are org units (any
model with an integer key will do) with search entries whose tokens are drawn from jieba's dictionary with its
word frequencies, about `--tokens` distinct words per document; the data are built once and reused.
Timings are in-process: `list(search_queryset(qs, q).order_by("-id")[:20])` and the same through `rank_order`,
and `scan()` / `scan_article()` of a 200 KB text.
"""

import argparse
import itertools
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import bench_database_url, report, setup_django  # noqa: E402

QUERIES = ["工作", "社情民意", "政协委员", "水污染 治理", "网络安全法", "乡村振兴 调研", "会议 通知 报送", "鹦鹉螺"]


def build_documents(n_docs: int, n_tokens: int) -> None:
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    from lvzhi.orgs.models import OrgUnit
    from lvzhi.search.models import SearchEntry
    from lvzhi.search.services import _tokenizer

    ct = ContentType.objects.get_for_model(OrgUnit)
    if SearchEntry.objects.filter(content_type=ct).count() >= n_docs:
        print(f"reusing {n_docs} indexed documents")
        return
    SearchEntry.objects.filter(content_type=ct).delete()
    jieba = _tokenizer()
    words = [w for w, f in jieba.dt.FREQ.items() if f > 0 and len(w) <= 4]
    weights = [jieba.dt.FREQ[w] ** 0.5 for w in words]  # flatter than Zipf: more distinct words per document
    cumulative = list(itertools.accumulate(weights))
    rng = random.Random(11)
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, path FROM orgs_orgunit WHERE parent_id IS NULL AND name = %s", ["基准测试机关"])
        row = cursor.fetchone()
        if row is None:
            root = OrgUnit.objects.create(name="基准测试机关", kind="body", level="city", body_type="cppcc")
            root.path = f"/{root.pk}/"
            root.body = root
            root.save(update_fields=["path", "body"])
            root_id, root_path = root.pk, root.path
        else:
            root_id, root_path = row
        cursor.execute("SELECT count(*) FROM orgs_orgunit WHERE parent_id = %s", [root_id])
        have = cursor.fetchone()[0]
        if have < n_docs:
            cursor.execute(
                "INSERT INTO orgs_orgunit (name, short_name, kind, function, level, body_type, parent_id, body_id,"
                " path, depth, sort_order, is_active, created_at)"
                " SELECT '单位' || g, '', 'office', '', 'city', 'cppcc', %s, %s, %s || 'b' || g || '/', 1, 0, true,"
                " now() FROM generate_series(%s, %s) AS g",
                [root_id, root_id, root_path, have + 1, n_docs],
            )
        cursor.execute("SELECT id FROM orgs_orgunit WHERE parent_id = %s ORDER BY id LIMIT %s", [root_id, n_docs])
        ids = [r[0] for r in cursor.fetchall()]
    with connection.cursor() as cursor:  # bulk load first, index after (as a restore would)
        cursor.execute("DROP INDEX IF EXISTS search_entry_tsv")
    planted = {"社情": 0.02, "民意": 0.03, "社情民意": 0.02, "政协": 0.2, "委员": 0.2, "治理": 0.05, "水污染": 0.01}
    batch = []
    for index, object_id in enumerate(ids):
        tokens = set(rng.choices(words, cum_weights=cumulative, k=n_tokens))
        tokens.update(w for w, share in planted.items() if rng.random() < share)
        title = rng.choices(words, cum_weights=cumulative, k=6)
        batch.append(
            SearchEntry(
                content_type=ct, object_id=object_id, title_tokens=" ".join(title), tokens=" ".join([*title, *tokens])
            )
        )
        if len(batch) == 5000:
            SearchEntry.objects.bulk_create(batch)
            batch = []
            print(f"  {index + 1} documents", end="\r", flush=True)
    SearchEntry.objects.bulk_create(batch)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE search_searchentry SET tsv = strip(to_tsvector('simple'::regconfig, tokens)),"
            " title_tsv = to_tsvector('simple'::regconfig, title_tokens) WHERE tsv IS NULL"
        )
        cursor.execute("CREATE INDEX IF NOT EXISTS search_entry_tsv ON search_searchentry USING gin (tsv)")
        cursor.execute("VACUUM ANALYZE search_searchentry")
        cursor.execute("ANALYZE orgs_orgunit")
    print(f"built {len(ids)} documents in {time.perf_counter() - started:.0f} s")


def time_search(n: int) -> None:
    from django.db import connection

    from lvzhi.orgs.models import OrgUnit
    from lvzhi.search import services as search

    qs = OrgUnit.objects.all()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_size_pretty(pg_relation_size('search_entry_tsv'))")
        print("GIN index size:", cursor.fetchone()[0])
    all_plain, all_ranked = [], []
    for query in QUERIES:
        hits = search.search_queryset(qs, query).count()
        plain, ranked = [], []
        for _ in range(3):
            list(search.search_queryset(qs, query).order_by("-id")[:20])
        for _ in range(n):
            start = time.perf_counter()
            list(search.search_queryset(qs, query).order_by("-id")[:20])
            plain.append((time.perf_counter() - start) * 1000)
            start = time.perf_counter()
            list(search.rank_order(search.search_queryset(qs, query), query)[:20])
            ranked.append((time.perf_counter() - start) * 1000)
        print(report(f"search {query!r} ({hits} hits), newest 20", plain))
        print(report(f"search {query!r}, best 20", ranked))
        all_plain += plain
        all_ranked += ranked
    print(report("search, all queries, newest 20", all_plain, target_ms=200))
    print(report("search, all queries, best 20", all_ranked, target_ms=200))


def time_screening(n: int) -> None:
    from lvzhi.screening import engine, services
    from lvzhi.screening.models import ListKind, Term, WordList

    rng = random.Random(5)
    hanzi = [chr(c) for c in range(0x4E00, 0x4E00 + 3000)]
    word_list, _ = WordList.objects.get_or_create(name="基准测试词库", kind=ListKind.SENSITIVE, body=None)
    if Term.objects.filter(word_list=word_list).count() < 5000:
        terms = set()
        while len(terms) < 5000:
            terms.add("".join(rng.choice(hanzi) for _ in range(rng.randint(2, 6))))
        Term.objects.filter(word_list=word_list).delete()
        Term.objects.bulk_create([Term(word_list=word_list, text=t) for t in terms])
        services._changed()
    text = "".join(rng.choice(hanzi) for _ in range(200_000))
    html = "".join(f"<p>{text[i : i + 500]}</p>" for i in range(0, len(text), 500))
    engine.forget()
    start = time.perf_counter()
    matcher = engine.matcher()
    print(f"automaton of {matcher.size} terms built in {(time.perf_counter() - start) * 1000:.0f} ms")
    findings = services.scan(text)
    print(f"200 KB text: {len(findings)} findings")
    timings = []
    for _ in range(n):
        start = time.perf_counter()
        services.scan(text)
        timings.append((time.perf_counter() - start) * 1000)
    print(report("scan 200 KB, 5,000+ terms", timings))
    timings = []
    for _ in range(n):
        start = time.perf_counter()
        services.scan_article(title="标题", body_html=html)
        timings.append((time.perf_counter() - start) * 1000)
    print(report("scan_article 200 KB of HTML", timings))
    # Official prose with dates and numbers between the characters: the interleaved-spam pass runs too.
    corpus = Path(__file__).resolve().parent.parent / "lvzhi/screening/tests/corpus/clean.txt"
    prose = [line for line in corpus.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    text = ""
    while len(text) < 200_000:
        text += rng.choice(prose)
    timings = []
    for _ in range(n):
        start = time.perf_counter()
        services.scan(text[:200_000])
        timings.append((time.perf_counter() - start) * 1000)
    print(report("scan 200 KB of official prose with numbers", timings))
    print(f"automata built: {engine.builds}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--tokens", type=int, default=250)
    parser.add_argument("-n", type=int, default=50)
    args = parser.parse_args()
    setup_django(bench_database_url("lvzhi_bench_screening"))
    build_documents(args.docs, args.tokens)
    time_search(args.n)
    time_screening(20)


if __name__ == "__main__":
    main()
