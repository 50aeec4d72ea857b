"""The resolved theme that writers and charts receive: values and file paths, no YAML, no lookups."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Colours:
    primary: str = "#1F3A5F"  # headings, title bars, first chart series
    accent: str = "#B5121B"  # rules, markings, highlights
    text: str = "#1E1E1E"
    muted: str = "#5B6675"  # captions, source notes
    box: str = "#EDF1F6"  # fill of boxes (bottom line, meeting)
    palette: tuple[str, ...] = ("#1F3A5F", "#B5121B", "#5E8AB4", "#D89B2B", "#4F7F52", "#8A6A9A", "#7A7A7A")


@dataclass(frozen=True)
class FontChoice:
    """`family` is the open font used to render (PDF, charts, measuring); `office` is the name written into
    DOCX and PPTX, a font readers' machines have with the same metrics (Carlito is metric-compatible with
    Calibri), so line wraps and page breaks match across formats."""

    family: str = "Carlito"
    office: str = "Calibri"


@dataclass(frozen=True)
class Fonts:
    body: FontChoice = field(default_factory=FontChoice)
    heading: FontChoice = field(default_factory=FontChoice)
    size_pt: float = 10.5  # body text in the brief


@dataclass(frozen=True)
class Theme:
    name: str
    organisation: str
    colours: Colours
    fonts: Fonts
    logo: bytes | None = None  # PNG bytes
    logo_name: str = ""
    page_size: str = "A4"  # A4 or Letter
    reference_docx: Path | None = None  # a user's styles source; None = built-in styles
    master_pptx: Path | None = None  # a user's slide master; None = built-in master
    layouts: dict[str, str] = field(default_factory=dict)  # slide kind -> layout name in the master
    css: str = ""  # the PDF stylesheet (brief.css) after theme variables are filled in
    email_from: str = "briefs@example.org"
    email_to: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()  # one line each: how the formats share (or do not share) the user's styles

    @property
    def palette(self) -> tuple[str, ...]:
        return self.colours.palette


DEFAULT_LAYOUTS = {
    "title": "Title Slide",
    "section": "Section Header",
    "bullets": "Title and Content",
    "chart": "Title Only",
    "table": "Title Only",
    "sources": "Title and Content",
}
