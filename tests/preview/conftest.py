"""A preview run as a user runs it: `briefkit preview` in its own process, its terminal read line by line."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

STARTUP_SECONDS = 60.0


class RunningPreview:
    def __init__(self, facts: Path, cwd: Path, *extra: str) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "briefkit.cli", "preview", "--facts", str(facts), "--out", str(cwd / "out"),
             *extra], cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=os.environ.copy())
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()
        self.url = ""

    def _read(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            self.lines.put(line.rstrip("\n"))

    def wait_for_line(self, needle: str, timeout: float) -> str:
        """The first terminal line (from now, or already seen) containing `needle`; fails after `timeout`."""
        for line in self.seen:
            if needle in line:
                return line
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            try:
                line = self.lines.get(timeout=max(0.05, end - time.monotonic()))
            except queue.Empty:
                break
            self.seen.append(line)
            if needle in line:
                return line
        raise AssertionError(f"no line with {needle!r} in {timeout:g} s; terminal so far:\n" + "\n".join(self.seen))

    def start(self) -> RunningPreview:
        line = self.wait_for_line("briefkit preview: http://", STARTUP_SECONDS)
        self.url = line.split()[2]
        return self

    def stop(self) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        return self.proc.returncode


@pytest.fixture
def preview_of(tmp_path: Path) -> Iterator[object]:
    """Start previews (stopped with Ctrl-C at the end of the test, whatever happens)."""
    started: list[RunningPreview] = []

    def start(facts: Path, *extra: str) -> RunningPreview:
        p = RunningPreview(facts, tmp_path, *extra)
        started.append(p)
        return p

    yield start
    for p in started:
        p.stop()
