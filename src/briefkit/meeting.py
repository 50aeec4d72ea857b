"""The meeting a brief prepares for (--meeting FILE): who, when, where, why, and what to raise or avoid."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from briefkit.errors import BriefkitError, Problem, display_path
from briefkit.factbase.dates import PartialDate
from briefkit.factbase.yamlfile import LList, LMap, line_of, load_yaml


class Meeting(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    title: str = Field(min_length=1)
    counterpart: str = Field(min_length=1)
    date: str
    place: str = Field(min_length=1)
    purpose: str = Field(min_length=1)
    objectives: list[str] = []
    raise_: list[str] = Field(default=[], alias="raise")
    avoid: list[str] = []
    topics: list[str] = []  # topic ids of the fact base: they weight the sections and talking points

    @field_validator("date", mode="before")
    @classmethod
    def _date(cls, value: object) -> str:
        return PartialDate.parse(value).iso()

    @property
    def when(self) -> PartialDate:
        return PartialDate.parse(self.date)


def load_meeting(path: Path, topics: dict[str, str]) -> Meeting:
    """Load a meeting file; its topics must be topics of the fact base."""
    if not path.is_file():
        raise BriefkitError(Problem(display_path(path), None, "meeting file not found"))
    data = load_yaml(path, error=BriefkitError)
    shown = display_path(path)
    if not isinstance(data, LMap):
        what = "is empty" if data is None else "is not a list of keys"
        required = ", ".join(n for n, f in Meeting.model_fields.items() if f.is_required())
        raise BriefkitError(Problem(shown, getattr(data, "line", None), f"{what}; a meeting file gives {required} "
                                                                          "(see examples/meetings/)"))
    try:
        meeting = Meeting.model_validate(data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            line = line_of(data, tuple(err["loc"])) if isinstance(data, (LMap, LList)) else None
            field = ".".join(str(p) for p in err["loc"]) or None
            problems.append(Problem(shown, line, str(err["msg"]).removeprefix("Value error, "), field))
        raise BriefkitError(*problems) from None
    bad = [t for t in meeting.topics if t not in topics]
    if bad:
        line = line_of(data, ("topics",)) if isinstance(data, LMap) else None
        known = ", ".join(sorted(topics))
        message = f"unknown topics {', '.join(bad)}; the fact base has: {known}"
        raise BriefkitError(Problem(shown, line, message, "topics"))
    return meeting
