"""Reading quantities: signs, ranges, scale words (English and Russian), declared names, and the hints `check`
gives when a number is a name or lacks its scale word."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from briefkit.factbase.quantities import quantities
from tests.conftest import line_with, replace_in, run_cli


def read(text: str, names: tuple[str, ...] = ()) -> list[tuple[str, float]]:
    return [(q.text, q.value) for q in quantities(text, names)]


@pytest.mark.parametrize(("text", "expected"), [
    ("The count fell to -8,100 trips.", [("-8,100", -8100)]),
    ("Sabetta averages \u22126 \u00b0C in May.", [("\u22126", -6)]),
    ("between 10-12 people", [("10", 10), ("12", 12)]),
    ("1.5-2 million tonnes", [("1.5 million", 1_500_000), ("2 million", 2_000_000)]),
    ("37.8 million tonnes", [("37.8 million", 37_800_000)]),
    ("\"38 \u043c\u0438\u043b\u043b\u0438\u043e\u043d\u043e\u0432 \u0442\u043e\u043d\u043d\"", [("38 миллионов", 38_000_000)]),
    ("4 \u043c\u043b\u0440\u0434 \u0440\u0443\u0431\u043b\u0435\u0439", [("4 млрд", 4_000_000_000)]),
    ("a 296-mile road", [("296", 296)]),
    ("VP-11, 5G, Type 56-3, CS/SS4, v1.2 and MSC.385", []),
    ("the 1981-2010 average, on 1 July 2024, in the 1990s", []),
    ("$21 million and 12.7 mm", [("21 million", 21_000_000), ("12.7", 12.7)]),
])
def test_quantities_are_read_as_written(text: str, expected: list[tuple[str, float]]) -> None:
    assert read(text) == expected


def test_declared_names_are_not_quantities() -> None:
    text = "Ships of ice classes Ice 2 to Arc 6, Project 22220, under Resolution 2231 and 3 other rules."
    assert read(text, ("Ice 2", "Arc 6", "Project 22220", "Resolution 2231")) == [("3", 3)]
    assert read("Project 22220 ships", ("Project 2222",)) == [("22220", 22220)]  # a name masks whole words only


@pytest.fixture
def example(example: Path) -> Path:
    """The example without its source texts: these tests change statements, which `verify` would then also
    (rightly) find missing from the texts."""
    shutil.rmtree(example / "sources", ignore_errors=True)
    return example


def test_a_name_in_factbase_yaml_or_a_fact_needs_no_fake_value(example: Path) -> None:
    usage = example / "facts" / "usage.yaml"
    replace_in(usage, "counted 12,400 cycle trips a day in 2023", "counted 12,400 cycle trips a day on Route 66 "
               "in 2023")
    r = run_cli("check", "--facts", str(example), cwd=example.parent)
    assert r.code == 1
    assert r.err.splitlines() == [
        f"facts/facts/usage.yaml:{line_with(usage, 'Route 66')}: statement: the number '66' has no matching entry in "
        "values; if 'Route 66' is a name, list it under `names:` (see docs/factbase.md, Numbers and values)"]
    replace_in(usage, "    topic: usage\n", "    names: [Route 66]\n    topic: usage\n")
    r = run_cli("check", "--facts", str(example), cwd=example.parent)
    assert r.code == 0, r.err


def test_a_missing_scale_word_is_explained(example: Path) -> None:
    analysis = example / "analysis.yaml"
    replace_in(analysis, "Spending rose from $1.1 million to $3.2 million a year.",
               "Spending rose from $1.1 million to $3.2 a year.")
    r = run_cli("check", "--facts", str(example), cwd=example.parent)
    assert r.code == 1
    assert r.err.splitlines() == [
        f"facts/analysis.yaml:{line_with(analysis, '$3.2 a year')}: judgments.text: the number '3.2' is not a value "
        "of the facts cited; a cited value is 3,200,000: write '3.2 million' if that is what is meant"]


def test_a_negative_number_must_match_a_negative_value(example: Path) -> None:
    usage = example / "facts" / "usage.yaml"
    replace_in(usage, "In 2020 the council counted 8,100 cycle trips a day.",
               "In 2020 the change was -8,100 cycle trips a day.")
    r = run_cli("check", "--facts", str(example), cwd=example.parent)
    assert r.code == 1
    assert "statement: the number '-8,100' has no matching entry in values" in r.err
    replace_in(usage, "      - {value: 8100, unit: trips a day}", "      - {value: -8100, unit: trips a day}")
    replace_in(example / "datasets" / "trips.yaml", "trips: 8100", "trips: -8100")
    r = run_cli("check", "--facts", str(example), cwd=example.parent)
    assert r.code == 0, r.err
