"""What `source show` and `source figures` print: a text's paragraphs with the locators to cite them by, and
stubs of facts for every sentence that holds a figure or a date."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

from briefkit.errors import FactbaseError, Problem, display_path
from briefkit.factbase.dates import PartialDate
from briefkit.factbase.numbers import quantities
from briefkit.factbase.yamlfile import LMap, load_yaml
from briefkit.sources.figures import figures, has_date
from briefkit.sources.text import Block, SourceText, normalise, read_text
from briefkit.sources.verify import FILL_MARK, STUB_MARK

MAX_FIND = 200
_SENTENCE = re.compile(r"(?<=[.!?…])[\"”’)]?(?:\[\d{1,4}\])?\s+(?=[\"“‘(\[]?[A-Z0-9])")
_NOTE_MARK = re.compile(r"\[\^?\d{1,4}\]")
_ABBREVIATION = re.compile(r"\b(?:Mr|Mrs|Ms|Dr|Prof|St|No|Vol|vs|etc|e\.g|i\.e|U\.S|U\.N|Jan|Feb|Mar|Apr|Jun|Jul|"
                           r"Aug|Sep|Sept|Oct|Nov|Dec|para|paras|p|pp)\.$|\b[A-Z]\.$")
_MONTH_NUMBER = {m: i for i, m in enumerate((
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november",
    "december"), start=1)}
_DATE = re.compile(r"\b(?:(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?)?(January|February|March|April|May|June|July|"
                   r"August|September|October|November|December)?,?\s*\b((?:1[89]|20)\d\d)\b")


def source_entry(facts: Path, sources: Path | None, ident: str) -> tuple[LMap, SourceText]:
    """A source's entry in sources.yaml and its text, read from `sources` or the fact base's sources/."""
    registry = facts / "sources.yaml"
    data = load_yaml(registry, inside=facts)
    folder = sources if sources is not None else facts / "sources"
    for item in (data.get("sources") or []) if isinstance(data, LMap) else []:
        if isinstance(item, LMap) and item.get("id") == ident:
            name = item.get("text")
            if not isinstance(name, str):
                raise FactbaseError(Problem(display_path(registry), item.line, f"source {ident!r} names no text:"))
            path = folder / name
            if not path.resolve().is_relative_to(folder.resolve()) or not os.path.lexists(path):
                raise FactbaseError(Problem(display_path(registry), item.key_lines.get("text", item.line),
                                            f"source {ident}: text file {name!r} is not in {display_path(folder)}"))
            return item, read_text(path)
    raise FactbaseError(Problem(display_path(registry), None, f"no source {ident!r}"))


def show(text: SourceText, para: int | None = None, section: str | None = None, find: str | None = None) -> str:
    """The paragraphs asked for (all by default), each under the locators that cite it."""
    blocks: list[Block]
    if para is not None:
        if not 1 <= para <= len(text.paragraphs):
            raise FactbaseError(Problem(text.name, None, f"--para {para}: the text has {len(text.paragraphs)} "
                                                         f"paragraphs"))
        blocks = [text.paragraphs[para - 1]]
    elif section is not None:
        found = text.section(section)
        if len(found) != 1:
            names = "; ".join(h.heading for h in text.headings[:20]) or "none"
            why = "matches several headings" if found else "is not a heading"
            raise FactbaseError(Problem(text.name, None, f"--section {section!r} {why} (headings: {names})"))
        blocks = [found[0], *text.under(found[0])]
    elif find is not None:
        want = normalise(find).casefold()
        blocks = [b for b in text.blocks if b.kind in ("para", "note", "table") and
                  want in normalise(b.text).casefold()][:MAX_FIND]
        if not blocks:
            raise FactbaseError(Problem(text.name, None, f"--find {find!r}: not in the text"))
    else:
        blocks = text.blocks
    return "\n".join(_shown(b) for b in blocks if b.kind != "page" or para is None)


def _shown(b: Block) -> str:
    if b.kind == "heading":
        return f"== {b.heading} ==\n"
    if b.kind == "page":
        return f"-- page {b.number} --\n"
    if b.kind == "caption":
        return b.text
    cite = "  |  ".join(b.addresses())
    return f"[{cite}]\n{b.text}\n"


def sentences(text: str) -> Iterator[str]:
    start = 0
    flat = " ".join(text.split())
    for m in _SENTENCE.finditer(flat):
        if _ABBREVIATION.search(flat[start : m.start()].rstrip("\"”’)")):
            continue
        yield flat[start : m.start()].strip()
        start = m.end()
    if flat[start:].strip():
        yield flat[start:].strip()


def stubs(text: SourceText, source_id: str, published: str) -> str:
    """YAML stubs of facts, one per sentence with a figure or a date; `check` refuses each until rewritten."""
    lines = [
        f"# Stubs from `briefkit source figures {source_id}`: one per sentence of the source with a figure or a",
        "# date. Each statement is still the source's own sentence: put it in your own words and remove",
        f"# '{STUB_MARK}', set topic, kind and the units, and delete the stubs you do not need. `check` refuses a",
        "# stub left as it is.",
        "facts:",
    ]
    count = 0
    for b in text.paragraphs:
        for n, sentence in enumerate(sentences(b.text), start=1):
            if not (figures(sentence) or has_date(sentence)):
                continue
            count += 1
            lines += _stub(sentence, f"{source_id}-p{b.number}-s{n}", source_id, _locator(b), published)
    if count == 0:
        lines[-1] = "facts: []  # no sentence of this source has a figure or a date"
    return "\n".join(lines) + "\n"


def _locator(b: Block) -> str:
    addresses = b.addresses()
    preferred = next((a for a in addresses if ", para. " in a and not a.startswith("introduction")), None)
    return preferred or addresses[0]


def _stub(sentence: str, ident: str, source_id: str, locator: str, published: str) -> list[str]:
    sentence = " ".join(_NOTE_MARK.sub("", sentence).split())
    values = []
    cursor = 0
    for q in quantities(sentence):
        at = sentence.find(q.text, cursor)
        cursor = at + len(q.text)
        after = sentence[cursor:].split()
        if sentence[:at].rstrip().endswith("$"):
            values.append(f"      - {{value: {_plain(q.value)}, currency: USD}}")
            continue
        unit = "percent" if after[:1] in (["%"], ["percent"], ["per"]) or q.text.endswith("%") else \
            re.sub(r"[^\w-]", "", after[0]).lower() if after else FILL_MARK
        values.append(f"      - {{value: {_plain(q.value)}, unit: {_yaml_str(unit or FILL_MARK)}}}")
    out = [
        f"  - id: {ident}",
        "    statement: >-",
        f"      {STUB_MARK} {sentence}",
        f"    date: \"{_date_in(sentence) or published}\"",
        "    topic: fill-in",
        f"    kind: {'figure' if values else 'event'}",
        "    weight: 2",
        "    sources:",
        f"      - {{source: {source_id}, locator: {_yaml_str(locator)}}}",
    ]
    if values:
        out += ["    values:", *values]
    return [*out, ""]


def _plain(value: float) -> str:
    return str(int(value)) if value == int(value) else f"{value:.12g}"


def _date_in(sentence: str) -> str | None:
    m = _DATE.search(sentence)
    if not m:
        return None
    day, month, year = m.group(1), m.group(2), m.group(3)
    try:
        if month:
            iso = f"{year}-{_MONTH_NUMBER[month.lower()]:02d}" + (f"-{int(day):02d}" if day else "")
            return PartialDate.parse(iso).iso()
    except ValueError:
        pass
    return year


def _yaml_str(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
