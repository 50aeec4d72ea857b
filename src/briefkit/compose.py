"""One audience's content, composed once: metadata, figures, tables, the brief and deck models.

The three writers receive the same `Document`/`Deck` made here, so the formats cannot drift apart.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from briefkit.audience import Audience
from briefkit.bundle import OutputFile
from briefkit.document.model import Deck, Document, Figure, Meta, Table
from briefkit.document.parse import parse_brief, parse_deck
from briefkit.factbase.model import FactBase
from briefkit.meeting import Meeting
from briefkit.paths import builtin_templates
from briefkit.render import make_environment, render_markdown, template_path
from briefkit.selection import Selection, select
from briefkit.theme.model import Theme
from briefkit.writers import counted
from briefkit.writers.reproducible import build_timestamp

FORMAT_ORDER = ("docx", "pdf", "pptx")

if TYPE_CHECKING:
    from briefkit.background import Background
    from briefkit.build import BuildOptions, Timings
    from briefkit.cache import Store


@dataclass(frozen=True)
class Composed:
    fb: FactBase
    audience: Audience
    meeting: Meeting | None
    theme: Theme
    selection: Selection
    meta: Meta
    brief_markdown: str
    deck_markdown: str
    document: Document
    deck: Deck
    figures: dict[str, Figure]  # by chart id, as drawn for this audience
    stem: str  # file name stem: subject_audience_date
    theme_dir: Path | None  # the user's theme folder: the only other place the PDF may read files from

    def file_name(self, kind: str, ext: str) -> str:
        return f"{self.stem}_{kind}.{ext}"

    def output_key(self, fmt: str) -> str:
        """A hash of everything the `fmt` writer reads: its model, the theme (file contents included), the folder
        the PDF may load resources from, and the code. Equal keys mean equal bytes, so a file can be kept."""
        from briefkit.cache import code_version, digest, folder_digest

        model = self.deck if fmt == "pptx" else self.document
        base = folder_digest(self.pdf_base) if fmt == "pdf" else None
        return digest(fmt, model, self.theme_for(fmt), base, code_version())

    @property
    def pdf_base(self) -> Path:
        return self.theme_dir or builtin_templates() / "default"

    def theme_for(self, fmt: str) -> Theme:
        return theme_for(self.theme, fmt)

    def write(self, formats: tuple[str, ...], t: Timings, reuse: dict[str, bytes] | None = None,
              helpers: Mapping[str, Background] | None = None) -> tuple[list[OutputFile], dict[str, int]]:
        """Write each format (or keep the previous bytes given in `reuse`), and measure what was written.

        A format with a process of its own in `helpers` (the PDF, the slowest; the PPTX) is written there while
        the others are written here."""
        reuse = reuse or {}
        helpers = helpers or {}
        data: dict[str, bytes] = {}
        measured: dict[str, int] = {}
        args = {"pdf": (self.document, self.theme_for("pdf"), self.pdf_base),
                "pptx": (self.deck, self.theme_for("pptx"))}
        pending = {fmt: helpers[fmt].submit(counted.WRITERS[fmt], *args[fmt])
                   for fmt in ("pdf", "pptx") if fmt in formats and fmt not in reuse and fmt in helpers}
        if "pdf" in pending:
            # The other process lays the pages out around the charts' sizes while the SVGs are drawn here; it finds
            # them in the chart store when the pages are ready (and draws any it does not find itself).
            t.run("charts", lambda: _draw_charts(list(self.figures.values()), formats))
        for fmt in (f for f in FORMAT_ORDER if f in formats and f not in pending):
            if fmt in reuse:
                data[fmt] = t.run(f"reuse {fmt}", lambda fmt=fmt: reuse[fmt])  # type: ignore[assignment]
            elif fmt == "docx":
                from briefkit.writers.docx import write_docx

                theme = self.theme_for("docx")
                data[fmt] = t.run("write docx", lambda theme=theme: write_docx(self.document, theme))  # type: ignore[assignment]
            else:
                data[fmt], measured[counted.MEASURES[fmt]], t.stages[f"write {fmt}"] = counted.WRITERS[fmt](*args[fmt])
        for fmt, future in pending.items():
            waited = time.perf_counter()
            # "write FMT" ran in the other process, beside the writers above; "wait FMT" is what it added here.
            data[fmt], measured[counted.MEASURES[fmt]], t.stages[f"write {fmt}"] = future.result()
            t.stages[f"wait {fmt}"] = time.perf_counter() - waited
        kinds = {"docx": ("brief", "docx"), "pdf": ("brief", "pdf"), "pptx": ("deck", "pptx")}
        outputs = [OutputFile(self.file_name(*kinds[f]), f, data[f]) for f in FORMAT_ORDER if f in data]
        return outputs, measured

    def email(self, outputs: list[OutputFile], options: BuildOptions) -> OutputFile:
        from briefkit.writers.email import write_email

        to = options.email_to if options.email_to is not None else self.theme.email_to
        sender = options.email_from or self.theme.email_from
        for_whom = f": brief for {self.meeting.title}" if self.meeting else f" ({self.meta.audience})"
        subject = self.meta.title + for_whom
        summary = [p.text for p in self.selection.bottom_line][:3]
        data = write_email(self.meta, subject, summary, outputs, sender, to)
        return OutputFile(self.file_name("email", "eml"), "eml", data)


def compose(fb: FactBase, audience: Audience, meeting: Meeting | None, theme: Theme, options: BuildOptions,
            t: Timings, store: Store | None = None) -> Composed:
    selection: Selection = t.run("select", lambda: select(fb, audience, meeting))  # type: ignore[assignment]
    meta = make_meta(fb, audience, meeting, theme)
    figures: dict[str, Figure] = t.run("charts", lambda: _figures(selection, fb, theme_for(theme, "charts"), store))  # type: ignore[assignment]
    tables: dict[str, Table] = t.run("tables", lambda: _tables(selection, fb))  # type: ignore[assignment]
    env = make_environment(options.theme, builtin_templates() / "default")
    context = {
        "meta": meta,
        "sel": selection,
        "audience": audience,
        "meeting": meeting,
        "topics": fb.info.topics,
        "sources": list(fb.sources.values()),
        "subject": fb.info.subject,
    }
    brief_md: str = t.run("render", lambda: render_markdown(env, "brief.md.j2", context, fb))  # type: ignore[assignment]
    deck_md: str = t.run("render", lambda: render_markdown(env, "deck.md.j2", context, fb))  # type: ignore[assignment]
    brief_origin, deck_origin = template_path(env, "brief.md.j2"), template_path(env, "deck.md.j2")  # for errors
    document: Document = t.run("model", lambda: parse_brief(brief_md, meta, figures, tables, brief_origin))  # type: ignore[assignment]
    deck: Deck = t.run("model", lambda: parse_deck(deck_md, meta, figures, tables, deck_origin))  # type: ignore[assignment]
    stem = f"{fb.info.short_name}_{audience.name}_{meta.date_iso}"
    return Composed(fb, audience, meeting, theme, selection, meta, brief_md, deck_md, document, deck, figures, stem,
                    options.theme)


def make_meta(fb: FactBase, audience: Audience, meeting: Meeting | None, theme: Theme) -> Meta:
    """The as-of date (or the build date) names the brief; SOURCE_DATE_EPOCH fixes the file timestamps."""
    timestamp = build_timestamp()
    if fb.as_of is not None:
        day = fb.as_of.last_day if fb.as_of.day is None else fb.as_of.first_day
    else:
        day = dt.datetime.fromtimestamp(timestamp, dt.UTC).date()
    analysis = fb.analysis
    subtitle = analysis.subtitle or fb.info.subject
    if meeting is not None:
        subtitle = f"Brief for {meeting.title}"
    return Meta(
        title=analysis.title,
        subtitle=subtitle,
        author=theme.organisation,
        subject=fb.info.subject,
        keywords=tuple(analysis.keywords),
        language=fb.info.language,
        date_iso=day.isoformat(),
        date_human=f"{day.day} {day:%B %Y}",
        timestamp=timestamp,
        audience=fb.info.audience_titles.get(audience.name, audience.title),
        marking=audience.marking,
    )


def theme_for(theme: Theme, use: str) -> Theme:
    """The theme as one writer (or the charts) receives it: without the parts it never reads. Its cache key hashes
    what it receives, so an edit to brief.css leaves the DOCX, PPTX and charts as they were, and a part a writer
    was not given cannot be read by it, so the key cannot miss anything."""
    unread = {"email_from": "", "email_to": ()}
    if use != "pdf":
        unread["css"] = ""
    if use != "docx":
        unread["reference_docx"] = None
    if use != "pptx":
        unread.update(master_pptx=None, layouts={})
    if use == "charts":  # colours and fonts only
        unread.update(name="", organisation="", logo=None, logo_name="", page_size="")
    return replace(theme, **unread)  # type: ignore[arg-type]


def _figures(selection: Selection, fb: FactBase, theme: Theme, store: Store | None) -> dict[str, Figure]:
    from briefkit.charts import build_figure

    return {spec.id: build_figure(spec, fb, theme, store=store) for spec in selection.charts}


def _draw_charts(figures: list[Figure], formats: tuple[str, ...]) -> None:
    """The SVGs first (the PDF's process waits for them), then the PNGs for the DOCX, each chart laid out once;
    the writers find them in the chart store."""
    from briefkit.charts import Drawing, draw_in_turn

    drawings = [f.image for f in figures if isinstance(f.image, Drawing)]
    draw_in_turn(drawings, tuple(fmt for fmt, use in (("svg", "pdf"), ("png", "docx")) if use in formats))


def _tables(selection: Selection, fb: FactBase) -> dict[str, Table]:
    from briefkit.tables import build_table

    return {spec.id: build_table(spec, fb) for spec in selection.tables}
