"""Safe YAML reading that keeps the line of every key and item, for `path:line` errors.

We compose the YAML into nodes and build plain Python values ourselves, so that no tag can construct an
object, aliases cannot blow up memory, and every mapping and sequence knows where its parts came from.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from briefkit.errors import BriefkitError, FactbaseError, Problem, display_path

MAX_BYTES = 2_000_000
MAX_DEPTH = 40
MAX_NODES = 200_000

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


def load_yaml(path: Path, *, error: type[BriefkitError] = FactbaseError) -> Any:
    """Read one YAML file into LMap/LList/scalars, or raise `error` located at the offending line."""
    shown = display_path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise error(Problem(shown, None, f"cannot read file: {exc.strerror or exc}")) from None
    if len(raw) > MAX_BYTES:
        raise error(Problem(shown, None, f"file is {len(raw):,} bytes; the limit is {MAX_BYTES:,}"))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        message = f"not UTF-8 text (byte 0x{raw[exc.start]:02x}); save the file as UTF-8"
        raise error(Problem(shown, line, message)) from None
    yaml = YAML(typ="safe", pure=True)
    try:
        node = yaml.compose(text)
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
        if node.tag not in _ALLOWED_TAGS and not (isinstance(node, ScalarNode) and node.tag.startswith(_STD)):
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
        return self._scalar(node)

    def _mapping(self, node: MappingNode, depth: int) -> LMap:
        out = LMap()
        out.line = node.start_mark.line + 1
        out.key_lines = {}
        for key_node, value_node in node.value:
            if key_node.tag == _STD + "merge":
                raise self.fail(key_node, "merge keys (<<) are not allowed")
            key = self.build(key_node, depth + 1)
            if not isinstance(key, str):
                key = str(key)
            if key in out:
                raise self.fail(key_node, f"key {key!r} appears twice")
            out.key_lines[key] = key_node.start_mark.line + 1
            out[key] = self.build(value_node, depth + 1)
        return out

    def _scalar(self, node: ScalarNode) -> Any:
        tag, text = node.tag, node.value
        if tag == _STD + "null":
            return None
        if tag == _STD + "bool":
            return text.lower() in ("true", "yes", "on")
        if tag == _STD + "int":
            try:
                return int(text.replace("_", ""), 0)
            except ValueError:
                return int(text.replace("_", ""))
        if tag == _STD + "float":
            low = text.lower()
            if low in (".nan", ".inf", "-.inf", "+.inf"):
                raise self.fail(node, f"{text!r} is not a usable number")
            return float(text.replace("_", ""))
        return text  # strings, and timestamps kept as written (dates may be partial)
