"""Reading the files of a user's folder as untrusted input: regular files only, inside their folder, size-capped.

Why one module: a fact base or theme folder may hold a link to a system file, a named pipe (reading it waits
forever), a device, or a file of gigabytes. Every read of such a folder goes through here, so that each of those
is refused with one located line, or passed over, the same way everywhere.
"""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

from briefkit.errors import BriefkitError, Problem, display_path

MAX_FILES = 10_000  # files under one input folder; a fact base of 100 times the built-in one has a few hundred
_CHUNK = 1 << 20

_KINDS = {stat.S_IFIFO: "a named pipe", stat.S_IFCHR: "a device", stat.S_IFBLK: "a device",
          stat.S_IFSOCK: "a socket", stat.S_IFDIR: "a folder"}


def kind_of(mode: int) -> str:
    return _KINDS.get(stat.S_IFMT(mode), "not a regular file")


def read_limited(path: Path, limit: int, error: type[BriefkitError], inside: Path | None = None) -> bytes:
    """The bytes of `path`, refused with one located line when it links out of `inside`, is not a regular file,
    or holds more than `limit` bytes. The file is opened without blocking and checked before anything is read,
    so a named pipe or a device cannot hang the build."""
    shown = display_path(path)
    if inside is not None and not path.resolve().is_relative_to(inside.resolve()):
        raise error(Problem(shown, None, f"links to a file outside {display_path(inside)}; copy the file in instead"))
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        raise error(Problem(shown, None, f"cannot read file: {exc.strerror or exc}")) from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise error(Problem(shown, None, f"is {kind_of(st.st_mode)}, not a file briefkit can read; remove it"))
        if st.st_size > limit:
            raise error(Problem(shown, None, f"file is {st.st_size:,} bytes; the limit is {limit:,}"))
        chunks, total = [], 0
        while total <= limit:
            chunk = os.read(fd, min(_CHUNK, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
    except OSError as exc:
        raise error(Problem(shown, None, f"cannot read file: {exc.strerror or exc}")) from None
    finally:
        os.close(fd)
    if total > limit:  # grew while being read
        raise error(Problem(shown, None, f"file is over {limit:,} bytes"))
    return b"".join(chunks)


def regular_files(folder: Path) -> list[Path]:
    """The regular files under `folder`, sorted, without following links: a link counts only when it points to a
    regular file inside `folder`. Named pipes, devices and sockets are passed over (the reader that wants one by
    name refuses it with a message). At most MAX_FILES, past which the folder is not one briefkit should walk."""
    root = folder.resolve()
    found: list[Path] = []
    for here, dirs, files in os.walk(folder, followlinks=False):
        dirs.sort()
        for name in sorted(files) + [d for d in dirs if os.path.islink(os.path.join(here, d))]:
            path = Path(here, name)
            try:
                st = path.stat() if not path.is_symlink() else _linked(path, root)
            except OSError:
                continue
            if st is not None and stat.S_ISREG(st.st_mode):
                found.append(path)
                if len(found) > MAX_FILES:
                    raise BriefkitError(Problem(display_path(folder), None,
                                                f"holds more than {MAX_FILES:,} files; is this the right folder?"))
    return sorted(found)


def _linked(path: Path, root: Path) -> os.stat_result | None:
    target = path.resolve()
    return target.stat() if target.is_relative_to(root) else None


def file_digest(path: Path, limit: int) -> str:
    """sha256 of a file read in chunks; past `limit` bytes, of its size and change time instead (a reader refuses
    such a file anyway, and reading gigabytes for a key is what made a stray file cost a no-op build seconds)."""
    h = hashlib.sha256()
    try:
        st = path.stat()
        if st.st_size > limit:
            h.update(f"large {st.st_size} {st.st_mtime_ns} {st.st_ino}".encode())
            return h.hexdigest()
        with path.open("rb") as handle:
            while chunk := handle.read(_CHUNK):
                h.update(chunk)
    except OSError as exc:
        h.update(f"unreadable {exc.errno}".encode())
    return h.hexdigest()


def tree_digest(folder: Path | None, limit: int) -> str:
    """Every regular file under `folder`, by relative name and content (no time stamps: a copied folder is the
    same), read as `regular_files` and `file_digest` allow."""
    h = hashlib.sha256()
    if folder is not None and folder.is_dir():
        for path in regular_files(folder):
            h.update(str(path.relative_to(folder)).encode() + b"\0" + file_digest(path, limit).encode() + b"\0")
    return h.hexdigest()
