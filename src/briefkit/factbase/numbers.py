"""Finding the quantities written in a sentence, so each can be matched to a typed value.

Years, days of the month and numbers inside names (VP-11, Cooperation-2019, 5G, Type 56-3) are not
quantities. Everything else written in digits is, with "thousand", "million" and "billion" applied.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December|"
    "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
)
_DAY_MONTH = re.compile(rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_MONTHS})\b")
_MONTH_DAY = re.compile(rf"\b(?:{_MONTHS})\s+\d{{1,2}}(?:st|nd|rd|th)?\b(?!,?\d)")
_SCALES = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
_NUMBER = re.compile(
    r"(?<![\w/.\-–])"  # not part of a name such as VP-11, CS/SS4 or v1.2
    r"(?P<num>\d{1,3}(?:,\d{3})+|\d+)(?P<frac>\.\d+)?"
    r"(?P<tail>-\d+|(?=-[A-Za-z])|(?![\w\-–]|\.\d))"  # 296-mile is a quantity; 5G and VP-11 are not
    r"(?:\s+(?P<scale>thousand|million|billion)\b)?"
)
_YEAR = re.compile(r"^(1[89]\d\d|20\d\d)$")
_DECADE = re.compile(r"(?<![\w/.\-])(1[89]|20)\d0s\b")


@dataclass(frozen=True)
class Quantity:
    """A number as written in a sentence and the value it stands for."""

    text: str
    value: float


def visible_numbers(sentence: str) -> str:
    """`sentence` with every number character that is not a plain digit written out as the number a reader sees,
    standing apart: superscripts, subscripts, circled and parenthesised numbers, vulgar fractions (² is 2, ⑫ is
    12, ½ is 0.5). Such a character is a quantity of its own, like any number, and must have a value; without
    this, `12⁴` or `½` would pass the check unread. Letters with a numeric value (the CJK numerals, Roman
    numeral letters) are words, not digits, and stay as they are."""
    if sentence.isascii():
        return sentence
    out = []
    for char in sentence:
        value = unicodedata.numeric(char, None) if unicodedata.category(char) == "No" else None
        out.append(char if value is None else f" {value:g} ")
    return "".join(out)


def quantities(sentence: str) -> list[Quantity]:
    """The quantities written in `sentence`, in order; years and dates are left out."""
    sentence = visible_numbers(sentence)
    masked = _DAY_MONTH.sub(lambda m: "#" * len(m.group()), sentence)
    masked = _MONTH_DAY.sub(lambda m: "#" * len(m.group()), masked)
    masked = _DECADE.sub(lambda m: "#" * len(m.group()), masked)
    found: list[Quantity] = []
    for m in _NUMBER.finditer(masked):
        digits = m.group("num")
        tail = m.group("tail")
        if tail and int(tail[1:]) < int(digits.replace(",", "")):
            continue  # a designation such as Type 56-3, not a range
        if _YEAR.match(digits) and not m.group("frac") and not m.group("scale"):
            continue  # a year (and a year range such as 1992-2023)
        value = float(digits.replace(",", "") + (m.group("frac") or ""))
        if m.group("scale"):
            value *= _SCALES[m.group("scale")]
        found.append(Quantity(digits + (m.group("frac") or ""), value) if not m.group("scale")
                     else Quantity(sentence[m.start() : m.end()].strip(), value))
        if tail and not _YEAR.match(tail[1:]):  # a range such as 10-12: its upper end is a quantity too
            found.append(Quantity(tail[1:], float(tail[1:])))
    return found


def same_number(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))
