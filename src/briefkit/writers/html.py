"""The brief as one HTML page for WeasyPrint: the document model in, a semantic, accessible HTML string out.

The HTML carries structure and words only; how it looks is the stylesheet's business (`brief.css`), and how
it becomes a PDF is `pdf.py`'s. Structure is chosen for the tagged PDF that WeasyPrint derives from it:
the title is the one `h1` (sections are `h2`, subsections `h3`), pictures are `img` with `alt` (tagged
Figure with /Alt), tables have `caption`, `thead` and `th scope=col` (tagged TH, repeated on every page),
and footnotes are spans floated to the page foot by CSS Paged Media (`float: footnote`).
"""

from __future__ import annotations

import base64
import datetime as dt
import re
from dataclasses import dataclass, field
from html import escape

from briefkit.document.model import (
    Block,
    Box,
    BulletList,
    ChartImage,
    Document,
    Emph,
    Figure,
    FigureBlock,
    Heading,
    Inline,
    LineBreak,
    Link,
    Meta,
    NoteRef,
    PageBreak,
    Paragraph,
    Strong,
    Table,
    TableBlock,
    TableOfContents,
    Text,
    plain_text,
)
from briefkit.theme.model import Theme

_LINK_SCHEMES = ("http://", "https://", "mailto:", "#")
KEEP_TOGETHER_ROWS = 15  # a table this short moves to the next page whole rather than split (as in the DOCX)
_LEAD_ROWS = 2  # a longer table starts a page only with at least this many rows under its caption and header


def document_html(doc: Document, theme: Theme, late: dict[bytes, ChartImage] | None = None) -> str:
    """The whole brief as an HTML document: head with the metadata WeasyPrint maps into the PDF, then body.

    With `late`, a chart not drawn yet is placed as an empty SVG of its size, recorded in `late` with the picture
    to put in its place once the pages are laid out (decision 26)."""
    writer = _HtmlWriter(doc, late)
    body = "\n".join([title_block(doc.meta, theme), "<main>", writer.blocks(doc.blocks), "</main>"])
    return (f'<!DOCTYPE html>\n<html lang="{_attr(doc.meta.language)}">\n<head>\n{head(doc.meta)}\n</head>\n'
            f"<body>\n{body}\n</body>\n</html>\n")


def head(meta: Meta) -> str:
    """<title> and <meta> that WeasyPrint writes as the PDF's Title, Author, Subject, Keywords and dates."""
    stamp = dt.datetime.fromtimestamp(meta.timestamp, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    fields = [
        ("author", meta.author), ("description", meta.subject), ("keywords", ", ".join(meta.keywords)),
        ("generator", "briefkit"), ("dcterms.created", stamp), ("dcterms.modified", stamp),
    ]
    lines = ['<meta charset="utf-8">', f"<title>{escape(meta.title)}</title>"]
    lines += [f'<meta name="{name}" content="{_attr(value)}">' for name, value in fields if value]
    return "\n".join(lines)


def title_block(meta: Meta, theme: Theme) -> str:
    """The masthead: logo and organisation, marking, title, subtitle, audience and date."""
    logo = ""
    if theme.logo:
        data = base64.b64encode(theme.logo).decode("ascii")
        logo = f'<img class="logo" src="data:image/png;base64,{data}" alt="{_attr(theme.organisation)} logo">'
    parts = [
        '<header class="title-block">',
        f'<div class="masthead">{logo}<p class="organisation">{escape(theme.organisation)}</p></div>',
        f'<p class="marking">{escape(meta.marking)}</p>' if meta.marking else "",
        f'<h1 class="title">{escape(meta.title)}</h1>',
        f'<p class="subtitle">{escape(meta.subtitle)}</p>' if meta.subtitle else "",
        '<p class="dateline">' + " <span class=\"sep\">\u00b7</span> ".join(
            x for x in (escape(meta.audience), f'<time datetime="{_attr(meta.date_iso)}">'
                        f"{escape(meta.date_human)}</time>") if x) + "</p>",
        "</header>",
    ]
    return "\n".join(p for p in parts if p)


@dataclass
class _HtmlWriter:
    """Walks the blocks once, in order; remembers which notes are placed and which ids are taken."""

    doc: Document
    late: dict[bytes, ChartImage] | None = None
    placed_notes: set[int] = field(default_factory=set)
    anchors: list[tuple[Heading, str]] = field(default_factory=list)  # every heading with its unique HTML id
    headings_written: int = 0

    def __post_init__(self) -> None:
        taken: set[str] = set()
        for n, heading in enumerate(_headings(self.doc.blocks), start=1):
            base = _html_id(heading.anchor) or f"section-{n}"
            anchor, i = base, 2
            while anchor in taken:
                anchor, i = f"{base}-{i}", i + 1
            taken.add(anchor)
            self.anchors.append((heading, anchor))

    # ------------------------------------------------------------ blocks

    def blocks(self, blocks: tuple[Block, ...]) -> str:
        return "\n".join(self.block(b) for b in blocks)

    def block(self, block: Block) -> str:
        if isinstance(block, Heading):
            return self.heading(block)
        if isinstance(block, Paragraph):
            cls = f' class="{_attr(block.style)}"' if block.style else ""
            return f"<p{cls}>{self.inlines(block.inlines)}</p>"
        if isinstance(block, BulletList):
            tag = "ol" if block.ordered else "ul"
            items = "".join(f"<li>{self.inlines(item)}</li>" for item in block.items)
            return f"<{tag}>{items}</{tag}>"
        if isinstance(block, Box):
            return self.box(block)
        if isinstance(block, FigureBlock):
            return self.figure(block.figure)
        if isinstance(block, TableBlock):
            return table_html(block.table)
        if isinstance(block, TableOfContents):
            return self.toc(block)
        if isinstance(block, PageBreak):
            return '<div class="page-break"></div>'
        raise TypeError(f"unknown block {type(block).__name__}")

    def figure(self, figure: Figure) -> str:
        """The chart, or (when collecting `late` charts) an empty SVG of its size, noted to be put in later."""
        placeholder = figure.image.placeholder() if self.late is not None else None
        if self.late is None or placeholder is None:
            return figure_html(figure)
        self.late[placeholder] = figure.image
        return figure_html(figure, placeholder)

    def heading(self, heading: Heading) -> str:
        tag = f"h{min(heading.level + 1, 6)}"
        _, anchor = self.anchors[self.headings_written]  # headings are written in the order they were listed
        self.headings_written += 1
        return f'<{tag} id="{anchor}">{self.inlines(heading.inlines)}</{tag}>'

    def box(self, box: Box) -> str:
        kind = _html_id(box.kind) or "callout"
        title = f'<p class="box-title">{escape(box.title)}</p>' if box.title else ""
        label = f' aria-label="{_attr(box.title)}"' if box.title else ""
        return f'<aside class="box box-{kind}"{label}>{title}\n{self.blocks(box.blocks)}\n</aside>'

    def toc(self, toc: TableOfContents) -> str:
        """Links to the sections; the page numbers are filled in by CSS `target-counter`.

        A brief's contents must fit at a glance: subsections are listed only while the list stays short.
        """
        levels = toc.depth(len(self.anchors))
        items = []
        for heading, anchor in self.anchors:
            if heading.level <= levels:
                items.append(f'<li class="toc-{heading.level}"><a href="#{anchor}">'
                             f'<span class="toc-text">{escape(plain_text(heading.inlines))}</span>'
                             '<span class="toc-dots"> </span></a></li>')
        return (f'<nav class="toc" aria-label="{_attr(toc.title)}">\n<p class="toc-title">{escape(toc.title)}</p>\n'
                f'<ul>{"".join(items)}</ul>\n</nav>')

    # ------------------------------------------------------------ inlines

    def inlines(self, inlines: tuple[Inline, ...]) -> str:
        """Inlines as HTML; a note number is glued to the word before it so a line never starts with one."""
        out: list[str] = []
        nodes = list(inlines)
        i = 0
        while i < len(nodes):
            node = nodes[i]
            j = i + 1
            while j < len(nodes) and isinstance(nodes[j], NoteRef):
                j += 1
            if isinstance(node, Text) and j > i + 1:
                head, word = _last_word(node.text)
                notes = "".join(self.inline(n) for n in nodes[i + 1 : j])
                out.append(f'{escape(head, quote=False)}<span class="nowrap">{escape(word, quote=False)}{notes}</span>')
                i = j
            else:
                out.append(self.inline(node))
                i += 1
        return "".join(out)

    def inline(self, node: Inline) -> str:
        if isinstance(node, Text):
            return escape(node.text, quote=False)
        if isinstance(node, Emph):
            return f"<em>{self.inlines(node.children)}</em>"
        if isinstance(node, Strong):
            return f"<strong>{self.inlines(node.children)}</strong>"
        if isinstance(node, Link):
            if not node.url.startswith(_LINK_SCHEMES):
                return self.inlines(node.children)
            return f'<a href="{_attr(node.url)}">{self.inlines(node.children)}</a>'
        if isinstance(node, NoteRef):
            return self.note(node.number)
        if isinstance(node, LineBreak):
            return "<br>"
        raise TypeError(f"unknown inline {type(node).__name__}")

    def note(self, number: int) -> str:
        """The first reference to a note carries its text to the page foot; later ones repeat its number.

        The number is the model's (`data-note`, shown by CSS), not WeasyPrint's running count, so the PDF
        numbers notes as the DOCX does even when a note is cited twice.
        """
        if number in self.placed_notes or not 1 <= number <= len(self.doc.notes):
            return f'<a class="note-ref" href="#note-{number}">{number}</a>'
        self.placed_notes.add(number)
        text = self.inlines(tuple(n for n in self.doc.notes[number - 1] if not isinstance(n, NoteRef)))
        return f'<span class="footnote" id="note-{number}" data-note="{number}">{text}</span>'


# ------------------------------------------------------------ figures and tables


def figure_html(fig: Figure, svg: bytes | None = None) -> str:
    """A vector chart: the SVG as a data: URL in an <img> whose alt becomes the tagged Figure's /Alt.

    An <img> rather than inline <svg>: charts' internal ids (clip paths) cannot clash with each other, and
    WeasyPrint draws an SVG image as vectors all the same. The PNG is used only if a chart has no SVG.
    """
    svg = fig.svg if svg is None else svg
    mime, data = ("image/svg+xml", svg) if svg else ("image/png", fig.png)
    src = f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"
    caption = f'<span class="caption-text">{escape(fig.caption)}</span>' if fig.caption else ""
    source = f'<p class="source-note">{escape(fig.source_note)}</p>' if fig.source_note else ""
    return (f'<figure class="chart" id="figure-{_html_id(fig.id) or fig.number}">\n'
            f'<figcaption><span class="label">Figure {fig.number}:</span> {escape(fig.title)}{caption}</figcaption>\n'
            f'<img src="{src}" alt="{_attr(fig.alt)}">\n{source}\n</figure>')


def table_html(table: Table) -> str:
    """A data table whose header row repeats on every page it spans; numeric columns right-aligned."""
    numeric = [i < len(table.numeric) and table.numeric[i] for i in range(len(table.header))]
    cols = ""
    if table.widths and len(table.widths) == len(table.header):
        total = sum(table.widths) or 1.0
        cols = "<colgroup>" + "".join(f'<col style="width: {100 * w / total:.2f}%">' for w in table.widths)
        cols += "</colgroup>"
    head_cells = "".join(f'<th scope="col"{_num(numeric[i])}>{escape(h)}</th>' for i, h in enumerate(table.header))
    rows = ["<tr" + (' class="even"' if n % 2 else "") + ">"
            + "".join(f"<td{_num(i < len(numeric) and numeric[i])}>{escape(c)}</td>" for i, c in enumerate(row))
            + "</tr>" for n, row in enumerate(table.rows)]
    # The first rows are a row group of their own that CSS keeps unbroken: when they do not fit under the caption
    # and header, the whole table moves to the next page instead of leaving its caption alone at a page foot.
    bodies = "\n".join(f"<tbody{cls}>\n" + "\n".join(group) + "\n</tbody>"
                       for cls, group in ((' class="lead"', rows[:_LEAD_ROWS]), ("", rows[_LEAD_ROWS:])) if group)
    keep = " keep" if len(table.rows) <= KEEP_TOGETHER_ROWS else ""
    caption = f'<span class="caption-text">{escape(table.caption)}</span>' if table.caption else ""
    source = f'<p class="source-note">{escape(table.source_note)}</p>' if table.source_note else ""
    return (f'<div class="table-block{keep}" id="table-{_html_id(table.id) or table.number}">\n<table>\n'
            f'<caption><span class="label">Table {table.number}:</span> {escape(table.title)}{caption}</caption>\n'
            f"{cols}\n<thead><tr>{head_cells}</tr></thead>\n{bodies}\n</table>\n{source}\n</div>")


# ------------------------------------------------------------ helpers


_GLUED_AT_MOST = 24  # a longer last word (a URL) keeps only its end with the note, so the rest can wrap


def _last_word(text: str) -> tuple[str, str]:
    """`text` split before its last word (the word keeps its trailing punctuation), or before the end of a word
    too long for a line to be kept whole: a URL glued to its note call ran off the page."""
    cut = max(text.rfind(" "), text.rfind("\n")) + 1
    if len(text) - cut > _GLUED_AT_MOST:
        cut = len(text) - _GLUED_AT_MOST // 2
    return text[:cut], text[cut:]


def _headings(blocks: tuple[Block, ...]) -> list[Heading]:
    """Headings in document order, boxes included (a box may hold a heading)."""
    out: list[Heading] = []
    for block in blocks:
        if isinstance(block, Heading):
            out.append(block)
        elif isinstance(block, Box):
            out.extend(_headings(block.blocks))
    return out


def _num(numeric: bool) -> str:
    return ' class="num"' if numeric else ""


def _html_id(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "-", text).strip("-")


def _attr(value: str) -> str:
    return escape(value, quote=True)
