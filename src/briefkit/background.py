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

import importlib
import multiprocessing
import os
import signal
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any, Generic, TypeVar

from briefkit.errors import BuildError, Problem
from briefkit.parallel import _start_worker

T = TypeVar("T")


class Background:
    """One worker process, started at once and warmed up by importing `modules`; it runs the jobs it is sent in
    turn, and sends each one's result (or exception) back."""

    def __init__(self, modules: tuple[str, ...]) -> None:
        # fork: the worker starts with every module this process has imported, and with no pickling of state.
        context = multiprocessing.get_context("fork")
        self._conn, theirs = context.Pipe()
        self._process = context.Process(target=_serve, args=(theirs, os.getpid(), modules), daemon=True)
        self._process.start()
        theirs.close()
        self._sent = 0
        self._results: list[tuple[bool, Any]] = []

    def submit(self, job: Callable[..., T], *args: Any) -> Pending[T]:
        """Send `job(*args)` to the worker; its result is collected by `Pending.result`."""
        try:
            self._conn.send((job, args))
        except (BrokenPipeError, ConnectionResetError):
            raise self._stopped() from None
        self._sent += 1
        return Pending(self, self._sent - 1)

    def _outcome(self, index: int) -> tuple[bool, Any]:
        while len(self._results) <= index:
            try:
                self._results.append(self._conn.recv())
            except (EOFError, ConnectionResetError):
                raise self._stopped() from None
        return self._results[index]

    def _stopped(self) -> BuildError:
        """The worker is gone, killed from outside (the kernel's out-of-memory killer, a `kill`): one line."""
        self._process.join(timeout=5)
        code = self._process.exitcode
        if code is not None and code < 0:
            how = f"was stopped by signal {-code} ({signal.Signals(-code).name})"
        else:
            how = "stopped" if code is None else f"exited with code {code}"
        return BuildError(Problem("briefkit", None, f"a process of this build {how} before finishing; nothing was "
                                                    "published: run the build again"))

    def close(self) -> None:
        """Stop the worker without waiting for what it no longer needs to do (an unused warm-up import)."""
        if self._process.is_alive():
            self._process.terminate()  # it unwinds (see parallel._start_worker), so its temporary files go
        self._process.join(timeout=10)
        self._conn.close()


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


def _serve(conn: Connection, parent: int, modules: tuple[str, ...]) -> None:
    _start_worker(parent)
    for name in modules:
        importlib.import_module(name)
    while True:
        try:
            job, args = conn.recv()
        except EOFError:  # the build closed its end: nothing more to do
            return
        try:
            outcome: tuple[bool, Any] = (True, job(*args))
        except Exception as exc:  # sent back, raised in the build's process
            outcome = (False, exc)
        try:
            conn.send(outcome)
        except Exception as exc:  # an exception that cannot be pickled: its words at least
            conn.send((False, RuntimeError(f"{type(exc).__name__}: {exc}")))


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
