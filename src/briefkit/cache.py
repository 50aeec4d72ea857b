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

CACHE_DIR = ".cache"  # under the output folder, beside the audience folders
MAX_BYTES = 200_000_000  # past this, the least recently used entries go
_LIBRARIES = ("matplotlib", "weasyprint", "pydyf", "python-docx", "python-pptx", "fonttools", "pillow", "jinja2",
              "markdown-it-py", "mdit-py-plugins", "pydantic", "ruamel.yaml", "pypdf", "tinycss2")
_FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts", "~/.local/share/fonts", "~/.fonts")


def digest(*parts: object) -> str:
    """sha256 of `parts` in a canonical form: the same value always gives the same key, in any process."""
    blob = json.dumps([canonical(p) for p in parts], sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(blob.encode()).hexdigest()


def canonical(value: object) -> object:
    """`value` as plain JSON data. Sets are sorted (their order varies with the hash seed); bytes and files are
    reduced to their sha256, so a path stands for its content, not its name."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, bytes):
        return {"sha256": hashlib.sha256(value).hexdigest()}
    if isinstance(value, Path):
        return {"path": str(value), "sha256": file_digest(value) if value.is_file() else None}
    if isinstance(value, enum.Enum):
        return canonical(value.value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = {f.name: canonical(getattr(value, f.name)) for f in dataclasses.fields(value)}
        return {"__type__": type(value).__name__, **fields}
    if hasattr(value, "model_dump"):  # a pydantic model
        return {"__type__": type(value).__name__, **canonical(value.model_dump())}  # type: ignore[dict-item]
    if isinstance(value, Mapping):
        return {str(k): canonical(v) for k, v in value.items()}
    if isinstance(value, (set, frozenset)):
        return sorted((canonical(v) for v in value), key=lambda v: json.dumps(v, sort_keys=True, default=str))
    if isinstance(value, (list, tuple)):
        return [canonical(v) for v in value]
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
