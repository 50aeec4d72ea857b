"""Markdown (as rendered from the templates) -> the document model.

CommonMark with footnotes and `:::` containers, parsed by markdown-it-py; raw HTML is off, so text that looks
like HTML stays text. A paragraph `[[chart:ID]]` or `[[table:ID]]` places a figure or table built earlier.
The deck follows the Marp convention: slides separated by `---` lines, a `<!-- slide: KIND -->` directive first.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import replace
from typing import get_args

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.footnote import footnote_plugin

from briefkit.document.model import (
    Block,
    Box,
    BulletList,
    Deck,
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
    Slide,
    SlideKind,
    Strong,
    Table,
    TableBlock,
    TableOfContents,
    Text,
    plain_text,
)
from briefkit.errors import Problem, TemplateError

CONTAINERS = ("box", "lead", "small", "notes", "sources")
_PLACEHOLDER = re.compile(r"^\[\[(chart|table|toc|pagebreak)(?::([a-z0-9-]+))?\]\]$")
_SLIDE_SPLIT = re.compile(r"^---[ \t]*$", re.MULTILINE)
_SLIDE_KINDS: dict[str, SlideKind] = {kind: kind for kind in get_args(SlideKind)}
_DIRECTIVE = re.compile(r"^\s*<!--\s*slide:\s*([a-z-]+)\s*-->\s*\n?", re.IGNORECASE)
_SAFE_URL = re.compile(r"^(https?:|mailto:|#)", re.IGNORECASE)


def _markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.use(footnote_plugin)
    for name in CONTAINERS:
        md.use(container_plugin, name=name)
    md.validateLink = lambda url: bool(_SAFE_URL.match(url.strip()))  # type: ignore[method-assign]
    return md


class _Parser:
    """Walks a token stream once, turning it into blocks; knows the figures and tables by id."""

    def __init__(self, source: str, figures: dict[str, Figure], tables: dict[str, Table], origin: str) -> None:
        self.source = source
        self.origin = origin  # the template the Markdown came from, for error messages
        self.figures = figures
        self.tables = tables
        self.figure_count = 0
        self.table_count = 0
        self.used: set[str] = set()

    # --------------------------------------------------------- inlines
    def inlines(self, token: Token) -> tuple[Inline, ...]:
        out: list[Inline] = []
        stack: list[tuple[str, list[Inline], str]] = []
        current = out
        for child in token.children or []:
            kind = child.type
            if kind == "text" or kind == "code_inline":
                current.append(Text(child.content))
            elif kind in ("softbreak",):
                current.append(Text(" "))
            elif kind == "hardbreak":
                current.append(LineBreak())
            elif kind in ("em_open", "strong_open", "link_open"):
                stack.append((kind, current, str(child.attrs.get("href", ""))))
                current = []
            elif kind in ("em_close", "strong_close", "link_close"):
                opened, parent, href = stack.pop()
                children = tuple(current)
                node: Inline
                if opened == "em_open":
                    node = Emph(children)
                elif opened == "strong_open":
                    node = Strong(children)
                else:
                    node = Link(children, href)
                current = parent
                current.append(node)
            elif kind == "footnote_ref":
                current.append(NoteRef(int(child.meta["id"]) + 1))
        return _merge_text(tuple(out))

    # --------------------------------------------------------- blocks
    def blocks(self, tokens: list[Token], start: int = 0, stop_at: str | None = None) -> tuple[list[Block], int]:
        out: list[Block] = []
        i = start
        while i < len(tokens):
            t = tokens[i]
            if stop_at and t.type == stop_at:
                return out, i + 1
            if t.type == "heading_open":
                level = int(t.tag[1])
                inl = self.inlines(tokens[i + 1])
                out.append(Heading(level, inl, _anchor(plain_text(inl))))
                i += 3
            elif t.type == "paragraph_open":
                out.append(self.paragraph(tokens[i + 1], t))
                i += 3
            elif t.type in ("bullet_list_open", "ordered_list_open"):
                block, i = self.list_block(tokens, i)
                out.append(block)
            elif t.type.startswith("container_") and t.type.endswith("_open"):
                name = t.type[len("container_") : -len("_open")]
                inner, i = self.blocks(tokens, i + 1, stop_at=f"container_{name}_close")
                out.extend(self.container(name, t.info.strip(), inner, t))
            elif t.type == "hr":
                out.append(PageBreak())
                i += 1
            elif t.type in ("footnote_block_open",):
                i = _skip_to(tokens, i, "footnote_block_close") + 1
            elif t.type in ("fence", "code_block"):
                out.append(Paragraph((Text(t.content.rstrip("\n")),), style="small"))
                i += 1
            else:
                i += 1
        return out, i

    def paragraph(self, inline: Token, opener: Token) -> Block:
        text = inline.content.strip()
        m = _PLACEHOLDER.match(text)
        if not m:
            return Paragraph(self.inlines(inline))
        kind, ident = m.group(1), m.group(2) or ""
        if kind == "toc":
            return TableOfContents()
        if kind == "pagebreak":
            return PageBreak()
        if kind == "chart":
            if ident not in self.figures:
                raise self.unknown("chart", ident, opener, self.figures)
            self.figure_count += 1
            self.used.add(ident)
            return FigureBlock(replace(self.figures[ident], number=self.figure_count))
        if ident not in self.tables:
            raise self.unknown("table", ident, opener, self.tables)
        self.table_count += 1
        self.used.add(ident)
        return TableBlock(replace(self.tables[ident], number=self.table_count))

    def unknown(self, kind: str, ident: str, opener: Token, known: Mapping[str, object]) -> TemplateError:
        """The rendered Markdown's line is all we know here; templates that call figure() are checked earlier."""
        where = f" (line {opener.map[0] + 1} of the rendered Markdown)" if opener.map else ""
        choices = ", ".join(sorted(known)) or "none"
        return TemplateError(Problem(self.origin, None, f"unknown {kind} {ident!r}{where}; this audience's "
                                                        f"{kind}s (figures.yaml) are: {choices}"))

    def list_block(self, tokens: list[Token], i: int) -> tuple[BulletList, int]:
        ordered = tokens[i].type == "ordered_list_open"
        close = "ordered_list_close" if ordered else "bullet_list_close"
        items: list[tuple[Inline, ...]] = []
        depth = 0
        j = i + 1
        current: list[Inline] = []
        while j < len(tokens):
            t = tokens[j]
            if t.type == close and depth == 0:
                break
            if t.type in ("bullet_list_open", "ordered_list_open"):
                depth += 1
            elif t.type in ("bullet_list_close", "ordered_list_close"):
                depth -= 1
            elif t.type == "list_item_open" and depth == 0:
                current = []
            elif t.type == "list_item_close" and depth == 0:
                items.append(_merge_text(tuple(current)))
            elif t.type == "inline":
                if current:
                    current.append(Text(" "))
                current.extend(self.inlines(t))
            j += 1
        return BulletList(tuple(items), ordered), j + 1

    def container(self, name: str, info: str, inner: list[Block], opener: Token) -> list[Block]:
        args = info.split(None, 1)[1] if len(info.split(None, 1)) > 1 else ""
        if name == "box":
            kind, _, title = args.partition(" ")
            return [Box(kind or "callout", title.strip(), tuple(inner))]
        if name in ("lead", "small"):
            return [replace(b, style=name) if isinstance(b, Paragraph) else b for b in inner]
        # notes and sources only mean something on slides; there they are picked up by the deck parser
        return [Box(name, "", tuple(inner))]


def _skip_to(tokens: list[Token], i: int, kind: str) -> int:
    while i < len(tokens) and tokens[i].type != kind:
        i += 1
    return i


def _merge_text(inlines: tuple[Inline, ...]) -> tuple[Inline, ...]:
    out: list[Inline] = []
    for node in inlines:
        if isinstance(node, Text) and out and isinstance(out[-1], Text):
            out[-1] = Text(out[-1].text + node.text)
        else:
            out.append(node)
    return tuple(out)


def _anchor(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60]


def _notes(tokens: list[Token], parser: _Parser) -> tuple[tuple[Inline, ...], ...]:
    """Footnote definitions, in the order of their ids (which is the order of first reference)."""
    found: dict[int, tuple[Inline, ...]] = {}
    i = 0
    while i < len(tokens):
        t = tokens[i]
        if t.type == "footnote_open":
            ident = int(t.meta["id"])
            content: list[Inline] = []
            j = i + 1
            while tokens[j].type != "footnote_close":
                if tokens[j].type == "inline":
                    content.extend(parser.inlines(tokens[j]))
                j += 1
            found[ident] = _merge_text(tuple(content))
            i = j
        i += 1
    return tuple(found[k] for k in sorted(found))


def parse_brief(markdown: str, meta: Meta, figures: dict[str, Figure], tables: dict[str, Table],
                origin: str = "brief.md.j2") -> Document:
    md = _markdown()
    env: dict = {}
    tokens = md.parse(markdown, env)
    parser = _Parser(markdown, figures, tables, origin)
    blocks, _ = parser.blocks(tokens)
    blocks = [replace(b, title=meta.label("contents")) if isinstance(b, TableOfContents) else b for b in blocks]
    notes = _notes(tokens, parser)
    refs = sum(1 for b in _walk_inlines(blocks) if isinstance(b, NoteRef))
    if refs != len(notes):
        raise TemplateError(Problem(origin, None, f"{refs} footnote references but {len(notes)} notes; write "
                                                  "notes with cite(), not by hand"))
    return Document(meta=meta, blocks=tuple(blocks), notes=notes)


def _walk_inlines(blocks: list[Block] | tuple[Block, ...]) -> Iterator[Inline]:
    for b in blocks:
        if isinstance(b, (Heading, Paragraph)):
            yield from b.inlines
        elif isinstance(b, BulletList):
            for item in b.items:
                yield from item
        elif isinstance(b, Box):
            yield from _walk_inlines(b.blocks)


def parse_deck(markdown: str, meta: Meta, figures: dict[str, Figure], tables: dict[str, Table],
               origin: str = "deck.md.j2") -> Deck:
    """Slides in order; each slide's kind comes from its directive, its parts from its Markdown."""
    slides: list[Slide] = []
    md = _markdown()
    parser = _Parser(markdown, figures, tables, origin)
    for n, chunk in enumerate(_SLIDE_SPLIT.split(markdown), start=1):
        if not chunk.strip():
            continue
        m = _DIRECTIVE.match(chunk)
        written = m.group(1) if m else "bullets"
        kind = _SLIDE_KINDS.get(written)
        if kind is None:
            kinds = ", ".join(_SLIDE_KINDS)
            raise TemplateError(Problem(origin, None, f"slide {n}: unknown slide kind {written!r}; use one of {kinds}"))
        body = chunk[m.end():] if m else chunk
        blocks, _ = parser.blocks(md.parse(body, {}))
        slides.append(_slide(kind, blocks, n, origin))
    return Deck(meta=meta, slides=tuple(slides))


def _slide(kind: SlideKind, blocks: list[Block], n: int, origin: str) -> Slide:
    title, subtitle, bullets, notes, source_line = "", "", [], "", ""
    figure = table = box = None
    for b in blocks:
        if isinstance(b, Heading) and not title:
            title = plain_text(b.inlines)
        elif isinstance(b, Paragraph) and not subtitle and kind in ("title", "section"):
            subtitle = plain_text(b.inlines)
        elif isinstance(b, Paragraph):
            bullets.append(b.inlines)
        elif isinstance(b, BulletList):
            bullets.extend(b.items)
        elif isinstance(b, FigureBlock):
            figure = b.figure
        elif isinstance(b, TableBlock):
            table = b.table
        elif isinstance(b, Box) and b.kind == "notes":
            notes = "\n".join(_box_lines(b))
        elif isinstance(b, Box) and b.kind == "sources":
            source_line = " ".join(_box_lines(b))
        elif isinstance(b, Box):
            box = b
    if not title:
        raise TemplateError(Problem(origin, None, f"slide {n} ({kind}) has no title (# heading)"))
    return Slide(kind=kind, title=title, subtitle=subtitle, bullets=tuple(bullets), figure=figure, table=table,
                 box=box, source_line=source_line, notes=notes)


def _box_lines(box: Box) -> list[str]:
    lines = []
    for b in box.blocks:
        if isinstance(b, Paragraph):
            lines.append(plain_text(b.inlines))
        elif isinstance(b, BulletList):
            lines.extend(plain_text(item) for item in b.items)
    return lines
