"""`source add`: a file (.txt, .md, .html, .pdf, .docx) becomes a stored text under the fact base's sources/
folder and an entry appended to sources.yaml, with what the file's metadata gives.

The stored text is plain UTF-8 in the form text.py numbers: blank lines between paragraphs, `#` headings where
the file marks them, `|` rows for tables, `[page N]` before each page of a PDF. Files are untrusted: each is
bounded in size, pages, paragraphs and (for ZIP-based DOCX) unpacked size, and every failure is one located line.
"""

from __future__ import annotations

import json
import logging
import os
import re
import time
import unicodedata
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from briefkit.errors import BriefkitError, FactbaseError, Problem, display_path
from briefkit.factbase.dates import PartialDate
from briefkit.factbase.yamlfile import LList, LMap, load_yaml
from briefkit.sources.text import MAX_TEXT_BYTES, parse_text
from briefkit.sources.verify import FILL_MARK

MAX_INPUT_BYTES = 50_000_000
MAX_PDF_PAGES = 2_000
MAX_SECONDS = 120.0
MAX_DOCX_UNPACKED = 200_000_000
MAX_DOCX_MEMBERS = 5_000
FORMATS = (".txt", ".md", ".markdown", ".html", ".htm", ".pdf", ".docx")
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")


@dataclass
class Imported:
    """A file's main text, normalised, and the metadata it gave."""

    text: str
    title: str = ""
    authors: list[str] = field(default_factory=list)
    publisher: str = ""
    date: str = ""
    url: str = ""


@dataclass(frozen=True)
class Added:
    id: str
    text_path: Path
    paragraphs: int
    headings: int
    pages: int
    to_fill: list[str]


def add_source(file: Path, facts: Path, sources: Path | None = None, ident: str | None = None) -> Added:
    shown = display_path(file)
    if not facts.is_dir():
        raise FactbaseError(Problem(display_path(facts), None, "fact base folder not found"))
    if not file.is_file():
        raise FactbaseError(Problem(shown, None, "file not found"))
    suffix = file.suffix.lower()
    if suffix not in FORMATS:
        raise FactbaseError(Problem(shown, None, f"cannot import {suffix or 'a file without extension'}; "
                                                 f"give one of {', '.join(FORMATS)}"))
    size = file.stat().st_size
    if size > MAX_INPUT_BYTES:
        raise FactbaseError(Problem(shown, None, f"{size:,} bytes is over the limit of {MAX_INPUT_BYTES:,}"))
    registry = facts / "sources.yaml"
    existing = _existing_ids(registry)
    try:
        imported = _IMPORTERS[suffix](file, shown)
    except BriefkitError:
        raise
    except Exception as exc:  # a library's own error on a damaged file: the user's file, not our bug
        raise FactbaseError(Problem(shown, None, f"cannot read this {suffix[1:].upper()} file: "
                                                 f"{type(exc).__name__}: {_clip(str(exc))}")) from None
    text = normalise_text(imported.text)
    if not text.strip():
        raise FactbaseError(Problem(shown, None, "no text found in the file (a scanned PDF needs OCR first)"))
    if len(text.encode()) > MAX_TEXT_BYTES:
        raise FactbaseError(Problem(shown, None, f"the text is over {MAX_TEXT_BYTES:,} bytes"))
    parsed = parse_text(text, file.name, shown)
    ident = ident or _make_id(imported, file, existing)
    if not _ID.match(ident) or len(ident) > 80:
        raise FactbaseError(Problem(shown, None, f"--id {ident!r}: use lowercase letters, digits and hyphens"))
    if ident in existing:
        raise FactbaseError(Problem(display_path(registry), existing[ident], f"id {ident!r} is already used"))
    folder = sources if sources is not None else facts / "sources"
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{ident}.txt"
    try:
        with target.open("x", encoding="utf-8", newline="\n") as out:  # never over an existing text
            out.write(text)
    except FileExistsError:
        raise FactbaseError(Problem(display_path(target), None, "a source text of this name exists; choose "
                                                                "another --id")) from None
    try:
        to_fill = _append_entry(registry, ident, imported, target.name)
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    return Added(ident, target, len(parsed.paragraphs), len(parsed.headings), len(parsed.pages), to_fill)


def normalise_text(text: str) -> str:
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = text.replace("\t", " ").replace("\u00a0", " ").replace("\u2028", "\n").replace("\u2029", "\n\n")
    text = _CONTROL.sub("", text)
    lines = [line.rstrip() for line in text.split("\n")]
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")
    return text + "\n"


def _existing_ids(registry: Path) -> dict[str, int]:
    if not registry.exists():
        return {}
    data = load_yaml(registry)
    items = data.get("sources") if isinstance(data, LMap) else None
    out = {}
    if isinstance(items, LList):
        for item, line in zip(items, items.item_lines, strict=False):
            if isinstance(item, LMap) and isinstance(item.get("id"), str):
                out[item["id"]] = line
    return out


def _make_id(imported: Imported, file: Path, existing: dict[str, int]) -> str:
    words = re.findall(r"[a-z0-9]+", unicodedata.normalize("NFKD", imported.title or file.stem).lower())
    base = "-".join(words[:5])[:60].strip("-") or "source"
    year = imported.date[:4] if imported.date else ""
    base = f"{base}-{year}" if year and not base.endswith(year) else base
    ident, n = base, 2
    while ident in existing:
        ident, n = f"{base}-{n}", n + 1
    return ident


def _append_entry(registry: Path, ident: str, imp: Imported, text_name: str) -> list[str]:
    """Add the entry as text at the end of the `sources:` list, so comments and layout stay as they were."""
    to_fill = [name for name, value in (("title", imp.title), ("publisher", imp.publisher), ("date", imp.date))
               if not value] + ["kind", "reliability"]
    fields = [
        ("id", ident),
        ("title", imp.title or f"{FILL_MARK}: the title"),
        ("authors", imp.authors),
        ("publisher", imp.publisher or f"{FILL_MARK}: who published it"),
        ("date", imp.date or FILL_MARK),
        ("kind", f"{FILL_MARK}: article, report, interview, ..."),
        *([("url", imp.url)] if imp.url.startswith(("http://", "https://")) else []),
        ("text", text_name),
        ("reliability", f"{FILL_MARK}: how reliable it is, and from what perspective"),
    ]
    old = registry.read_text(encoding="utf-8") if registry.exists() else "sources:\n"
    indent = _item_indent(registry, old)
    lines = [f"{' ' * indent}- {k}: {json.dumps(v, ensure_ascii=False)}" if i == 0 else
             f"{' ' * (indent + 2)}{k}: {json.dumps(v, ensure_ascii=False)}" for i, (k, v) in enumerate(fields)]
    body = re.sub(r"(?m)^(\s*sources:)\s*(?:\[\s*\]|null|~)?\s*$", r"\1", old, count=1)
    new = body.rstrip("\n") + "\n" + "\n".join(lines) + "\n"
    tmp = registry.with_name(f".{registry.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(new, encoding="utf-8")
        data = load_yaml(tmp)
        items = data.get("sources") if isinstance(data, LMap) else None
        if not isinstance(items, LList) or not any(isinstance(i, LMap) and i.get("id") == ident for i in items):
            raise FactbaseError(Problem(display_path(registry), None, "cannot append to this file: its 'sources:' "
                                        "list must be the last key, one entry per '- id:' block"))
        os.replace(tmp, registry)
    finally:
        tmp.unlink(missing_ok=True)
    return to_fill


def _item_indent(registry: Path, text: str) -> int:
    lines = text.split("\n")
    key = next((i for i, line in enumerate(lines) if re.match(r"^sources:", line)), None)
    if key is None:
        raise FactbaseError(Problem(display_path(registry), None, "has no top-level 'sources:' key"))
    later = [i + 1 for i, line in enumerate(lines[key + 1 :], start=key + 1) if re.match(r"^[^\s#-]", line)]
    if later:
        raise FactbaseError(Problem(display_path(registry), later[0], "cannot append: 'sources:' must be the "
                                                                     "file's last key"))
    if re.match(r"^sources:\s*\[\s*\S", lines[key]):
        raise FactbaseError(Problem(display_path(registry), key + 1, "cannot append to a [...] list; write it "
                                                                    "one '- id:' entry per block"))
    items = [re.match(r"^(\s*)-\s", line) for line in lines[key + 1 :]]
    return next((len(m.group(1)) for m in items if m), 2)


def _clip(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


# ---- importers: each returns the main text as text.py reads it, and the metadata it found ----

def _read_utf8(path: Path, shown: str) -> str:
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise FactbaseError(Problem(shown, line, "not UTF-8 text; save it as UTF-8 first")) from None


def _from_txt(path: Path, shown: str) -> Imported:
    text = _read_utf8(path, shown)
    first = next((line.strip() for line in text.split("\n") if line.strip()), "")
    return Imported(text, title=first if len(first) <= 200 and len(first.split()) <= 20 else "")


_FRONT = re.compile(r"\A---\n(.*?)\n---\n", re.DOTALL)


def _from_md(path: Path, shown: str) -> Imported:
    text = _read_utf8(path, shown).replace("\r\n", "\n")
    meta: dict[str, str] = {}
    if m := _FRONT.match(text):
        for line in m.group(1).split("\n"):
            if ":" in line and not line.startswith(" "):
                k, v = line.split(":", 1)
                meta[k.strip().lower()] = v.strip().strip("\"'")
        text = text[m.end() :]
    heading = re.search(r"(?m)^#\s+(.+)$", text)
    authors = meta.get("authors") or meta.get("author") or ""
    return Imported(text, title=meta.get("title") or (heading.group(1).strip() if heading else ""),
                    authors=[a.strip() for a in authors.strip("[]").split(",") if a.strip()],
                    publisher=meta.get("publisher", ""), date=_date(meta.get("date", "")), url=meta.get("url", ""))


def _from_html(path: Path, shown: str) -> Imported:
    import trafilatura
    from trafilatura.utils import decode_file

    html = decode_file(path.read_bytes())  # the page's own charset, else a guess
    text = trafilatura.extract(html, output_format="markdown", include_tables=True, include_comments=False,
                               include_links=False, include_images=False, deduplicate=True)
    meta = trafilatura.extract_metadata(html)
    if not text:
        return Imported("")
    authors = [a.strip() for a in re.split(r";|,| and ", meta.author or "") if a.strip()] if meta else []
    return Imported(text.replace("\\", ""), title=(meta.title or "") if meta else "", authors=authors,
                    publisher=(meta.sitename or "") if meta else "", date=_date(meta.date if meta else ""),
                    url=(meta.url or "") if meta else "")


def _from_pdf(path: Path, shown: str) -> Imported:
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams, LTTextContainer
    from pypdf import PdfReader

    for name in ("pypdf", "pdfminer"):  # their warnings about a damaged file would be lines of their own
        logging.getLogger(name).setLevel(logging.CRITICAL)
    reader = PdfReader(path)
    if len(reader.pages) > MAX_PDF_PAGES:
        raise FactbaseError(Problem(shown, None, f"{len(reader.pages):,} pages is over the limit of {MAX_PDF_PAGES:,}"))
    info: Mapping[str, Any] = reader.metadata or {}
    started = time.monotonic()
    out: list[str] = []
    for number, page in enumerate(extract_pages(path, laparams=LAParams(), maxpages=MAX_PDF_PAGES), start=1):
        if time.monotonic() - started > MAX_SECONDS:
            raise FactbaseError(Problem(shown, None, f"reading the PDF took over {MAX_SECONDS:.0f} s (page {number})"))
        out.append(f"[page {number}]")
        for box in page:
            if isinstance(box, LTTextContainer):
                para = _join_lines(box.get_text())
                if para and not re.fullmatch(r"\d{1,4}[.)]?|[•·◦▪–-]", para):  # a page number, a list mark
                    out.append(para)
    title = str(info.get("/Title") or "")
    author = str(info.get("/Author") or "")
    return Imported("\n\n".join(out), title=title, authors=[a.strip() for a in re.split(r";|,| and ", author)
                                                             if a.strip()],
                    date=_date(_pdf_date(str(info.get("/CreationDate") or ""))))


def _join_lines(text: str) -> str:
    """A PDF box's lines as one paragraph: a word broken by a hyphen at a line end is joined again."""
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    out = ""
    for line in lines:
        if out.endswith("-") and len(out) > 1 and out[-2].isalpha() and line[:1].islower():
            out = out[:-1] + line
        else:
            out = f"{out} {line}" if out else line
    return out


def _pdf_date(raw: str) -> str:
    m = re.match(r"^(?:D:)?(\d{4})(\d{2})?(\d{2})?", raw)
    return "-".join(g for g in m.groups() if g) if m else ""


def _from_docx(path: Path, shown: str) -> Imported:
    import docx
    from docx.table import Table

    with zipfile.ZipFile(path) as z:
        members = z.infolist()
        if len(members) > MAX_DOCX_MEMBERS or sum(m.file_size for m in members) > MAX_DOCX_UNPACKED:
            raise FactbaseError(Problem(shown, None, "the DOCX unpacks to more than "
                                                     f"{MAX_DOCX_UNPACKED:,} bytes or {MAX_DOCX_MEMBERS:,} parts"))
    document = docx.Document(str(path))
    out: list[str] = []
    for item in document.iter_inner_content():
        if isinstance(item, Table):
            rows = ["| " + " | ".join(" ".join(c.text.split()) for c in row.cells) + " |" for row in item.rows]
            out.append("\n".join(rows))
            continue
        text = " ".join(item.text.split())
        if not text:
            continue
        style = (item.style.name if item.style is not None else "") or ""
        level = re.match(r"^Heading (\d)$", style)
        marks = "#" * (int(level.group(1)) + 1) if level else "#" if style == "Title" else ""
        out.append(f"{marks} {text}" if marks else text)
    props = document.core_properties
    date = props.created.date().isoformat() if props.created else ""
    return Imported("\n\n".join(out), title=props.title or "",
                    authors=[a.strip() for a in re.split(r";|,| and ", props.author or "") if a.strip()],
                    date=_date(date))


def _date(raw: str | None) -> str:
    if not raw:
        return ""
    try:
        return PartialDate.parse(str(raw)[:10]).iso()
    except ValueError:
        return ""


_IMPORTERS = {".txt": _from_txt, ".md": _from_md, ".markdown": _from_md, ".html": _from_html, ".htm": _from_html,
              ".pdf": _from_pdf, ".docx": _from_docx}
