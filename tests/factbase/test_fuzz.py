"""Property tests: whatever bytes, YAML, Markdown or template text arrive, only BriefkitError may come out.

And when the input is accepted, what comes out is safe to pass on: YAML values are plain data without
characters a document cannot hold; links are web, mail or in-document links; escaped text reads back as the
text it was, however much Markdown it contains.
"""

from __future__ import annotations

import contextlib
import itertools
import re
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from briefkit.document.model import (
    BulletList,
    ChartData,
    Drawn,
    Figure,
    Heading,
    Link,
    Meta,
    Paragraph,
    Series,
    Table,
    plain_text,
)
from briefkit.document.parse import parse_brief, parse_deck
from briefkit.errors import BriefkitError, display_path
from briefkit.factbase.yamlfile import MAX_DEPTH, LList, LMap, load_yaml
from briefkit.render import md_escape

pytestmark = pytest.mark.slow  # hypothesis runs hundreds of examples: `make test-fast` leaves it out

BAD_CHAR = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")

YAML_BITS = st.sampled_from(
    ["a: 1\n", "- x\n", "  ", "key: [1, 2\n", "&a [1]\n", "*a\n", "!!python/object:os.system x\n", "\t", ": :\n",
     "{", "}", "'", '"', "\u0007", "\x00", "---\n", "...\n", "? k\n", "b: !!binary aGk=\n", "<<: *a\n", "%YAML 1.1\n",
     "c: 2016-10-22\n", "d: .nan\n", "e: 0x1F\n", "\ufeff", "- - - -\n", "f: |\n  text\n", "g: >-\n  folded\n",
     '"\\ud800"', '"\\x07"', "9" * 120, "1e400", "[[[[[[[[[[", "? [a]\n: b\n", "!custom x\n", "\r\n", "\x85"]
)


def _fresh(tmp: str, data: bytes) -> Path:
    path = Path(tmp) / "f.yaml"
    path.write_bytes(data)
    return path


def _check_loaded(value: Any, depth: int = 0) -> None:
    """Accepted YAML is plain data, no deeper than allowed, and every key knows its line."""
    assert depth <= MAX_DEPTH + 1
    if isinstance(value, LMap):
        assert set(value.key_lines) == set(value)
        for key, item in value.items():
            assert isinstance(key, str) and not BAD_CHAR.search(key)
            _check_loaded(item, depth + 1)
    elif isinstance(value, LList):
        assert len(value.item_lines) == len(value)
        for item in value:
            _check_loaded(item, depth + 1)
    elif isinstance(value, str):
        assert not BAD_CHAR.search(value), repr(value)
    else:
        assert value is None or isinstance(value, (bool, int, float)), type(value)
        assert value == value and value not in (float("inf"), float("-inf"))  # no NaN, no infinity


def _check_refused(exc: BriefkitError, path: Path, data: bytes) -> None:
    lines = data.count(b"\n") + 2
    for problem in exc.problems:
        assert problem.path == display_path(path)
        assert problem.line is None or 1 <= problem.line <= lines, (problem, lines)
        assert "\n" not in str(problem)


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(YAML_BITS | st.text(max_size=20), max_size=30), st.binary(max_size=8))
def test_yaml_loader_only_raises_briefkit_errors(parts: list[str], junk: bytes) -> None:
    data = "".join(parts).encode("utf-8", "surrogatepass") + junk
    with tempfile.TemporaryDirectory() as tmp:
        path = _fresh(tmp, data)
        try:
            _check_loaded(load_yaml(path))
        except BriefkitError as exc:
            _check_refused(exc, path, data)


# Structured YAML: real nested documents in block and flow style, then damaged at one place.
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-10**30, 10**30), st.floats(allow_nan=True),
                    st.text(max_size=12))
DATA = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4) |
                    st.dictionaries(st.text(min_size=1, max_size=6), inner, max_size=4), max_leaves=25)


def _scalar(value: Any) -> str:
    if isinstance(value, str):
        return '"' + value.encode("unicode_escape").decode("ascii").replace('"', '\\"') + '"'
    return {None: "null", True: "true", False: "false"}.get(value, repr(value)) if not isinstance(value, float) \
        else repr(value).replace("nan", ".nan").replace("inf", ".inf")


def _emit(value: Any, indent: int, flow: bool) -> str:
    pad = "  " * indent
    if isinstance(value, dict):
        if flow or not value:
            return "{" + ", ".join(f"{_scalar(k)}: {_emit(v, 0, True)}" for k, v in value.items()) + "}"
        return "".join(f"\n{pad}{_scalar(k)}: {_emit(v, indent + 1, flow)}" for k, v in value.items())
    if isinstance(value, list):
        if flow or not value:
            return "[" + ", ".join(_emit(v, 0, True) for v in value) + "]"
        return "".join(f"\n{pad}- {_emit(v, indent + 1, flow)}" for v in value)
    return _scalar(value)


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(DATA, st.booleans(), st.integers(0, 10_000), st.sampled_from(["", "\x00", "\t", "&x ", "*x", "!!set ",
                                                                   "[", "}", ": ", "\n  -", "\ufeff", "\\ud800",
                                                                   "\xe9", "#", "'", "<<: "]))
def test_damaged_yaml_documents_are_refused_with_a_location(data: Any, flow: bool, where: int, damage: str) -> None:
    text = "root:" + _emit(data, 1, flow) + "\n"
    at = where % (len(text) + 1)
    raw = (text[:at] + damage + text[at:]).encode("utf-8", "surrogatepass")
    if damage == "\xe9":
        raw = raw.replace("é".encode(), b"\xe9")  # a Latin-1 byte in a UTF-8 file
    with tempfile.TemporaryDirectory() as tmp:
        path = _fresh(tmp, raw)
        try:
            _check_loaded(load_yaml(path))
        except BriefkitError as exc:
            _check_refused(exc, path, raw)


META = Meta("t", "s", "a", "subj", (), "en", "2025-01-01", "1 January 2025", 0, "Analyst", "For discussion")
FIGURE = Figure("x", "Title", "Caption", "Sources", "Alt", ChartData(family="bar", categories=("a",),
                series=(Series("s", (1,)),), value_label="v", labels=("1",)), Drawn(b"<svg/>", b""))
TABLE = Table("y", "Title", "Caption", "Sources", ("a",), (("1",),), (True,))
MD_BITS = st.sampled_from(
    ["# H\n", "## H2\n", "- item\n", "1. item\n", "  - nested\n", "::: box meeting Title\n", ":::\n", "::: lead\n",
     "::: notes\n", "::: sources\n", "[[chart:x]]\n", "[[table:y]]\n", "[[chart:q]]\n", "[[toc]]\n",
     "[[pagebreak]]\n", "[^1]\n", "[^1]: note\n", "*em*", "**strong**", "[l](http://a)", "[l](mailto:x)",
     "[l](#x)", "<http://a>", "[l](javascript:alert(1))", "[l](file:///etc/passwd)", "![i](http://x/y.png)",
     "![i](file:///etc/passwd)", "<script>x</script>", "<img src=file:///etc/passwd>", "---\n",
     "<!-- slide: chart -->\n", "<!-- slide: title -->\n", "<!-- slide: bogus -->\n", "\n", "text ", "`code`",
     "```\nfence\n```\n", "> quote\n", "| a | b |\n|---|---|\n| 1 | 2 |\n", "***\n", "\\", "&amp;", "    code\n",
     "[r]\n\n[r]: javascript:x\n"]
)


def _links(node: Any) -> list[Link]:
    if isinstance(node, Link):
        return [node, *_links(node.children)]
    if isinstance(node, (tuple, list)):
        return [link for item in node for link in _links(item)]
    if hasattr(node, "__dataclass_fields__") and not isinstance(node, (Figure, Table, Meta)):
        return [link for name in node.__dataclass_fields__ for link in _links(getattr(node, name))]
    return []


@settings(max_examples=300, deadline=None)
@given(st.lists(MD_BITS | st.text(max_size=15), max_size=40))
def test_markdown_parser_only_raises_briefkit_errors_and_keeps_only_safe_links(parts: list[str]) -> None:
    text = "".join(parts)
    for parse in (parse_brief, parse_deck):
        with contextlib.suppress(BriefkitError):
            model = parse(text, META, {"x": FIGURE}, {"y": TABLE})
            for link in _links(model):
                assert re.match(r"(https?:|mailto:|#)", link.url, re.IGNORECASE), link.url


ESCAPE_BITS = st.sampled_from([*"&#;:*_-+=>|[]()!`~<\\ \n1.\t", "\n\n", "    ", ":::", "---", "[[chart:x]]",
                               "<!-- slide: title -->", "&amp;", "&#35;", "1)", "* ", "[^1]", "[^1]: x", "<b>",
                               "http://a", "\\*"])


def _texts(blocks: Any) -> str:
    out = []
    for b in blocks:
        if isinstance(b, (Paragraph, Heading)):
            out.append(plain_text(b.inlines))
        elif isinstance(b, BulletList):
            out.extend(plain_text(item) for item in b.items)
        elif hasattr(b, "blocks"):
            out.append(_texts(b.blocks))
        else:
            out.append(type(b).__name__)
    return " ".join(" ".join(out).split())


@settings(max_examples=400, deadline=None)
@given(st.lists(st.text(max_size=5) | ESCAPE_BITS, max_size=12).map("".join),
       st.sampled_from([("", ""), ("- **Item:** ", "Item: ")]))
@example("0\r#", ("", ""))  # a lone carriage return starts a Markdown line (found by this test)
def test_escaped_text_reads_back_as_itself(value: str, context: tuple[str, str]) -> None:
    """Whatever a fact base says is printed, not interpreted: no heading, list, box, link, note or HTML."""
    if BAD_CHAR.search(value) or not value.split():
        return
    before, shown = context
    doc = parse_brief(before + md_escape(value) + "\n", META, {}, {})
    assert _texts(doc.blocks) == " ".join((shown + value).split())
    assert doc.notes == ()


TEMPLATE_BITS = st.sampled_from(
    ["{{ ", " }}", "{% ", " %}", "for s in sources", "endfor", "if ", "endif", "s.title", "sources[0]", "meta.title",
     "cite(s)", "figure('x')", "fact('nope')", "''.__class__", "'x' * 10**9", "9 ** 9 ** 9", "range(10**7)",
     "include 'brief.md.j2'", "extends '../x'", "macro m() %}{{ m() }}{% endmacro", "m()", "1/0", "'%c' % 7",
     "|center(10**8)", "|format(1)", "'%099999999d'", "undefined_name", "# Heading\n", "\n", "text", "{#", "#}",
     "raw", "endraw", "lipsum(5)", "topics.items()", "set x = ", "namespace(a=1)", "self"])


@pytest.fixture(scope="module")
def example_fb() -> Any:
    from briefkit.factbase import load_factbase
    from conftest import EXAMPLE

    return load_factbase(EXAMPLE)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(TEMPLATE_BITS | st.text(max_size=6), max_size=16))
def test_templates_only_raise_briefkit_errors(example_fb: Any, parts: list[str]) -> None:
    """A template is data: whatever it says, rendering ends in Markdown or in a located TemplateError."""
    from briefkit.paths import builtin_templates
    from briefkit.render import make_environment, render_markdown

    with tempfile.TemporaryDirectory() as tmp:
        name = f"t{next(_COUNTER)}.md.j2"
        (Path(tmp) / name).write_text("".join(parts), encoding="utf-8", errors="surrogatepass")
        env = make_environment(Path(tmp), builtin_templates() / "default")
        context = {"meta": META, "topics": example_fb.info.topics, "sources": list(example_fb.sources.values())}
        try:
            text = render_markdown(env, name, context, example_fb)
        except BriefkitError as exc:
            assert all("\n" not in str(p) for p in exc.problems)
        else:
            assert not BAD_CHAR.search(text)


_COUNTER = itertools.count()
