"""The search service on the database in use (run on SQLite and on PostgreSQL): Chinese words found across
jieba's word boundaries, removal, re-indexing, one model's entries never another's, hostile queries harmless."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from lvzhi.accounts.models import User
from lvzhi.orgs.models import OrgUnit
from lvzhi.search import services as search
from lvzhi.search.models import SearchEntry
from lvzhi.testing import make_body, make_unit, make_user

pytestmark = pytest.mark.django_db

# What the search service serves: members finding the published items of their body's columns (S0-5) and deputies
# finding their information resources (S4-2.2.5); confidentiality (S0-4): one model's entries never answer a search
# of another, and no query reaches past the service's own parameters.
FINDS = pytest.mark.req("S0-5", "S4-2.2.5")
CONFIDENTIAL = pytest.mark.req("S0-4")

DOCS = {
    "opinions": ("关于报送社情民意信息的通知", "请各专委会按时报送社情民意信息。"),
    "visit": ("视察活动", "市政协委员张三提出加强水污染治理的建议。"),
    "law": ("学习园地", "认真学习《中华人民共和国网络安全法》和政府信息公开条例。"),
    "english": ("Weekly Report", "The CPPCC standing committee met on Monday; 2024年工作报告。"),
}


@pytest.fixture
def docs(db):
    body = make_body("搜索测试市政协")
    units = {}
    for key, (title, text) in DOCS.items():
        unit = make_unit(body, f"单位{key}")
        search.index(unit, title=title, text=text)
        units[key] = unit
    units["_body"] = body
    return units


def found(query, qs=None):
    qs = qs if qs is not None else OrgUnit.objects.all()
    return set(search.search_queryset(qs, query).values_list("pk", flat=True))


def keys(docs, query):
    pks = found(query)
    return {key for key, unit in docs.items() if unit.pk in pks}


@FINDS
def test_chinese_words_found_across_word_boundaries(docs):
    assert keys(docs, "社情民意") == {"opinions"}
    assert keys(docs, "政协委员") == {"visit"}
    assert keys(docs, "委员") == {"visit"}
    assert keys(docs, "社情民意 通知") == {"opinions"}
    assert keys(docs, "网络安全法") == {"law"}
    assert keys(docs, "中华人民共和国网络安全法") == {"law"}
    assert keys(docs, "信息") == {"opinions", "law"}
    assert keys(docs, "水污染治理") == {"visit"}
    assert keys(docs, "cppcc") == {"english"}
    assert keys(docs, "ＣＰＰＣＣ Standing") == {"english"}  # full-width and case folded
    assert keys(docs, "2024") == {"english"}
    assert keys(docs, "社情民意 视察") == set()  # every word must be there
    assert keys(docs, "教育") == set()


@FINDS
def test_query_terms():
    assert search.query_terms("社情民意") == ["社情民意"]
    assert sorted(search.query_terms("政协委员")) == ["委员", "政协"]
    assert search.query_terms("  ，。！？*（）\"' ") == []
    assert len(search.query_terms("政协 " * 200)) == 1


@FINDS
def test_empty_and_punctuation_queries_find_nothing(docs):
    for query in ("", "   ", "，。！？", "***", '"', "()", None):
        assert found(query) == set()


@FINDS
def test_removal_and_reindexing(docs):
    unit = docs["opinions"]
    search.index(unit, title="改名后的标题", text="防汛抗旱工作部署")
    assert SearchEntry.objects.filter(object_id=unit.pk).count() == 1
    assert keys(docs, "社情民意") == set()
    assert keys(docs, "防汛抗旱") == {"opinions"}
    assert keys(docs, "改名") == {"opinions"}
    search.index(unit, title="改名后的标题", text="防汛抗旱工作部署")  # unchanged: harmless
    search.remove(unit)
    assert keys(docs, "防汛抗旱") == set()
    assert not SearchEntry.objects.filter(object_id=unit.pk).exists()
    search.remove(unit)  # nothing left: harmless
    search.index(unit, title="再次", text="社情民意")
    assert keys(docs, "社情民意") == {"opinions"}


@CONFIDENTIAL
def test_another_models_entries_are_not_returned(docs):
    user = make_user(docs["_body"], real_name="同号用户")
    body = docs["_body"]
    twin = OrgUnit.objects.filter(pk=user.pk).first()
    if twin is None:  # make sure an org unit shares the user's primary key
        twin = OrgUnit.objects.create(
            pk=user.pk,
            name="同号单位",
            kind="office",
            level=body.level,
            body_type=body.body_type,
            parent=body,
            body=body,
            path=f"{body.path}{user.pk}/",
            depth=body.depth + 1,
        )
    search.index(user, title="独有词语", text="鹦鹉螺号潜水艇")
    assert found("鹦鹉螺号") == set()
    assert twin.pk not in found("鹦鹉螺号")
    assert set(search.search_queryset(User.objects.all(), "鹦鹉螺号").values_list("pk", flat=True)) == {user.pk}
    # and the caller's queryset narrows further
    assert found("社情民意", OrgUnit.objects.exclude(pk=docs["opinions"].pk)) == set()


@CONFIDENTIAL
@pytest.mark.parametrize(
    "query",
    [
        "'); DROP TABLE search_searchentry; --",
        "社情民意'; DELETE FROM orgs_orgunit; --",
        "NEAR(社情 民意, 2)",
        "社情 AND 民意",
        "社情 OR 视察",
        "NOT 社情",
        "民意*",
        "^社情",
        '"社情民意',
        "tokens:社情民意",
        "社情 & 民意 | ! <-> :*",
        "\\x00\\\\",
        "{社情} [民意]",
    ],
)
def test_hostile_queries_are_harmless(docs, query):
    result = found(query)
    assert result <= {u.pk for u in docs.values()}
    assert SearchEntry.objects.count() == len(DOCS)
    assert OrgUnit.objects.filter(pk=docs["opinions"].pk).exists()
    assert keys(docs, "社情民意") == {"opinions"}


@FINDS
def test_one_query_when_evaluated_whatever_the_data_size(docs, django_assert_num_queries):
    with django_assert_num_queries(1):
        list(search.search_queryset(OrgUnit.objects.all(), "社情民意").order_by("-pk")[:20])
    with django_assert_num_queries(1):
        list(search.rank_order(search.search_queryset(OrgUnit.objects.all(), "信息"), "信息")[:20])
    for i in range(60):
        unit = make_unit(docs["_body"], f"批量{i}")
        search.index(unit, title=f"社情民意第{i}期", text="信息")
    with django_assert_num_queries(1):
        rows = list(search.search_queryset(OrgUnit.objects.all(), "社情民意").order_by("-pk")[:20])
    assert len(rows) == 20
    with django_assert_num_queries(1):
        rows = list(search.rank_order(search.search_queryset(OrgUnit.objects.all(), "社情民意"), "社情民意")[:20])
    assert len(rows) == 20


@FINDS
def test_rank_puts_title_matches_first(docs):
    body = docs["_body"]
    in_text = make_unit(body, "正文命中")
    in_title = make_unit(body, "标题命中")
    search.index(in_text, title="一般通知", text="本期涉及防汛。" + "其他内容。" * 30)
    search.index(in_title, title="防汛工作简报", text="其他内容。" * 30)
    ranked = list(search.rank_order(search.search_queryset(OrgUnit.objects.all(), "防汛"), "防汛"))
    assert [u.pk for u in ranked] == [in_title.pk, in_text.pk]
    assert ranked[0].search_rank > ranked[1].search_rank
    assert list(search.rank_order(OrgUnit.objects.filter(pk=in_text.pk), "")) == [in_text]


@FINDS
def test_the_full_text_index_exists_on_this_database(docs):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'search_entry_tsv'")
            (definition,) = cursor.fetchone()
            assert "using gin (tsv)" in definition.lower()
            # the database's character classification keeps Chinese words (needs a UTF-8 ctype)
            cursor.execute("SELECT to_tsvector('simple', '社情 民意')::text")
            assert "社情" in cursor.fetchone()[0]
            # the stored vectors: all words without positions, and the title's words for ranking
            cursor.execute(
                "SELECT tsv::text, title_tsv::text FROM search_searchentry WHERE object_id = %s", [docs["opinions"].pk]
            )
            vector, title_vector = cursor.fetchone()
            assert "'社情民意'" in vector and "'专委会'" in vector and ":" not in vector
            assert "'通知'" in title_vector and "'专委会'" not in title_vector
            sql, params = search._matching_entries(OrgUnit, ["社情民意"]).values("pk").query.sql_with_params()
            assert '."tsv" @@ plainto_tsquery(' in sql  # the service matches on the indexed column
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(
                "EXPLAIN SELECT id FROM search_searchentry WHERE tsv @@ plainto_tsquery('simple'::regconfig, %s)",
                ["社情民意"],
            )
            assert "search_entry_tsv" in " ".join(row[0] for row in cursor.fetchall())
        else:
            cursor.execute("SELECT count(*) FROM search_entry_fts")
            assert cursor.fetchone()[0] >= len(DOCS)


@FINDS
def test_index_needs_a_saved_object():
    with pytest.raises(ValueError):
        search.index(OrgUnit(name="未保存"), title="x", text="y")


@FINDS
def test_jieba_loads_quietly():
    """Importing and using the search service prints nothing (jieba's dictionary log is silenced)."""
    root = Path(__file__).resolve().parents[3]
    code = (
        "import django; django.setup();"
        "from lvzhi.search.services import segment, _tokenizer;"
        "assert segment('社情民意信息') == ['民意', '社情民意', '信息'];"
        "assert _tokenizer() is _tokenizer()"
    )
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="lvzhi.settings_test")
    env.pop("DATABASE_URL", None)
    result = subprocess.run([sys.executable, "-c", code], cwd=root, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stderr == "" and result.stdout == ""
