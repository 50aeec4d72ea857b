"""The text of built files as readers' software opens them: python-docx, pypdf, python-pptx, the email package."""

from __future__ import annotations

import email
from email import policy
from pathlib import Path

from docx import Document as DocxDocument
from pptx import Presentation
from pypdf import PdfReader


def one(folder: Path, suffix: str) -> Path:
    found = sorted(folder.glob(f"*{suffix}"))
    assert len(found) == 1, found
    return found[0]


def docx_lines(folder: Path) -> list[str]:
    """Each line of each paragraph (a line break inside a paragraph starts a new line)."""
    doc = DocxDocument(str(one(folder, "_brief.docx")))
    return [line for p in doc.paragraphs for line in p.text.splitlines()]


def pdf_text(folder: Path) -> str:
    """The PDF's text, lines joined back where the layout wrapped them (so phrases can be searched)."""
    pages = [page.extract_text() or "" for page in PdfReader(str(one(folder, "_brief.pdf"))).pages]
    return " ".join(" ".join(pages).split())


def slides(folder: Path) -> list[list[str]]:
    """Per slide, the lines of its text boxes."""
    out = []
    for slide in Presentation(str(one(folder, "_deck.pptx"))).slides:
        lines = []
        for shape in slide.shapes:
            if shape.has_text_frame:
                for paragraph in shape.text_frame.paragraphs:
                    text = paragraph.text
                    lines.extend(text.replace("\x0b", "\n").splitlines())
        out.append(lines)
    return out


def notes(folder: Path) -> list[str]:
    prs = Presentation(str(one(folder, "_deck.pptx")))
    return [s.notes_slide.notes_text_frame.text if s.has_notes_slide else "" for s in prs.slides]


def email_text(folder: Path) -> str:
    msg = email.message_from_bytes(one(folder, "_email.eml").read_bytes(), policy=policy.default)
    return msg.get_body(preferencelist=("plain",)).get_content()
