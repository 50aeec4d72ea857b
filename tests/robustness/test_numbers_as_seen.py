"""What the number check reads is what the reader sees: a number reversed by bidirectional controls, or written in
superscript, circled or fraction characters, cannot slip past `briefkit check` without a value."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import line_with, replace_in, run_cli
from tests.robustness.conftest import assert_user_error, facts_copy

pytestmark = pytest.mark.slow  # a CLI run per character: `make test-fast` leaves it out

STATEMENT = "The council counted 12,400 cycle trips a day in 2023."


@pytest.mark.parametrize(("written", "escaped"), [
    ("\u202e12,400\u202c", False),  # prints "004,21" where an override is honoured
    ("\u2067" + "12,400" + "\u2069", False),  # a right-to-left isolate
    ("\\u202E12,400\\u202C", True),  # the same through an escape in a double-quoted string
])
def test_bidirectional_controls_are_refused_where_they_stand(tmp_path: Path, written: str, escaped: bool) -> None:
    facts = facts_copy(tmp_path / "facts")
    usage = facts / "facts" / "usage.yaml"
    new = STATEMENT.replace("12,400", written)
    replace_in(usage, f"statement: {STATEMENT}", f'statement: "{new}"' if escaped else f"statement: {new}")
    r = run_cli("check", "--facts", str(facts), cwd=tmp_path)
    line = line_with(usage, "cycle trips a day in 2023")
    message = "bidirectional control U+202E (RIGHT-TO-LEFT OVERRIDE)" if "202" in written or "\u202e" in written \
        else "bidirectional control U+2067 (RIGHT-TO-LEFT ISOLATE)"
    found = assert_user_error(r, "facts/facts/usage.yaml", message, line=line)
    assert "read otherwise than it is checked" in found or "delete it" in found


@pytest.mark.parametrize(("text", "value"), [("½", 0.5), ("⑫", 12), ("²", 2), ("₃", 3)])
def test_other_number_characters_need_a_value(tmp_path: Path, text: str, value: float) -> None:
    facts = facts_copy(tmp_path / "facts")
    shutil.rmtree(facts / "sources")  # the new figure is in no source text: this tests the number check alone
    usage = facts / "facts" / "usage.yaml"
    replace_in(usage, f"statement: {STATEMENT}", f"statement: The council counted 12,400 cycle trips a day in "
                                                 f"2023, {text} of them by bike lane.")
    r = run_cli("check", "--facts", str(facts), cwd=tmp_path)
    assert_user_error(r, "facts/facts/usage.yaml", f"'{value:g}'", line=line_with(usage, "by bike lane"))
    replace_in(usage, "      - {value: 12400, unit: trips a day}\n",
               f"      - {{value: 12400, unit: trips a day}}\n      - {{value: {value}, unit: share}}\n")
    r = run_cli("check", "--facts", str(facts), cwd=tmp_path)
    assert r.code == 0, r.err


def test_marks_that_right_to_left_text_needs_stay_allowed(tmp_path: Path) -> None:
    facts = facts_copy(tmp_path / "facts")
    usage = facts / "facts" / "usage.yaml"
    replace_in(usage, f"statement: {STATEMENT}", "statement: The council counted 12,400 cycle trips a day in 2023 "
                                                 "(\u05e2\u05d9\u05e8\u200f).")
    r = run_cli("check", "--facts", str(facts), cwd=tmp_path)
    assert r.code == 0, r.err
