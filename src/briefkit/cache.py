"""Content-hash keys, and a store of built bytes under OUT/.briefkit-cache/ looked up by them.

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
import re
import stat
import sys
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from briefkit import safefile

CACHE_DIR = ".briefkit-cache"  # under the output folder, beside the audience folders: a name of briefkit's own
# The Cache Directory Tagging Specification's tag: backup tools skip the folder, and it marks the folder as
# briefkit's. The store deletes nothing in a folder without it, and nothing but its own entries in one with it.
TAG_NAME = "CACHEDIR.TAG"
TAG = (b"Signature: 8a477f597d28d172789f06886806bc55\n"
       b"# This file is a cache directory tag created by briefkit: its chart store, safe to delete.\n"
       b"# For information about cache directory tags, see https://bford.info/cachedir/\n")
_MAGIC = b"briefkit-cache 1\n"  # the first line of every entry the store writes
_KEY = re.compile(r"^[0-9a-f]{64}(\.[a-z0-9]{1,8})?$")  # a content hash, and the format it holds
_STALE_TMP_NS = 3600 * 10**9  # a temporary file this old belongs to a build that was killed
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


# The largest input file worth reading for a key: no file a fact base or theme may hold is larger (a reader
# refuses it), so past this a file stands in a key by its size and change time, never read whole.
MAX_KEYED_BYTES = 64_000_000


def file_digest(path: Path) -> str:
    return safefile.file_digest(path, MAX_KEYED_BYTES)


def folder_digest(folder: Path | None) -> str:
    """Every regular file under `folder`, by relative name and content (no time stamps: a copied folder is the
    same); links out of the folder, pipes and devices are not read (`safefile.regular_files`)."""
    return safefile.tree_digest(folder, MAX_KEYED_BYTES)


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
        if not _KEY.match(key) or not kind.isidentifier():
            raise ValueError(f"not a store key: {kind}/{key}")
        return self.root / kind / key

    def owned(self) -> bool:
        """The folder carries briefkit's tag: written by the store, so its entries may be replaced and pruned."""
        assert self.root is not None
        try:
            return (self.root / TAG_NAME).read_bytes()[:len(TAG)] == TAG
        except OSError:
            return False

    def _claim(self) -> bool:
        """Make the store's folder and tag it, or say the folder is not ours (then the store keeps nothing)."""
        assert self.root is not None
        if self.owned():
            return True
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            if any(self.root.iterdir()):
                return False  # a folder of this name that someone else filled: leave it alone
            (self.root / TAG_NAME).write_bytes(TAG)
        except OSError:
            return False
        return True

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
            if self.owned():
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
        if not self._claim():
            return
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
        """Delete the least recently used entries until the store is under `max_bytes`. Only the store's own
        entries count and go: files named by a key, starting with the store's first line, in a tagged folder;
        anything else there (another program's files, a folder the user put in) is never touched."""
        if self.root is None or not self.root.is_dir() or not self.owned():
            return
        entries = []
        now = time.time_ns()
        for kind in self.root.iterdir():
            if kind.is_symlink() or not kind.is_dir():
                continue
            for path in kind.iterdir():
                try:
                    st = path.lstat()
                except OSError:
                    continue
                if not stat.S_ISREG(st.st_mode):
                    continue
                if path.name.startswith(".tmp-") and now - st.st_mtime_ns > _STALE_TMP_NS:
                    entries.append((0, st.st_size, path))  # what a killed build left: first to go
                elif _KEY.match(path.name) and _starts_with_magic(path):
                    entries.append((st.st_mtime_ns, st.st_size, path))
        total = sum(size for _, size, _ in entries)
        for _, size, path in sorted(entries, key=lambda e: e[0]):
            if total <= max_bytes:
                break
            with contextlib.suppress(OSError):  # a store that cannot be pruned is only larger
                path.unlink(missing_ok=True)
            total -= size


def _starts_with_magic(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(len(_MAGIC)) == _MAGIC
    except OSError:
        return False


def _encode(parts: Mapping[str, bytes]) -> bytes:
    header = {name: [len(data), hashlib.sha256(data).hexdigest()] for name, data in parts.items()}
    body = b"".join(parts[name] for name in sorted(parts))
    return _MAGIC + json.dumps(header, sort_keys=True).encode() + b"\n" + body


def _decode(blob: bytes) -> dict[str, bytes] | None:
    if not blob.startswith(_MAGIC):
        return None
    head, sep, body = blob[len(_MAGIC):].partition(b"\n")
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
