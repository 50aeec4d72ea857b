"""Worker processes for building several audiences at once, which never outlive the build that started them.

Workers only compute; the parent publishes, so an interrupted build publishes nothing. A worker ignores
Ctrl-C (a terminal sends it to the whole process group; the parent decides what happens), is terminated
when the parent stops early, and on Linux dies with its parent: a build killed with SIGKILL leaves no
orphan behind holding the output folder's lock.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import os
import signal
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")
_PR_SET_PDEATHSIG = 1


def run_parallel(job: Callable[..., T], calls: Sequence[tuple[Any, ...]], workers: int,
                 done: Callable[[T], None] | None = None) -> list[T]:
    """`[job(*args) for args in calls]`, computed in `workers` processes; the first error stops them all."""
    pool = ProcessPoolExecutor(max_workers=workers, initializer=_start_worker, initargs=(os.getpid(),))
    try:
        futures = [pool.submit(job, *args) for args in calls]
        results = []
        for future in futures:
            results.append(future.result())
            if done is not None:
                done(results[-1])
    except BaseException:
        _stop(pool)
        raise
    pool.shutdown(wait=True)
    return results


def _stop(pool: ProcessPoolExecutor) -> None:
    """Cancel what has not started and end what has: a failed or interrupted build must not keep working.

    The executor's manager thread is joined and forgotten too: else Python's exit hook tries to wake it through
    a pipe that is already closed, and prints an OSError traceback (CPython 3.11)."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        with contextlib.suppress(OSError):
            process.terminate()
    for process in processes:
        process.join(timeout=10)
    manager = getattr(pool, "_executor_manager_thread", None)
    if manager is not None:
        manager.join(timeout=10)
        if not manager.is_alive():  # nothing left for the exit hook to wake (its pipe may already be closed)
            from concurrent.futures import process as futures_process

            getattr(futures_process, "_threads_wakeups", {}).pop(manager, None)


def _start_worker(parent: int) -> None:
    # Ctrl-C is the parent's to act on. A no-op handler, not SIG_IGN: an ignored signal stays ignored in the
    # programs a worker runs (ctypes runs gcc to find a library), and those must still stop at Ctrl-C.
    signal.signal(signal.SIGINT, _leave_to_parent)
    # Terminated, a worker unwinds rather than vanishing, so that the temporary files of whatever it was doing
    # (a library's NamedTemporaryFile, WeasyPrint's font folder) are removed by their own cleanup code.
    signal.signal(signal.SIGTERM, _exit_cleanly)
    logging.getLogger("concurrent.futures").disabled = True  # it would print that exit as a traceback
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before the line above took effect
        os._exit(1)


def _exit_cleanly(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


def _leave_to_parent(signum: int, frame: object) -> None:
    """Ctrl-C reaches the whole process group; the parent stops the build and then the workers."""
