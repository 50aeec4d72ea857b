"""Putting finished files in place: atomically, under a lock, never leaving a half-written bundle.

A build writes into a temporary folder beside the target and swaps it in with renames only when every file
succeeded; an interrupted or failed build leaves the previous outputs untouched and removes its temporary
folder. A lock file stops two builds of the same output folder from interleaving.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import signal
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from briefkit.errors import BuildError, Problem, display_path

_STAGING_PREFIX = ".briefkit-staging-"
_OLD_PREFIX = ".briefkit-old-"


@dataclass(frozen=True)
class OutputFile:
    name: str
    format: str  # docx, pdf, pptx, eml, json
    data: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


@contextlib.contextmanager
def build_lock(out_root: Path, wait: bool = False) -> Iterator[None]:
    """Hold an exclusive lock on `out_root` for one build; a second build fails at once with a clear error."""
    out_root.mkdir(parents=True, exist_ok=True)
    lock_path = out_root / ".briefkit.lock"
    handle = lock_path.open("a+")
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            message = "another briefkit build is writing to this folder; wait for it to finish"
            raise BuildError(Problem(display_path(out_root), None, message)) from None
        yield
    finally:
        handle.close()


@contextlib.contextmanager
def _signals_as_interrupts() -> Iterator[None]:
    """SIGTERM behaves like Ctrl-C, so the same cleanup runs for both."""

    def raise_interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    try:
        previous = signal.signal(signal.SIGTERM, raise_interrupt)
    except ValueError:  # not the main thread: leave signals alone
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def clean_stale(out_root: Path) -> None:
    """Remove staging folders left by a build that was killed outright (SIGKILL cannot be caught)."""
    if not out_root.is_dir():
        return
    for child in out_root.iterdir():
        if child.name.startswith((_STAGING_PREFIX, _OLD_PREFIX)) and child.is_dir():
            shutil.rmtree(child, ignore_errors=True)


def publish(target: Path, files: list[OutputFile]) -> None:
    """Replace the folder `target` with exactly `files`, atomically with respect to failures and signals."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with _signals_as_interrupts():
        staging = Path(tempfile.mkdtemp(prefix=_STAGING_PREFIX, dir=target.parent))
        try:
            for f in files:
                path = staging / f.name
                with path.open("wb") as handle:
                    handle.write(f.data)
                    handle.flush()
                    os.fsync(handle.fileno())
            os.chmod(staging, 0o755)
            if target.exists():
                old = Path(tempfile.mkdtemp(prefix=_OLD_PREFIX, dir=target.parent))
                os.rename(target, old / "previous")
                try:
                    os.rename(staging, target)
                except BaseException:
                    os.rename(old / "previous", target)
                    raise
                shutil.rmtree(old, ignore_errors=True)
            else:
                os.rename(staging, target)
        finally:
            if staging.exists():
                shutil.rmtree(staging, ignore_errors=True)


def read_manifest(target: Path) -> dict[str, object] | None:
    try:
        return json.loads((target / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
