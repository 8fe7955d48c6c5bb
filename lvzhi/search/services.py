"""Full-text search in Chinese, one service over two backends (ARCHITECTURE: "Chinese search").

Text is segmented by jieba (`cut_for_search`: words and the dictionary words inside them) into space-separated
tokens kept in `SearchEntry` — one row per indexed object. PostgreSQL matches them with
a stored tsvector (title words weighted) @@ plainto_tsquery('simple', …) over a GIN index; SQLite an FTS5 table.

Public interface (stable):

    index(obj, *, title: str, text: str) -> None      create or refresh the entry of `obj` (call it in the
                                                      service that saves `obj`, in the same transaction)
    remove(obj) -> None                               drop the entry of `obj`
    search_queryset(qs, query: str) -> QuerySet       `qs` narrowed to objects matching every word of `query`
                                                      (one SQL query when evaluated; the caller orders it)
    rank_order(qs, query: str) -> QuerySet            `qs` annotated with `search_rank` and ordered best first
                                                      (title words weigh more; PostgreSQL ts_rank, SQLite bm25)
    query_terms(query: str) -> list[str]              the words a query looks for (empty: nothing is searched)
    segment(text: str) -> list[str]                   jieba tokens of a text, as indexed

Objects need an integer primary key. An empty query, or one of punctuation only, finds nothing (not
everything). Query text only ever reaches the database as a bound parameter; for FTS5 every word is a quoted
string, so operators (AND, OR, NEAR, *, ^, quotes, parentheses) are plain text.
"""

import logging
import threading
import unicodedata

import jieba
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, connection, transaction
from django.db.models import BooleanField, F, FloatField, Func, OuterRef, Q, Subquery, Value
from django.db.models.expressions import RawSQL

from .models import SearchEntry

QUERY_MAX_CHARS = 100
QUERY_MAX_TERMS = 16
FTS_TABLE = "search_entry_fts"
_FTS_DELETE = "DELETE FROM search_entry_fts WHERE rowid = %s"
_FTS_INSERT = "INSERT INTO search_entry_fts (rowid, title, tokens) VALUES (%s, %s, %s)"
_FTS_MATCH = "SELECT rowid FROM search_entry_fts WHERE search_entry_fts MATCH %s"

# ---- jieba: loaded once per process, quietly ------------------------------------------------------------------

_jieba_lock = threading.Lock()
_jieba = None


def _tokenizer():
    global _jieba
    if _jieba is None:
        with _jieba_lock:
            if _jieba is None:
                jieba.setLogLevel(logging.WARNING)  # no "Building prefix dict…" on every start
                jieba.initialize()
                _jieba = jieba
    return _jieba


def _normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").lower()


def _is_word(token: str) -> bool:
    return any(char.isalnum() for char in token)


def segment(text: str) -> list[str]:
    """The tokens of `text` as indexed: jieba `cut_for_search`, lower case, punctuation and spaces dropped."""
    return [token for token in (t.strip() for t in _tokenizer().cut_for_search(_normalise(text))) if _is_word(token)]


def _unique(tokens) -> list[str]:
    return list(dict.fromkeys(tokens))


def query_terms(query: str) -> list[str]:
    """The words a query looks for, all of which must be present.

    jieba gives a compound and its parts ("政协委员" → 政协, 委员, 政协委员). A document may have been cut
    differently around it ("市政协委员" → 市政协, 政协, 委员), so a compound that its parts cover entirely is
    replaced by the parts; a compound that is not covered is kept, and its parts dropped as redundant
    ("社情民意" → 社情民意)."""
    tokens = _unique(segment((query or "")[:QUERY_MAX_CHARS]))
    kept = []
    for token in tokens:
        parts = [other for other in tokens if other != token and other in token]
        covered = [False] * len(token)
        for part in parts:
            start = token.find(part)
            while start >= 0:
                for i in range(start, start + len(part)):
                    covered[i] = True
                start = token.find(part, start + 1)
        if len(token) > 1 and parts and all(covered):
            continue  # replaced by its parts
        kept.append(token)
    terms = [t for t in kept if not any(t != other and t in other for other in kept)]
    return terms[:QUERY_MAX_TERMS]


# ---- writing the index --------------------------------------------------------------------------------------------


def _content_type(obj):
    return ContentType.objects.get_for_model(obj)


def _fts_write(entry_id: int, title_tokens: str | None, tokens: str | None) -> None:
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute(_FTS_DELETE, [entry_id])
        if tokens is not None:
            cursor.execute(_FTS_INSERT, [entry_id, title_tokens, tokens])


def index(obj, *, title: str, text: str) -> None:
    """Create or refresh the search entry of `obj` (title words weigh more when ranking)."""
    if obj.pk is None:
        raise ValueError("index() needs a saved object")
    title_tokens = " ".join(_unique(segment(title or "")))
    tokens = " ".join(_unique([*title_tokens.split(), *segment(text or "")]))
    content_type = _content_type(obj)
    postgres = connection.vendor == "postgresql"
    with transaction.atomic():
        entry = (
            SearchEntry.objects.select_for_update()
            .defer("tsv", "title_tsv")
            .filter(content_type=content_type, object_id=obj.pk)
            .first()
        )
        if entry is None:
            try:
                with transaction.atomic():
                    entry = SearchEntry.objects.create(
                        content_type=content_type,
                        object_id=obj.pk,
                        title_tokens=title_tokens,
                        tokens=tokens,
                        tsv=_Vector(Value(tokens), strip=True) if postgres else None,
                        title_tsv=_Vector(Value(title_tokens), strip=False) if postgres else None,
                    )
                _fts_write(entry.pk, title_tokens, tokens)
                return
            except IntegrityError:  # indexed meanwhile by another request: refresh that entry instead
                entry = (
                    SearchEntry.objects.select_for_update()
                    .defer("tsv", "title_tsv")
                    .get(content_type=content_type, object_id=obj.pk)
                )
        if entry.tokens == tokens and entry.title_tokens == title_tokens:
            _fts_write(entry.pk, title_tokens, tokens)
            return
        entry.title_tokens = title_tokens
        entry.tokens = tokens
        fields = ["title_tokens", "tokens", "updated_at"]
        if postgres:
            entry.tsv = _Vector(Value(tokens), strip=True)
            entry.title_tsv = _Vector(Value(title_tokens), strip=False)
            fields += ["tsv", "title_tsv"]
        entry.save(update_fields=fields)
        _fts_write(entry.pk, title_tokens, tokens)


def remove(obj) -> None:
    """Drop the search entry of `obj` (nothing happens if there is none)."""
    content_type = _content_type(obj)
    with transaction.atomic():
        ids = list(SearchEntry.objects.filter(content_type=content_type, object_id=obj.pk).values_list("pk", flat=True))
        if ids:
            SearchEntry.objects.filter(pk__in=ids).delete()
            for entry_id in ids:
                _fts_write(entry_id, None, None)


# ---- searching ------------------------------------------------------------------------------------------------


class _Vector(Func):
    """to_tsvector('simple', <tokens>), without positions when `strip`."""

    output_field = FloatField()  # never read back

    def __init__(self, expression, *, strip: bool):
        super().__init__(expression)
        self.strip = strip

    def as_sql(self, compiler, connection, **extra_context):
        ((sql, params),) = (compiler.compile(expression) for expression in self.get_source_expressions())
        vector = f"to_tsvector('simple'::regconfig, {sql})"
        return (f"strip({vector})" if self.strip else vector), params


class _TsMatch(Func):
    """<tsv> @@ plainto_tsquery('simple', <query>): served by the GIN index on `tsv`."""

    output_field = BooleanField()

    def as_sql(self, compiler, connection, **extra_context):
        (tsv_sql, tsv_params), (query_sql, query_params) = (
            compiler.compile(expression) for expression in self.get_source_expressions()
        )
        return f"{tsv_sql} @@ plainto_tsquery('simple'::regconfig, {query_sql})", [*tsv_params, *query_params]


class _TsRank(Func):
    output_field = FloatField()

    def as_sql(self, compiler, connection, **extra_context):
        (tsv_sql, tsv_params), (query_sql, query_params) = (
            compiler.compile(expression) for expression in self.get_source_expressions()
        )
        return f"ts_rank({tsv_sql}, plainto_tsquery('simple'::regconfig, {query_sql}))", [*tsv_params, *query_params]


class _Bm25(Func):
    """-bm25() of the FTS5 row of an entry for a query (higher is better)."""

    output_field = FloatField()

    def as_sql(self, compiler, connection, **extra_context):
        (pk_sql, pk_params), (query_sql, query_params) = (
            compiler.compile(expression) for expression in self.get_source_expressions()
        )
        sql = (
            "(SELECT -bm25(search_entry_fts, 10.0, 1.0) FROM search_entry_fts "  # noqa: S608  (compiled expressions, bound)
            f"WHERE search_entry_fts MATCH {query_sql} AND rowid = {pk_sql})"
        )
        return sql, [*query_params, *pk_params]


def _fts_query(terms: list[str]) -> str:
    """Every word a quoted FTS5 string (a quote inside doubled), all of them required."""
    return " ".join('"' + term.replace('"', '""') + '"' for term in terms)


def _entries_of(model):
    # Filter on the content type's id (cached per process), not a join on its names: with the join PostgreSQL
    # misestimates the matches of a common word by 50x and picks a slow plan.
    from django.contrib.contenttypes.models import ContentType

    content_type = ContentType.objects.get_for_model(model, for_concrete_model=True)
    return SearchEntry.objects.filter(content_type_id=content_type.pk)


def _matching_entries(model, terms: list[str]):
    entries = _entries_of(model)
    vendor = connection.vendor
    if vendor == "postgresql":
        return entries.filter(_TsMatch(F("tsv"), Value(" ".join(terms))))
    if vendor == "sqlite":
        fts = RawSQL(_FTS_MATCH, (_fts_query(terms),))  # noqa: S611  (a constant statement, the query bound)
        return entries.filter(pk__in=fts)
    # Any other database: substring search over the tokens (slow, but correct enough).
    condition = Q()
    for term in terms:
        condition &= Q(tokens__contains=term)
    return entries.filter(condition)


def search_queryset(qs, query: str):
    """`qs` narrowed to the objects whose indexed title and text contain every word of `query`."""
    terms = query_terms(query)
    if not terms:
        return qs.none()
    return qs.filter(pk__in=_matching_entries(qs.model, terms).values("object_id"))


def rank_order(qs, query: str):
    """`qs` (usually from search_queryset) annotated with `search_rank` and ordered best match first, newest
    primary key among equals: objects with the query's words in their title first (PostgreSQL: ts_rank over the
    title vector — the text's words are stored once each, so they carry no frequency to rank by; SQLite: bm25 with
    the title weighted 10). Without search words it is returned unchanged."""
    terms = query_terms(query)
    if not terms:
        return qs
    entries = _entries_of(qs.model).filter(object_id=OuterRef("pk"))
    vendor = connection.vendor
    if vendor == "postgresql":
        rank = _TsRank(F("title_tsv"), Value(" ".join(terms)))
    elif vendor == "sqlite":
        rank = _Bm25(F("pk"), Value(_fts_query(terms)))
    else:
        return qs
    ranked = Subquery(entries.annotate(rank=rank).values("rank")[:1], output_field=FloatField())
    return qs.annotate(search_rank=ranked).order_by(F("search_rank").desc(nulls_last=True), "-pk")
