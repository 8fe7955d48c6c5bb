"""Code-health limits that hold for the whole of lvzhi/ (ARCHITECTURE.md, house rules): module size, template lines."""

import ast
import pathlib

from radon.complexity import cc_visit
from radon.visitors import Function

ROOT = pathlib.Path(__file__).resolve().parents[2]  # lvzhi/
MAX_MODULE_LINES = 600
MAX_TEMPLATE_LINE = 160

# Modules above the limit: none today. Keep it empty; split a module instead of adding it here. The test fails
# when one of them drops below the limit, so that its line here goes too (no stale exemptions).
STILL_TOO_LONG: set[str] = set()


# Function-local imports are allowed only where they break a genuine import cycle, wait for the app registry or make
# an app optional, and then with a one-line reason: a comment on the import's line or above it (one comment may head
# a block of imports). None is left unexplained (issue 8).


def _local_imports(text: str) -> list[int]:
    """Lines of the function-local imports in `text` that carry no reason comment."""
    lines = text.splitlines()
    imports = {}
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for inner in ast.walk(node):
                if isinstance(inner, ast.Import | ast.ImportFrom):
                    imports[inner.lineno] = inner
    ends = {node.end_lineno: node.lineno for node in imports.values()}

    def reasoned(lineno: int) -> bool:
        if "#" in lines[lineno - 1]:
            return True
        above = lineno - 1  # the line number of the line above
        while above > 0 and not lines[above - 1].strip():
            above -= 1
        if above in ends:  # in a block of imports: the block's comment counts
            return reasoned(ends[above])
        return above > 0 and lines[above - 1].strip().startswith("#")

    return sorted(n for n in imports if not reasoned(n))


def _modules():
    """Every Python module of lvzhi/ except migrations (generated). Tests count: a test module is code too."""
    for path in sorted(ROOT.rglob("*.py")):
        if "migrations" not in path.parts:
            yield path


def _lines(path: pathlib.Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines())


def test_no_module_is_longer_than_600_lines():
    too_long = {str(p.relative_to(ROOT)): _lines(p) for p in _modules() if _lines(p) > MAX_MODULE_LINES}
    unexpected = {name: n for name, n in too_long.items() if name not in STILL_TOO_LONG}
    assert not unexpected, f"split these modules (at most {MAX_MODULE_LINES} lines): {unexpected}"
    fixed = sorted(STILL_TOO_LONG - set(too_long))
    assert not fixed, f"these are short enough now: remove them from STILL_TOO_LONG: {fixed}"


def test_no_template_line_is_longer_than_160_characters():
    long_lines = [
        (str(path.relative_to(ROOT)), number, len(line))
        for path in sorted(ROOT.rglob("*.html"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if len(line) > MAX_TEMPLATE_LINE
    ]
    unexpected = [f"{name}:{number} ({n})" for name, number, n in long_lines]
    assert not unexpected, f"wrap these lines (tools/wrap_templates.py does it safely): {unexpected}"


def test_the_size_check_sees_every_app():
    """The checks above read the real tree: a wrong ROOT would make them pass on nothing."""
    names = {p.relative_to(ROOT).parts[0] for p in _modules()}
    assert {"core", "accounts", "content", "datachange", "testing", "web"} <= names
    assert sum(1 for _ in ROOT.rglob("*.html")) > 50


def test_function_local_imports_carry_a_reason():
    counts = {}
    for path in _modules():
        if "tests" not in path.parts:
            lines = _local_imports(path.read_text(encoding="utf-8"))
            if lines:
                counts[str(path.relative_to(ROOT))] = lines
    assert not counts, f"move these imports to the top of the module, or say why they wait (a cycle): {counts}"


def test_the_local_import_check_can_fail():
    """An unexplained import inside a function is found; one under a reason comment, or in its block, is not."""
    text = (
        "import json\n\n\ndef f():\n    import os\n\n"
        "    # a cycle: x imports this module\n    import re\n    import sys\n\n    return os, re, sys, json\n"
    )
    assert _local_imports(text) == [5]


# No function above cyclomatic complexity 20 (radon grade D or worse), tests included, migrations aside (issue 8).
# radon counts what ruff's mccabe check (C901, pyproject.toml) does not, such as `assert`s and comprehensions, so
# this is the stricter of the two. Split a long function into well-named steps instead of raising the limit.
MAX_COMPLEXITY = 20


def _too_complex(path: pathlib.Path, root: pathlib.Path = ROOT) -> list[str]:
    return [
        f"{path.relative_to(root)}:{block.lineno} {block.fullname} ({block.complexity})"
        for block in cc_visit(path.read_text(encoding="utf-8"))
        if isinstance(block, Function) and block.complexity > MAX_COMPLEXITY  # methods too; a class's own score aside
    ]


def test_no_function_is_more_complex_than_20():
    too_complex = [line for path in _modules() for line in _too_complex(path)]
    assert not too_complex, f"split these functions (radon complexity at most {MAX_COMPLEXITY}): {too_complex}"


def test_the_complexity_check_finds_a_function_of_21_and_passes_one_of_20(tmp_path):
    """The check above reads what it is given: 21 is reported (methods too), 20 is not."""

    def source(name, branches, indent=""):
        ifs = "".join(f"{indent}    if x == {n}:\n{indent}        return {n}\n" for n in range(branches))
        return f"{indent}def {name}(x):\n{ifs}{indent}    return -1\n"

    sample = tmp_path / "sample.py"
    sample.write_text(
        source("at_the_limit", MAX_COMPLEXITY - 1) + "\n\nclass Box:\n" + source("over", MAX_COMPLEXITY, "    "),
        encoding="utf-8",
    )
    over = 2 * MAX_COMPLEXITY + 4  # the line of `def over`: the first function's lines, two blank, the class
    assert _too_complex(sample, root=tmp_path) == [f"sample.py:{over} Box.over ({MAX_COMPLEXITY + 1})"]
