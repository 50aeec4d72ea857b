"""The C composer (ruamel.yaml.clib) is only a faster way to the same result: for every file we ship and for
documents where libyaml and the pure parser are known to part ways, load_yaml gives the same values, the same
line of every key and item, or the same error message, with the C parser as without it.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest

from briefkit.errors import BriefkitError
from briefkit.factbase import yamlfile
from briefkit.factbase.yamlfile import LList, LMap, load_yaml

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = sorted(p for folder in ("seeds", "examples") for p in (ROOT / folder).rglob("*.y*ml"))

pytestmark = pytest.mark.skipif(not yamlfile.HAVE_C, reason="ruamel.yaml.clib is not installed")

TRICKY = {
    "anchors": "a: &x [1, 2]\nb: *x\n",
    "scalar alias": "a: &s foo\nb: *s\n",
    "anchored empty key": " &x:\n",
    "merge": "base: &b {x: 1}\nc:\n  <<: *b\n",
    "custom tag": "a: !custom x\n",
    "python tag": "a: !!python/object:os.system x\n",
    "bare tag": "a: !\nb: 1\n",
    "std tags": "a: !!str 12\nb: !!int '7'\nc: !!binary aGk=\n",
    "timestamps": "a: 2024-01-02\nb: 2001-12-14 21:59:43.10 -5\nc: 2024-01-02T10:00:00Z\nd: 2024-13\n",
    "floats": "a: 1e3\nb: 1.0E+3\nc: .5\nd: -0.\ne: 1_000.5\nf: .inf\n",
    "nan": "a: .NaN\n",
    "ints": "a: 0x1F\nb: 0o17\nc: 0777\nd: +1\ne: 1_000\nf: 0b101\ng: 1:20\n",
    "long int": "a: " + "9" * 120 + "\n",
    "nulls and bools": "a: ~\nb: null\nc: Null\nd:\ne: yes\nf: no\ng: True\nh: off\n",
    "yaml 1.1": "%YAML 1.1\n---\na: yes\nb: 0777\nc: 1:20\n",
    "quoted numbers": "a: '12'\nb: \"1e3\"\nc: 'true'\n",
    "folded": "a: >\n  folded\n  text\n\n  more\nb: |-\n  lit\n   eral\nc: >+\n  keep\n\nd: 1\n",
    "block header comment": "a: |#\n  x\n",
    "root block": "|\n#\n",
    "blank line with spaces": "a: |\n  \n   x\n",
    "plain multi-line": "a: b\n  c\n   d\n\n  e\n",
    "quoted multi-line": "a: \"x\\\n  y  z\n\n  w\"\nb: 'x\n   y\n\n  z'\n",
    "escapes": "a: \"\\x41\\u00e9\\t\\\"\\\\\\/\\N\\_\"\nb: 'it''s'\n",
    "bad escape": "a: \"\\x07\"\n",
    "flow": "a: [1, 2, {b: [c, d]}, [e: f]]\nb: {x: 1, y: [2,]}\n",
    "flow over lines": "a: [1, 2,\n  3]\nb: {x: 1,\n  y: 2}\n",
    "complex key": "? [a]\n: b\n",
    "question key": "? a\n",
    "empty values": "- a:\n- b\n-\n- c: \n  d:\n",
    "bom": "\ufeffa: 1\n",
    "second bom": "\ufeff\ufeffa: 1\n",
    "crlf": "a: 1\r\nb:\r\n  - x\r\n  - y\r\n",
    "cr": "a: 1\rb: 2\r",
    "nel": "a: 1\x85b: 2\n",
    "line separator": "a: x\u2028b: 2\n",
    "tab": "a:\tb\nc: 1\n",
    "tab in quotes": "a: \"x\ty\"\n",
    "duplicate key": "a: 1\nb: 2\na: 3\n",
    "list key": "[a]: b\n",
    "two documents": "a: 1\n---\nb: 2\n",
    "document markers": "--- # c\na: 1\n...\n",
    "syntax error": "a: [1, 2\nb: 3\n",
    "bad indent": "a:\n  - 1\n - 2\n",
    "deep block": "- " * 50 + "x\n",
    "deep flow": "[1, " * 45 + "1" + "]" * 45 + "\n",
    "very deep block": "- " * 100_000 + "x\n",
    "empty": "",
    "comment only": "# nothing\n",
    "root scalar": "just text\n",
    "long key": "k" * 1100 + ": v\n",
    "unicode": "é: ünïcödé\n中文: \u00a0x\n",
}


def _shape(value: Any) -> Any:
    """Everything load_yaml gives that a caller can see: values with their types, and every line."""
    if isinstance(value, LMap):
        return ("map", value.line, [(key, value.key_lines[key], _shape(item)) for key, item in value.items()])
    if isinstance(value, LList):
        return ("list", value.line, list(zip(value.item_lines, map(_shape, value), strict=True)))
    return (type(value).__name__, value)


def _outcome(path: Path, c: bool, monkeypatch: pytest.MonkeyPatch) -> Any:
    with monkeypatch.context() as patch:
        patch.setattr(yamlfile, "HAVE_C", c)
        try:
            return _shape(load_yaml(path))
        except BriefkitError as exc:
            return [str(problem) for problem in exc.problems]


def _fast(path: Path) -> Any:
    """The C path alone, no falling back: _NO_FAST where it would leave the file to the pure path."""
    text = path.read_bytes().decode("utf-8-sig")
    return yamlfile._load_fast(text, str(path), BriefkitError)


def test_shipped_files_exist() -> None:
    assert len(SHIPPED) >= 30


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: str(p.relative_to(ROOT)))
def test_shipped_file_loads_the_same_through_c(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fast = _fast(path)
    assert fast is not yamlfile._NO_FAST, "the C path should take every shipped file"
    assert _shape(fast) == _outcome(path, c=False, monkeypatch=monkeypatch)


@pytest.mark.parametrize("name", TRICKY)
def test_tricky_document_loads_the_same(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "doc.yaml"
    path.write_bytes(TRICKY[name].encode())
    pure = _outcome(path, c=False, monkeypatch=monkeypatch)
    assert _outcome(path, c=True, monkeypatch=monkeypatch) == pure
    fast = _fast(path)
    if fast is not yamlfile._NO_FAST:
        assert _shape(fast) == pure


@pytest.mark.slow  # thousands of documents
def test_mutated_shipped_snippets_load_the_same(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Pieces of real files with a few random edits of the kind a hand editor makes: same result either way."""
    rng = random.Random(20261124)
    edits = ["\n", " ", "  ", "\n  ", "#", ":", "- ", "\n\n", " \n", "\r\n", ",", "[", "]", "{", "}", "'", '"',
             "|", ">-", "~", "1e3", "yes", "2024-01-02", "\\", "%", "@", "`", "é", "\u00a0"]
    path = tmp_path / "doc.yaml"
    used_c = 0
    for _ in range(400):
        lines = rng.choice(SHIPPED).read_text(encoding="utf-8").splitlines(keepends=True)
        start = rng.randrange(len(lines))
        text = "".join(lines[start : start + rng.randint(1, 25)])
        for _ in range(rng.randint(0, 3)):
            at = rng.randrange(len(text) + 1)
            text = text[:at] + rng.choice(edits) + text[at + rng.choice([0, 0, 1, 2]) :]
        path.write_text(text, encoding="utf-8", newline="")
        assert _outcome(path, c=True, monkeypatch=monkeypatch) == _outcome(path, c=False, monkeypatch=monkeypatch), text
        fast = _fast(path)
        if fast is not yamlfile._NO_FAST:
            used_c += 1
            assert _shape(fast) == _outcome(path, c=False, monkeypatch=monkeypatch), text
    assert used_c > 100  # many pieces did go through the C parser (the rest are errors or screened)
