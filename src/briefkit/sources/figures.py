"""Reading the figures of a text, in digits or in words, as the numbers they stand for.

"nineteen" is 19, "twenty-seven" 27, "$21 million" 21,000,000, "48 thousand" 48,000, "70%" 70. A figure is any
number a reader could check against the source: years, days and the digits of names included, since the
source prints those too. Read the same way on both sides, a statement and its source compare number by number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_UNITS = {w: i for i, w in enumerate((
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
    "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"))}
_TENS = {w: 10 * i for i, w in enumerate(
    ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")) if i > 1}
_FIRST_WORDS = {*_UNITS, *_TENS}
_SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "bn": 1e9, "mn": 1e6, "m": 1e6}
_WORD_SCALES = ("thousand", "million", "billion", "trillion")
# "one" as a pronoun ("one of the best", "no one") is not a figure.
_PRONOUN_BEFORE = {"no", "any", "each", "every", "this", "that", "the", "which", "someone", "another"}
_PRONOUN_AFTER = {"of", "another", "day", "way", "side", "hand"}

_TOKEN = re.compile(
    r"(?P<digits>(?<![\d.,])\d{1,3}(?:[,\u202f\u00a0]\d{3})+(?:\.\d+)?(?!\d)|(?<![\d.,])\d+(?:\.\d+)?(?!\d))"
    r"(?P<decade>s\b)?"
    r"|(?P<word>[A-Za-z]+)"
)
_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december")


@dataclass(frozen=True)
class Figure:
    """A number as written and the value it stands for; a decade ("1990s") stands for any year in it."""

    text: str
    value: float
    decade: bool = False

    def found_in(self, values: set[float]) -> bool:
        if self.decade:
            return any(self.value <= v < self.value + 10 for v in values) or self.value in values
        return any(abs(v - self.value) <= 1e-9 * max(1.0, abs(v)) for v in values)


def figures(text: str) -> list[Figure]:
    """Every figure of `text`, in order."""
    tokens = list(_TOKEN.finditer(text))
    out: list[Figure] = []
    i = 0
    while i < len(tokens):
        m = tokens[i]
        if m.group("digits"):
            digits = m.group("digits")
            value = float(re.sub(r"[,\u202f\u00a0]", "", digits))
            j = i + 1
            scale, j = _scale_after(tokens, j, text, m.end())
            if m.group("decade") and value >= 1000 and value % 10 == 0:
                out.append(Figure(digits + "s", value, decade=True))
            else:
                out.append(Figure(text[m.start() : tokens[j - 1].end()] if scale != 1 else digits, value * scale))
            i = j
            continue
        if m.group("word").lower() not in _FIRST_WORDS:
            i += 1
            continue
        spelled, j = _words(tokens, i, text)
        if spelled is None:
            i += 1
            continue
        scale, j = _scale_after(tokens, j, text, tokens[j - 1].end())
        out.append(Figure(text[m.start() : tokens[j - 1].end()], spelled * scale))
        i = j
    return out


def values_of(text: str) -> set[float]:
    return {f.value for f in figures(text)}


def _scale_after(tokens: list[re.Match[str]], j: int, text: str, end: int) -> tuple[float, int]:
    """A scale word right after a number ("21 million", "$8.5bn"), and the index after it."""
    if j < len(tokens) and tokens[j].group("word"):
        word = tokens[j].group("word").lower()
        gap = text[end : tokens[j].start()]
        if word in _SCALES and (gap.strip() == "" and (gap or word in ("bn", "mn", "m"))) and \
                (word != "m" or not gap):
            return _SCALES[word], j + 1
    return 1.0, j


def _words(tokens: list[re.Match[str]], i: int, text: str) -> tuple[float | None, int]:
    """A number written in words from token i ("twenty-seven", "three hundred and five"), and the index after."""
    total = 0.0
    current = 0.0
    seen = False
    j = i
    while j < len(tokens) and tokens[j].group("word"):
        word = tokens[j].group("word").lower()
        gap = text[tokens[j - 1].end() : tokens[j].start()] if j > i else ""
        if j > i and gap.strip() not in ("", "-"):
            break
        if word in _UNITS:
            if seen and current % 10 != 0 and word != "zero":
                break
            current += _UNITS[word]
        elif word in _TENS:
            if seen and current % 100 != 0:
                break
            current += _TENS[word]
        elif word == "hundred" and seen:
            current *= 100
        elif word == "and" and seen and j + 1 < len(tokens) and tokens[j + 1].group("word") and \
                tokens[j + 1].group("word").lower() in {**_UNITS, **_TENS}:
            pass
        elif word in _WORD_SCALES and seen and j + 1 < len(tokens) and tokens[j + 1].group("word") and \
                tokens[j + 1].group("word").lower() in {**_UNITS, **_TENS}:
            total += current * _SCALES[word]
            current = 0.0
        else:
            break
        seen = True
        j += 1
    if not seen:
        return None, i + 1
    if j == i + 1 and tokens[i].group("word").lower() == "one" and _pronoun(tokens, i):
        return None, i + 1
    return total + current, j


def _pronoun(tokens: list[re.Match[str]], i: int) -> bool:
    before = tokens[i - 1].group(0).lower() if i > 0 else ""
    after = tokens[i + 1].group(0).lower() if i + 1 < len(tokens) else ""
    return before in _PRONOUN_BEFORE or after in _PRONOUN_AFTER


def has_date(text: str) -> bool:
    """Whether a sentence names a month (a date without digits: "In August, ...")."""
    return any(w.lower() in _MONTHS for w in re.findall(r"\b[A-Z][a-z]+\b", text))  # "May", not "may"
