"""The locator grammar, the paragraph numbering and the reading of figures, on small texts written here."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefkit.sources.figures import figures, has_date
from briefkit.sources.locators import LocatorError, parse, resolve
from briefkit.sources.text import parse_text

REPORT = """Harbour Review

Published by the harbour board.

Introduction

The board counted nineteen crossings in the trial.[1]

Ferries ran until midnight.

Box 1: Night Ferries, Costs and Crews

The extra service costs $1.4 million a year.

Table 2: Passengers

| Year | Passengers |
| 2023 | 2,300 |

Why Do Ferries Matter?

Ferries link the two halves of the town.

[1] Board minutes, 12 March 2024.
"""

INTERVIEW = """Ferries and the Town

In the spring of 2024 the harbour master spoke to us.

– How did the trial go?

Better than we hoped.

We ran nineteen crossings.

– And the costs?

– About $1.4 million a year.
"""


@pytest.mark.parametrize(("locator", "parts"), [
    ("para. 3", ["para. 3"]),
    ("paras. 2-3", ["paras. 2-3"]),
    ("Agreements, Visits, and Meetings, para. 2", ["Agreements, Visits, and Meetings|para. 2"]),
    ("Why Does China Support Tajikistan?, para. 1", ["Why Does China Support Tajikistan?|para. 1"]),
    ("para. 7; note 6; para. 11", ["para. 7", "note 6", "para. 11"]),
    ("answer 2, paras. 2-3; question 3", ["answer 2|paras. 2-3", "question 3"]),
    ("introduction", ["introduction"]),
    ("p. 4, para. 2", ["p. 4|para. 2"]),
    ("pp. 3-4", ["pp. 3-4"]),
    ("chapter 2, table 2.1", ["chapter 2|table 2.1"]),
    ('"Costs; crews", para. 1', ["Costs; crews|para. 1"]),
    ("Notes on Method, para. 2", ["Notes on Method|para. 2"]),
    ("Table 1: Exercises, para. 1", ["Table 1: Exercises|para. 1"]),
])
def test_locators_that_parse(locator: str, parts: list[str]) -> None:
    got = ["|".join(str(r) for r in (p.scope, p.target) if r is not None) for p in parse(locator)]
    assert got == parts


@pytest.mark.parametrize(("locator", "message"), [
    ("para.", "column 6: expected a number after 'para.'"),
    ("para. three", "column 7: expected a number after 'para.', found 'three'"),
    ("paras. 5-3", "column 8: the range 5-3 runs backwards"),
    ("para. 0", "column 7: numbers start at 1"),
    ("para. 2;; note 1", "column 9: empty part (two ';' in a row, or one at an end)"),
    ("para. 2;", "column 9: empty part (two ';' in a row, or one at an end)"),
    ("para. 2, Introduction", "column 10: a heading comes first in a part, as in 'Heading, para. 2'"),
    ("para. 2, para. 3", "column 10: one paragraph, note or table per part: write '; para. 3'"),
    ('"Costs, para. 1', "column 16: a double quote is not closed"),
    ("question 2, para. 1", "column 1: a question is one paragraph: cite 'question N' alone"),
    ("para. 1.5", "column 7: '1.5' is not a whole number"),
    ("x" * 501, "column 501: a locator is at most 500 characters"),
])
def test_locators_that_do_not_parse(locator: str, message: str) -> None:
    with pytest.raises(LocatorError) as caught:
        parse(locator)
    assert str(caught.value) == message


def test_numbering_follows_the_stored_text() -> None:
    text = parse_text(REPORT)
    assert [h.heading for h in text.headings] == [
        "Harbour Review", "Introduction", "Box 1: Night Ferries, Costs and Crews", "Why Do Ferries Matter?"]
    assert [p.addresses() for p in text.paragraphs] == [
        ["para. 1", "Harbour Review, para. 1"],
        ["para. 2", "Introduction, para. 1"],
        ["para. 3", "Introduction, para. 2"],
        ["para. 4", "Box 1: Night Ferries, Costs and Crews, para. 1"],
        ["para. 5", "Why Do Ferries Matter?, para. 1"],
    ]
    assert list(text.notes) == [1] and list(text.tables) == ["2"]  # the caption's number, not the count


def _blocks(text: str, locator: str) -> list[int] | str:
    source = parse_text(text)
    found = resolve(parse(locator)[0], source)
    return found.error or [b.number if b.kind != "table" else -1 for b in found.blocks]


@pytest.mark.parametrize(("locator", "expected"), [
    ("Introduction, para. 2", [3]),
    ("introduction, paras. 1-2", [2, 3]),
    ("Box 1, para. 1", [4]),  # a heading's label stands for it
    ("Box 1: Night Ferries, Costs and Crews, para. 1", [4]),
    ("Why Do Ferries Matter?", [5]),
    ("note 1", [1]),
    ("table 2", [-1]),
    ("paras. 4-5", [4, 5]),
    ("Introduction, para. 3", "'Introduction' has 2 paragraphs"),
    ("Costs, para. 1", "no heading 'Costs' (headings: Harbour Review; Introduction; Box 1: Night Ferries, Costs and "
                       "Crews; Why Do Ferries Matter?)"),
    ("note 2", "no note 2 in the text (it has notes 1-1)"),
    ("table 1", "no table 1 in the text (tables: 2)"),
    ("p. 1", "the text has no page marks ([page N]), so pages cannot be cited"),
    ("para. 9", "the text has 5 paragraphs"),
])
def test_locators_resolve(locator: str, expected: list[int] | str) -> None:
    assert _blocks(REPORT, locator) == expected


def test_interview_turns() -> None:
    text = parse_text(INTERVIEW)
    assert [p.turn for p in text.paragraphs] == [
        ("introduction", 0, 1), ("question", 1, 1), ("answer", 1, 1), ("answer", 1, 2), ("question", 2, 1),
        ("answer", 2, 1)]
    assert _blocks(INTERVIEW, "answer 1, para. 2") == [4]
    assert _blocks(INTERVIEW, "question 2") == [5]
    assert _blocks(INTERVIEW, "introduction") == [1]
    assert _blocks(INTERVIEW, "answer 3") == "no answer 3 (the text has 2 questions)"


def test_pages() -> None:
    text = "[page 1]\n\nFirst page text.\n\n[page 2]\n\nSecond page, first.\n\nSecond page, second.\n"
    assert _blocks(text, "p. 2, para. 2") == [3]
    assert _blocks(text, "pp. 1-2") == [1, 2, 3]
    assert _blocks(text, "p. 3") == "no paragraph starts on p. 3 (pages 1-2)"


def test_markdown_headings_only_where_a_text_marks_them() -> None:
    text = parse_text("# Title\n\nShort line\n\nA paragraph.\n\n## Part two\n\nMore.\n")
    assert [h.heading for h in text.headings] == ["Title", "Part two"]
    assert [p.text for p in text.paragraphs] == ["Short line", "A paragraph.", "More."]


@pytest.mark.parametrize(("text", "values"), [
    ("nineteen of the thirty-six exercises", [19, 36]),
    ("a $21 million loan", [21_000_000]),
    ("more than 48 thousand masks", [48_000]),
    ("over 70 percent, or 70%", [70, 70]),
    ("twenty-seven officers and three hundred and five cameras", [27, 305]),
    ("one citizen dead and four injured", [1, 4]),
    ("one of the best performers; no one said", []),
    ("$8.5bn and 12.7 mm and 2,300", [8_500_000_000, 12.7, 2300]),
    ("nearly nine million users", [9_000_000]),
])
def test_figures_in_words_and_digits(text: str, values: list[float]) -> None:
    assert [f.value for f in figures(text)] == values


def test_a_decade_is_any_year_in_it() -> None:
    (decade,) = figures("in the 1990s")
    assert decade.found_in({1997.0}) and not decade.found_in({2001.0})


def test_paragraphs_are_bounded() -> None:
    from briefkit.errors import FactbaseError

    with pytest.raises(FactbaseError) as caught:
        parse_text("p.\n\n" * 50_002, where="big.txt")
    assert str(caught.value) == "big.txt:100002: more than 50,000 paragraphs"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("para.s notebl 0123456789-–;,\"“”:?Pp"))))
def test_any_locator_parses_or_fails_with_a_column(locator: str) -> None:
    try:
        parts = parse(locator)
    except LocatorError as exc:
        assert 1 <= exc.column <= len(locator) + 1
        return
    source = parse_text(REPORT)
    for part in parts:
        resolve(part, source)  # names blocks or says why not, never raises


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_any_text_is_numbered_and_read_for_figures(text: str) -> None:
    source = parse_text(text)
    assert [p.number for p in source.paragraphs] == list(range(1, len(source.paragraphs) + 1))
    for block in source.blocks:
        block.addresses()
        figures(block.text)


def test_a_month_is_a_date_only_as_a_name() -> None:
    assert has_date("In August, the minister announced a plant.")
    assert not has_date("Problems may not be the main challenge.")
