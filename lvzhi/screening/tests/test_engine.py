"""The automaton: one pass over the text, built once per process and rebuilt only when the lists change."""

import random

import pytest

from lvzhi.screening import engine, services
from lvzhi.screening.models import ListKind, WordList

pytestmark = pytest.mark.django_db

HANZI = [chr(c) for c in range(0x4E00, 0x4E00 + 3000)]


def _terms(n, rng):
    terms = set()
    while len(terms) < n:
        terms.add("".join(rng.choice(HANZI) for _ in range(rng.randint(3, 6))))
    return sorted(terms)


@pytest.mark.req("S2-21")
def test_200kb_text_and_5000_terms_take_one_automaton_pass_and_one_build(world):
    rng = random.Random(7)
    terms = _terms(5000, rng)
    word_list = WordList.objects.create(name="大表", kind=ListKind.SENSITIVE)
    result = services.import_terms(actor=world.users["info_city"], word_list=word_list, text="\n".join(terms))
    assert result.added == 5000
    planted = terms[:50]
    filler = "".join(rng.choice(HANZI[2000:]) for _ in range(200_000))  # no term can start in here… mostly
    chunks = [filler[i : i + 4000] for i in range(0, len(filler), 4000)]
    text = "".join(chunk + planted[i % 50] for i, chunk in enumerate(chunks))
    assert len(text) >= 200_000

    builds_before = engine.builds
    first = services.scan(text)
    matcher = engine.matcher()
    passes_after_one = matcher.passes
    second = services.scan(text)
    assert engine.builds == builds_before + 1  # built once, reused by the second scan
    assert engine.matcher() is matcher
    assert matcher.passes == passes_after_one + 1  # exactly one automaton pass per scan
    assert matcher.size >= 5000
    found = {f.value for f in first if f.kind == "sensitive"}
    assert set(planted) <= found
    assert first == second

    # A change of any list makes the next scan rebuild, once.
    services.retire_term(actor=world.users["info_city"], term=word_list.terms.get(text=planted[0]))
    services.scan(text)
    services.scan(text)
    assert engine.builds == builds_before + 2
    assert planted[0] not in {f.value for f in services.scan(text) if f.kind == "sensitive"}


@pytest.mark.req("S2-21")
def test_the_version_check_is_one_small_query(world, django_assert_num_queries):
    services.scan("博彩")  # builds
    with django_assert_num_queries(1):
        services.scan("博彩与六合彩")


@pytest.mark.req("S2-21")
def test_matches_only_on_character_boundaries_and_offsets_survive_emoji(world):
    word_list = WordList.objects.create(name="边界", kind=ListKind.SENSITIVE)
    word_list.terms.create(text="丁丂")  # U+4E01 U+4E02: hex 4e01 4e02
    services._changed()
    tricky = "N\u014e\u0200"  # hex 004e 014e 0200 contains "4e014e02" off the character boundary
    assert [f for f in services.scan(tricky) if f.kind == "sensitive"] == []
    text = "😀前丁丂后𠀀博彩"
    found = [(f.kind, text[f.start : f.end]) for f in services.scan(text) if f.category == "term"]
    assert found == [("sensitive", "丁丂"), ("advert", "博彩")]
