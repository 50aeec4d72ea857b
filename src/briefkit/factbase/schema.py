"""The fact base's schema: pydantic models for each file. Cross-file rules live in checks.py."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from briefkit.factbase.dates import PartialDate

Id = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=80)]
Qualifier = Literal[
    "exact", "approximately", "about", "over", "more-than", "at-least", "almost", "nearly", "up-to", "fewer-than"
]
FactKind = Literal["event", "figure", "agreement", "assessment", "quote", "context"]
ConflictAbout = Literal["date", "figure", "count", "characterization", "name", "place"]


class Strict(BaseModel):
    """Unknown keys are errors: a misspelt key would otherwise vanish silently."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


def _date(value: object) -> str:
    return PartialDate.parse(value).iso()


class Section(Strict):
    id: Id
    title: str = Field(min_length=1)
    topics: list[Id] = Field(min_length=1)


class FactbaseInfo(Strict):
    subject: str = Field(min_length=1)
    short_name: Id
    language: str = Field(default="en", pattern=r"^[a-z]{2,3}(-[A-Z]{2})?$")
    topics: dict[Id, str] = Field(min_length=1)
    sections: list[Section] = Field(min_length=1)
    names: list[str] = []  # names with digits that are no quantity ("Project 22220", "Resolution 2231")
    roles: dict[Id, list[Id]] = {}  # role -> section ids, in order: what `sections: [role:defence]` reads
    audience_titles: dict[Id, str] = {}  # an audience's title for this subject: {defence: Maritime security}


class Source(Strict):
    id: Id
    title: str = Field(min_length=1)
    authors: list[str] = []
    publisher: str = Field(min_length=1)
    date: str
    date_note: str | None = None
    kind: str = Field(min_length=1)
    url: str | None = Field(default=None, pattern=r"^https?://")
    text: str | None = None
    reliability: str = Field(min_length=1)

    _check_date = field_validator("date", mode="before")(_date)

    @property
    def published(self) -> PartialDate:
        return PartialDate.parse(self.date)


class Citation(Strict):
    source: Id
    locator: str = Field(min_length=1)


class Derivation(Strict):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)
    from_: list[Id] = Field(alias="from", min_length=1)
    method: str = Field(min_length=1)


class Value(Strict):
    value: float | int
    unit: str | None = None
    currency: str | None = Field(default=None, pattern=r"^[A-Z]{3}$")
    qualifier: Qualifier = "exact"
    derived: Derivation | None = None

    @model_validator(mode="after")
    def _unit_or_currency(self) -> Value:
        if not self.unit and not self.currency:
            raise ValueError("give a unit (e.g. people, percent) or a currency (e.g. USD)")
        return self


class Quote(Strict):
    speaker: str = Field(min_length=1)
    text: str = Field(min_length=1)


class Fact(Strict):
    id: Id
    statement: str = Field(min_length=10)
    date: str
    until: str | None = None
    topic: Id
    kind: FactKind = "event"
    weight: Literal[1, 2, 3] = 2
    tags: list[str] = []
    sources: list[Citation] = Field(min_length=1)
    values: list[Value] = []
    names: list[str] = []  # names with digits in this statement that are no quantity ("Ice 2", "Arc 6")
    quote: Quote | None = None

    _check_date = field_validator("date", "until", mode="before")(lambda v: v if v is None else _date(v))

    @property
    def when(self) -> PartialDate:
        return PartialDate.parse(self.date)

    @property
    def source_ids(self) -> list[str]:
        return [c.source for c in self.sources]


class Conflict(Strict):
    id: Id
    topic: Id
    about: ConflictAbout
    facts: list[Id] = Field(min_length=2)
    note: str = Field(min_length=10)
    more_credible: Id | None = None


class FactFile(Strict):
    facts: list[Fact] = []
    conflicts: list[Conflict] = []


ColumnType = Literal["text", "year", "date", "number", "money", "percent"]


class Column(Strict):
    name: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
    type: ColumnType = "text"
    label: str = Field(min_length=1)
    unit: str | None = None
    currency: str | None = None


class Cell(Strict):
    value: float | int
    qualifier: Qualifier = "exact"


class Dataset(Strict):
    model_config = ConfigDict(extra="forbid", frozen=True)
    dataset: Id
    title: str = Field(min_length=1)
    note: str | None = None
    columns: list[Column] = Field(min_length=1)
    records: list[dict[str, object]] = Field(min_length=1)


class ChartSpec(Strict):
    id: Id
    family: Literal["bar", "barh", "stacked-bar", "timeline"]
    dataset: Id | None = None  # not needed for a timeline, which counts facts
    x: str | None = None
    y: str | None = None
    series: str | None = None
    title: str = Field(min_length=1)
    caption: str = Field(min_length=1)
    sections: list[Id] = []  # where the chart belongs in the brief
    weight: Literal[1, 2, 3] = 2
    aggregate: Literal["sum"] | None = None  # records sharing a bar are summed, and the chart says so by name


class TableSpec(Strict):
    id: Id
    dataset: Id
    columns: list[str] = Field(min_length=1)
    title: str = Field(min_length=1)
    caption: str = Field(min_length=1)
    sections: list[Id] = []
    weight: Literal[1, 2, 3] = 2
    sort: str | None = None


class Figures(Strict):
    charts: list[ChartSpec] = []
    tables: list[TableSpec] = []


class Point(Strict):
    """An analytical sentence of the project's: it must cite the facts that support it."""

    id: Id
    text: str = Field(min_length=10)
    facts: list[Id] = Field(min_length=1)
    topics: list[Id] = []
    weight: Literal[1, 2, 3] = 2
    names: list[str] = []  # names with digits in this text that are no quantity


class Analysis(Strict):
    title: str = Field(min_length=1)
    subtitle: str | None = None
    keywords: list[str] = []
    bottom_line: list[Point] = Field(min_length=1)
    judgments: list[Point] = Field(min_length=1)
    talking_points: list[Point] = []
    indicators: list[Point] = []
    section_leads: dict[Id, Point] = {}


TAG = re.compile(r"^[a-z0-9][a-z0-9 -]*$")
