"""Reading the quantities written in a sentence, so each can be matched to a typed value.

What is a quantity: a number written in digits, with its sign (-8,100 is minus 8100, not 100), its scale word
("37.8 million", "38 миллионов", "2 thousand") and, for a range ("10-12", "1.5-2 million"), both ends.

What is not: years (2019, and year spans such as 1981-2010), days of the month (1 July, July 1), decades (1990s),
digits inside a word or designation (VP-11, 5G, Type 56-3, MSC.385), and every name the fact base declares in
`names:` ("Project 22220", "Ice 2", "Resolution 2231"): such names are masked before the sentence is read.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

_MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December|"
    "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
)
_DAY_MONTH = re.compile(rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_MONTHS})\b")
_MONTH_DAY = re.compile(rf"\b(?:{_MONTHS})\s+\d{{1,2}}(?:st|nd|rd|th)?\b(?!,?\d)")
_DECADE = re.compile(r"(?<![\w/.\-])(1[89]|20)\d0s\b")
_DIGITS = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")
_YEAR = re.compile(r"^(1[89]\d\d|20\d\d)$")
_MINUS = "-\u2212"  # hyphen-minus and the minus sign; an en dash joins a range, it is no sign
_JOIN = "-\u2013"  # what joins the two ends of a range written without spaces: 10-12, 10–12

# Scale words, English and Russian (every case form), with what they multiply by.
_SCALE_WORDS = {
    "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12,
    "тысяча": 1e3, "тысячи": 1e3, "тысяч": 1e3, "тыс.": 1e3, "тыс": 1e3,
    "миллион": 1e6, "миллиона": 1e6, "миллионов": 1e6, "млн": 1e6,
    "миллиард": 1e9, "миллиарда": 1e9, "миллиардов": 1e9, "млрд": 1e9,
}
_SCALE = re.compile(r"\s+(" + "|".join(sorted(map(re.escape, _SCALE_WORDS), key=len, reverse=True)) + r")(?!\w)",
                    re.IGNORECASE)


@dataclass(frozen=True)
class Quantity:
    """A number as written in a sentence and the value it stands for."""

    text: str
    value: float
    start: int = -1  # where it starts in the sentence


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


def mask_names(sentence: str, names: Iterable[str]) -> str:
    """`sentence` with every declared name blotted out (same length), longest names first."""
    for name in sorted({n for n in names if n}, key=len, reverse=True):
        sentence = re.sub(rf"(?<!\w){re.escape(name)}(?!\w)", lambda m: "#" * len(m.group()), sentence)
    return sentence


def quantities(sentence: str, names: Iterable[str] = ()) -> list[Quantity]:
    """The quantities written in `sentence`, in order; years, dates and the `names` given are left out. Texts
    (`Quantity.text`) and positions are those of the sentence with its number characters made visible."""
    sentence = visible_numbers(sentence)
    masked = mask_names(sentence, names)
    for pattern in (_DAY_MONTH, _MONTH_DAY, _DECADE):
        masked = pattern.sub(lambda m: "#" * len(m.group()), masked)
    found: list[Quantity] = []
    tokens = list(_DIGITS.finditer(masked))
    skip: set[int] = set()
    for i, m in enumerate(tokens):
        if i in skip:
            continue
        start, end = m.start(), m.end()
        before = masked[start - 1] if start else " "
        sign = 1.0
        if before in _MINUS and (start < 2 or not masked[start - 2].isalnum()):
            sign, start = -1.0, start - 1  # a minus sign: -8,100
        elif before.isalnum() or before in "/._#,-\u2013\u2212":
            continue  # inside a name or designation: VP-11, CS/SS4, v1.2, MSC.385
        after = masked[end] if end < len(masked) else " "
        upper = None
        if after in _JOIN and i + 1 < len(tokens) and tokens[i + 1].start() == end + 1:
            upper = tokens[i + 1]  # a range such as 10-12, or a designation such as Type 56-3
            skip.add(i + 1)
            after_upper = masked[upper.end()] if upper.end() < len(masked) else " "
            if after_upper.isalnum() or after_upper == "#":
                continue
        elif after.isalnum() or after == "#" or (after in "-\u2013" and not _word_follows(masked, end + 1)):
            continue  # 5G, 3D, a figure glued to a name
        head = float(m.group().replace(",", "")) * sign
        tail = float(upper.group().replace(",", "")) if upper else None
        if upper is not None and tail is not None and tail < abs(head):
            continue  # Type 56-3: a designation, not a range
        scale_at = upper.end() if upper else end
        scale = _SCALE.match(masked, scale_at)
        factor = _SCALE_WORDS[scale.group(1).lower()] if scale else 1.0
        if not scale and sign > 0 and _YEAR.match(m.group()) and (upper is None or _YEAR.match(upper.group())):
            continue  # a year, or a span of years such as 1981-2010
        stop = scale.end() if scale else (upper.end() if upper else end)
        if upper is None:
            found.append(Quantity(sentence[start:stop].strip(), _scaled(head, factor), start))
            continue
        found.append(Quantity(sentence[start:end] + (sentence[scale.start():scale.end()] if scale else ""),
                              _scaled(head, factor), start))
        found.append(Quantity(sentence[upper.start():stop].strip(), _scaled(tail or 0.0, factor), upper.start()))
    return found


def _word_follows(text: str, at: int) -> bool:
    """296-mile: a number joined to the word it counts is still a quantity."""
    return at < len(text) and text[at].isalpha()


def _scaled(value: float, factor: float) -> float:
    """Exact where the decimal digits allow: 37.8 million is 37800000, not 37799999.999999996."""
    return round(value * factor, 6) if factor != 1.0 else value


def same_number(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def scale_hint(q: Quantity, values: Iterable[float]) -> str:
    """When a number matches a value once a scale word is added ('37.8' for 37,800,000), the words to write."""
    for value in values:
        for word, factor in (("thousand", 1e3), ("million", 1e6), ("billion", 1e9)):
            if same_number(_scaled(q.value, factor), value):
                return f"; a cited value is {value:,.0f}: write '{q.text} {word}' if that is what is meant"
    return ""


_NAME_BEFORE = re.compile(r"(?:^|\s)([A-Z][\w.\-]*)\s+$")


def name_hint(sentence: str, q: Quantity) -> str:
    """When a number follows a capitalised word ('Project 22220', 'Arc 6'), it may be part of a name."""
    match = _NAME_BEFORE.search(sentence[: max(q.start, 0)])
    if q.start <= 0 or match is None:
        return ""
    return (f"; if '{match.group(1)} {q.text}' is a name, list it under `names:` (see docs/factbase.md, "
            "Numbers and values)")
