"""How numbers, money, qualifiers and dates are written in every output: one place, so formats agree."""

from __future__ import annotations

from briefkit.factbase.dates import PartialDate

QUALIFIER_WORDS = {
    "exact": "",
    "approximately": "about",
    "about": "about",
    "over": "over",
    "more-than": "more than",
    "at-least": "at least",
    "almost": "almost",
    "nearly": "nearly",
    "up-to": "up to",
    "fewer-than": "fewer than",
}
_CURRENCY_SIGNS = {"USD": "$", "EUR": "€", "GBP": "£"}


def number(value: float) -> str:
    """12000 -> '12,000'; 7.62 -> '7.62'; 4.385 -> '4.385': every digit the source gives, never rounded."""
    if float(value).is_integer():
        return f"{int(value):,}"
    whole, _, fraction = repr(float(value)).partition(".")
    if "e" in fraction or "e" in whole:  # very small or large: Python's shortest exact form
        return repr(float(value))
    return f"{int(whole):,}.{fraction}" if whole != "-0" else f"-0.{fraction}"


def money(value: float, currency: str = "USD") -> str:
    """21000000 -> '$21 million'; 479000 -> '$479,000'; 8500000 -> '$8.5 million'."""
    sign = _CURRENCY_SIGNS.get(currency, "")
    suffix = "" if sign else f" {currency}"
    millions = value / 1000000
    exact = round(millions, 3) == millions  # $1.234567 million reads worse than $1,234,567; neither is rounded
    amount = f"{number(millions)} million" if abs(value) >= 1000000 and exact else number(value)
    return f"{sign}{amount}{suffix}"


def qualified(text: str, qualifier: str = "exact") -> str:
    word = QUALIFIER_WORDS.get(qualifier, "")
    return f"{word} {text}" if word else text


def cell(value: float, kind: str, qualifier: str = "exact", currency: str | None = None) -> str:
    """A dataset cell as printed in a table: the number in its kind's form, with the source's qualifier."""
    if kind == "money":
        text = money(value, currency or "USD")
    elif kind == "percent":
        text = f"{number(value)}%"
    elif kind == "year":
        text = str(int(value))
    else:
        text = number(value)
    return qualified(text, qualifier)


def human_date(iso: str) -> str:
    return PartialDate.parse(iso).human()


def heading(label: str, unit: str | None, kind: str = "number") -> str:
    """A column's or axis's name with the unit its numbers are in: 'Power (MW)'; the label alone when it names
    the unit already ('Trips a day' in trips) or the figures carry it (money, percent)."""
    if not unit or kind in ("money", "percent", "year", "date", "text"):
        return label
    if unit.lower() in label.lower() or unit.lower().rstrip("s") in label.lower():
        return label
    return f"{label} ({unit})"
