"""The locator grammar: where in a source a fact's words are, parsed with errors that point at a column.

    locator  = part { ";" part }
    part     = [ scope "," ] target | scope
    scope    = heading | page | "question" N | "answer" N | "introduction"
    page     = ("p." | "page") N | ("pp." | "pages") N "-" N
    target   = ("para." | "paragraph") N | ("paras." | "paragraphs") N "-" N | "note" N | "table" N[.N]
    heading  = the heading's words as printed (commas allowed), or in double quotes when they hold a ";"

Each part stands alone: "Introduction, para. 1; para. 3" is paragraph 1 under the heading and paragraph 3 of
the whole text. Resolving a part against a text (resolve) gives the blocks it names, or why it names none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from briefkit.sources.text import Block, SourceText

MAX_LOCATOR = 500
MAX_PARTS = 30

_WORDS = r"(?P<kw>paragraphs|paragraph|paras|para|notes|note|table|pages|page|pp|p|question|answer)"
_ATTEMPT = re.compile(_WORDS + r"(?P<dot>\.)?(?=\s|\d|$)(?P<rest>.*)$", re.IGNORECASE | re.DOTALL)
_NUM = re.compile(r"\s*(?P<a>\d{1,6}(?:\.\d{1,3})*)(?:\s*[-–]\s*(?P<b>\d{1,6}))?\s*$")
_KIND = {"paragraphs": "para", "paragraph": "para", "paras": "para", "para": "para", "notes": "note",
         "note": "note", "table": "table", "pages": "page", "page": "page", "pp": "page", "p": "page",
         "question": "question", "answer": "answer"}
_TARGETS = {"para", "note", "table"}


class LocatorError(ValueError):
    """A locator that does not parse; `column` is 1-based in the locator as written."""

    def __init__(self, column: int, message: str) -> None:
        super().__init__(f"column {column}: {message}")
        self.column = column


@dataclass(frozen=True)
class Ref:
    kind: str  # para, note, table, page, question, answer, section
    first: int = 0
    last: int = 0
    label: str = ""  # table number as written, or the section heading

    def __str__(self) -> str:
        if self.kind == "section":
            return self.label
        if self.kind == "table":
            return f"table {self.label}"
        span = f"{self.first}-{self.last}" if self.last != self.first else f"{self.first}"
        return {"para": "paras. " if self.last != self.first else "para. ", "note": "note ",
                "page": "pp. " if self.last != self.first else "p. ", "question": "question ",
                "answer": "answer "}[self.kind] + span


@dataclass(frozen=True)
class Part:
    text: str
    scope: Ref | None
    target: Ref | None

    @property
    def kind(self) -> str:
        """What kind of address it uses, to suggest another of the same kind."""
        if self.scope is not None and self.scope.kind in ("section", "answer", "page"):
            return self.scope.kind
        return "para"


def parse(locator: str) -> list[Part]:
    """Parse a locator; raise LocatorError at the first column that does not fit the grammar."""
    if len(locator) > MAX_LOCATOR:
        raise LocatorError(MAX_LOCATOR + 1, f"a locator is at most {MAX_LOCATOR} characters")
    parts = []
    for start, piece in _split(locator, ";", 0):
        if not piece.strip():
            raise LocatorError(start + 1, "empty part (two ';' in a row, or one at an end)")
        parts.append(_part(piece, start))
        if len(parts) > MAX_PARTS:
            raise LocatorError(start + 1, f"more than {MAX_PARTS} parts")
    return parts


def _split(text: str, sep: str, offset: int) -> list[tuple[int, str]]:
    """Split at `sep` outside double quotes, keeping each piece's column."""
    out: list[tuple[int, str]] = []
    quoted = False
    begin = 0
    for i, ch in enumerate(text):
        if ch in '"“”':
            quoted = not quoted if ch == '"' else ch == "“"
        elif ch == sep and not quoted:
            out.append((offset + begin, text[begin:i]))
            begin = i + 1
    if quoted:
        raise LocatorError(offset + len(text) + 1, "a double quote is not closed")
    out.append((offset + begin, text[begin:]))
    return out


def _part(piece: str, offset: int) -> Part:
    segments = _split(piece, ",", offset)
    refs: list[tuple[int, Ref]] = []
    heading: list[str] = []
    for column, seg in segments:
        lead = len(seg) - len(seg.lstrip())
        ref = _item(seg.strip(), column + lead)
        if ref is None:
            if refs:
                raise LocatorError(column + lead + 1, "a heading comes first in a part, as in 'Heading, para. 2'")
            heading.append(seg)
            continue
        refs.append((column + lead, ref))
    scope: Ref | None = None
    if heading:
        name = ",".join(heading).strip()
        unquoted = name.strip('"“”').strip()
        if not unquoted:
            raise LocatorError(offset + 1, "empty heading")
        scope = Ref("section", label=unquoted)
    target: Ref | None = None
    for column, ref in refs:
        if ref.kind in _TARGETS:
            if target is not None:
                raise LocatorError(column + 1, f"one paragraph, note or table per part: write '; {ref}'")
            target = ref
        elif scope is not None or target is not None:
            raise LocatorError(column + 1, f"'{ref}' must come first in its part (or in a part of its own)")
        else:
            scope = ref
    if scope is not None and scope.kind == "question" and target is not None:
        raise LocatorError(offset + 1, "a question is one paragraph: cite 'question N' alone")
    if scope is not None and scope.kind == "page" and target is not None and target.kind != "para":
        raise LocatorError(offset + 1, "notes and tables are cited on their own, not by page")
    return Part(piece.strip(), scope, target)


def _item(seg: str, column: int) -> Ref | None:
    """A keyword and its number, or None when the segment is words of a heading."""
    m = _ATTEMPT.match(seg)
    if m is None:
        return None
    rest = m.group("rest")
    if rest.strip() and not rest.strip()[0].isdigit() and len(rest.split()) > 1:
        return None  # 'Notes on method', 'Table of contents': a heading's words
    if re.match(r"\s*\d[\d.]*\s*:\s*\S", rest):
        return None  # 'Table 1: Exercises': a heading with its label
    kw = m.group("kw").lower()
    if kw == "p" and not m.group("dot"):
        return None
    kind = _KIND[kw]
    written = m.group("kw") + (m.group("dot") or "")
    num = _NUM.match(rest)
    where = column + len(written) + 1 + (len(rest) - len(rest.lstrip()))
    if not rest.strip():
        raise LocatorError(where, f"expected a number after '{written}'")
    if num is None:
        raise LocatorError(where, f"expected a number after '{written}', found '{rest.strip()}'")
    a, b = num.group("a"), num.group("b")
    if kind == "table":
        if b:
            raise LocatorError(where, "cite one table per part")
        return Ref("table", label=a)
    if "." in a:
        raise LocatorError(where, f"'{a}' is not a whole number")
    first, last = int(a), int(b or a)
    if first < 1:
        raise LocatorError(where, "numbers start at 1")
    if last < first:
        raise LocatorError(where, f"the range {first}-{last} runs backwards")
    if b and kind in ("question", "answer"):
        raise LocatorError(where, f"cite one {kind} per part")
    if last - first > 200:
        raise LocatorError(where, "a range of more than 200")
    return Ref(kind, first, last)


@dataclass(frozen=True)
class Resolved:
    blocks: list[Block]
    error: str = ""


def resolve(part: Part, text: SourceText) -> Resolved:
    """The blocks a part names in `text`, or the reason it names none."""
    scope, target = part.scope, part.target
    pool: list[Block] | None = None
    where = ""
    if scope is not None:
        if scope.kind == "section":
            found = text.section(scope.label)
            if not found and scope.label.casefold() == "introduction" and text.introduction:
                pool, where = text.introduction, "the introduction"
            elif not found:
                return Resolved([], f"no heading '{scope.label}'{_headings_hint(text)}")
            elif len(found) > 1:
                names = "; ".join(f"'{h.heading}'" for h in found[:5])
                return Resolved([], f"'{scope.label}' could be any of {names}: write the heading in full")
            else:
                pool, where = text.under(found[0]), f"'{found[0].heading}'"
        elif scope.kind == "page":
            if not text.pages:
                return Resolved([], "the text has no page marks ([page N]), so pages cannot be cited")
            pool = [b for n in range(scope.first, scope.last + 1) for b in text.pages.get(n, [])]
            where = f"{scope}"
            if not pool:
                return Resolved([], f"no paragraph starts on {scope} (pages {min(text.pages)}-{max(text.pages)})")
        elif scope.kind == "question":
            q = text.questions.get(scope.first)
            return Resolved([q]) if q else Resolved([], f"no question {scope.first}{_interview_hint(text)}")
        elif scope.kind == "answer":
            pool = text.answers.get(scope.first)
            if not pool:
                return Resolved([], f"no answer {scope.first}{_interview_hint(text)}")
            where = f"answer {scope.first}"
    if target is None:
        return Resolved(pool or [])
    if target.kind == "note":
        got = [text.notes[n] for n in range(target.first, target.last + 1) if n in text.notes]
        if len(got) < target.last - target.first + 1:
            have = f" (it has notes {min(text.notes)}-{max(text.notes)})" if text.notes else " (it has no notes)"
            return Resolved([], f"no {target} in the text{have}")
        return Resolved(got)
    if target.kind == "table":
        t = text.tables.get(target.label)
        if t is None:
            have = ", ".join(text.tables) or "none"
            return Resolved([], f"no table {target.label} in the text (tables: {have})")
        return Resolved([t])
    paras = pool if pool is not None else text.paragraphs
    if target.last > len(paras):
        within = f"{where} has" if where else "the text has"
        return Resolved([], f"{within} {len(paras)} paragraph{'s' if len(paras) != 1 else ''}")
    return Resolved(paras[target.first - 1 : target.last])


def _headings_hint(text: SourceText) -> str:
    if not text.headings:
        return " (the text has no headings: cite 'para. N')"
    names = [h.heading for h in text.headings]
    shown = "; ".join(names[:12]) + ("; ..." if len(names) > 12 else "")
    return f" (headings: {shown})"


def _interview_hint(text: SourceText) -> str:
    return f" (the text has {len(text.questions)} questions)" if text.questions else \
        " (the text has no dialogue turns)"


def address_like(block: Block, part: Part, text: SourceText) -> str:
    """The address of `block` in the same style as the part that missed it ('chapter 4, para. 2' where the
    part named the heading 'Chapter 4: Spending' so)."""
    scope = part.scope
    if scope is not None and scope.kind == "section" and block.kind == "para" and block.section is not None and \
            block.section in text.section(scope.label):
        return f"{scope.label}, para. {block.in_section}"
    addresses = block.addresses()
    prefer = {"section": ", para. ", "answer": "answer ", "page": "p. "}.get(part.kind)
    for a in addresses:
        if prefer and prefer in a and not (part.kind == "section" and a.startswith(("answer", "introduction"))):
            return a
    return addresses[0] if addresses else ""
