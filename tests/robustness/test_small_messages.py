"""Smaller mistakes, each said where it is: an empty meeting file, an audience profile whose file name cannot be
an audience's name, a long audience name on the command line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import EXAMPLE, ROOT, run_cli
from tests.robustness.conftest import EPOCH, FAST, assert_user_error

pytestmark = pytest.mark.slow  # a CLI run per file name and meeting file: `make test-fast` leaves it out


@pytest.mark.parametrize(("content", "line", "message"), [
    ("", None, "is empty; a meeting file gives title, counterpart, date, place, purpose"),
    ("# only a comment\n", None, "is empty; a meeting file gives title, counterpart, date, place, purpose"),
    ("- a list\n", 1, "is not a list of keys; a meeting file gives title, counterpart, date, place, purpose"),
])
def test_a_meeting_file_without_keys_says_what_it_needs(tmp_path: Path, content: str, line: int | None,
                                                        message: str) -> None:
    (tmp_path / "meeting.yaml").write_text(content, encoding="utf-8")
    r = run_cli("build", "--facts", str(EXAMPLE), *FAST, "--meeting", "meeting.yaml", "--out", "out", cwd=tmp_path,
                env=EPOCH)
    assert_user_error(r, "meeting.yaml", message, line=line)


@pytest.mark.parametrize("name", ["Exec.yaml", "exé cutive.yaml", "a" * 240 + ".yaml", "brief.yml"])
def test_an_audience_file_name_that_cannot_be_a_name_is_refused_at_the_file(tmp_path: Path, name: str) -> None:
    audiences = tmp_path / "theme" / "audiences"
    audiences.mkdir(parents=True)
    shutil.copyfile(ROOT / "templates" / "audiences" / "executive.yaml", audiences / name)
    for command in (("audiences", "--theme", "theme"),
                    ("build", "--facts", str(EXAMPLE), "--theme", "theme", "--audience", "all", "--out", "out")):
        r = run_cli(*command, cwd=tmp_path, env=EPOCH)
        assert_user_error(r, f"theme/audiences/{name}", "an audience profile's file name is the audience's name: "
                                                        "lowercase letters, digits and hyphens, at most 40")


def test_a_long_unknown_audience_is_shortened_in_the_message(tmp_path: Path) -> None:
    r = run_cli("build", "--facts", str(EXAMPLE), "--audience", "x" * 240, "--out", "out", cwd=tmp_path)
    line = assert_user_error(r, "--audience", "unknown audience 'xxxx", code=2)
    assert len(line) < 200
