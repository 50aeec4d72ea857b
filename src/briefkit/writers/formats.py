"""The table of output formats, as pandoc has its table of writers: every other place reads it.

A format is one `Format` entry: its name (as `--format` and the manifest give it), the model it writes (the brief
or the deck), its file's extension and media type, its writer job (in `counted`, one signature for all), what
the audience limits count in it, the parts of the theme only it reads, and whether it is worth a process of its
own. `build` validates `--format` against `FORMATS`, dispatches the writers, names the files, keys the cache and
checks the limits from it; the email attaches with its media types. Adding a format is adding one entry (and its
job in `counted`).

Imported before the PDF's process is forked, and by every helper process unpickling a job: it stays light.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from briefkit.writers import counted

if TYPE_CHECKING:
    from briefkit.errors import Problem
    from briefkit.theme.model import Theme


@dataclass(frozen=True)
class Format:
    """One output format: what the build needs to know to write it, name it, key it and count it."""

    name: str  # as `--format` names it, and the manifest's "format"
    model: Literal["brief", "deck"]  # what it writes (the `Document` or the `Deck`); also its file name's part
    extension: str
    media_type: str  # the email's attachment type
    write: Callable[[Any, Theme, Path], counted.Written]  # a job of `counted`: light to unpickle in a helper
    counts: str | None = None  # what the audience limits count in it, as the manifest's "measured" names it
    theme_fields: tuple[str, ...] = ()  # the `Theme` fields only this format reads; the others see their defaults
    theme_file: str | None = None  # the user's theme file it reads, checked by writing an empty model with it
    reads_folder: bool = False  # it reads files from the theme folder, so its cache key hashes the folder's files
    chart_images: str | None = None  # the picture of a chart it embeds ("svg", "png"); None: a native chart
    helper: tuple[str, ...] = ()  # worth a process of its own: what that process imports while it waits

    def file_name(self, stem: str) -> str:
        return f"{stem}_{self.model}.{self.extension}"


# In the order files are written and listed; a helper process goes to the first helped formats (the slowest
# first). A helper imports its writer and, for a brief, what defines its charts (`charts.Drawing`): importing it
# while unpickling the job delayed the PDF by 0.08 s.
FORMATS: dict[str, Format] = {f.name: f for f in (
    Format("docx", "brief", "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
           counted.write_docx, theme_fields=("reference_docx",), theme_file="reference.docx", chart_images="png"),
    Format("pdf", "brief", "pdf", "application/pdf", counted.write_pdf, counts="brief_pages", theme_fields=("css",),
           reads_folder=True, chart_images="svg", helper=("briefkit.writers.pdf", "briefkit.charts")),
    Format("pptx", "deck", "pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation",
           counted.write_pptx, counts="deck_slides", theme_fields=("master_pptx", "layouts"),
           theme_file="master.pptx", helper=("briefkit.writers.pptx", "briefkit.charts")),
)}


def theme_for(theme: Theme, fmt: Format) -> Theme:
    """The theme as one writer receives it: without the parts only other formats read, nor the email's. Its
    cache key hashes what it receives, so an edit to brief.css leaves the DOCX and PPTX as they were, and a part
    a writer was not given cannot be read by it, so the key cannot miss anything."""
    defaults = {f.name: f for f in dataclasses.fields(theme)}
    others = {name for other in FORMATS.values() for name in other.theme_fields} - set(fmt.theme_fields)
    unread: dict[str, Any] = {"email_from": "", "email_to": ()}
    for name in sorted(others):
        field = defaults[name]
        unread[name] = field.default_factory() if field.default_factory is not dataclasses.MISSING else field.default
    return dataclasses.replace(theme, **unread)


def theme_file_problems(theme: Theme, folder: Path) -> list[Problem]:
    """What is wrong with the user's theme files (reference.docx, master.pptx), found by writing an empty brief or
    deck with each: the very rules writing applies (styles, layouts present), not a second copy of them."""
    from briefkit.document.model import Deck, Document, Meta
    from briefkit.errors import BriefkitError

    meta = Meta(title="Theme check", subtitle="", author=theme.organisation, subject="", keywords=(),
                language="en-GB", date_iso="2000-01-01", date_human="1 January 2000", timestamp=946684800,
                audience="", marking="")
    empty = {"brief": Document(meta, (), ()), "deck": Deck(meta, ())}
    problems: list[Problem] = []
    for fmt in FORMATS.values():
        if fmt.theme_file is None:
            continue
        try:
            fmt.write(empty[fmt.model], theme_for(theme, fmt), folder)
        except BriefkitError as exc:
            problems += exc.problems
    return problems
