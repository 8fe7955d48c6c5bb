"""Wrap template lines longer than LIMIT characters without changing what the page shows.

A line is broken only at a space that HTML ignores or collapses: between the attributes of an HTML tag, or between
words of text. Never inside a template tag ({% %}, {{ }}, {# #}: Django does not allow them to span lines), inside an
attribute value, inside {% blocktranslate %} (its text is the message id), or inside <pre>, <textarea>, <script>,
<style> and HTML comments. Usage: python tools/wrap_templates.py [--check] FILE...
"""

import pathlib
import re
import sys

LIMIT = 160
_OPEN = re.compile(r"\{%\s*blocktrans(late)?\b")
_CLOSE = re.compile(r"\{%\s*endblocktrans(late)?\s*%\}")
_RAW_OPEN = re.compile(r"<(pre|textarea|script|style)\b", re.I)
_RAW_CLOSE = re.compile(r"</(pre|textarea|script|style)\s*>", re.I)
# Tags around which white space does not show: a break may be inserted right after their opening tag or right before
# their closing tag (table cells and rows, list items, paragraphs, blocks).
_BLOCK = "p|div|li|ul|ol|td|th|tr|thead|tbody|table|dd|dt|dl|h1|h2|h3|h4|section|nav|form|option|select"
_BLOCK_OPEN = re.compile(rf"<({_BLOCK})\b", re.I)
_BLOCK_CLOSE = re.compile(rf"</({_BLOCK})\s*>", re.I)


def candidates(line: str, state: dict) -> list[int]:
    """Indexes of spaces where `line` may be broken; updates `state` (blocktranslate / raw element across lines)."""
    found = []
    i, n = 0, len(line)
    in_tag = False
    block_tag = False
    quote = ""
    while i < n:
        two = line[i : i + 2]
        if two in ("{%", "{{", "{#"):
            end = line.find({"{%": "%}", "{{": "}}", "{#": "#}"}[two], i + 2)
            end = n if end < 0 else end + 2
            tag = line[i:end]
            if _OPEN.match(tag):
                state["blocktrans"] = "trimmed" not in tag  # trimmed content folds line breaks to spaces
            elif _CLOSE.match(tag):
                state["blocktrans"] = False
            i = end
            continue
        if line.startswith("<!--", i):
            end = line.find("-->", i)
            i = n if end < 0 else end + 3
            continue
        ch = line[i]
        if quote:
            if ch == quote:
                quote = ""
        elif in_tag and ch in "\"'":
            quote = ch
        elif ch == "<" and re.match(r"</?[a-zA-Z]", line[i : i + 3]):
            m = _RAW_OPEN.match(line, i)
            if m:
                state["raw"] = True
            if _RAW_CLOSE.match(line, i):
                state["raw"] = False
            if _BLOCK_CLOSE.match(line, i) and not state["blocktrans"] and not state["raw"] and line[:i].strip():
                found.append(-i)  # negative: insert a break before index i
            block_tag = bool(_BLOCK_OPEN.match(line, i))
            in_tag = True
        elif ch == ">" and in_tag:
            in_tag = False
            if block_tag and not state["blocktrans"] and not state["raw"] and i + 1 < n:
                found.append(-(i + 1))
        elif ch == " " and not state["blocktrans"] and not state["raw"] and line[:i].strip():
            found.append(i)
        i += 1
    return found


def wrap(text: str) -> str:
    out = []
    state = {"blocktrans": False, "raw": False}
    for line in text.split("\n"):
        start_state = dict(state)
        spots = candidates(line, state)
        if len(line) > LIMIT and not spots and _OPEN.search(line) and "trimmed" not in line:
            line = _OPEN.sub(lambda m: m.group() + " trimmed", line)  # then its words may go on several lines
            state = dict(start_state)
            spots = candidates(line, state)
        if len(line) <= LIMIT or not spots:
            out.append(line)
            continue
        indent = re.match(r"\s*", line).group() + "  "
        pieces, rest, offset = [], line, 0
        spots_left = list(spots)
        while len(rest) > LIMIT:
            usable = [(abs(s) - offset, s < 0) for s in spots_left if len(indent) < abs(s) - offset <= LIMIT]
            if not usable:
                break
            cut, insert = max(usable)
            pieces.append(rest[:cut].rstrip())
            consumed = cut if insert else cut + 1
            rest = indent + rest[consumed:].lstrip(" ")
            offset += consumed - len(indent)
            spots_left = [s for s in spots_left if abs(s) - offset > len(indent)]
        pieces.append(rest)
        out.extend(pieces)
    return "\n".join(out)


def main(argv: list[str]) -> int:
    check = "--check" in argv
    bad = 0
    for path in [a for a in argv if a != "--check"]:
        file = pathlib.Path(path)
        text = file.read_text(encoding="utf-8")
        if check:
            long = [i for i, line in enumerate(text.splitlines(), 1) if len(line) > LIMIT]
            bad += len(long)
            for i in long:
                print(f"{path}:{i}: longer than {LIMIT} characters")
            continue
        new = wrap(text)
        if new != text:
            file.write_text(new, encoding="utf-8")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
