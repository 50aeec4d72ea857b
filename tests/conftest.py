"""Shared test helpers: running the real CLI, and copies of the example fact base to break."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "minimal"
SEEDS = ROOT / "seeds"
sys.path.insert(0, str(Path(__file__).parent))


# Fixtures of the shared conftests that run a whole build: a test that uses one (even through another fixture) is
# in the slow tier. Tests with a build fixture of their own module carry `@pytest.mark.slow` or `pytestmark`.
BUILDING_FIXTURES = frozenset({"previous", "plain_out", "plain_again_out", "meeting_out", "bundles"})


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """`make test-fast` (-m "not slow") is the edit loop: no test that waits for a full build."""
    for item in items:
        if BUILDING_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


@dataclass
class Run:
    code: int
    out: str
    err: str


def run_cli(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None, timeout: int = 300) -> Run:
    """Run `briefkit ARGS` as a user would, in a fresh process."""
    full_env = {**os.environ, **(env or {})}
    proc = subprocess.run(
        [sys.executable, "-m", "briefkit.cli", *args], cwd=cwd or ROOT, env=full_env, capture_output=True,
        text=True, timeout=timeout,
    )
    return Run(proc.returncode, proc.stdout, proc.stderr)


@pytest.fixture
def example(tmp_path: Path) -> Path:
    """A private copy of the example fact base, safe to break."""
    dest = tmp_path / "facts"
    shutil.copytree(EXAMPLE, dest)
    return dest


def line_with(path: Path, needle: str) -> int:
    """The 1-based line of the first line containing `needle`."""
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return n
    raise AssertionError(f"{needle!r} not in {path}")


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
