"""One audience's content, composed once: metadata, figures, tables, the brief and deck models.

The three writers receive the same `Document`/`Deck` made here, so the formats cannot drift apart.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from briefkit.audience import Audience
from briefkit.bundle import OutputFile
from briefkit.document.model import Deck, Document, Figure, Meta, Table
from briefkit.document.parse import parse_brief, parse_deck
from briefkit.factbase.model import FactBase
from briefkit.meeting import Meeting
from briefkit.paths import builtin_templates
from briefkit.render import make_environment, render_markdown
from briefkit.selection import Selection, select
from briefkit.theme.model import Theme
from briefkit.writers.reproducible import build_timestamp

if TYPE_CHECKING:
    from briefkit.build import BuildOptions, Timings


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
    stem: str  # file name stem: subject_audience_date
    theme_dir: Path | None  # the user's theme folder: the only other place the PDF may read files from

    def file_name(self, kind: str, ext: str) -> str:
        return f"{self.stem}_{kind}.{ext}"

    def write(self, formats: tuple[str, ...], t: Timings) -> list[OutputFile]:
        out: list[OutputFile] = []
        if "docx" in formats:
            from briefkit.writers.docx import write_docx

            data = t.run("write docx", lambda: write_docx(self.document, self.theme))
            out.append(OutputFile(self.file_name("brief", "docx"), "docx", data))  # type: ignore[arg-type]
        if "pdf" in formats:
            from briefkit.writers.pdf import write_pdf

            base = self.theme_dir or builtin_templates() / "default"
            data = t.run("write pdf", lambda: write_pdf(self.document, self.theme, base))
            out.append(OutputFile(self.file_name("brief", "pdf"), "pdf", data))  # type: ignore[arg-type]
        if "pptx" in formats:
            from briefkit.writers.pptx import write_pptx

            data = t.run("write pptx", lambda: write_pptx(self.deck, self.theme))
            out.append(OutputFile(self.file_name("deck", "pptx"), "pptx", data))  # type: ignore[arg-type]
        return out

    def measure(self, outputs: list[OutputFile]) -> dict[str, int]:
        """Measure the built files as a reader's software would: PDF pages and PPTX slides."""
        measured: dict[str, int] = {}
        for f in outputs:
            if f.format == "pdf":
                from pypdf import PdfReader

                measured["brief_pages"] = len(PdfReader(io.BytesIO(f.data)).pages)
            elif f.format == "pptx":
                from pptx import Presentation

                measured["deck_slides"] = len(Presentation(io.BytesIO(f.data)).slides)
        return measured

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
            t: Timings) -> Composed:
    selection: Selection = t.run("select", lambda: select(fb, audience, meeting))  # type: ignore[assignment]
    meta = make_meta(fb, audience, meeting, theme)
    figures: dict[str, Figure] = t.run("charts", lambda: _figures(selection, fb, theme))  # type: ignore[assignment]
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
    document: Document = t.run("model", lambda: parse_brief(brief_md, meta, figures, tables))  # type: ignore[assignment]
    deck: Deck = t.run("model", lambda: parse_deck(deck_md, meta, figures, tables))  # type: ignore[assignment]
    stem = f"{fb.info.short_name}_{audience.name}_{meta.date_iso}"
    return Composed(fb, audience, meeting, theme, selection, meta, brief_md, deck_md, document, deck, stem,
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
        audience=audience.title,
        marking=audience.marking,
    )


def _figures(selection: Selection, fb: FactBase, theme: Theme) -> dict[str, Figure]:
    from briefkit.charts import build_figure

    return {spec.id: build_figure(spec, fb, theme) for spec in selection.charts}


def _tables(selection: Selection, fb: FactBase) -> dict[str, Table]:
    from briefkit.tables import build_table

    return {spec.id: build_table(spec, fb) for spec in selection.tables}
