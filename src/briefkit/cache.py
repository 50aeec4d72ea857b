"""Content-hash keys, and a store of built bytes under OUT/.cache/ looked up by them.

Why it cannot serve stale output: a key hashes everything the bytes were made from, including briefkit's own
source, the versions of the libraries that draw and lay out, and the state of the system font folders. A changed
input gives a different key, so an old entry is never found again, only pruned. Each entry records the sha256 of
its bytes, so a truncated or edited entry is noticed, deleted and rebuilt rather than used.
"""

from __future__ import annotations

import contextlib
import dataclasses
import enum
import functools
import hashlib
import json
import os
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

CACHE_DIR = ".cache"  # under the output folder, beside the audience folders
MAX_BYTES = 200_000_000  # past this, the least recently used entries go
_LIBRARIES = ("matplotlib", "weasyprint", "pydyf", "python-docx", "python-pptx", "fonttools", "pillow", "jinja2",
              "markdown-it-py", "mdit-py-plugins", "pydantic", "ruamel.yaml", "ruamel.yaml.clib", "pypdf",
              "tinycss2")
_FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts", "~/.local/share/fonts", "~/.fonts")
# Metadata of a dataclass field that the value's other fields already stand for (a chart's key hashes its plot):
# left out of `digest`, which would otherwise walk the same data twice.
UNKEYED = {"unkeyed": True}


def digest(*parts: object) -> str:
    """sha256 of `parts` in a canonical form: the same value always gives the same key, in any process.

    The value is fed to the hash as it is walked, not first copied into one big structure: a key of the model of a
    brief 100 times the usual size would otherwise cost hundreds of megabytes for a moment."""
    h = hashlib.sha256()
    for part in parts:
        _feed(h, part)
    return h.hexdigest()


def _feed(h: Any, value: object) -> None:
    """Each value as a type tag, its length where it has one, then its content: no two values feed the same bytes.
    Sets are fed in the order of their members' digests (their own order changes with the hash seed); bytes and
    files by their content, so a path stands for what it holds, not its name. A type not listed here is refused
    rather than hashed by its `repr`, which could leave out what an output depends on."""
    if value is None or isinstance(value, bool):
        h.update(b"N" if value is None else b"T" if value else b"F")
    elif isinstance(value, int):
        h.update(b"i%d;" % value)
    elif isinstance(value, float):
        h.update(b"f" + value.hex().encode() + b";")
    elif isinstance(value, str):
        data = value.encode("utf-8", "surrogatepass")
        h.update(b"s%d:" % len(data) + data)
    elif isinstance(value, bytes):
        h.update(b"b%d:" % len(value) + value)
    elif isinstance(value, Path):
        h.update(b"P")
        _feed(h, str(value))
        _feed(h, file_digest(value) if value.is_file() else None)
    elif isinstance(value, enum.Enum):
        h.update(b"E" + type(value).__name__.encode() + b":")
        _feed(h, value.value)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = [f for f in dataclasses.fields(value) if not f.metadata.get("unkeyed")]
        h.update(b"D" + type(value).__name__.encode() + b"%d:" % len(fields))
        for f in fields:
            _feed(h, f.name)
            _feed(h, getattr(value, f.name))
    elif hasattr(value, "model_dump"):  # a pydantic model
        h.update(b"M" + type(value).__name__.encode() + b":")
        _feed(h, value.model_dump())
    elif isinstance(value, Mapping):
        items = sorted(value.items(), key=lambda kv: str(kv[0]))
        h.update(b"m%d:" % len(items))
        for key, item in items:
            _feed(h, str(key))
            _feed(h, item)
    elif isinstance(value, (set, frozenset)):
        members = sorted(digest(v) for v in value)
        h.update(b"S%d:" % len(members) + "".join(members).encode())
    elif isinstance(value, (list, tuple)):
        h.update(b"l%d:" % len(value))
        for item in value:
            _feed(h, item)
    else:
        raise TypeError(f"no canonical form for {type(value).__name__}")  # a new type: add it rather than guess


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def folder_digest(folder: Path | None) -> str:
    """Every file under `folder`, by relative name and content (no time stamps: a copied folder is the same)."""
    h = hashlib.sha256()
    if folder is not None and folder.is_dir():
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            h.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


@functools.cache
def code_version() -> str:
    """What briefkit's output depends on besides its inputs: its source, the libraries and the system fonts."""
    from importlib import metadata

    h = hashlib.sha256()
    root = Path(__file__).parent
    for path in sorted(root.rglob("*")):
        if path.suffix in (".py", ".docx", ".pptx", ".css", ".j2", ".yaml", ".png", ".ttf", ".otf") and path.is_file():
            h.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes() + b"\0")
    h.update(sys.version.encode())
    for name in _LIBRARIES:
        try:
            h.update(f"{name} {metadata.version(name)}\n".encode())
        except metadata.PackageNotFoundError:
            h.update(f"{name} -\n".encode())
    h.update(fonts_state().encode())
    return h.hexdigest()


def fonts_state() -> str:
    """Installing or removing a font changes its folder's time stamp: charts and PDFs drawn before may differ."""
    entries = []
    for folder in _FONT_DIRS:
        for root, _dirs, _files in os.walk(os.path.expanduser(folder)):
            entries.append(f"{root} {os.stat(root).st_mtime_ns}")
    return hashlib.sha256("\n".join(sorted(entries)).encode()).hexdigest()


class Store:
    """Built bytes kept by key, one file per entry: a JSON header line naming each part's size and sha256, then
    the parts. Writes go to a temporary file renamed into place, so parallel builds never see half an entry."""

    def __init__(self, root: Path | None) -> None:
        self.root = root  # None: a store that keeps nothing
        self.hits = 0
        self.misses = 0

    @classmethod
    def for_output(cls, out: Path) -> Store:
        return cls(out / CACHE_DIR)

    def _path(self, kind: str, key: str) -> Path:
        assert self.root is not None
        return self.root / kind / key

    def get(self, kind: str, key: str) -> dict[str, bytes] | None:
        """The parts stored under `key`, or None when absent or damaged (a damaged entry is deleted)."""
        if self.root is None:
            return None
        path = self._path(kind, key)
        try:
            blob = path.read_bytes()
        except OSError:
            self.misses += 1
            return None
        parts = _decode(blob)
        if parts is None:
            path.unlink(missing_ok=True)
            self.misses += 1
            return None
        with contextlib.suppress(OSError):
            os.utime(path)  # recently used: kept longest when pruning
        self.hits += 1
        return parts

    def put(self, kind: str, key: str, parts: Mapping[str, bytes]) -> None:
        """Keep `parts` under `key`. A store that cannot be written (full disk, read-only) is only slower."""
        if self.root is None:
            return
        path = self._path(kind, key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(_encode(parts))
                os.replace(tmp, path)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        except OSError:
            return

    def prune(self, max_bytes: int = MAX_BYTES) -> None:
        """Delete the least recently used entries until the store is under `max_bytes`."""
        if self.root is None or not self.root.is_dir():
            return
        entries = []
        for path in self.root.glob("*/*"):
            try:
                st = path.stat()
            except OSError:
                continue
            entries.append((st.st_mtime_ns, st.st_size, path))
        total = sum(size for _, size, _ in entries)
        for _, size, path in sorted(entries, key=lambda e: e[0]):
            if total <= max_bytes:
                break
            with contextlib.suppress(OSError):  # a store that cannot be pruned is only larger
                path.unlink(missing_ok=True)
            total -= size


def _encode(parts: Mapping[str, bytes]) -> bytes:
    header = {name: [len(data), hashlib.sha256(data).hexdigest()] for name, data in parts.items()}
    return json.dumps(header, sort_keys=True).encode() + b"\n" + b"".join(parts[name] for name in sorted(parts))


def _decode(blob: bytes) -> dict[str, bytes] | None:
    head, sep, body = blob.partition(b"\n")
    if not sep:
        return None
    try:
        header = json.loads(head)
        if not isinstance(header, dict):
            return None
        parts, at = {}, 0
        for name in sorted(header):
            size, sha = header[name]
            data = body[at:at + int(size)]
            if hashlib.sha256(data).hexdigest() != sha:
                return None
            parts[name] = data
            at += int(size)
    except (ValueError, TypeError):
        return None
    return parts if at == len(body) else None
