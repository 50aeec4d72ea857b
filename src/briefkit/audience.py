"""Audience profiles: data (templates/audiences/*.yaml) saying what a reader gets and how long it may be."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from briefkit.errors import Problem, TemplateError, display_path
from briefkit.factbase.yamlfile import LList, LMap, line_of, load_yaml

Part = Literal["bottom_line", "judgments", "toc", "sections", "conflicts", "talking_points", "indicators", "sources"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _span(value: tuple[int, int]) -> tuple[int, int]:
    low, high = value
    if low < 1 or high < low:
        raise ValueError(f"[{low}, {high}] is not a range: write [least, most], at least 1")
    return value


class Limits(_Strict):
    """Measured on the built files; a build that breaks one says so and fails."""

    brief_pages: tuple[int, int] = (1, 40)
    deck_slides: tuple[int, int] = (1, 40)

    _check = field_validator("brief_pages", "deck_slides")(_span)


class DeckProfile(_Strict):
    bullets_per_slide: int = Field(default=4, ge=1, le=6)
    section_slides: bool = True  # one slide per brief section
    figures: bool = True  # the sections' charts on their slides
    tables: bool = True  # a slide (or more) per table of the chosen sections
    judgments_slide: bool = True
    talking_points_slide: bool = True
    conflicts_slide: bool = True
    max_figures: int | None = None  # None = every figure the brief shows


class Audience(_Strict):
    name: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: str = Field(min_length=1)
    description: str = Field(min_length=1)
    marking: str = "For discussion"
    parts: list[Part] = Field(min_length=1)
    sections: list[str] | Literal["all"] = "all"  # section ids in order; "*" stands for the others
    max_weight: Literal[1, 2, 3] = 3
    facts_per_section: int = Field(default=0, ge=0)  # 0 = no cap
    facts_off_topic: int = Field(default=0, ge=0)  # with a meeting: cap for sections off its topics; 0 = as above
    bottom_line: int | None = Field(default=None, ge=1)  # paragraphs of the bottom line; None = all
    judgments: int = Field(default=5, ge=1)
    talking_points: int = Field(default=6, ge=0)
    indicators: int = Field(default=6, ge=0)
    charts: int | None = None  # None = all charts of the chosen sections
    tables: int | None = None
    max_figure_weight: Literal[1, 2, 3] = 3
    deck: DeckProfile = DeckProfile()
    limits: Limits = Limits()
    tone: str = ""  # guidance for template authors; available to templates as audience.tone
    with_meeting: dict[str, Any] = {}  # values that replace the ones above when the brief is for a meeting

    @field_validator("with_meeting")
    @classmethod
    def _not_name(cls, value: dict[str, Any]) -> dict[str, Any]:
        wrong = sorted({"name", "with_meeting"} & set(value))
        if wrong:
            raise ValueError(f"a meeting cannot change {', '.join(wrong)}")
        return value

    def for_meeting(self) -> Audience:
        """The profile as it applies to a brief for a meeting: `with_meeting` merged in (nested keys one by one)."""
        if not self.with_meeting:
            return self
        merged = _merge(self.model_dump(exclude={"with_meeting"}), dict(self.with_meeting))
        return Audience.model_validate(merged)


def _merge(base: dict[str, Any], top: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in top.items():
        out[key] = _merge(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out


def load_audience(path: Path, section_ids: Iterable[str] | None = None) -> Audience:
    """Load and check one profile (its `with_meeting` values too). Sections it names that a fact base lacks are
    not an error: the selection falls back and says so (`selection.resolve_sections`)."""
    data = load_yaml(path, error=TemplateError, inside=path.parent)  # no symlink out of the profiles folder
    shown = display_path(path)
    try:
        audience = Audience.model_validate({"name": path.stem, **data} if isinstance(data, dict) else data)
    except ValidationError as exc:
        raise TemplateError(*_problems(exc, data, shown)) from None
    try:
        audience.for_meeting()
    except ValidationError as exc:
        raise TemplateError(*_problems(exc, data, shown, ("with_meeting",))) from None
    return audience


def _problems(exc: ValidationError, data: object, shown: str, prefix: tuple[str, ...] = ()) -> list[Problem]:
    problems = []
    for err in exc.errors():
        loc = prefix + tuple(str(p) if not isinstance(p, int) else p for p in err["loc"])
        line = line_of(data, loc) if isinstance(data, (LMap, LList)) else None
        field = ".".join(str(p) for p in loc) or None
        problems.append(Problem(shown, line, str(err["msg"]).removeprefix("Value error, "), field))
    return problems


def limit_problems(audience: Audience, profile: Path, measured: dict[str, int], built: str,
                   minimum: bool = True, to_cut: dict[str, str] | None = None) -> tuple[list[Problem], list[str]]:
    """The limits the measured outputs break, each located at its line in the profile and naming what could be
    cut (`to_cut`); and, as notes, the lengths under the least of the range (a warning, not a failure: a short
    brief still serves its reader). The least lengths are noted only with `minimum` (a brief as of an early date
    is short by nature)."""
    labels = {"brief_pages": ("brief", "pages"), "deck_slides": ("deck", "slides")}
    problems, notes = [], []
    for key, (what, unit) in labels.items():
        if key not in measured:
            continue
        low, high = getattr(audience.limits, key)
        if measured[key] < low and minimum:
            notes.append(f"{audience.name}: the {what} comes to {measured[key]} {unit}, under the {low} to {high} "
                         f"the profile expects ({display_path(profile)} limits.{key}); published as it is")
        if measured[key] <= high:
            continue
        data = load_yaml(profile, error=TemplateError)
        line = line_of(data, ("limits", key)) if isinstance(data, LMap) else None
        hint = (to_cut or {}).get(key)
        cut = f"; to shorten it, {hint}" if hint else ""
        problems.append(Problem(display_path(profile), line,
                                f"the {audience.name} {what} comes to {measured[key]} {unit}; the limit is {low} to "
                                f"{high}{cut}; {built} keeps its previous files (--no-limits builds it anyway)",
                                f"limits.{key}"))
    return problems, notes
