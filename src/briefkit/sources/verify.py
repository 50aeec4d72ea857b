"""Checking each fact against the paragraphs it cites: the locator resolves, its figures and years are there, a
quotation is there word for word, and the statement is in the project's own words.

Run by `briefkit verify` and, where source texts are present, by `check` (load.py). Every message is one line,
`path:line: fact ID: ...`, at the line of the key it is about.
"""

from __future__ import annotations

import os
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from briefkit.errors import BriefkitError, Problem, display_path
from briefkit.factbase.quantities import mask_names
from briefkit.factbase.yamlfile import LMap, line_of
from briefkit.sources.figures import Figure, figures, values_of
from briefkit.sources.locators import LocatorError, Part, address_like, parse, resolve
from briefkit.sources.text import Block, SourceText, normalise, read_text

if TYPE_CHECKING:
    from briefkit.factbase.checks import Origins
    from briefkit.factbase.model import FactBase
    from briefkit.factbase.schema import Fact

MAX_STATEMENT_WORDS = 2_000  # the copy check reads no further into a statement
COPY_WORDS = 8  # this many words in a row shared with the source, outside a marked quote, is a copy
STUB_MARK = "REWRITE:"
FILL_MARK = "FILL IN"
_QUOTED = re.compile(r"\"[^\"]*\"|“[^”]*”")
_WORD = re.compile(r"[\w']+")


@dataclass
class Report:
    """What a verification found, for the summary line."""

    problems: list[Problem] = field(default_factory=list)
    verified: int = 0
    failed: int = 0
    without_text: int = 0
    in_part: int = 0  # a cited source has no text: figures and quotes could not be checked
    seconds: float = 0.0
    texts: int = 0


@dataclass
class _Source:
    """A source text with what every fact check needs, computed once."""

    id: str
    text: SourceText
    numbers: dict[int, set[float]]  # id(block) -> figures in it
    words: list[str]  # every word of the text, lower case, in order
    word_block: list[Block]  # the block each word is in
    trigrams: dict[tuple[str, str, str], list[int]]  # three words -> where they start in `words`
    flat: str  # the whole text, normalised, for quotes
    published_year: int


def default_sources_dir(facts: Path) -> Path:
    return facts / "sources"


def check_provenance(fb: FactBase, origins: Origins, sources_dir: Path | None, explicit: bool,
                     report: Report | None = None) -> list[Problem]:
    """All provenance rules. Locators must parse and stubs be finished always; the rest needs the texts, and a
    text named but absent is an error only when the folder was asked for (`explicit`)."""
    started = time.perf_counter()
    report = report if report is not None else Report()
    out = report.problems
    texts: dict[str, _Source] = {}
    folder_ok = sources_dir is not None and sources_dir.is_dir()
    if explicit and sources_dir is not None and not folder_ok:
        out.append(Problem(display_path(sources_dir), None, "source texts folder not found (give --sources DIR)"))
    for sid, source in fb.sources.items():
        for name in ("title", "publisher", "kind", "reliability"):
            value = getattr(source, name)
            if isinstance(value, str) and value.startswith(FILL_MARK):
                out.append(origins.problem("source", sid, (name,), f"source {sid}: {name} is still '{FILL_MARK}': "
                                           f"write it (source add leaves what the file does not say)"))
        if not source.text or not folder_ok:
            continue
        assert sources_dir is not None
        path = sources_dir / source.text
        if not _inside(path, sources_dir) or not os.path.lexists(path):
            if explicit:
                why = "is outside" if not _inside(path, sources_dir) else "is not in"
                out.append(origins.problem("source", sid, ("text",),
                                           f"source {sid}: text file {source.text!r} {why} "
                                           f"{display_path(sources_dir)}"))
            continue
        try:
            texts[sid] = _prepare(sid, read_text(path), source.published.year)
        except BriefkitError as exc:
            out.extend(exc.problems)
    report.texts = len(texts)
    for fact in fb.facts.values():
        _check_fact(fact, origins, texts, report, (*fb.info.names, *fact.names))
    report.seconds = time.perf_counter() - started
    return out


def _inside(path: Path, folder: Path) -> bool:
    try:
        return path.resolve().is_relative_to(folder.resolve())
    except OSError:
        return False


def _prepare(sid: str, text: SourceText, year: int) -> _Source:
    numbers = {}
    words: list[str] = []
    word_block: list[Block] = []
    for b in text.blocks:
        if b.kind in ("para", "note", "table", "heading"):
            numbers[id(b)] = values_of(b.text)
            found = _words(b.text)
            words += found
            word_block += [b] * len(found)
    trigrams: dict[tuple[str, str, str], list[int]] = {}
    for i in range(len(words) - 2):
        trigrams.setdefault((words[i], words[i + 1], words[i + 2]), []).append(i)
    flat = "\n".join(normalise(b.text) for b in text.blocks)
    return _Source(sid, text, numbers, words, word_block, trigrams, flat, year)


def _words(text: str) -> list[str]:
    return _WORD.findall(normalise(text).lower())


def _check_fact(fact: Fact, origins: Origins, texts: dict[str, _Source], report: Report,
                names: tuple[str, ...] = ()) -> None:
    before = len(report.problems)

    def bad(loc: tuple[Any, ...], message: str) -> None:
        shown, data = origins.where.get(("fact", fact.id), ("?", None))
        line = line_of(data, loc) if isinstance(data, LMap) else None
        report.problems.append(Problem(shown, line, f"fact {fact.id}: {message}"))

    if fact.statement.startswith(STUB_MARK):
        bad(("statement",), f"still the stub from `source figures`: put the sentence in your own words and "
                            f"remove '{STUB_MARK}'")
    located: list[tuple[_Source, Part, list[Block]]] = []
    checked_all = True
    for i, cite in enumerate(fact.sources):
        try:
            parts = parse(cite.locator)
        except LocatorError as exc:
            bad(("sources", i, "locator"), f"locator '{cite.locator}' does not parse: {exc}")
            checked_all = False
            continue
        src = texts.get(cite.source)
        if src is None:
            checked_all = False
            continue
        for part in parts:
            got = resolve(part, src.text)
            if got.error:
                bad(("sources", i, "locator"), f"'{part.text}' not found in {cite.source}: {got.error}")
                checked_all = False
            else:
                located.append((src, part, got.blocks))
    if not located:
        if len(report.problems) > before:
            report.failed += 1
        else:
            report.without_text += 1
        return
    if checked_all:
        _check_figures(fact, located, bad, names)
        _check_quote(fact, located, bad)
    _check_copy(fact, [s for s in texts.values() if s.id in fact.source_ids], bad)
    if len(report.problems) > before:
        report.failed += 1
    elif checked_all:
        report.verified += 1
    else:
        report.in_part += 1


def _check_figures(fact: Fact, located: list[tuple[_Source, Part, list[Block]]], bad: Any,
                   names: tuple[str, ...] = ()) -> None:
    """Every figure of the statement (names declared in `names:` are no figures) and every value is in the cited
    paragraphs."""
    here: set[float] = set()
    for src, _part, blocks in located:
        for b in blocks:
            here |= src.numbers.get(id(b), set())
    derived = [v.value for v in fact.values if v.derived]
    wanted: list[tuple[tuple[Any, ...], Figure]] = []
    for f in figures(mask_names(fact.statement, names)):
        if not any(abs(f.value - d) <= 1e-9 * max(1.0, abs(d)) for d in derived):
            wanted.append((("statement",), f))
    for i, v in enumerate(fact.values):
        if not v.derived:
            wanted.append((("values", i, "value"), Figure(f"{v.value:g}", float(v.value))))
    published = {float(s.published_year) for s, _, _ in located}
    reported: set[float] = set()
    cited = "; ".join(dict.fromkeys(p.text for _, p, _ in located))
    for loc, f in wanted:
        if f.found_in(here) or f.value in reported or (loc == ("statement",) and f.value in published):
            continue  # the year a cited source came out may name it: 'a 2016 commentary'
        reported.add(f.value)
        shown = f"'{f.text}'" + (f" ({f.value:,.10g})" if f.text.replace(",", "") != f"{f.value:g}" else "")
        elsewhere = _elsewhere(f, located)
        hint = f"; it is in {elsewhere}" if elsewhere else "; nor is it anywhere else in the source"
        bad(loc, f"{shown} is not in {cited}{hint}")


def _elsewhere(f: Figure, located: list[tuple[_Source, Part, list[Block]]]) -> str:
    seen: list[str] = []
    for src, part, _ in located:
        for b in src.text.blocks:
            if b.kind in ("para", "note", "table") and f.found_in(src.numbers.get(id(b), set())):
                where = address_like(b, part, src.text)
                if where and where not in seen:
                    seen.append(where)
    return "; ".join(f"'{w}'" for w in seen[:3]) + (" and more" if len(seen) > 3 else "")


def _check_quote(fact: Fact, located: list[tuple[_Source, Part, list[Block]]], bad: Any) -> None:
    if fact.quote is None:
        return
    pieces = [normalise(p).strip(" .,") for p in re.split(r"\.\.\.|…|\[\.\.\.\]", fact.quote.text)]
    pieces = [p for p in pieces if p]
    here = "\n".join(normalise(b.text) for _, _, blocks in located for b in blocks)
    if all(_has(here, p) for p in pieces):
        return
    for src, part, _ in located:
        for b in src.text.blocks:
            if b.kind in ("para", "note") and all(_has(normalise(b.text), p) for p in pieces):
                bad(("quote", "text"), f"the quotation is not in the cited paragraphs; it is in "
                                       f"'{address_like(b, part, src.text)}'")
                return
    missing = next(p for p in pieces if not any(_has(s.flat, p) for s, _, _ in located))
    bad(("quote", "text"), f"the quotation is not in the source word for word: '{_clip(missing)}' is not there")


def _has(text: str, piece: str) -> bool:
    """Word for word, but a quotation may begin with a capital the source has in lower case, or the reverse."""
    return piece in text or (piece[:1].swapcase() + piece[1:]) in text


def _check_copy(fact: Fact, sources: list[_Source], bad: Any) -> None:
    """The longest run of words the statement shares with a source, outside quotation marks. Words of names
    (capitalised inside a sentence) and figures do not count towards COPY_WORDS, but do not break a run:
    'the International Congress of Deputies of the Parliaments' is a name, not a copied sentence."""
    for segment in _QUOTED.split(fact.statement):
        words, ordinary = _counted_words(segment)
        words, ordinary = words[:MAX_STATEMENT_WORDS], ordinary[:MAX_STATEMENT_WORDS]
        for src in sources:
            run = _longest_shared(words, ordinary, src)
            if run is None:
                continue
            i, j, block = run
            where = block.addresses()[0] if block.addresses() else "the text"
            shared = " ".join(words[i:j])
            bad(("statement",), f"{sum(ordinary[i:j])} words in a row are the source's ({src.id}, {where}) "
                                f"outside a quotation: '{_clip(shared)}'; say it in your own words or quote it")
            return


def _counted_words(text: str) -> tuple[list[str], list[bool]]:
    flat = normalise(text)
    words: list[str] = []
    ordinary: list[bool] = []
    start = True
    for m in _WORD.finditer(flat):
        w = m.group()
        words.append(w.lower())
        ordinary.append(start or not (w[0].isupper() or not w.replace("'", "").isalpha()))
        start = flat[m.end() : m.end() + 1] in (".", "!", "?", ":", ";")
    return words, ordinary


def _longest_shared(words: list[str], ordinary: list[bool], src: _Source) -> tuple[int, int, Block] | None:
    best: tuple[int, int, Block] | None = None
    best_count = COPY_WORDS - 1
    i = 0
    while i + 3 <= len(words):
        starts = src.trigrams.get((words[i], words[i + 1], words[i + 2]), ())
        longest = 0
        for p in starts[:200]:
            n = 3
            while i + n < len(words) and p + n < len(src.words) and src.words[p + n] == words[i + n]:
                n += 1
            longest = max(longest, n)
            count = sum(ordinary[i : i + n])
            if count > best_count:
                best_count, best = count, (i, i + n, src.word_block[p])
        i += max(1, longest - 2) if longest else 1
    return best


def _clip(text: str, limit: int = 120) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def summary(report: Report) -> str:
    in_part = f", {report.in_part} checked in part (a cited source has no text)" if report.in_part else ""
    return (f"{report.verified} facts verified, {report.failed} with problems, {report.without_text} without a "
            f"source text{in_part} ({report.texts} texts read) in {report.seconds:.2f} s")
