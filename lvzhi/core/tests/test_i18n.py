"""The UI speaks Chinese: every source string has a zh_Hans translation in the committed catalogue."""

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
CATALOGUE = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
TEMPLATE_STRING = re.compile(r"""{%\s*(?:translate|trans)\s+"([^"]+)"(?:\s+context\s+"([^"]+)")?(?:\s+[^%]*)?%}""")
PYTHON_STRING = re.compile(r"""\b(?:_|gettext|gettext_lazy)\(\s*"((?:[^"\\]|\\.)+)"\s*[,)]""")
PYTHON_CONTEXT_STRING = re.compile(
    r"""\b(?:pgettext|pgettext_lazy)\(\s*"((?:[^"\\]|\\.)+)"\s*,\s*"((?:[^"\\]|\\.)+)"\s*[,)]"""
)


def _decode(literal):
    return literal.encode().decode("unicode_escape").encode("latin-1").decode("utf-8")


def source_strings():
    """(context or None, msgid) of every string marked for translation."""
    found = set()
    for path in ROOT.rglob("*.html"):
        found.update((ctx or None, msgid) for msgid, ctx in TEMPLATE_STRING.findall(path.read_text(encoding="utf-8")))
    for path in ROOT.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        found.update((None, _decode(literal)) for literal in PYTHON_STRING.findall(text))
        found.update((_decode(ctx), _decode(literal)) for ctx, literal in PYTHON_CONTEXT_STRING.findall(text))
    return found


@pytest.mark.req("S0-2")
def test_every_catalogue_entry_is_translated_and_none_is_fuzzy():
    catalogue = polib.pofile(str(CATALOGUE))
    untranslated = [e.msgid for e in catalogue.untranslated_entries()]
    fuzzy = [e.msgid for e in catalogue.fuzzy_entries()]
    assert not untranslated, untranslated[:20]
    assert not fuzzy, fuzzy[:20]


@pytest.mark.req("S0-2")
def test_every_source_string_is_in_the_catalogue():
    catalogue = {(e.msgctxt, e.msgid) for e in polib.pofile(str(CATALOGUE)) if e.translated()}
    strings = source_strings()
    assert len(strings) > 100  # the scan itself works
    missing = sorted(s for s in strings if s not in catalogue)
    assert not missing, f"run tools/i18n.py; untranslated: {missing[:20]}"


@pytest.mark.req("S0-2")
def test_the_compiled_catalogue_matches_the_source():
    compiled = polib.mofile(str(CATALOGUE.with_suffix(".mo")))
    source = polib.pofile(str(CATALOGUE))

    def singular(entries):
        return {(e.msgctxt, e.msgid): e.msgstr for e in entries if e.msgid and not e.msgid_plural and e.msgstr}

    assert singular(compiled) == singular(source), "run tools/i18n.py to recompile"
