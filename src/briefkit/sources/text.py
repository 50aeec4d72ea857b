"""A source text as stored, cut into numbered blocks: the paragraphs, headings, notes, tables and pages a locator
can name.

The numbering rule (docs/factbase.md, decision 60): blocks are separated by blank lines. A block is
- a page mark when it is only `[page N]` (written by `source add` for PDFs); it numbers nothing itself;
- a note when it starts with `[N]` or `[^N]:`; notes are named by their own number;
- a table when every line starts with `|`, optionally after a caption line `Table 2.1: ...`;
- a heading when the text marks headings with `#` and the block is such a line, or, in a text without `#`
  headings, when it is one short line (at most 12 words) that does not start like dialogue, a list item or a
  quotation and does not end like a sentence (a question counts as a heading only in title case);
- otherwise a paragraph. Paragraphs are numbered 1, 2, 3 ... through the whole text, and again from 1 under
  each heading. In a text with dialogue turns (two or more dash-led questions, or `Q:` / `A:`), each turn
  opened by the interviewer is a question and what follows it the answer; what comes before the first
  question is the introduction.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from briefkit.errors import FactbaseError, Problem, display_path
from briefkit.safefile import read_limited

MAX_TEXT_BYTES = 5_000_000
MAX_BLOCKS = 50_000
MAX_HEADING_WORDS = 12
MAX_HEADING_CHARS = 100

_PAGE = re.compile(r"^\[page (\d{1,5})\]$")
_NOTE = re.compile(r"^\[\^?(\d{1,4})\]:?\s")
_CAPTION = re.compile(r"^table\s+(\d{1,3}(?:\.\d{1,3})*)\b", re.IGNORECASE)
_MD_HEADING = re.compile(r"^#{1,6}\s+\S")
_DIALOGUE = re.compile(r"^[–—]\s*|^-\s+")
_QUESTION_MARK = re.compile(r"^(?:Q|Question)\s*[:.]\s*")
_ANSWER_MARK = re.compile(r"^(?:A|Answer)\s*[:.]\s*")
_NOT_HEADING_START = tuple("–—-*•“\"'‘«([>|")
_SENTENCE_END = tuple(".,;:!…\"”’)»")


@dataclass
class Block:
    """One blank-line separated block of the stored text, with every address it can be cited by."""

    kind: str  # "para", "heading", "note", "table", "page"
    text: str
    line: int  # first line in the stored file, 1-based
    number: int = 0  # para: number in the whole text; note: its own number; page: the page
    label: str = ""  # table: its number as written ("2", "2.1")
    section: Block | None = None  # the heading above it
    in_section: int = 0  # para: number under its heading
    page: int | None = None
    turn: tuple[str, int, int] | None = None  # ("question", n, 1), ("answer", n, k) or ("introduction", 0, k)
    sectioned: bool = False  # the text has two or more headings with paragraphs: cite by heading

    @property
    def heading(self) -> str:
        return self.text.lstrip("#").strip() if self.kind == "heading" else ""

    def addresses(self) -> list[str]:
        """Every locator that names this block alone, the plainest first."""
        if self.kind == "note":
            return [f"note {self.number}"]
        if self.kind == "table":
            return [f"table {self.label}"]
        if self.kind != "para":
            return []
        out = [f"para. {self.number}"]
        if self.section is not None and self.sectioned:
            out.append(f"{self.section.heading}, para. {self.in_section}")
        if self.turn is not None:
            kind, n, k = self.turn
            out.append(f"question {n}" if kind == "question" else
                       f"answer {n}, para. {k}" if kind == "answer" else f"introduction, para. {k}")
        if self.page is not None:
            out.append(f"p. {self.page}")
        return out


@dataclass
class SourceText:
    """A stored source text cut into blocks."""

    name: str
    blocks: list[Block]
    paragraphs: list[Block] = field(default_factory=list)
    headings: list[Block] = field(default_factory=list)
    notes: dict[int, Block] = field(default_factory=dict)
    tables: dict[str, Block] = field(default_factory=dict)
    pages: dict[int, list[Block]] = field(default_factory=dict)
    questions: dict[int, Block] = field(default_factory=dict)
    answers: dict[int, list[Block]] = field(default_factory=dict)
    introduction: list[Block] = field(default_factory=list)

    def section(self, name: str) -> list[Block]:
        """The headings `name` may mean: the one written so, else those it is the label of ('Box 1' for
        'Box 1: Case Study ...')."""
        want = normalise(name).casefold()
        exact = [h for h in self.headings if normalise(h.heading).casefold() == want]
        if exact:
            return exact[:1]
        return [h for h in self.headings
                if re.match(re.escape(want) + r"\s*[:.–—-]\s", normalise(h.heading).casefold() + " ")]

    def under(self, heading: Block) -> list[Block]:
        return [p for p in self.paragraphs if p.section is heading]


def normalise(text: str) -> str:
    """Typography a copy may change without changing the words: quotes, apostrophes, dashes, spaces."""
    text = unicodedata.normalize("NFKC", text)
    text = text.translate(_TYPO)
    return " ".join(text.split())


_TYPO = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "‘": "'", "’": "'", "‚": "'",
                       "–": "-", "—": "-", "‑": "-", "\u00ad": None, "\\": None, "*": None})


def read_text(path: Path, shown: str | None = None) -> SourceText:
    """Read and cut a stored source text; a file too large, not UTF-8 or with too many blocks is a located
    error, never a slow run."""
    where = shown or display_path(path)
    try:
        size = path.stat().st_size
        if size > MAX_TEXT_BYTES:
            raise FactbaseError(Problem(where, None, f"source text of {size:,} bytes is over the limit of "
                                                    f"{MAX_TEXT_BYTES:,}"))
    except OSError as exc:
        raise FactbaseError(Problem(where, None, f"cannot read the source text: {exc.strerror}")) from None
    data = read_limited(path, MAX_TEXT_BYTES, FactbaseError)  # a named pipe or device is refused, not waited on
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise FactbaseError(Problem(where, line, "the source text is not UTF-8")) from None
    return parse_text(text, path.name, where)


def parse_text(text: str, name: str = "text", where: str = "text") -> SourceText:
    raw = _raw_blocks(text.replace("\r\n", "\n").replace("\r", "\n"), where)
    explicit = any(_MD_HEADING.match(lines[0]) for _, lines in raw)
    blocks: list[Block] = []
    page: int | None = None
    for line, lines in raw:
        body = "\n".join(lines)
        if len(lines) == 1 and (m := _PAGE.match(lines[0].strip())):
            page = int(m.group(1))
            blocks.append(Block("page", body, line, number=page, page=page))
            continue
        if m := _NOTE.match(body):
            blocks.append(Block("note", body, line, number=int(m.group(1)), page=page))
            continue
        rows = lines[1:] if _CAPTION.match(lines[0]) and len(lines) > 1 else lines
        if all(r.lstrip().startswith("|") for r in rows):
            caption = lines[0] if rows is not lines else None
            before = blocks[-1] if blocks else None
            if caption is None and before is not None and before.kind in ("para", "heading") and \
                    "\n" not in before.text and _CAPTION.match(before.text):
                before.kind, caption = "caption", before.text  # 'Table 2.1: ...' on its own line above
            blocks.append(Block("table", body, line, label=_caption_label(caption), page=page))
            continue
        kind = "heading" if _is_heading(lines, explicit) else "para"
        blocks.append(Block(kind, body, line, page=page))
    return _number(SourceText(name, blocks))


def _raw_blocks(text: str, where: str) -> list[tuple[int, list[str]]]:
    out: list[tuple[int, list[str]]] = []
    current: list[str] = []
    start = 0
    for n, line in enumerate(text.split("\n"), start=1):
        if line.strip():
            if not current:
                start = n
            current.append(line.rstrip())
            continue
        if current:
            out.append((start, current))
            current = []
            if len(out) > MAX_BLOCKS:
                raise FactbaseError(Problem(where, n, f"more than {MAX_BLOCKS:,} paragraphs"))
    if current:
        out.append((start, current))
    return out


def _caption_label(caption: str | None) -> str:
    m = _CAPTION.match(caption or "")
    return m.group(1) if m else ""


def _is_heading(lines: list[str], explicit: bool) -> bool:
    if explicit:
        return len(lines) == 1 and bool(_MD_HEADING.match(lines[0]))
    if len(lines) != 1:
        return False
    s = re.sub(r"(?:\[\^?\d{1,4}\])+$", "", lines[0].strip())  # 'a sentence.[1]' ends as a sentence
    words = s.split()
    if not words:
        return False
    if len(words) > MAX_HEADING_WORDS or len(s) > MAX_HEADING_CHARS or s.startswith(_NOT_HEADING_START):
        return False
    if _QUESTION_MARK.match(s) or _ANSWER_MARK.match(s) or s.endswith(_SENTENCE_END):
        return False
    if s.endswith("?"):
        return all(w[0].isupper() for w in words if len(w) > 3 and w[0].isalpha())
    return True


def _number(st: SourceText) -> SourceText:
    section: Block | None = None
    counts: dict[int, int] = {}
    state = "introduction"  # then "question" or "answer"
    question = 0
    answer_paras = 0
    tables = 0
    dialogue = _is_interview(st.blocks)
    for b in st.blocks:
        b.section = section if b.kind != "heading" else None
        if b.kind == "heading":
            section = b
            st.headings.append(b)
        elif b.kind == "note":
            st.notes.setdefault(b.number, b)
        elif b.kind == "table":
            tables += 1
            b.label = b.label or str(tables)
            st.tables.setdefault(b.label, b)
        elif b.kind == "para":
            st.paragraphs.append(b)
            b.number = len(st.paragraphs)
            key = id(section)
            counts[key] = counts.get(key, 0) + 1
            b.in_section = counts[key]
            if b.page is not None:
                st.pages.setdefault(b.page, []).append(b)
            if dialogue:
                state, question, answer_paras = _turn(st, b, state, question, answer_paras)
    sectioned = len({id(p.section) for p in st.paragraphs if p.section is not None}) >= 2
    for p in st.paragraphs:
        p.sectioned = sectioned
    return st


def _is_interview(blocks: list[Block]) -> bool:
    """Dialogue turns make an interview: `Q:` marks, or at least two dash-led paragraphs asking a question (a
    dash-led list item or two in a report do not)."""
    paras = [b.text for b in blocks if b.kind == "para"]
    return any(_QUESTION_MARK.match(t) for t in paras) or \
        sum(1 for t in paras if _DIALOGUE.match(t) and t.rstrip().endswith("?")) >= 2


def _turn(st: SourceText, b: Block, state: str, question: int, answer_paras: int) -> tuple[str, int, int]:
    """Place a paragraph in the interview: a marked turn after the answer (or the introduction) is the next
    question; the turn right after a question, marked or not, starts its answer."""
    asks = bool(_QUESTION_MARK.match(b.text))
    answers = bool(_ANSWER_MARK.match(b.text))
    marked = bool(_DIALOGUE.match(b.text))
    if asks or (marked and state != "question"):
        question += 1
        st.questions[question] = b
        b.turn = ("question", question, 1)
        return "question", question, 0
    if state == "introduction" and not answers:
        st.introduction.append(b)
        b.turn = ("introduction", 0, len(st.introduction))
        return state, question, 0
    answer_paras += 1
    st.answers.setdefault(question, []).append(b)
    b.turn = ("answer", question, answer_paras)
    return "answer", question, answer_paras
