"""Builds stopped part-way (Ctrl-C, SIGTERM, SIGKILL) and builds that collide: the last good outputs survive.

The promise: an output folder holds either the previous build or the new one, each whole; no temporary folder
is left behind, except after SIGKILL, which nothing can catch: then the next build tidies up (and puts the old
folder back if the kill fell between taking it away and putting the new one in). A second build of the same
folder fails at once with the lock message rather than waiting or interleaving.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import signal
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from briefkit.paths import builtin_seeds
from conftest import EXAMPLE, run_cli
from tests.robustness.conftest import (
    AUDIENCE,
    EPOCH,
    FAST,
    assert_user_error,
    briefkit_processes,
    leftovers,
    snapshot,
    start_build,
)

pytestmark = pytest.mark.slow  # interrupts real builds: `make test-fast` leaves it out

NEW = ("--to", "someone.new@example.org")  # changes the email and the manifest: a finished build is visible
TWO = ("--audience", f"{AUDIENCE},analyst", "--no-limits", "--jobs", "2")


def _finish(build: subprocess.Popen[str], timeout: float) -> tuple[str, str]:
    """The build's output; a build still running after `timeout` is a hang: killed (no orphan) and reported."""
    try:
        return build.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(build.pid, signal.SIGKILL)
        build.communicate()
        raise AssertionError(f"the build hung: {build.args}") from None


def _whole(folder: Path) -> bool:
    """The folder is exactly what its manifest lists, byte for byte."""
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    listed = {f["path"]: f["sha256"] for f in manifest["files"]}
    present = {p.name for p in folder.iterdir()} - {"manifest.json"}
    return set(listed) == present and all(
        hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest for name, digest in listed.items())


def _old_or_new(out: Path, previous: Path, audiences: tuple[str, ...]) -> None:
    for audience in audiences:
        folder = out / audience
        assert folder.is_dir(), f"{audience} is gone"
        if snapshot(folder) != snapshot(previous / audience):
            assert _whole(folder), f"{audience} is neither the previous build nor a whole new one"


def _copy(previous: Path, dest: Path, audiences: tuple[str, ...] = (AUDIENCE,)) -> Path:
    dest.mkdir(parents=True)
    for audience in audiences:
        shutil.copytree(previous / audience, dest / audience)
    return dest


@pytest.fixture(scope="module")
def previous_two(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A good build of two audiences, for the parallel builds to protect."""
    out = tmp_path_factory.mktemp("previous-two") / "out"
    r = run_cli("build", "--facts", str(EXAMPLE), *TWO, "--format", "docx,pptx", "--out", str(out), env=EPOCH)
    assert r.code == 0, r.err
    return out


# Each case: the signal, sent to the whole process group (as a terminal's Ctrl-C) or to the build alone
# (as `kill`), and when. The delays spread over loading, composing, writing and publishing.
CASES = [(sig, delay) for sig in ("SIGINT", "SIGTERM") for delay in (0.9, 1.8)]


def _interrupt(sig: str, delay: float, out: Path, tmp: Path) -> tuple[int, str]:
    tmp.mkdir()
    build = start_build(out, *FAST, *NEW, env={"TMPDIR": str(tmp)})
    time.sleep(delay)
    if sig == "SIGINT":
        os.killpg(build.pid, signal.SIGINT)
    else:
        build.send_signal(signal.SIGTERM)
    _out, err = _finish(build, 120)
    return build.returncode, err


def test_ctrl_c_and_sigterm_at_any_moment_leave_old_or_new_outputs_and_no_temporary_files(
        previous: Path, tmp_path: Path) -> None:
    outs = [_copy(previous, tmp_path / f"out-{i}") for i in range(len(CASES))]
    with ThreadPoolExecutor(max_workers=len(CASES)) as pool:
        results = list(pool.map(lambda i: _interrupt(*CASES[i], outs[i], tmp_path / f"tmp-{i}"), range(len(CASES))))
    stopped = 0
    for (sig, delay), out, (code, err), i in zip(CASES, outs, results, range(len(CASES)), strict=True):
        where = f"{sig} after {delay}s"
        assert "Traceback" not in err, (where, err)
        # -2, -15: the signal came while Python itself was starting, before any handler; nothing had begun
        interrupted = {"SIGINT": (130, -signal.SIGINT), "SIGTERM": (143, -signal.SIGTERM)}[sig]
        assert code in (0, *interrupted), (where, code, err)
        if code == 0:
            assert _whole(out / AUDIENCE), where
        else:
            stopped += 1
            assert snapshot(out) == snapshot(previous), where
            if code > 0 and err.strip():  # a signal in Python's first tenth of a second may leave no word
                assert err.strip().splitlines()[-1].startswith("briefkit: interrupted"), (where, err)
        assert leftovers(out) == [], where
        assert list((tmp_path / f"tmp-{i}").iterdir()) == [], f"{where}: temporary files left in TMPDIR"
    assert stopped >= 2, "too few signals landed before the build finished to test anything"


def test_ctrl_c_stops_a_parallel_build_and_its_workers(previous_two: Path, tmp_path: Path) -> None:
    out = _copy(previous_two, tmp_path / "out", (AUDIENCE, "analyst"))
    before = snapshot(out)
    build = start_build(out, *TWO, "--format", "docx,pptx", *NEW)
    time.sleep(1.5)  # the fact base is loaded and the workers are drawing
    os.killpg(build.pid, signal.SIGINT)
    _out, err = _finish(build, 120)
    assert "Traceback" not in err, err
    assert build.returncode in (0, 130), err
    if build.returncode == 130:
        assert snapshot(out) == before
    _old_or_new(out, previous_two, (AUDIENCE, "analyst"))
    assert leftovers(out) == []
    assert _gone(str(out)), "workers outlived the build"


def _gone(marker: str, seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while briefkit_processes(marker):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.2)
    return True


def test_sigkill_leaves_no_orphans_and_the_next_build_tidies_up(previous_two: Path, tmp_path: Path) -> None:
    delay = 1.5  # the workers are drawing and writing
    out = _copy(previous_two, tmp_path / "out", (AUDIENCE, "analyst"))
    build = start_build(out, *TWO, "--format", "docx,pptx", *NEW)
    time.sleep(delay)
    build.kill()
    _finish(build, 60)
    assert _gone(str(out)), "a worker survived its parent and would hold the lock"
    _old_or_new(out, previous_two, (AUDIENCE, "analyst"))
    r = run_cli("build", "--facts", str(EXAMPLE), *TWO, "--format", "docx,pptx", *NEW, "--out", str(out), env=EPOCH)
    assert r.code == 0, r.err
    assert leftovers(out) == []
    for audience in (AUDIENCE, "analyst"):
        assert _whole(out / audience)
        assert "someone.new@example.org" in next((out / audience).glob("*.eml")).read_text(encoding="utf-8")


def test_killed_between_the_two_renames_the_next_build_puts_the_old_folder_back(previous: Path,
                                                                                 tmp_path: Path) -> None:
    """The state SIGKILL leaves if it lands between moving the old folder aside and moving the new one in."""
    out = _copy(previous, tmp_path / "out")
    aside = out / ".briefkit-old-k1ll3d"
    aside.mkdir()
    os.rename(out / AUDIENCE, aside / AUDIENCE)
    staging = out / ".briefkit-staging-h4lf"
    staging.mkdir()
    (staging / "manifest.json").write_text("{", encoding="utf-8")
    # The next build tidies up first and finds the old folder back in place. Then either it has nothing to do
    # (the outputs are current) or it rebuilds and fails on a size budget: both leave the old folder as it was,
    # which a build that had not restored it could not (it would build the folder anew, or leave none).
    r = run_cli("build", "--facts", str(EXAMPLE), *FAST, "--out", str(out), "--max-file-mb", "0.01", env=EPOCH)
    assert r.code == 0 or (r.code == 1 and "over the 0.01 MB budget" in r.err), r.err
    assert snapshot(out) == snapshot(previous)
    assert leftovers(out) == []


def test_the_lock_names_its_holder_even_in_the_instant_before_it_wrote_its_id(tmp_path: Path) -> None:
    """The holder writes its process id just after taking the lock; a build that comes in between still names
    it (it looks again), and a finished build leaves the file empty, so no stale id is ever named."""
    import threading

    from briefkit.bundle import build_lock
    from briefkit.errors import BuildError

    out = tmp_path / "out"
    with build_lock(out):
        pass
    assert (out / ".briefkit.lock").read_bytes() == b""  # left empty by the build that held it
    lock = os.open(out / ".briefkit.lock", os.O_RDWR)
    try:
        fcntl.flock(lock, fcntl.LOCK_EX)  # taken, its id not yet written
        writer = threading.Timer(0.03, lambda: os.pwrite(lock, f"{os.getpid()}\n".encode(), 0))
        writer.start()
        with pytest.raises(BuildError) as caught, build_lock(out):
            pass
        writer.join()
    finally:
        os.close(lock)
    assert f"another briefkit build (process {os.getpid()}) is writing" in str(caught.value)


def test_a_second_build_of_the_same_folder_fails_at_once_with_the_lock_message(previous: Path,
                                                                               tmp_path: Path) -> None:
    out = _copy(previous, tmp_path / "out")
    lock = os.open(out / ".briefkit.lock", os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(lock, fcntl.LOCK_EX)
        os.write(lock, f"{os.getpid()}\n".encode())
        r = run_cli("build", "--facts", str(EXAMPLE), *FAST, *NEW, "--out", "out", cwd=tmp_path, env=EPOCH)
    finally:
        os.close(lock)
    assert_user_error(r, "out", f"another briefkit build (process {os.getpid()}) is writing to this folder; "
                                "wait for it to finish or choose another --out")
    assert snapshot(out) == snapshot(previous)
    r = run_cli("build", "--facts", str(EXAMPLE), *FAST, *NEW, "--out", "out", cwd=tmp_path, env=EPOCH)
    assert r.code == 0, r.err


def test_two_builds_at_once_into_the_same_folder(previous: Path, tmp_path: Path) -> None:
    """Started together: one publishes, the other stops with the lock message; never a mix of the two."""
    out = _copy(previous, tmp_path / "out")
    builds = [start_build(out, *FAST, "--to", f"reader{i}@example.org") for i in (1, 2)]
    results = [(b.returncode, err) for b in builds for _out, err in [_finish(b, 120)]]
    codes = sorted(code for code, _err in results)
    assert codes in ([0, 1], [0, 0]), results
    for code, err in results:
        assert "Traceback" not in err
        if code == 1:
            assert f"{out}: another briefkit build (process " in err, err
    assert _whole(out / AUDIENCE)
    winners = [f"reader{i}@example.org" for (code, _err), i in zip(results, (1, 2), strict=True) if code == 0]
    eml = next((out / AUDIENCE).glob("*.eml")).read_text(encoding="utf-8")
    assert any(w in eml for w in winners)
    assert leftovers(out) == []


def _helper_processes(pid: int) -> list[int]:
    """The build's forked helpers: its children running briefkit (not the fc-list or fc-match it may run)."""
    with open(f"/proc/{pid}/task/{pid}/children", encoding="ascii") as listing:
        children = [int(child) for child in listing.read().split()]
    found = []
    for child in children:
        try:
            if b"briefkit.cli" in Path(f"/proc/{child}/cmdline").read_bytes():
                found.append(child)
        except OSError:  # ended meanwhile
            continue
    return found


def test_a_helper_process_killed_from_outside_is_one_clear_line(previous: Path, tmp_path: Path) -> None:
    """The kernel's out-of-memory killer or a `kill` may end the PDF's process: the build says so on one line,
    publishes nothing, and leaves the previous outputs as they were."""
    out = _copy(previous, tmp_path / "out")
    # The real fact base's analyst brief, whose PDF takes long enough to be killed in its making; its own process
    # however busy the machine is (--jobs 2). The later --facts wins.
    build = start_build(out, "--facts", str(builtin_seeds()), "--audience", "analyst", "--jobs", "2")
    deadline = time.monotonic() + 30
    while not (helpers := _helper_processes(build.pid)) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert helpers, "the build started no helper process"
    os.kill(helpers[0], signal.SIGKILL)
    _out, err = _finish(build, 120)
    assert build.returncode == 1, err
    assert "Traceback" not in err and "internal error" not in err, err
    assert err.splitlines()[-1] == ("briefkit: a process of this build was stopped by signal 9 (SIGKILL) before "
                                    "finishing; nothing was published: run the build again")
    assert snapshot(out) == snapshot(previous) and not (out / "analyst").exists()
    assert leftovers(out) == []
