"""A full disk and a read-only file system, on a small tmpfs mounted for the test: one line, exit 1, nothing
left behind, the previous outputs untouched. Mounting needs root (CI and the developers' machines run as root);
elsewhere the tests skip and say why."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import EXAMPLE, run_cli
from tests.robustness.conftest import EPOCH, FAST, assert_user_error, leftovers, snapshot

pytestmark = pytest.mark.slow  # full builds on a small file system: `make test-fast` leaves it out


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    mount = tmp_path / "disk"
    mount.mkdir()
    try:
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=400k", "tmpfs", str(mount)], capture_output=True,
                              text=True, timeout=30)
    except OSError as exc:
        pytest.skip(f"cannot mount a tmpfs here ({exc}); the disk-full test needs root")
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({done.stderr.strip()}); the disk-full test needs root")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True, timeout=30)


def test_a_full_disk_is_one_line_and_leaves_nothing_behind(small_disk: Path, previous: Path) -> None:
    out = small_disk / "out"
    shutil.copytree(previous / "executive", out / "executive")  # about 200 KB: the new files will not fit beside
    before = snapshot(out)
    r = run_cli("build", "--facts", str(EXAMPLE), *FAST, "--out", str(out), "--as-of", "2099", cwd=small_disk,
                env=EPOCH)
    assert_user_error(r, "out", "cannot write the outputs: the disk is full; the previous outputs are untouched")
    assert snapshot(out) == before
    assert leftovers(out) == []


def test_a_read_only_file_system_is_named_as_such(small_disk: Path) -> None:
    out = small_disk / "out"
    out.mkdir()
    done = subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], capture_output=True, text=True, timeout=30)
    if done.returncode != 0:
        pytest.skip(f"cannot remount the tmpfs read-only ({done.stderr.strip()})")
    r = run_cli("build", "--facts", str(EXAMPLE), *FAST, "--out", str(out), cwd=small_disk, env=EPOCH)
    assert_user_error(r, "out", "cannot write to the output folder (the file system is read-only)")
    r = run_cli("build", "--facts", str(EXAMPLE), *FAST, "--out", str(out / "new"), cwd=small_disk, env=EPOCH)
    assert_user_error(r, "out/new", "cannot create the output folder: Read-only file system")
