"""Refresh the zh_Hans catalogue: extract strings, fill translations from locale-src/*.po, compile.

Usage: .venv/bin/python tools/i18n.py        (needs GNU gettext: xgettext, msgmerge, msgfmt)
locale-src/*.po hold the Chinese of each area's strings; the catalogue keeps any translation it already has.
"""

import pathlib
import subprocess
import sys

import polib

ROOT = pathlib.Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "lvzhi/locale/zh_Hans/LC_MESSAGES/django.po"
LVZHI = str(ROOT / ".venv/bin/lvzhi")


def fragments():
    known = {}
    for path in sorted((ROOT / "locale-src").glob("*.po")):
        text = path.read_text(encoding="utf-8")
        if 'msgid ""\nmsgstr ""\n"Content-Type' not in text:
            text = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n' + text
        for entry in polib.pofile(text):
            key = (entry.msgctxt, entry.msgid)
            known[key] = entry
    return known


def main():
    subprocess.run(
        [LVZHI, "makemessages", "-l", "zh_Hans", "--no-obsolete", "--no-location", "-i", "tests/*", "-i", "bench/*"],
        cwd=ROOT / "lvzhi",
        check=True,
    )
    catalogue = polib.pofile(str(CATALOGUE))
    catalogue.metadata["Language"] = "zh_Hans"
    catalogue.metadata["Plural-Forms"] = "nplurals=1; plural=0;"
    known = fragments()
    missing = []
    for entry in catalogue:
        source = known.get((entry.msgctxt, entry.msgid))
        if "fuzzy" in entry.flags and source is None:
            # msgmerge's guess from a similar string is never a translation (it gave "信息发布" for "Content")
            entry.msgstr = ""
            entry.msgstr_plural = {0: ""} if entry.msgid_plural else {}
            entry.previous_msgid = entry.previous_msgctxt = entry.previous_msgid_plural = None
        if entry.msgid_plural:
            if source is not None:  # locale-src is the source of truth: a corrected fragment wins
                entry.msgstr_plural = {0: source.msgstr_plural.get(0) or source.msgstr}
            if not entry.msgstr_plural.get(0):
                missing.append(entry.msgid)
        else:
            if source is not None:
                entry.msgstr = source.msgstr
            if not entry.msgstr:
                missing.append(entry.msgid)
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
            entry.previous_msgid = entry.previous_msgctxt = entry.previous_msgid_plural = None
    catalogue.save(str(CATALOGUE))
    subprocess.run([LVZHI, "compilemessages", "-l", "zh_Hans"], cwd=ROOT / "lvzhi", check=True)
    for msgid in missing:
        print("untranslated:", msgid)
    print(f"{len(catalogue)} strings, {len(missing)} untranslated")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
