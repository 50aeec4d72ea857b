"""One audience's content, composed once: metadata, figures, tables, the brief and deck models.

Every writer receives the same `Document` or `Deck` made here, so the formats cannot drift apart. Composing knows
no file format: `build` hands the models to the writers (`writers.formats`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from briefkit.audience import Audience
from briefkit.document.model import Deck, Document, Figure, Meta, Table
from briefkit.document.parse import parse_brief, parse_deck
from briefkit.factbase.model import FactBase
from briefkit.meeting import Meeting
from briefkit.news import News
from briefkit.paths import builtin_templates
from briefkit.render import make_environment, render_markdown, template_path
from briefkit.selection import Selection, select
from briefkit.theme.model import Theme
from briefkit.writers.reproducible import build_timestamp

if TYPE_CHECKING:
    from briefkit.cache import Store
    from briefkit.news import Since
    from briefkit.timings import Timings


@dataclass(frozen=True)
class Composed:
    """The models and what they were made from: the brief (`document`), the deck, and the figures they show."""

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
    news: News | None = None  # `--since`: what is new since then (issue 19)


def compose(fb: FactBase, audience: Audience, meeting: Meeting | None, theme: Theme, theme_dir: Path | None,
            t: Timings, store: Store | None = None, since: Since | None = None) -> Composed:
    """The selection, figures, tables, Markdown and models of one audience; `theme_dir` is the user's theme
    folder, whose templates (and locale files) come before the built-in ones; `since`, the date or bundle of
    `build --since`. Everything is said in the fact base's language: its labels are the current ones while
    composing."""
    from briefkit.labels import load_labels, using

    labels = load_labels(fb.info.language, theme_dir, builtin_templates() / "default")
    with using(labels):
        return _compose(fb, audience, meeting, theme, theme_dir, t, store, since)


def _compose(fb: FactBase, audience: Audience, meeting: Meeting | None, theme: Theme, theme_dir: Path | None,
             t: Timings, store: Store | None = None, since: Since | None = None) -> Composed:
    from briefkit.labels import current

    selection: Selection = t.run("select", lambda: select(fb, audience, meeting))
    meta = make_meta(fb, audience, meeting, theme)
    figures: dict[str, Figure] = t.run("charts", lambda: _figures(selection, fb, charts_theme(theme), store))
    tables: dict[str, Table] = t.run("tables", lambda: _tables(selection, fb))
    env = make_environment(theme_dir, builtin_templates() / "default")
    context = {
        "meta": meta,
        "sel": selection,
        "audience": audience,
        "meeting": meeting,
        "topics": fb.info.topics,
        "sources": list(fb.sources.values()),
        "subject": fb.info.subject,
        "labels": current(),
        "label": current().text,
    }
    news = _news(fb, audience, since, meta)
    context.update(_loop_helpers(news, audience))
    brief_md: str = t.run("render", lambda: render_markdown(env, "brief.md.j2", context, fb))
    deck_md: str = t.run("render", lambda: render_markdown(env, "deck.md.j2", context, fb))
    brief_origin, deck_origin = template_path(env, "brief.md.j2"), template_path(env, "deck.md.j2")  # for errors
    document: Document = t.run("model", lambda: parse_brief(brief_md, meta, figures, tables, brief_origin))
    deck: Deck = t.run("model", lambda: parse_deck(deck_md, meta, figures, tables, deck_origin))
    stem = f"{fb.info.short_name}_{audience.name}_{meta.date_iso}"
    return Composed(fb, audience, meeting, theme, selection, meta, brief_md, deck_md, document, deck, figures, stem,
                    news)


def _news(fb: FactBase, audience: Audience, since: Since | None, meta: Meta) -> News | None:
    from briefkit.news import news_for

    return news_for(fb, since, audience, meta.date_iso)


def _loop_helpers(news: News | None, audience: Audience) -> dict[str, object]:
    """Template helpers of issue 19: stated confidence after each judgment, and what is new since `--since`."""
    from briefkit import confidence
    from briefkit import news as news_module

    return {**confidence.template_helpers(audience.judgment_reasons), **news_module.template_helpers(news)}


def make_meta(fb: FactBase, audience: Audience, meeting: Meeting | None, theme: Theme) -> Meta:
    """The as-of date (or the build date) names the brief; SOURCE_DATE_EPOCH fixes the file timestamps."""
    timestamp = build_timestamp()
    if fb.as_of is not None:
        day = fb.as_of.last_day if fb.as_of.day is None else fb.as_of.first_day
    else:
        day = dt.datetime.fromtimestamp(timestamp, dt.UTC).date()
    from briefkit.labels import current

    labels = current()
    analysis = fb.analysis
    subtitle = analysis.subtitle or fb.info.subject
    if meeting is not None:
        subtitle = labels.text("brief_for", meeting=meeting.title)
    return Meta(
        title=analysis.title,
        subtitle=subtitle,
        author=theme.organisation,
        subject=fb.info.subject,
        keywords=tuple(analysis.keywords),
        language=fb.info.language,
        date_iso=day.isoformat(),
        date_human=labels.day(day),
        timestamp=timestamp,
        audience=fb.info.audience_titles.get(audience.name) or _builtin_word("audience_" + audience.name,
                                                                              audience.title),
        marking=_builtin_word("marking", audience.marking),
        labels=labels,
    )


def _builtin_word(key: str, written: str) -> str:
    """A built-in audience's title and marking ("Analyst", "For discussion") are words briefkit wrote, so they
    follow the brief's language; words a profile's author chose stay as written."""
    from briefkit.labels import current, load_labels

    english = load_labels("en", None, builtin_templates() / "default")
    try:
        return current()[key] if english[key] == written else written
    except KeyError:
        return written


def charts_theme(theme: Theme) -> Theme:
    """The theme as the charts receive it: colours and fonts only. A chart's cache key hashes it, so an edit to
    anything else (brief.css, the master, the organisation's name) leaves the drawn charts as they were."""
    return replace(theme, name="", organisation="", logo=None, logo_name="", page_size="", css="",
                   reference_docx=None, master_pptx=None, layouts={}, email_from="", email_to=())


def _figures(selection: Selection, fb: FactBase, theme: Theme, store: Store | None) -> dict[str, Figure]:
    from briefkit.charts import build_figure

    return {spec.id: build_figure(spec, fb, theme, store=store) for spec in selection.charts}


def _tables(selection: Selection, fb: FactBase) -> dict[str, Table]:
    from briefkit.tables import build_table

    return {spec.id: build_table(spec, fb) for spec in selection.tables}
