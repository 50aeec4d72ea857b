"""Putting finished files in place: atomically, under a lock, never leaving a half-written bundle.

A build writes every audience's files into temporary folders beside the targets and swaps them in with renames
only when every file of every audience succeeded; a failed or interrupted build (an error, Ctrl-C, SIGTERM)
leaves the previous outputs untouched and removes its temporary folders. The renames run with SIGINT and
SIGTERM held back, so a signal cannot land between taking the old folder away and putting the new one in.
SIGKILL cannot be caught: the next build finds what it left (`clean_stale`) and puts the last good folder
back before removing the rest. A lock file stops two builds of one output folder from interleaving; the
second fails at once, naming the process that holds the lock.

Publishing replaces a target folder whole, so a folder briefkit did not make (no manifest.json of ours, or
files the manifest does not list) is refused rather than deleted.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import json
import os
import re
import shutil
import signal
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from briefkit.errors import BuildError, Problem, display_path

LOCK_NAME = ".briefkit.lock"
_STAGING_PREFIX = ".briefkit-staging-"
_OLD_PREFIX = ".briefkit-old-"
_FILE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_STOP_SIGNALS = {signal.SIGINT, signal.SIGTERM}
_stop_requests: list[int] = []  # signals received by this process; checked again right before publishing


@dataclass(frozen=True)
class OutputFile:
    name: str
    format: str  # docx, pdf, pptx, eml, json
    data: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


class PublishedInterrupt(KeyboardInterrupt):
    """Ctrl-C or SIGTERM arrived while the new outputs were being swapped in; they are complete and in place."""


def request_stop(signum: int) -> None:
    """Note that Ctrl-C or SIGTERM arrived. A signal handler also raises KeyboardInterrupt, but Python drops an
    exception raised inside a weakref callback or __del__, so publishing checks this note as well."""
    _stop_requests.append(signum)


def _check_stop() -> None:
    if _stop_requests:
        raise KeyboardInterrupt


def ensure_folder(folder: Path) -> None:
    """Make the output folder, or say in one line why it cannot be used."""
    where = display_path(folder)
    if folder.exists() and not folder.is_dir():
        raise BuildError(Problem(where, None, "is a file, not a folder; choose another --out"))
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BuildError(Problem(where, None, f"cannot create the output folder: {exc.strerror or exc}")) from None
    if not os.access(folder, os.W_OK | os.X_OK):
        reason = "the file system is read-only" if _read_only(folder) else "permission denied"
        raise BuildError(Problem(where, None, f"cannot write to the output folder ({reason})"))


@contextlib.contextmanager
def build_lock(out_root: Path) -> Iterator[None]:
    """Hold an exclusive lock on `out_root` for one build; a second build fails at once with a clear error.

    The lock file stays in the folder between builds: removing it would let a third build lock a fresh file
    while the second still holds the old one. It records the holder's process id for the error message."""
    ensure_folder(out_root)
    lock_path = out_root / LOCK_NAME
    try:
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise BuildError(Problem(display_path(lock_path), None, f"cannot create the lock file: {exc.strerror}")) \
            from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _lock_holder(fd)
            message = (f"another briefkit build{holder} is writing to this folder; wait for it to finish or "
                       "choose another --out")
            raise BuildError(Problem(display_path(out_root), None, message)) from None
        os.ftruncate(fd, 0)  # empty already, unless a build was killed holding it
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        try:
            yield
        finally:
            os.ftruncate(fd, 0)  # left empty: a process id found here is always the holder's
    finally:
        os.close(fd)


def _lock_holder(fd: int) -> str:
    """The holder's process id, for the message. It writes it just after taking the lock: a build that finds the
    lock taken and the file still empty looks again, for up to a tenth of a second."""
    for _ in range(20):
        text = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
        if text.isdigit():
            return f" (process {text})"
        time.sleep(0.005)
    return ""


@contextlib.contextmanager
def _signals_as_interrupts() -> Iterator[None]:
    """SIGTERM behaves like Ctrl-C, so the same cleanup runs for both."""

    def raise_interrupt(signum: int, frame: object) -> None:
        request_stop(signum)
        raise KeyboardInterrupt

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, raise_interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Hold back SIGINT and SIGTERM for a few renames. One that arrived meanwhile is delivered on leaving:
    after a completed swap as PublishedInterrupt (the outputs are new and whole), after a failed one as is."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, _STOP_SIGNALS)
    try:
        yield
    except BaseException:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
        raise
    try:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
    except KeyboardInterrupt:
        raise PublishedInterrupt from None


def clean_stale(out_root: Path) -> None:
    """Tidy up after a build that was killed outright (SIGKILL, power loss): remove its staging folders, and if
    it died between taking an old folder away and putting the new one in, put the old one back."""
    if not out_root.is_dir():
        return
    for child in sorted(out_root.iterdir()):
        if child.is_symlink() or not child.is_dir():
            continue
        if child.name.startswith(_OLD_PREFIX):
            for previous in child.iterdir():
                target = out_root / previous.name
                if not target.exists() and not target.is_symlink():
                    os.rename(previous, target)
            shutil.rmtree(child, ignore_errors=True)
        elif child.name.startswith(_STAGING_PREFIX):
            shutil.rmtree(child, ignore_errors=True)


def tidy_stale(out_root: Path) -> None:
    """`clean_stale` for a build with nothing to do: only if no other build holds the folder (its staging
    folders are in use), and without creating anything."""
    lock_path = out_root / LOCK_NAME
    if not lock_path.is_file():
        return
    try:
        fd = os.open(lock_path, os.O_RDWR)
    except OSError:
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        clean_stale(out_root)
    except OSError:  # locked by a running build, or not ours to tidy
        return
    finally:
        os.close(fd)


def _read_only(folder: Path) -> bool:
    try:
        return bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
    except OSError:
        return False


def check_target(target: Path, replace_edited: bool = False) -> None:
    """Publishing replaces `target` whole: it must be absent, empty, or a folder of briefkit's own outputs, none
    of them edited since briefkit wrote them (unless `replace_edited`): the manifest knows each file's sha256."""
    where = str(Path(display_path(target.parent)) / target.name)  # not resolved: a link is shown as the link
    if target.is_symlink():
        raise BuildError(Problem(where, None, "is a symbolic link; briefkit replaces this folder, so it must be a "
                                              "real folder (remove the link or choose another --out)"))
    if not target.exists():
        return
    if not target.is_dir():
        raise BuildError(Problem(where, None, "is a file where briefkit writes a folder; move it away or choose "
                                              "another --out"))
    entries = sorted(p.name for p in target.iterdir())
    if not entries:
        return
    manifest = read_manifest(target)
    files = manifest.get("files") if isinstance(manifest, dict) and "briefkit" in manifest else None
    if not isinstance(files, list):
        raise BuildError(Problem(where, None, "is not a briefkit output folder (no manifest.json of ours) and a "
                                              "build replaces it whole; move it away or choose another --out"))
    ours = {"manifest.json"} | {str(f.get("path")) for f in files if isinstance(f, dict)}
    foreign = [name for name in entries if name not in ours]
    if foreign:
        more = f" (and {len(foreign) - 1} more)" if len(foreign) > 1 else ""
        raise BuildError(Problem(display_path(target / foreign[0]), None,
                                 f"was not made by briefkit{more}, and a build replaces {where} whole; move it "
                                 "away first"))
    edited = [] if replace_edited else edited_files(target, files)
    if edited:
        more = f" (and {len(edited) - 1} more)" if len(edited) > 1 else ""
        raise BuildError(Problem(display_path(edited[0]), None,
                                 f"was edited since briefkit wrote it{more}; move it away to keep it, or build with "
                                 "--replace-edited to replace it"))


def edited_files(target: Path, files: list[object]) -> list[Path]:
    """The files the manifest lists whose bytes are no longer the ones briefkit wrote (the manifest file itself
    is briefkit's record, not an output). Sizes first: an edit that changes the size costs no reading."""
    edited = []
    for entry in files:
        if not isinstance(entry, dict) or not _FILE_NAME.match(str(entry.get("path", ""))):
            continue
        path = target / str(entry["path"])
        try:
            st = path.lstat()
        except OSError:
            continue  # deleted: nothing of the user's to lose
        if st.st_size != entry.get("bytes") or _sha256(path) != entry.get("sha256"):
            edited.append(path)
    return edited


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def publish(target: Path, files: list[OutputFile], replace_edited: bool = False) -> None:
    """Replace the folder `target` with exactly `files`, atomically with respect to failures and signals."""
    publish_all([(target, files)], replace_edited)


def publish_all(bundles: list[tuple[Path, list[OutputFile]]], replace_edited: bool = False) -> None:
    """Replace each target folder with its files: all of them, or (on any failure or signal) none."""
    with _signals_as_interrupts():
        _check_stop()
        for target, files in bundles:
            check_target(target, replace_edited)
            bad = [f.name for f in files if not _FILE_NAME.match(f.name)]
            if bad:
                raise BuildError(Problem(display_path(target), None, f"refusing the output file name {bad[0]!r}"))
            target.parent.mkdir(parents=True, exist_ok=True)
        staged: list[tuple[Path, Path]] = []
        try:
            for target, files in bundles:
                staged.append((target, _stage(target, files)))
            _swap_in(staged)
        finally:
            for _target, staging in staged:
                if staging.exists():
                    shutil.rmtree(staging, ignore_errors=True)


def _stage(target: Path, files: list[OutputFile]) -> Path:
    """The files written into a new folder beside `target`; a full disk or any other system error is one line
    naming the folder, and the half-written folder is removed."""
    try:
        staging = Path(tempfile.mkdtemp(prefix=_STAGING_PREFIX, dir=target.parent))
    except OSError as exc:
        raise _write_error(target.parent, exc) from None
    try:
        for f in files:
            with (staging / f.name).open("wb") as handle:
                handle.write(f.data)
                handle.flush()
                os.fsync(handle.fileno())
        os.chmod(staging, 0o755)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise _write_error(target.parent, exc) from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return staging


def _write_error(folder: Path, exc: OSError) -> BuildError:
    reason = {errno.ENOSPC: "the disk is full", errno.EDQUOT: "the disk quota is used up",
              errno.EROFS: "the file system is read-only"}.get(exc.errno or 0, exc.strerror or str(exc))
    return BuildError(Problem(display_path(folder), None, f"cannot write the outputs: {reason}; the previous "
                                                          "outputs are untouched"))


def _swap_in(staged: list[tuple[Path, Path]]) -> None:
    """Rename each staging folder onto its target, keeping the old folder aside until all are in place.

    The old folder waits in `.briefkit-old-*/<target name>`, which is what `clean_stale` looks for."""
    swapped: list[tuple[Path, Path | None]] = []
    with _signals_held():
        try:
            _check_stop()  # a signal before this point stops the build; after it, it waits for the swap
            for target, staging in staged:
                previous = None
                if target.exists():
                    previous = Path(tempfile.mkdtemp(prefix=_OLD_PREFIX, dir=target.parent)) / target.name
                    os.rename(target, previous)
                try:
                    os.rename(staging, target)
                except BaseException:
                    if previous is not None:
                        os.rename(previous, target)
                    raise
                swapped.append((target, previous))
        except BaseException:
            for target, previous in reversed(swapped):
                discard = Path(tempfile.mkdtemp(prefix=_STAGING_PREFIX, dir=target.parent)) / target.name
                os.rename(target, discard)
                if previous is not None:
                    os.rename(previous, target)
                    shutil.rmtree(previous.parent, ignore_errors=True)
                shutil.rmtree(discard.parent, ignore_errors=True)
            raise
        for _target, previous in swapped:
            if previous is not None:
                shutil.rmtree(previous.parent, ignore_errors=True)


def read_manifest(target: Path) -> dict[str, object] | None:
    try:
        data = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None
