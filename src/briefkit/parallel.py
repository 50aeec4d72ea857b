"""Worker processes that always answer: they compute while the build runs, and never outlive or outwait it.

A `Worker` is one process with a pipe of its own; it runs the jobs it is sent, one at a time, and sends back
each result or exception. Nothing is shared between workers: no queue, no lock, no feeder thread, so a worker
killed in the middle of a message can only spoil its own pipe, which the build then throws away. The build
waits on the pipes and the processes' sentinels together (`multiprocessing.connection.wait`), a wait that
Ctrl-C and SIGTERM interrupt; `stop` ends workers within `GRACE` seconds whatever state they are in (SIGTERM,
then SIGKILL, which also ends a process stopped with SIGSTOP). Decision 50 says why not `concurrent.futures`.

A worker leaves Ctrl-C to the build (a terminal sends it to the whole process group); unwinds on SIGTERM, so
its temporary files go, and dies by SIGALRM if unwinding takes longer than `GRACE`; and ends when the build's
process ends, however that ends (`_die_with_parent`). Workers start under any start method: `fork` by default
on Linux, BRIEFKIT_START_METHOD to choose (`start_method`).
"""

from __future__ import annotations

import contextlib
import ctypes
import importlib
import multiprocessing
import os
import signal
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterator, Sequence
from multiprocessing.connection import Connection, wait
from multiprocessing.context import BaseContext
from typing import Any, TypeVar

from briefkit.errors import BuildError, Problem, UsageError

T = TypeVar("T")
START_METHOD_ENV = "BRIEFKIT_START_METHOD"
GRACE = 0.5  # seconds a stopped worker has to unwind (remove its temporary files) before it is killed
_STOP_SIGNALS = {signal.SIGINT, signal.SIGTERM}
_PR_SET_PDEATHSIG = 1


def start_method() -> str:
    """How worker processes start. BRIEFKIT_START_METHOD (fork, forkserver or spawn) when set; else `fork` on
    Linux, where a worker then starts with every module the build has imported and nothing to unpickle (the
    build forks only while it runs one thread: no lock can be copied held); elsewhere the platform's default
    (macOS: spawn, as fork is unsafe with its system libraries)."""
    chosen = os.environ.get(START_METHOD_ENV, "").strip()
    methods = multiprocessing.get_all_start_methods()
    if chosen:
        if chosen not in methods:
            raise UsageError(Problem(START_METHOD_ENV, None, f"{chosen!r} is not a start method here; choose "
                                                             f"from {', '.join(methods)}"))
        return chosen
    if sys.platform.startswith("linux") and "fork" in methods:
        # A process running threads (a program embedding briefkit) is not forked: a lock another thread holds
        # would be copied held (Python 3.14 made forkserver the default for that reason).
        return "fork" if threading.active_count() == 1 else "forkserver"
    return multiprocessing.get_start_method()


def context() -> BaseContext:
    ctx = multiprocessing.get_context(start_method())
    if ctx.get_start_method() == "forkserver":
        # The server is started (once) while the build holds Ctrl-C back (`Worker`): let it start bare rather
        # than import the command line first. Each worker imports what its jobs need.
        ctx.set_forkserver_preload([])
    return ctx


def cores() -> int:
    """Cores this process may run on (a container or `taskset` may allow fewer than the machine has)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


class Worker:
    """One process that imports `warm` while it waits, then runs the jobs it is sent, one at a time."""

    def __init__(self, warm: tuple[str, ...] = (), ctx: BaseContext | None = None) -> None:
        ctx = ctx or context()
        self.connection, theirs = ctx.Pipe()
        # typeshed declares Process on each start method's context, not on BaseContext, which get_context returns.
        process = ctx.Process(target=_serve, args=(theirs, warm, ctx.get_start_method() != "forkserver"),  # type: ignore[attr-defined]
                              daemon=True, name="briefkit-worker")
        # Held back while the process starts: a worker inherits the blocked signals and takes them once its own
        # handlers are in place, so Ctrl-C never meets one half-started (a traceback from its start-up).
        with signals_blocked():
            process.start()
        self.process = process
        theirs.close()

    @property
    def sentinel(self) -> int:
        return self.process.sentinel

    def send(self, job: Callable[..., Any], args: tuple[Any, ...]) -> None:
        try:
            self.connection.send((job, args))
        except OSError:  # the pipe is closed: the worker is gone
            raise self.gone() from None

    def receive(self) -> tuple[bool, Any]:
        """(True, result) or (False, exception) of the job sent last, waiting for it."""
        try:
            ok, value, remote = self.connection.recv()
        except (EOFError, OSError):  # ended, or died in the middle of its answer
            raise self.gone() from None
        if not ok and remote:
            value.__cause__ = RemoteTraceback(remote)
        return ok, value

    def gone(self) -> BuildError:
        """The worker ended without answering, killed from outside (the kernel's out-of-memory killer, a `kill`)."""
        self.process.join(timeout=GRACE)
        code = self.process.exitcode
        if code is not None and code > 128 and code - 128 in _STOP_SIGNALS:  # unwound on SIGTERM (`_exit_cleanly`)
            code = 128 - code
        if code is not None and code < 0:
            how = f"was stopped by signal {-code} ({signal.Signals(-code).name})"
        else:
            how = "stopped" if code is None else f"exited with code {code}"
        return BuildError(Problem("briefkit", None, f"a process of this build {how} before finishing; nothing was "
                                                    "published: run the build again"))


class RemoteTraceback(Exception):
    """Where a job failed in its worker, for the crash log of a bug."""

    def __str__(self) -> str:
        return f"\n\nin the worker process:\n{self.args[0]}"


def stop(workers: Sequence[Worker], grace: float = GRACE) -> None:
    """End `workers` within about twice `grace`, whatever they are doing (see `end_processes`)."""
    with signals_blocked():
        end_processes([w.process for w in workers], grace)
        for worker in workers:
            worker.connection.close()


def end_processes(processes: Sequence[multiprocessing.process.BaseProcess], grace: float = GRACE) -> None:
    """SIGTERM (each unwinds, removing its temporary files), then after `grace` seconds SIGKILL for any still
    there, a stopped (SIGSTOP) or wedged one included; each is reaped."""
    with signals_blocked():
        for process in processes:
            process.terminate()  # a no-op for one that has ended
        deadline = time.monotonic() + grace
        while (running := [p.sentinel for p in processes if p.exitcode is None]) \
                and (left := deadline - time.monotonic()) > 0:
            wait(running, timeout=left)
        for process in processes:
            if process.exitcode is None:
                process.kill()
        for process in processes:
            # SIGKILL cannot be held off: only a process stuck in the kernel (a dead network disk) would still be
            # there, and it is not waited for.
            process.join(timeout=grace)


def end_children() -> None:
    """End every worker this process still has: the last step of an interrupted command, whatever the state of
    the code that started them (an interrupt can land between starting a process and keeping hold of it)."""
    if "multiprocessing" in sys.modules:
        end_processes(multiprocessing.active_children())


def run_parallel(job: Callable[..., T], calls: Sequence[tuple[Any, ...]], workers: int,
                 done: Callable[[T], None] | None = None) -> list[T]:
    """`[job(*args) for args in calls]`, computed in up to `workers` processes. Like the loop, it raises the
    error of the first call (in order) that fails: later calls are stopped then, earlier ones finished first.
    `done` sees each result in order."""
    pool: list[Worker] = []
    try:
        pool.extend(Worker() for _ in range(max(1, min(workers, len(calls)))))
        return _schedule(job, calls, pool, done)
    finally:
        stop(pool)


def _schedule(job: Callable[..., T], calls: Sequence[tuple[Any, ...]], pool: list[Worker],
              done: Callable[[T], None] | None) -> list[T]:
    todo = list(range(len(calls)))
    running: dict[Worker, int] = {}
    results: dict[int, T] = {}
    failed: tuple[int, BaseException] | None = None
    reported = 0

    def give(worker: Worker) -> None:
        if todo:
            running[worker] = todo.pop(0)
            worker.send(job, calls[running[worker]])

    for worker in pool:
        give(worker)
    while running:
        ready = set(wait([w.connection for w in running] + [w.sentinel for w in running]))
        for worker in [w for w in running if w.connection in ready or w.sentinel in ready]:
            index = running.pop(worker)
            ok, value = worker.receive()
            if ok:
                results[index] = value
                give(worker)
                continue
            failed = (index, value) if failed is None or index < failed[0] else failed
            todo[:] = [i for i in todo if i < index]  # what comes after a failed call is not needed
            later = [w for w, i in running.items() if i > index]
            for w in later:
                del running[w]
            stop(later)
            give(worker)
        while done is not None and reported in results and (failed is None or reported < failed[0]):
            done(results[reported])
            reported += 1
    if failed is not None:
        raise failed[1]
    return [results[i] for i in range(len(calls))]


@contextlib.contextmanager
def signals_blocked() -> Iterator[None]:
    """Hold SIGINT and SIGTERM back for a moment that must not be cut (starting or stopping a process); one that
    arrives meanwhile is delivered on leaving."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, _STOP_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _serve(conn: Connection, warm: tuple[str, ...], direct_child: bool) -> None:
    _become_worker(direct_child)
    for name in warm:
        importlib.import_module(name)
    while True:
        try:
            job, args = conn.recv()
        except EOFError:  # the build closed its end: nothing more to do
            return
        try:
            outcome: tuple[bool, Any, str | None] = (True, job(*args), None)
        except Exception as exc:  # sent back, raised in the build's process; SystemExit ends the worker
            outcome = (False, exc, traceback.format_exc())
        try:
            conn.send(outcome)
        except Exception as exc:  # an exception or result that cannot be pickled: its words at least
            conn.send((False, RuntimeError(f"{type(exc).__name__}: {exc}"), traceback.format_exc()))


def _become_worker(direct_child: bool) -> None:
    # Ctrl-C is the build's to act on. A no-op handler, not SIG_IGN: an ignored signal stays ignored in the
    # programs a worker runs (ctypes runs gcc to find a library), and those must still stop at Ctrl-C.
    signal.signal(signal.SIGINT, _leave_to_parent)
    # Terminated, a worker unwinds rather than vanishing, so that the temporary files of whatever it was doing
    # (a library's NamedTemporaryFile, WeasyPrint's font folder) are removed by their own cleanup code.
    signal.signal(signal.SIGTERM, _exit_cleanly)
    signal.signal(signal.SIGALRM, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOP_SIGNALS)  # held back by the build while starting this one
    _die_with_parent(direct_child)


def _die_with_parent(direct_child: bool) -> None:
    """End when the build's process ends, even by SIGKILL: else a worker would go on working for nobody (and
    hold memory). On Linux the kernel sends SIGTERM when the parent dies (PR_SET_PDEATHSIG); everywhere, a thread
    waits on the sentinel multiprocessing gives each child of its parent, which ends when the parent does. That
    thread is what works under forkserver, whose workers are the server's children, not the build's."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    parent = multiprocessing.parent_process()
    if parent is None:
        return
    if not parent.is_alive() or (direct_child and os.getppid() != parent.pid):  # died before the lines above
        raise SystemExit(1)
    threading.Thread(target=_end_with, args=(parent,), name="briefkit-parent-watch", daemon=True).start()


def _end_with(parent: multiprocessing.process.BaseProcess) -> None:
    parent.join()
    os.kill(os.getpid(), signal.SIGTERM)


def _exit_cleanly(signum: int, frame: object) -> None:
    # Unwinding has GRACE seconds; SIGALRM's default action ends the process if it takes longer (or if a library
    # swallows the SystemExit). A second SIGTERM does not put that moment off.
    if signal.getitimer(signal.ITIMER_REAL)[0] == 0:
        signal.setitimer(signal.ITIMER_REAL, GRACE)
    raise SystemExit(128 + signum)


def _leave_to_parent(signum: int, frame: object) -> None:
    """Ctrl-C reaches the whole process group; the build stops the build and then the workers."""
