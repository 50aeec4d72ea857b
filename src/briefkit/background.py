"""A second process for the slowest writer, so that a one-audience build keeps both cores busy.

The PDF (WeasyPrint) takes longer than the DOCX and PPTX writers together. The process is started before the
fact base is read and imports WeasyPrint while this one loads and composes; it then lays out the PDF while this
one writes the other formats. It only computes and sends bytes back: the build publishes them. It ignores Ctrl-C,
dies with its parent, and is stopped, not waited for, when the build does not need it (see `parallel`).
"""

from __future__ import annotations

import importlib
import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, TypeVar

from briefkit.parallel import _start_worker, _stop

T = TypeVar("T")


class Background:
    """One worker process, started at once and warmed up by importing `modules`."""

    def __init__(self, modules: tuple[str, ...]) -> None:
        # fork: the worker starts with every module this process has imported, and with no pickling of state.
        context = multiprocessing.get_context("fork")
        self._pool = ProcessPoolExecutor(1, mp_context=context, initializer=_warm, initargs=(os.getpid(), modules))
        self._pool.submit(int)  # start the process now, so the imports run while the build goes on
        self.used = False

    def submit(self, job: Callable[..., T], *args: Any) -> Future[T]:
        self.used = True
        return self._pool.submit(job, *args)

    def close(self) -> None:
        """Stop the worker without waiting for what it no longer needs to do (an unused warm-up import)."""
        _stop(self._pool)


def _warm(parent: int, modules: tuple[str, ...]) -> None:
    _start_worker(parent)
    for name in modules:
        importlib.import_module(name)


def cores() -> int:
    """Cores this process may run on (a container or `taskset` may allow fewer than the machine has)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def spare_cores() -> int:
    """How many more processes would each have a core to itself: cores this process may use, less the processes
    already wanting to run (the one-minute load average, this one included). A helper process on a machine
    without room only competes with the build it should speed up."""
    try:
        load = os.getloadavg()[0]
    except OSError:
        load = 0.0
    return sum(1 for extra in range(1, cores()) if load < cores() - (extra - 1))
