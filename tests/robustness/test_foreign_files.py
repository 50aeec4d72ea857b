"""Files briefkit did not write and does not need: never deleted, never read whole, never waited on.

Each test builds through the CLI beside such a file: another program's cache in the output folder, a named pipe,
a file of gigabytes (sparse: it costs no disk) and a link to a system file in the fact base.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, run_cli
from tests.robustness.conftest import EPOCH, FAST, SECRET, assert_user_error, facts_copy, output_texts

pytestmark = pytest.mark.slow  # CLI runs on a fact base with foreign files, builds among them: `make test-fast` leaves it out

GIB = 1 << 30


def sparse(path: Path, size: int, head: bytes = b"") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        handle.write(head)
        handle.truncate(size)
    return path


def test_another_programs_cache_beside_the_outputs_survives(out: Path, tmp_path: Path) -> None:
    """`--out ~` must not prune ~/.cache, and files in briefkit's own cache folder that it did not write stay,
    even when the folder is far over its budget (sparse files of 300 MB each)."""
    theirs = sparse(out / ".cache" / "pip" / "http" / "big.bin", 300 << 20)
    named_like_ours = sparse(out / ".briefkit-cache" / "charts" / ("0" * 64 + ".svg"), 300 << 20)
    r = run_cli("build", "--facts", str(facts_copy(tmp_path / "facts")), *FAST, "--out", str(out), env=EPOCH)
    assert r.code == 0, r.err
    assert theirs.stat().st_size == 300 << 20
    assert named_like_ours.stat().st_size == 300 << 20
    assert (out / ".briefkit-cache" / "CACHEDIR.TAG").is_file()
    assert any(p.name.endswith(".svg") and p != named_like_ours for p in (out / ".briefkit-cache" / "charts").iterdir())


def test_a_named_pipe_in_the_fact_base_is_refused_not_waited_on(tmp_path: Path) -> None:
    facts = facts_copy(tmp_path / "facts")
    os.mkfifo(facts / "facts" / "pipe.yaml")
    r = run_cli("check", "--facts", str(facts), cwd=tmp_path, timeout=60)
    assert_user_error(r, "facts/facts/pipe.yaml", "is a named pipe, not a file briefkit can read")


def test_a_named_pipe_elsewhere_in_the_fact_base_is_passed_over(tmp_path: Path) -> None:
    """A pipe briefkit has no reason to read (not a fact file) does not stop or hang the build."""
    facts = facts_copy(tmp_path / "facts")
    os.mkfifo(facts / "notes.fifo")
    r = run_cli("build", "--facts", str(facts), *FAST, "--out", str(tmp_path / "out"), cwd=tmp_path, env=EPOCH,
                timeout=120)
    assert r.code == 0, r.err


def _peak_rss_mb(args: list[str], cwd: Path) -> tuple[subprocess.CompletedProcess[str], float]:
    """Run the CLI and measure its peak memory (the largest of the process and its children)."""
    code = ("import resource, runpy, sys; sys.argv = ['briefkit'] + sys.argv[1:]\n"
            "try:\n    runpy.run_module('briefkit.cli', run_name='__main__')\n"
            "finally:\n    print('PEAK', max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,"
            " resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss), file=sys.stderr)\n")
    proc = subprocess.run([sys.executable, "-c", code, *args], cwd=cwd, env={**os.environ, **EPOCH},
                          capture_output=True, text=True, timeout=300)
    peak = [line for line in proc.stderr.splitlines() if line.startswith("PEAK ")]
    assert peak, proc.stderr
    return proc, int(peak[-1].split()[1]) / 1024


def test_a_file_of_gigabytes_in_the_fact_base_is_not_read(tmp_path: Path) -> None:
    """A 2 GB file that is not a fact file costs neither memory nor time, on a first build and on an up-to-date
    one; named as a fact file it is refused by its size, before it is read."""
    facts = facts_copy(tmp_path / "facts")
    sparse(facts / "datasets" / "archive.bin", 2 * GIB)
    args = ["build", "--facts", str(facts), *FAST, "--out", str(tmp_path / "out")]
    for _ in range(2):  # the second build is up to date: it only hashes the inputs
        proc, peak = _peak_rss_mb(args, tmp_path)
        assert proc.returncode == 0, proc.stderr
        assert peak < 600, f"peak memory {peak:.0f} MB"
    sparse(facts / "facts" / "huge.yaml", 2 * GIB)
    r = run_cli("check", "--facts", str(facts), cwd=tmp_path)
    assert_user_error(r, "facts/facts/huge.yaml", "file is 2,147,483,648 bytes; the limit is")


def test_a_link_to_a_system_file_is_not_read(tmp_path: Path) -> None:
    """A link out of the fact base is refused where briefkit would read it, and never opened to make a key."""
    secret = tmp_path / "elsewhere" / "secret.txt"
    secret.parent.mkdir()
    secret.write_text(SECRET, encoding="utf-8")
    facts = facts_copy(tmp_path / "facts")
    (facts / "notes.txt").symlink_to(secret)  # not a fact file: passed over
    (facts / "zero").symlink_to("/dev/zero")  # reading it for a key would never end
    out = tmp_path / "out"
    r = run_cli("build", "--facts", str(facts), *FAST, "--out", str(out), cwd=tmp_path, env=EPOCH, timeout=120)
    assert r.code == 0, r.err
    assert SECRET not in output_texts(out)
    (facts / "facts" / "linked.yaml").symlink_to(secret)
    r = run_cli("check", "--facts", str(facts), cwd=tmp_path)
    assert_user_error(r, "facts/facts/linked.yaml", "links to a file outside facts")


def test_a_named_pipe_in_the_theme_is_passed_over(tmp_path: Path) -> None:
    theme = tmp_path / "theme"
    theme.mkdir()
    (theme / "theme.yaml").write_text("name: piped\n", encoding="utf-8")
    os.mkfifo(theme / "notes.fifo")
    r = run_cli("build", "--facts", str(ROOT / "examples" / "minimal"), *FAST, "--theme", str(theme), "--out",
                str(tmp_path / "out"), cwd=tmp_path, env=EPOCH, timeout=120)
    assert r.code == 0, r.err


def test_an_output_edited_by_hand_survives_a_rebuild(out: Path, tmp_path: Path) -> None:
    """A DOCX the user edited since briefkit wrote it is not replaced without a word: the build refuses before
    any work, naming the file, and --replace-edited replaces it."""
    facts = facts_copy(tmp_path / "facts")
    docx = next((out / "executive").glob("*.docx"))
    edited = docx.read_bytes() + b"the user's own notes"
    docx.write_bytes(edited)
    args = ("build", "--facts", str(facts), *FAST, "--out", str(out))
    r = run_cli(*args, cwd=tmp_path, env=EPOCH)
    assert_user_error(r, f"out/executive/{docx.name}", "was edited since briefkit wrote it; move it away to keep it, "
                                                      "or build with --replace-edited")
    assert docx.read_bytes() == edited
    r = run_cli(*args, "--replace-edited", cwd=tmp_path, env=EPOCH)
    assert r.code == 0, r.err
    assert docx.read_bytes() != edited


def test_a_named_pipe_as_a_source_text_is_refused_not_waited_on(tmp_path: Path) -> None:
    facts = facts_copy(tmp_path / "facts")
    text = facts / "sources" / "gazette-2024.txt"
    text.unlink()
    os.mkfifo(text)
    for command in ("verify", "check"):
        r = run_cli(command, "--facts", str(facts), "--sources", str(facts / "sources"), cwd=tmp_path, timeout=60)
        assert_user_error(r, "facts/sources/gazette-2024.txt", "is a named pipe, not a file briefkit can read")
