"""Languages and directions in the brief's HTML: each run of another script gets its `lang` (Pango then picks the
CJK font's Chinese, Japanese or Korean forms and shapes Arabic by its rules), and a block whose text starts right
to left gets `dir="rtl"` (the paragraph reads, aligns and orders from the right). The words and structure are
`html.py`'s; this only marks what is there, after it.
"""

from __future__ import annotations

import re
from html import escape, unescape

from briefkit.scripts import is_rtl, language, needs_marking, runs, starts_rtl

_TAG = re.compile(r"(<[^>]*>)")
# Elements whose direction their own text decides. Table cells keep the table's, so columns stay aligned.
_BLOCK = re.compile(r"<(p|li|h[1-6]|figcaption|dd|dt)(\s[^>]*)?>$")
_NOTE = re.compile(r'<span class="footnote"[^>]*>$')
_RAW = ("<title", "<style", "<script")


def mark_scripts(html: str, document_language: str) -> str:
    """`html` (a body's markup) with other scripts' runs in `<span lang dir>` and right-to-left blocks marked."""
    if not needs_marking(html):
        return html
    pieces = _TAG.split(html)
    pending_block: int | None = None  # the opening tag of a block whose direction is not known yet
    raw = False
    for i, piece in enumerate(pieces):
        if i % 2:  # a tag
            lowered = piece.lower()
            if lowered.startswith(_RAW):
                raw = True
            elif raw and lowered.startswith("</"):
                raw = False
            if _BLOCK.match(piece) or _NOTE.match(piece):
                pending_block = i
            continue
        if raw or not piece:
            continue
        text = unescape(piece)
        if pending_block is not None and _has_strong(text):
            if starts_rtl(text):
                pieces[pending_block] = pieces[pending_block][:-1] + ' dir="rtl">'
            elif _NOTE.match(pieces[pending_block]):  # a note is read in its own direction, not its paragraph's
                pieces[pending_block] = pieces[pending_block][:-1] + ' dir="ltr">'
            pending_block = None
        if needs_marking(text):
            pieces[i] = "".join(_span(script, part, document_language) for script, part in runs(text))
    return "".join(pieces)


def _span(script: str, text: str, document_language: str) -> str:
    lang = language(script, document_language)
    body = escape(text, quote=False)
    if lang is None:
        return body
    direction = ' dir="rtl"' if is_rtl(script) else ""
    return f'<span lang="{lang}"{direction}>{body}</span>'


def _has_strong(text: str) -> bool:
    import unicodedata

    return any(unicodedata.bidirectional(c) in ("L", "R", "AL") for c in text)
