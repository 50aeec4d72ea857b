"""Audience profiles: data (templates/audiences/*.yaml) saying what a reader gets and how long it may be."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from briefkit.errors import Problem, TemplateError, display_path
from briefkit.factbase.yamlfile import LList, LMap, line_of, load_yaml

Part = Literal["bottom_line", "judgments", "toc", "sections", "conflicts", "talking_points", "indicators", "sources"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Limits(_Strict):
    """Measured on the built files; a build that breaks one says so and fails."""

    brief_pages: tuple[int, int] = (1, 40)
    deck_slides: tuple[int, int] = (1, 40)


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
    title: str
    description: str
    marking: str = "For discussion"
    parts: list[Part] = Field(min_length=1)
    sections: list[str] | Literal["all"] = "all"  # section ids in order; "*" stands for the others
    max_weight: Literal[1, 2, 3] = 3
    facts_per_section: int = Field(default=0, ge=0)  # 0 = no cap
    judgments: int = Field(default=5, ge=1)
    talking_points: int = Field(default=6, ge=0)
    indicators: int = Field(default=6, ge=0)
    charts: int | None = None  # None = all charts of the chosen sections
    tables: int | None = None
    max_figure_weight: Literal[1, 2, 3] = 3
    deck: DeckProfile = DeckProfile()
    limits: Limits = Limits()
    tone: str = ""  # guidance for template authors; available to templates as audience.tone


def load_audience(path: Path) -> Audience:
    data = load_yaml(path, error=TemplateError)
    try:
        return Audience.model_validate({"name": path.stem, **data} if isinstance(data, dict) else data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            line = line_of(data, tuple(err["loc"])) if isinstance(data, (LMap, LList)) else None
            field = ".".join(str(p) for p in err["loc"]) or None
            problems.append(Problem(display_path(path), line, str(err["msg"]).removeprefix("Value error, "), field))
        raise TemplateError(*problems) from None


def audience_files(folders: list[Path]) -> dict[str, Path]:
    """Audience name -> profile file; a file in an earlier folder (the user's theme) wins."""
    found: dict[str, Path] = {}
    for folder in folders:
        for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
            found.setdefault(path.stem, path)
    return found
