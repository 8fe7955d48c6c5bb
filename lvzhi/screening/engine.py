"""The Aho–Corasick automaton over the active terms of all active word lists: built once per process, rebuilt
when `ScreeningState` says the lists changed. One `iter()` over the text finds every term of every list.

pyahocorasick looks up a node's children one by one, so an alphabet of thousands of Chinese characters makes
every step slow (about 2 µs a character with 5,000 terms). Terms and text are therefore fed to it as the hex
digits of their UTF-16 code units: at most 16 children a node, four symbols a character (about 5× faster on
Chinese text). A match counts only where it starts and ends on a character boundary. Characters outside the
Basic Multilingual Plane (emoji, rare ideographs) are read as U+FFFD so that every character is four symbols.
"""

import re
import threading

import ahocorasick

from .models import ListKind, ScreeningState, Term

SEVERITY = {ListKind.SECRET: 3, ListKind.SENSITIVE: 2, ListKind.ADVERT: 1}
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def encode(text: str) -> str:
    """Four hex digits per character (its UTF-16 code unit); astral characters become U+FFFD."""
    return _ASTRAL.sub("\ufffd", text).encode("utf-16-be").hex()


class Matcher:
    """The automaton and the counters the tests and the benchmark look at."""

    def __init__(self, key, automaton, size: int):
        self.key = key
        self.automaton = automaton
        self.size = size
        self.passes = 0

    def iter(self, norm: str):
        """Yield (start, end, term, entries) for every occurrence of every term; entries are (kind, body_path)."""
        self.passes += 1
        if not self.size:
            return
        for last, (length, term, entries) in self.automaton.iter(encode(norm)):
            end, misaligned = divmod(last + 1, 4)
            if not misaligned:
                yield end - length, end, term, entries


_lock = threading.Lock()
_current: Matcher | None = None
builds = 0  # how many automata this process built (read by tests and the benchmark)


def state_key() -> tuple[int, str]:
    row = ScreeningState.objects.filter(pk=1).values_list("version", "stamp").first()
    return tuple(row) if row else (0, "")


def _build(key) -> Matcher:
    global builds
    rows = (
        Term.objects.filter(is_active=True, word_list__is_active=True)
        .values_list("text", "word_list__kind", "word_list__body__path")
        .order_by()
    )
    by_term: dict[str, set] = {}
    for text, kind, path in rows.iterator(chunk_size=5000):
        by_term.setdefault(text, set()).add((kind, path or ""))
    automaton = ahocorasick.Automaton()
    for text, entries in by_term.items():
        automaton.add_word(encode(text), (len(text), text, tuple(sorted(entries))))
    if by_term:
        automaton.make_automaton()
    builds += 1
    return Matcher(key, automaton, len(by_term))


def matcher() -> Matcher:
    """The current automaton (one small query for the version; a rebuild only after a change)."""
    global _current
    key = state_key()
    current = _current
    if current is not None and current.key == key:
        return current
    with _lock:
        if _current is None or _current.key != key:
            _current = _build(key)
        return _current


def forget() -> None:
    """Drop the cached automaton (tests)."""
    global _current
    with _lock:
        _current = None
