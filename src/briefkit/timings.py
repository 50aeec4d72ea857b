"""Seconds per stage of a build, for `--timings` and the benchmarks."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

T = TypeVar("T")


@dataclass
class Timings:
    """Seconds per stage, in the order the stages ran."""

    stages: dict[str, float] = field(default_factory=dict)

    def run(self, name: str, job: Callable[[], T]) -> T:
        start = time.perf_counter()
        try:
            return job()
        finally:
            self.stages[name] = self.stages.get(name, 0.0) + time.perf_counter() - start
