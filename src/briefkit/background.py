"""Processes beside this one for the slowest writers, so that a one-audience build keeps every core busy.

The PDF (WeasyPrint) takes longer than the DOCX and PPTX writers together. Its process is started before the
fact base is read and imports WeasyPrint while this one loads and composes; it then lays out the PDF while this
one writes the other formats. It only computes and sends bytes back: the build publishes them. It ignores Ctrl-C,
dies with its parent, and is stopped, not waited for, when the build does not need it (see `parallel`).

A job goes over a pipe, pickled and written by the `submit` call itself. Through a ProcessPoolExecutor it waited
for the executor's two threads to be scheduled while this process, holding the interpreter, imported matplotlib:
the PDF started 0.12 s after it was submitted, against 0.01 s now (measured).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from briefkit.parallel import Worker, cores, stop

T = TypeVar("T")


class Background:
    """One worker process (`parallel.Worker`), started at once and warmed up by importing `modules`; it runs the
    jobs it is sent in turn, and sends each one's result (or exception) back."""

    def __init__(self, modules: tuple[str, ...]) -> None:
        self._worker = Worker(modules)
        self._sent = 0
        self._results: list[tuple[bool, Any]] = []

    def submit(self, job: Callable[..., T], *args: Any) -> Pending[T]:
        """Send `job(*args)` to the worker; its result is collected by `Pending.result`."""
        self._worker.send(job, args)
        self._sent += 1
        return Pending(self, self._sent - 1)

    def _outcome(self, index: int) -> tuple[bool, Any]:
        while len(self._results) <= index:
            self._results.append(self._worker.receive())
        return self._results[index]

    def close(self) -> None:
        """Stop the worker without waiting for what it no longer needs to do (an unused warm-up import)."""
        stop([self._worker])


class Pending(Generic[T]):
    """A job sent to a `Background` worker."""

    def __init__(self, worker: Background, index: int) -> None:
        self._worker, self._index = worker, index

    def result(self) -> T:
        """The job's return value, waiting for it; the job's exception, raised here."""
        ok, value = self._worker._outcome(self._index)
        if not ok:
            raise value
        return value


def spare_cores() -> int:
    """How many more processes would each have a core to itself: cores this process may use, less the processes
    already wanting to run (the one-minute load average, this one included). A helper process on a machine
    without room only competes with the build it should speed up."""
    try:
        load = os.getloadavg()[0]
    except OSError:
        load = 0.0
    return sum(1 for extra in range(1, cores()) if load < cores() - (extra - 1))
