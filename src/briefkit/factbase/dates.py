"""Partial ISO dates (2016, 2016-10, 2016-10-22): parsing, ordering and display."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

_PARTIAL = re.compile(r"^([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?$")  # ASCII digits: \d takes any script's
_MONTH_NAMES = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]


@dataclass(frozen=True, order=True)
class PartialDate:
    """A date known to the year, the month or the day. Compared by its earliest possible day."""

    year: int
    month: int | None = None
    day: int | None = None

    @classmethod
    def parse(cls, text: object) -> PartialDate:
        """Parse '2016', '2016-10' or '2016-10-22'; raise ValueError with a message a user can act on."""
        if isinstance(text, int) and not isinstance(text, bool):
            text = str(text)
        if not isinstance(text, str):
            raise ValueError(f"{text!r} is not a date; write YYYY, YYYY-MM or YYYY-MM-DD")
        m = _PARTIAL.match(text.strip())
        if not m:
            raise ValueError(f"{text!r} is not a date; write YYYY, YYYY-MM or YYYY-MM-DD")
        year = int(m[1])
        month = int(m[2]) if m[2] else None
        day = int(m[3]) if m[3] else None
        if year < 1:
            raise ValueError(f"{text!r} is not a valid year; years run from 0001 to 9999")
        if month is not None and not 1 <= month <= 12:
            raise ValueError(f"{text!r} is not a valid month")
        if day is not None:
            try:
                dt.date(year, month or 1, day)
            except ValueError:
                raise ValueError(f"{text!r} is not a valid day") from None
        return cls(year, month or None, day or None)

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month or 1, self.day or 1)

    @property
    def last_day(self) -> dt.date:
        if self.day:
            return self.first_day
        if self.month:
            return dt.date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])
        return dt.date(self.year, 12, 31)

    def iso(self) -> str:
        parts = [f"{self.year:04d}"] + [f"{p:02d}" for p in (self.month, self.day) if p]
        return "-".join(parts)

    def human(self) -> str:
        """'22 November 2022', 'November 2022' or '2022'."""
        if self.month and self.day:
            return f"{self.day} {_MONTH_NAMES[self.month - 1]} {self.year}"
        if self.month:
            return f"{_MONTH_NAMES[self.month - 1]} {self.year}"
        return str(self.year)

    def __str__(self) -> str:
        return self.iso()
