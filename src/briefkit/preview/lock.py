"""One preview per fact-base folder: a second one would rebuild the same things and serve a second page.

An exclusive `flock` on a file named after the folder's real path, in the user's runtime folder (never in the fact
base, which the preview watches). The holder writes its process id and address there, so a second preview can
say where the first one is. The lock goes with the process, however it ends."""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from briefkit.errors import BuildError, Problem, display_path


def _lock_path(folder: Path) -> Path:
    base = Path(os.environ.get("XDG_RUNTIME_DIR") or tempfile.gettempdir()) / f"briefkit-{os.getuid()}"
    base.mkdir(mode=0o700, parents=True, exist_ok=True)
    key = hashlib.sha256(str(folder.resolve()).encode()).hexdigest()[:20]
    return base / f"preview-{key}.lock"


@contextlib.contextmanager
def preview_lock(folder: Path) -> Iterator[Callable[[str], None]]:
    """Hold the folder's preview lock; yields a function to record the preview's address once it is known."""
    path = _lock_path(folder)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 300, 0).decode("utf-8", "replace").split()
            where = f" (process {holder[0]}, {holder[1]})" if len(holder) >= 2 else ""
            raise BuildError(Problem(display_path(folder), None, f"another briefkit preview{where} is already "
                                     "watching this fact base; open that one, or stop it with Ctrl-C first")) from None

        def note(url: str) -> None:
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()} {url}\n".encode(), 0)

        note("starting")
        try:
            yield note
        finally:
            os.ftruncate(fd, 0)
    finally:
        os.close(fd)
