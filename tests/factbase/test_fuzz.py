"""Property tests: whatever bytes or Markdown arrive, only BriefkitError may come out."""

from __future__ import annotations

import contextlib
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefkit.document.model import Meta
from briefkit.document.parse import parse_brief, parse_deck
from briefkit.errors import BriefkitError
from briefkit.factbase.yamlfile import load_yaml

YAML_BITS = st.sampled_from(
    ["a: 1\n", "- x\n", "  ", "key: [1, 2\n", "&a [1]\n", "*a\n", "!!python/object:os.system x\n", "\t", ": :\n",
     "{", "}", "'", '"', "\u0007", "\x00", "---\n", "...\n", "? k\n", "b: !!binary aGk=\n", "<<: *a\n", "%YAML 1.1\n",
     "c: 2016-10-22\n", "d: .nan\n", "e: 0x1F\n", "\ufeff", "- - - -\n", "f: |\n  text\n", "g: >-\n  folded\n"]
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(YAML_BITS | st.text(max_size=20), max_size=30), st.binary(max_size=8))
def test_yaml_loader_only_raises_briefkit_errors(parts: list[str], junk: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "f.yaml"
        path.write_bytes("".join(parts).encode("utf-8", "surrogatepass") + junk)
        try:
            load_yaml(path)
        except BriefkitError as exc:
            assert all(str(p).startswith(str(path)) or str(p).startswith("/") for p in exc.problems)


META = Meta("t", "s", "a", "subj", (), "en", "2025-01-01", "1 January 2025", 0, "Analyst", "For discussion")
MD_BITS = st.sampled_from(
    ["# H\n", "## H2\n", "- item\n", "1. item\n", "::: box meeting Title\n", ":::\n", "::: lead\n", "::: notes\n",
     "[[chart:x]]\n", "[[table:y]]\n", "[[toc]]\n", "[^1]\n", "[^1]: note\n", "*em*", "**strong**", "[l](http://a)",
     "[l](javascript:alert(1))", "<script>x</script>", "---\n", "<!-- slide: chart -->\n", "<!-- slide: bogus -->\n",
     "\n", "text ", "`code`", "```\nfence\n```\n", "> quote\n", "| a | b |\n", "***\n"]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(MD_BITS | st.text(max_size=15), max_size=40))
def test_markdown_parser_only_raises_briefkit_errors(parts: list[str]) -> None:
    text = "".join(parts)
    for parse in (parse_brief, parse_deck):
        with contextlib.suppress(BriefkitError):
            parse(text, META, {}, {})
