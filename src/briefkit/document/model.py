"""The format-neutral document model: what every writer takes, and the only thing it takes.

A brief is a `Document` (metadata, blocks, footnotes); a deck is a `Deck` (metadata, slides). Both are built
from Markdown by `document.parse`, so the DOCX, the PDF and the PPTX cannot say different things.
Writers decide how things look, never what is said.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal, Protocol

if TYPE_CHECKING:
    from briefkit.labels import Labels

# ---------------------------------------------------------------- inlines


@dataclass(frozen=True)
class Text:
    text: str


@dataclass(frozen=True)
class Emph:
    children: tuple[Inline, ...]


@dataclass(frozen=True)
class Strong:
    children: tuple[Inline, ...]


@dataclass(frozen=True)
class Link:
    children: tuple[Inline, ...]
    url: str


@dataclass(frozen=True)
class NoteRef:
    """A footnote reference; the note's content is `Document.notes[number - 1]`."""

    number: int


@dataclass(frozen=True)
class LineBreak:
    pass


Inline = Text | Emph | Strong | Link | NoteRef | LineBreak


def plain_text(inlines: tuple[Inline, ...] | list[Inline]) -> str:
    """The text of inlines without markup or note references (for alt text, titles, measuring)."""
    out: list[str] = []
    for node in inlines:
        if isinstance(node, Text):
            out.append(node.text)
        elif isinstance(node, (Emph, Strong, Link)):
            out.append(plain_text(node.children))
        elif isinstance(node, LineBreak):
            out.append(" ")
    return "".join(out)


# ---------------------------------------------------------------- charts and tables (built before the model)


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[float | None, ...]


@dataclass(frozen=True)
class ChartData:
    """The numbers behind a chart, so a writer can draw a native, editable chart (PPTX) from them."""

    family: Literal["bar", "barh", "stacked-bar", "timeline"]
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    value_label: str  # axis title, e.g. "Personnel" or "US dollars"
    number_format: str = "#,##0"  # Excel-style format for data labels and axis
    labels: tuple[str, ...] = ()  # per-category display labels with qualifiers, e.g. "over 5,000"
    colours: tuple[str, ...] = ()  # per series, '#RRGGBB': the drawn chart's, so a native chart matches it


class ChartImage(Protocol):
    """A chart's picture, made in the format a writer asks for: "svg" (PDF) or "png" (DOCX, 200 dpi)."""

    def draw(self, fmt: str) -> bytes: ...

    def placeholder(self) -> bytes | None:
        """An empty SVG of exactly the picture's size, to lay a page out around while the picture is drawn; None
        when the picture is made already."""
        ...


@dataclass(frozen=True)
class Drawn:
    """A picture already made in both formats (a test's, or one drawn elsewhere)."""

    svg_bytes: bytes
    png_bytes: bytes

    def draw(self, fmt: str) -> bytes:
        return self.svg_bytes if fmt == "svg" else self.png_bytes

    def placeholder(self) -> bytes | None:
        return None


@dataclass(frozen=True)
class Figure:
    """A chart: its picture for DOCX (PNG) and PDF (SVG), the data for native PPTX charts, and its words.

    The picture is drawn when a writer first asks for it, so each format's is drawn in the process that writes
    that format, side by side (`briefkit.charts.Drawing`, decision 23)."""

    id: str
    title: str
    caption: str
    source_note: str  # e.g. "Sources: Carnegie (2025); Kızılay (2022)."
    alt: str  # written from the data: what the chart shows, with its numbers
    data: ChartData
    image: ChartImage
    number: int = 0  # "Figure 1"; set by the parser in document order

    @property
    def svg(self) -> bytes:
        return self.image.draw("svg")

    @property
    def png(self) -> bytes:
        return self.image.draw("png")


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height in pixels from a PNG's IHDR chunk (always the first, at a fixed offset)."""
    width, height = struct.unpack(">II", data[16:24])
    return width, height


@dataclass(frozen=True)
class Table:
    id: str
    title: str
    caption: str
    source_note: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: tuple[bool, ...]  # right-align these columns
    widths: tuple[float, ...] = ()  # relative column widths (sum 1); empty = equal
    number: int = 0


# ---------------------------------------------------------------- blocks


@dataclass(frozen=True)
class Heading:
    level: int  # 1 = section, 2 = subsection
    inlines: tuple[Inline, ...]
    anchor: str = ""


@dataclass(frozen=True)
class Paragraph:
    inlines: tuple[Inline, ...]
    style: str = ""  # "" body text; "lead" for a section's opening judgment; "small" for notes


@dataclass(frozen=True)
class BulletList:
    items: tuple[tuple[Inline, ...], ...]
    ordered: bool = False


@dataclass(frozen=True)
class Box:
    """A shaded box: `kind` is "bottom-line", "meeting", "judgments", "callout" or a theme's own kind."""

    kind: str
    title: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class FigureBlock:
    figure: Figure


@dataclass(frozen=True)
class TableBlock:
    table: Table


@dataclass(frozen=True)
class TableOfContents:
    """Where a table of contents goes (long audiences only)."""

    title: str = "Contents"

    @staticmethod
    def depth(headings: int) -> int:
        """Heading levels listed: sections and subsections, unless that makes the list longer than about half a
        page; then sections only. One rule for every format, so the DOCX and PDF contents are the same length."""
        return 2 if headings <= 20 else 1


@dataclass(frozen=True)
class PageBreak:
    pass


Block = Heading | Paragraph | BulletList | Box | FigureBlock | TableBlock | TableOfContents | PageBreak


# ---------------------------------------------------------------- documents


@dataclass(frozen=True)
class Meta:
    """Metadata every format records: title, author, dates, language, keywords."""

    title: str
    subtitle: str
    author: str  # the theme's organisation
    subject: str
    keywords: tuple[str, ...]
    language: str  # BCP 47, e.g. "en-GB"
    date_iso: str  # the as-of date shown on the title block, YYYY-MM-DD
    date_human: str  # e.g. "24 November 2026"
    timestamp: int  # seconds since the epoch for file metadata (SOURCE_DATE_EPOCH when set)
    audience: str  # audience title, e.g. "Analyst"
    marking: str  # distribution marking, e.g. "For discussion"
    labels: Labels | None = None  # the words briefkit writes itself, in the fact base's language; None = English

    def label(self, key: str, **values: object) -> str:
        """A label of this brief's language with its {placeholders} filled in (`briefkit.labels`)."""
        from briefkit.labels import current

        return (self.labels or current()).text(key, **values)


@dataclass(frozen=True)
class Document:
    meta: Meta
    blocks: tuple[Block, ...]
    notes: tuple[tuple[Inline, ...], ...]  # footnote n is notes[n - 1]


SlideKind = Literal["title", "section", "bullets", "chart", "table", "sources"]


@dataclass(frozen=True)
class Slide:
    kind: SlideKind
    title: str
    subtitle: str = ""  # title slide: subtitle line; others: unused
    bullets: tuple[tuple[Inline, ...], ...] = ()
    figure: Figure | None = None
    table: Table | None = None
    box: Box | None = None  # title slide: the meeting box
    source_line: str = ""  # "Sources: ..." printed at the foot of the slide
    notes: str = ""  # speaker notes, plain text with line breaks
    continued: bool = False  # a continuation slide made by splitting


@dataclass(frozen=True)
class Deck:
    meta: Meta
    slides: tuple[Slide, ...] = field(default_factory=tuple)
