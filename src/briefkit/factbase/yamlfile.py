"""Safe YAML reading that keeps the line of every key and item, for `path:line` errors.

We compose the YAML into nodes and build plain Python values ourselves, so that no tag can construct an
object, aliases cannot blow up memory, and every mapping and sequence knows where its parts came from.
Files travel by email and are edited by hand, so everything a careless or hostile file can do (a huge file,
deep nesting, control characters, escapes that make characters Word cannot store, a symlink out of its
folder) ends as one located error, never as an exception from deeper down.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from ruamel.yaml.resolver import VersionedResolver

from briefkit.errors import BriefkitError, FactbaseError, Problem, display_path
from briefkit.safefile import read_limited

try:
    import _ruamel_yaml  # noqa: F401  (ruamel.yaml.clib, the C parser behind YAML(pure=False))

    HAVE_C = True
except ImportError:
    HAVE_C = False

MAX_BYTES = 2_000_000
MAX_DEPTH = 40
MAX_NODES = 200_000
MAX_MAGNITUDE = 10**15  # the largest number a fact base may hold: charts and documents show it exactly
MAX_DIGITS = 100  # no fact needs a longer integer; Python refuses to print ones past 4,300 digits

# [[[[... deeper than MAX_DEPTH fails here at once; the composer would take seconds to run out of stack on it.
_DEEP_FLOW = re.compile(r"(?:[\[{]\s*){" + str(MAX_DEPTH + 1) + "}")

# Characters that neither YAML nor the XML inside DOCX and PPTX can carry: C0 and C1 controls other than tab,
# newline, carriage return and NEL, lone surrogates (from "\ud800" escapes) and the non-characters U+FFFE/FFFF.
# Characters a document cannot hold (controls, lone surrogates, non-characters), and the bidirectional embedding,
# override and isolate controls: U+202E around "12,400" prints "004,21" while every check reads 12,400. The marks
# U+200E and U+200F, which right-to-left text needs, stay allowed.
BAD_CHAR = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\u202a-\u202e\u2066-\u2069"
                      "\ud800-\udfff\ufffe\uffff]")
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")

# Text on which libyaml (the C parser) and the pure-Python parser part ways, found by comparing the two (see
# tests/factbase/test_yaml_c.py), goes to the pure one only. The patterns are searched in "\n" + text + "\n";
# four simple ones run several times faster than one alternation.
_PURE_ONLY = [re.compile(pattern) for pattern in (
    # tabs (libyaml takes some the pure parser refuses); NEL, LS, PS and BOMs, which libyaml reads as YAML 1.1
    "[\t\x85\u2028\u2029\ufeff]",
    # %directives (the C path ignores %YAML 1.1); lines of only spaces (libyaml takes some in block scalars
    # that the pure parser refuses); a block scalar at the root (libyaml reads its "#" lines as comments)
    r"\n(?:%| +\r?\n| *(?:--- +)?[|>])",
    # tags (a bare "!" resolves differently), anchors, aliases and complex keys
    r"[!&*?](?<=[\s\[{,][!&*?])",
    # a comment glued to a block scalar header: libyaml takes it, the pure parser refuses it
    r"[|>][-+0-9]*#",
)]

_STD = "tag:yaml.org,2002:"
_ALLOWED_TAGS = {_STD + t for t in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp")}


class LMap(dict):
    """A dict that remembers its own line and the line of each key (1-based)."""

    line: int = 0
    key_lines: dict[str, int]


class LList(list):
    """A list that remembers its own line and the line of each item (1-based)."""

    line: int = 0
    item_lines: list[int]


def line_of(container: Any, loc: tuple[Any, ...]) -> int | None:
    """The line of the value at `loc` (a pydantic error location) inside a loaded container."""
    line = getattr(container, "line", None) or None
    node = container
    for key in loc:
        if isinstance(node, LMap) and key in node:
            line = node.key_lines.get(key, line)
            node = node[key]
        elif isinstance(node, LList) and isinstance(key, int) and 0 <= key < len(node):
            line = node.item_lines[key]
            node = node[key]
        else:
            break
    return line


def load_yaml(path: Path, *, error: type[BriefkitError] = FactbaseError, inside: Path | None = None) -> Any:
    """Read one YAML file into LMap/LList/scalars, or raise `error` located at the offending line.

    With `inside`, the file's real path (symlinks resolved) must lie in that folder."""
    shown = display_path(path)
    raw = read_limited(path, MAX_BYTES, error, inside)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line: int | None = raw[: exc.start].count(b"\n") + 1
        message = f"not UTF-8 text (byte 0x{raw[exc.start]:02x}); save the file as UTF-8"
        raise error(Problem(shown, line, message)) from None
    bad = BAD_CHAR.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        column = bad.start() - (text.rfind("\n", 0, bad.start()) + 1) + 1
        message = f"{describe_char(bad.group())} at column {column}; delete it (retype the text)"
        raise error(Problem(shown, line, message))
    deep = _DEEP_FLOW.search(text)
    if deep:
        raise error(Problem(shown, text.count("\n", 0, deep.start()) + 1, f"nested more than {MAX_DEPTH} levels deep"))
    fast = _load_fast(text, shown, error)
    if fast is not _NO_FAST:
        return fast
    yaml = YAML(typ="safe", pure=True)
    try:
        node = yaml.compose(text)
    except RecursionError:
        line = _too_deep_at(yaml, text)
        raise error(Problem(shown, line, f"nested more than {MAX_DEPTH} levels deep")) from None
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        what = (exc.problem or exc.context or "invalid YAML").strip()
        raise error(Problem(shown, line, f"YAML syntax: {what}")) from None
    except YAMLError as exc:
        raise error(Problem(shown, None, f"YAML syntax: {str(exc).splitlines()[0]}")) from None
    if node is None:
        return None
    return _Builder(shown, error).build(node, 0)


_NO_FAST = object()


class _DepthGuard(VersionedResolver):
    """Stops the C composer, which recurses in C with no limit (it crashes the process past some 30,000 levels),
    as soon as a file is nested deeper than the builder would accept anyway."""

    depth = 0

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH + 1:
            raise RecursionError("nested too deep for the C composer")

    def ascend_resolver(self) -> None:
        self.depth -= 1

    @property
    def processing_version(self) -> tuple[int, int]:
        """YAML 1.2, always: text with a %YAML directive goes to the pure parser. (ruamel.yaml looks the version up
        for every scalar through two caught AttributeErrors on a C loader: 40% of composing at any size.)"""
        return (1, 2)


def _load_fast(text: str, shown: str, error: type[BriefkitError]) -> Any:
    """The file built from a tree composed by ruamel.yaml's C parser (ruamel.yaml.clib), some six times faster
    than the pure-Python one; or _NO_FAST, and the caller does it all again the pure way.

    The pure path stays the reference: the C one is used only where it gives the same values and lines
    (tests/factbase/test_yaml_c.py compares them). Text on which the two parsers are known to differ skips it,
    and any failure at all, in composing or building, goes back to the pure path, so that every error message
    and line stays as the pure parser gives it. Without the C extension, the pure path does it all."""
    wrapped = f"\n{text}\n"
    if not HAVE_C or any(pattern.search(wrapped) for pattern in _PURE_ONLY):
        return _NO_FAST
    yaml = YAML(typ="safe", pure=False)
    yaml.Resolver = _DepthGuard
    try:
        node = yaml.compose(text)
        return None if node is None else _Builder(shown, error).build(node, 0)
    except Exception:  # a syntax error, too deep, or an error from the builder: the pure path says it exactly
        return _NO_FAST


def _codepoint(char: str) -> str:
    return f"U+{ord(char):04X}"


def describe_char(char: str) -> str:
    if char in _BIDI_CONTROLS:
        import unicodedata

        return f"bidirectional control {_codepoint(char)} ({unicodedata.name(char)})"
    kind = "character" if char in "\ufffe\uffff" or "\ud800" <= char <= "\udfff" else "control character"
    return f"{kind} {_codepoint(char)}"


def why_bad(char: str) -> str:
    if char in _BIDI_CONTROLS:
        return "which would make the text read otherwise than it is checked"
    return "which documents cannot hold"



def _too_deep_at(yaml: YAML, text: str) -> int | None:
    """The line where nesting passes MAX_DEPTH, found with the event parser (which, unlike the composer,
    does not recurse), for files so deep that composing them ran out of stack."""
    depth = 0
    try:
        for event in yaml.parse(text):
            name = type(event).__name__
            if name in ("MappingStartEvent", "SequenceStartEvent"):
                depth += 1
                if depth > MAX_DEPTH:
                    return event.start_mark.line + 1
            elif name in ("MappingEndEvent", "SequenceEndEvent"):
                depth -= 1
    except YAMLError:
        return None
    return None


class _Builder:
    def __init__(self, shown: str, error: type[BriefkitError]) -> None:
        self.shown = shown
        self.error = error
        self.seen: set[int] = set()
        self.count = 0

    def fail(self, node: Node, message: str) -> BriefkitError:
        return self.error(Problem(self.shown, node.start_mark.line + 1, message))

    def build(self, node: Node, depth: int) -> Any:
        self.count += 1
        if depth > MAX_DEPTH:
            raise self.fail(node, f"nested more than {MAX_DEPTH} levels deep")
        if self.count > MAX_NODES:
            raise self.fail(node, f"more than {MAX_NODES:,} values in one file")
        if node.tag not in _ALLOWED_TAGS and not (isinstance(node, ScalarNode) and (node.tag or "").startswith(_STD)):
            raise self.fail(node, f"tag {node.tag!r} is not allowed; use plain YAML values")
        if isinstance(node, (MappingNode, SequenceNode)):
            if id(node) in self.seen:
                raise self.fail(node, "anchors and aliases (&, *) are not allowed")
            self.seen.add(id(node))
        if isinstance(node, MappingNode):
            return self._mapping(node, depth)
        if isinstance(node, SequenceNode):
            out = LList()
            out.line = node.start_mark.line + 1
            out.item_lines = []
            for item in node.value:
                out.item_lines.append(item.start_mark.line + 1)
                out.append(self.build(item, depth + 1))
            return out
        assert isinstance(node, ScalarNode)  # ruamel.yaml composes no other kind of node
        return self._scalar(node)

    def _mapping(self, node: MappingNode, depth: int) -> LMap:
        out = LMap()
        out.line = node.start_mark.line + 1
        out.key_lines = {}
        for key_node, value_node in node.value:
            if key_node.tag == _STD + "merge":
                raise self.fail(key_node, "merge keys (<<) are not allowed")
            if not isinstance(key_node, ScalarNode):
                raise self.fail(key_node, "a key must be plain text, not a list or mapping")
            key = self.build(key_node, depth + 1)
            if not isinstance(key, str):
                key = str(key)
            if key in out:
                raise self.fail(key_node, f"key {key!r} appears twice")
            out.key_lines[key] = key_node.start_mark.line + 1
            out[key] = self.build(value_node, depth + 1)
        return out

    def within_range(self, node: Node, value: float) -> float:
        """A number every writer and chart can show exactly: past 10^15, floats lose whole units and matplotlib
        fails on integers past 2^63."""
        if abs(value) > MAX_MAGNITUDE:
            raise self.fail(node, f"the number {value:,} is too large; numbers run to ±{MAX_MAGNITUDE:,} (write "
                                  "it in a larger unit, such as billions)")
        return value

    def _scalar(self, node: ScalarNode) -> Any:
        tag, text = node.tag, node.value
        if tag == _STD + "null":
            return None
        if tag == _STD + "bool":
            return text.lower() in ("true", "yes", "on")
        if tag == _STD + "int":
            digits = text.replace("_", "")
            if len(digits) > MAX_DIGITS:
                raise self.fail(node, f"a number of {len(digits):,} digits is too long (the limit is {MAX_DIGITS})")
            try:
                number = int(digits, 0)
            except ValueError:
                try:
                    number = int(digits)
                except ValueError:
                    raise self.fail(node, f"{text!r} is not a number") from None
            return self.within_range(node, number)
        if tag == _STD + "float":
            low = text.lower()
            value = None if low in (".nan", ".inf", "-.inf", "+.inf") else _float(text)
            if value is None or value != value or value in (float("inf"), float("-inf")):
                raise self.fail(node, f"{text!r} is not a usable number")
            return self.within_range(node, value)
        bad = BAD_CHAR.search(text)
        if bad:  # only an escape in a quoted string gets here: the raw text was checked before parsing
            raise self.fail(node, f"an escape makes the {describe_char(bad.group())}, {why_bad(bad.group())}; "
                                  "remove it")
        return text  # strings, and timestamps kept as written (dates may be partial)


def _float(text: str) -> float | None:
    try:
        return float(text.replace("_", ""))
    except ValueError:
        return None
