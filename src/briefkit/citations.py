"""How sources are named: short in-text form, footnote text and full reference, the same in every format."""

from __future__ import annotations

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
    """Footnote text: each source once, with every place in it that is cited, in the order first cited.

    'Lemon and Norov (2025), Conclusion, para. 1; Introduction, para. 2. Kızılay (2022), para. 6.'"""
    places: dict[str, list[str]] = {}
    for c in citations:
        if c.source in sources and c.locator not in places.setdefault(c.source, []):
            places[c.source].append(c.locator)
    return " ".join(f"{short_citation(sources[s])}, {'; '.join(locs)}." for s, locs in places.items())


def sources_line(source_ids: list[str], sources: dict[str, Source]) -> str:
    """'Sources: Kızılay (2022); Lemon and Norov (2025).' for a slide foot or a figure."""
    unique = sorted({short_citation(sources[s]) for s in source_ids if s in sources})
    if not unique:
        return ""
    return ("Source: " if len(unique) == 1 else "Sources: ") + "; ".join(unique) + "."


def reference(source: Source) -> str:
    """The full entry in the brief's list of sources."""
    authors = ", ".join(source.authors) if source.authors else "No author named"
    when = human_date(source.date)
    text = f"{authors}. \u201c{source.title}.\u201d {source.publisher}, {when}"
    if source.date_note:
        text += " (estimated)"
    text += "."
    if source.url:
        text += f" {source.url}"
    return text
