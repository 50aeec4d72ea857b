"""Mistakes on the command line and with the output folder: one line each, exit 2 (usage) or 1, nothing lost.

Publishing replaces OUT/<audience> whole, so briefkit refuses a folder it did not make (no manifest.json of
its own, or files its manifest does not list) instead of deleting someone's files; a symlink or a file where
the folder should be is refused too.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from conftest import EXAMPLE, Run
from tests.robustness.conftest import (
    AUDIENCE,
    EPOCH,
    FAST,
    Case,
    assert_user_error,
    error_lines,
    leftovers,
    run_all,
    run_inprocess,
    snapshot,
)

BUILD = ("build", "--facts", str(EXAMPLE), *FAST, "--format", "docx")

# name: (arguments after `briefkit`, exit code, where, message)
USAGE = {
    "as-of-typo": ((*BUILD, "--as-of", "2024-13-01"), 2, "--as-of", "'2024-13-01' is not a valid month"),
    "as-of-words": ((*BUILD, "--as-of", "last week"), 2, "--as-of", "is not a date; write YYYY, YYYY-MM or YYYY-MM-DD"),
    "unknown-audience": (("build", "--facts", str(EXAMPLE), "--audience", "executiv"), 2, "--audience",
                         "unknown audience 'executiv'; known: analyst, defence, executive"),
    "unknown-format": ((*BUILD, "--format", "docx,odt"), 2, "--format",
                       "unknown format odt; choose from docx, pdf, pptx"),
    "no-format": ((*BUILD[:-2], "--format", " , "), 2, "--format", "no format given; choose from docx, pdf, pptx"),
    "unknown-option": ((*BUILD, "--ouput", "x"), 2, "briefkit build", "No such option: --ouput"),
    "option-without-value": (("build", "--theme"), 2, "briefkit", "Option '--theme' requires an argument"),
    "negative-jobs": ((*BUILD, "--jobs", "-2"), 2, "briefkit build", "Invalid value for '--jobs'"),
    "zero-budget": ((*BUILD, "--max-file-mb", "0"), 2, "briefkit build", "Invalid value for '--max-file-mb'"),
    "not-a-number": ((*BUILD, "--max-email-mb", "ten"), 2, "briefkit build", "Invalid value for '--max-email-mb'"),
    "unknown-command": (("biuld",), 2, "briefkit", "No such command 'biuld'"),
    "facts-format": (("facts", "--format", "xml"), 2, "briefkit facts", "'xml' is not one of 'json', 'table'"),
    "header-injection": ((*BUILD, "--to", "a@example.org\nBcc: everyone@example.org"), 2, "--to",
                         "is not one email address: holds a line break or control character (give --to once "
                         "per recipient)"),
    "missing-fact-base": (("build", "--facts", "no-such-folder", *FAST), 1, "no-such-folder",
                          "fact base folder not found"),
    "missing-meeting": ((*BUILD, "--meeting", "no-such-meeting.yaml"), 1, "no-such-meeting.yaml",
                        "meeting file not found"),
    "missing-theme": ((*BUILD, "--theme", "no-such-theme"), 1, "no-such-theme", "theme folder not found"),
}


@pytest.fixture(scope="module")
def usage_runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Run]:
    work = tmp_path_factory.mktemp("usage")
    return run_all({name: Case((*args, "--out", "out") if args[0] == "build" and args[-1] != "--theme" else args,
                               work) for name, (args, *_rest) in USAGE.items()}, workers=3)


@pytest.mark.parametrize("name", sorted(USAGE))
def test_command_line_mistake(name: str, usage_runs: dict[str, Run]) -> None:
    _args, code, where, message = USAGE[name]
    r = usage_runs[name]
    line = assert_user_error(r, where, message, code=code)
    assert len(error_lines(r)) == 1, r.err
    assert "\n" not in line and "│" not in r.err  # one plain line, not a boxed panel


def _build(out: Path, cwd: Path, *extra: str) -> Run:
    """The CLI's code in this process: the usage errors above already run as processes."""
    return run_inprocess(*BUILD, "--out", str(out), *extra, cwd=cwd, env=EPOCH)


def test_output_folder_that_is_a_file(tmp_path: Path) -> None:
    (tmp_path / "report.docx").write_text("a user's file", encoding="utf-8")
    r = _build(Path("report.docx"), tmp_path)
    assert_user_error(r, "report.docx", "is a file, not a folder; choose another --out")
    assert (tmp_path / "report.docx").read_text(encoding="utf-8") == "a user's file"


def test_output_folder_under_a_file(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    r = _build(Path("notes.txt/out"), tmp_path)
    assert_user_error(r, "notes.txt/out", "cannot create the output folder: Not a directory")


def test_output_folder_that_cannot_be_written(tmp_path: Path) -> None:
    r = _build(Path("/sys/briefkit-test-out"), tmp_path)  # not writable even for root
    assert_user_error(r, "/sys/briefkit-test-out", "cannot create the output folder: ")


def test_a_folder_briefkit_did_not_make_is_refused_not_replaced(tmp_path: Path) -> None:
    mine = tmp_path / "out" / AUDIENCE
    mine.mkdir(parents=True)
    (mine / "my-notes.txt").write_text("months of work", encoding="utf-8")
    r = _build(Path("out"), tmp_path)
    assert_user_error(r, f"out/{AUDIENCE}", "is not a briefkit output folder (no manifest.json of ours) and a build "
                                            "replaces it whole; move it away or choose another --out")
    assert (mine / "my-notes.txt").read_text(encoding="utf-8") == "months of work"
    assert leftovers(tmp_path / "out") == []


def test_a_file_added_to_our_folder_is_not_deleted(previous: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    shutil.copytree(previous, out)
    (out / AUDIENCE / "comments.docx").write_text("the boss's comments", encoding="utf-8")
    before = snapshot(out)
    r = _build(Path("out"), tmp_path, "--to", "someone.new@example.org")
    assert_user_error(r, f"out/{AUDIENCE}/comments.docx", f"was not made by briefkit, and a build replaces "
                                                          f"out/{AUDIENCE} whole; move it away first")
    assert snapshot(out) == before


def test_an_empty_folder_is_fine(tmp_path: Path) -> None:
    (tmp_path / "out" / AUDIENCE).mkdir(parents=True)
    r = _build(Path("out"), tmp_path)
    assert r.code == 0, r.err


def test_a_symlinked_audience_folder_is_refused(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "keep.txt").write_text("keep", encoding="utf-8")
    (tmp_path / "out").mkdir()
    os.symlink(elsewhere, tmp_path / "out" / AUDIENCE)
    r = _build(Path("out"), tmp_path)
    assert_user_error(r, f"out/{AUDIENCE}", "is a symbolic link; briefkit replaces this folder")
    assert (elsewhere / "keep.txt").read_text(encoding="utf-8") == "keep"


def test_a_file_where_the_audience_folder_goes_is_refused(tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / AUDIENCE).write_text("x", encoding="utf-8")
    r = _build(Path("out"), tmp_path)
    assert_user_error(r, f"out/{AUDIENCE}", "is a file where briefkit writes a folder")


def test_a_bug_is_one_line_naming_a_log_with_the_traceback(tmp_path: Path) -> None:
    """A bug (here: a builder that raises ZeroDivisionError) never shows a traceback: one line, a log file."""
    state = tmp_path / "state"
    code = ("import sys, typer\nfrom briefkit import cli\ntry:\n    cli._run(lambda: 1 / 0)\n"
            "except typer.Exit as stop:\n    sys.exit(stop.exit_code)\n")
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env={**os.environ, "XDG_STATE_HOME": str(state)})
    assert proc.returncode == 3
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in proc.stderr, proc.stderr
    assert lines[0].startswith("briefkit: internal error (a bug, not your input); please report it with the log ")
    log = Path(lines[0].rsplit(" ", 1)[1])
    assert log.parent == state / "briefkit"
    text = log.read_text(encoding="utf-8")
    assert "ZeroDivisionError" in text and "Traceback" in text and "briefkit 0." in text
