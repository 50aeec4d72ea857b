"""How sources are named: short in-text form, footnote text and full reference, the same in every format."""

from __future__ import annotations

import re

from briefkit.factbase.schema import Citation, Source
from briefkit.formatting import human_date


def _surname(name: str) -> str:
    return name.split()[-1] if name.strip() else name


def short_citation(source: Source) -> str:
    """'Lemon and Norov (2025)', 'Kızılay (2022)', or the publisher's first words when no author is named."""
    year = source.published.year
    authors = [a for a in source.authors if a.strip()]
    if len(authors) == 1:
        who = _surname(authors[0])
    elif len(authors) == 2:
        who = f"{_surname(authors[0])} and {_surname(authors[1])}"
    elif authors:
        who = f"{_surname(authors[0])} et al."
    else:
        who = source.title if len(source.title) <= 40 else source.title[:37].rsplit(" ", 1)[0] + "..."
        who = f"\u201c{who}\u201d"
    return f"{who} ({year})"


def note_text(citations: list[Citation], sources: dict[str, Source]) -> str:
    """Footnote text: each source once, with every place in it that is cited, in the order first cited, and the
    paragraphs of one section together.

    'Lemon and Norov (2025), Conclusion, paras. 1–2; Introduction, para. 2. Kızılay (2022), para. 6; note 11.'"""
    places: dict[str, list[str]] = {}
    for c in citations:
        if c.source in sources:
            places.setdefault(c.source, []).extend(p.strip() for p in c.locator.split(";") if p.strip())
    return " ".join(f"{short_citation(sources[s])}, {'; '.join(_grouped(locs))}." for s, locs in places.items())


_PARAGRAPH = re.compile(r"^(?:(?P<section>.+), )?para\. (?P<number>\d+)$")


def _grouped(places: list[str]) -> list[str]:
    """'Conclusion, para. 1', 'Intro, para. 2', 'Conclusion, para. 2' -> 'Conclusion, paras. 1–2', 'Intro, para. 2';
    each place once; anything that is not 'SECTION, para. N' is kept as written."""
    paragraphs: dict[str, set[int]] = {}
    order: list[str | tuple[str]] = []  # a place as written, or (section,) where its paragraphs go
    for place in dict.fromkeys(places):
        match = _PARAGRAPH.match(place)
        if match is None:
            order.append(place)
            continue
        section = match["section"] or ""
        if section not in paragraphs:
            paragraphs[section] = set()
            order.append((section,))
        paragraphs[section].add(int(match["number"]))
    out = []
    for item in order:
        if isinstance(item, str):
            out.append(item)
            continue
        numbers = sorted(paragraphs[item[0]])
        label = ("para. " if len(numbers) == 1 else "paras. ") + _runs(numbers)
        out.append(f"{item[0]}, {label}" if item[0] else label)
    return out


def _runs(numbers: list[int]) -> str:
    """[1, 2, 3, 5] -> '1–3, 5'; [1, 2] -> '1–2'."""
    runs: list[list[int]] = []
    for n in numbers:
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    return ", ".join(f"{r[0]}\u2013{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs)


def sources_line(source_ids: list[str], sources: dict[str, Source]) -> str:
    """'Sources: Kızılay (2022); Lemon and Norov (2025).' for a slide foot or a figure."""
    unique = sorted({short_citation(sources[s]) for s in source_ids if s in sources})
    if not unique:
        return ""
    return ("Source: " if len(unique) == 1 else "Sources: ") + "; ".join(unique) + "."


def reference(source: Source) -> str:
    """The full entry in the brief's list of sources. Without authors it opens with the title (the publisher is
    named after it anyway); a URL ends the entry with a full stop of its own, so that the next sentence (the
    reliability note) never runs into it. URLs are plain text, never linkified, so the stop is not taken in."""
    when = human_date(source.date)
    title = source.title if source.title[-1:] in ".?!" else source.title + "."
    text = f"\u201c{title}\u201d {source.publisher}, {when}"
    if source.authors:
        text = f"{', '.join(source.authors)}. {text}"
    if source.date_note:
        text += " (estimated)"
    text += "."
    if source.url:
        text += f" Online at {source.url}."
    return text
