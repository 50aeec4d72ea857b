"""Which writing system a character belongs to, and what that means for the formats: the font slot Word and
PowerPoint read it from (Latin, east-Asian, complex), its language tag, and its direction.

Only the scripts a theme's fallback chain names are told apart (`theme.model.FALLBACK_SCRIPTS`); everything else,
Latin, Greek and Cyrillic among it, is "other", served by the body or heading font and then the "other" chain.
Characters that belong to no script (spaces, digits, punctuation) are "common": they take the script of the text
around them, so "公安部 (2019)" stays one east-Asian run.
"""

from __future__ import annotations

import bisect
import unicodedata

# Ranges of code points, (first, last, script), sorted. From the Unicode blocks of each script.
_RANGES = sorted([
    (0x0590, 0x05FF, "hebrew"), (0xFB1D, 0xFB4F, "hebrew"),
    (0x0600, 0x06FF, "arabic"), (0x0750, 0x077F, "arabic"), (0x0870, 0x08FF, "arabic"),
    (0xFB50, 0xFDFF, "arabic"), (0xFE70, 0xFEFF, "arabic"), (0x10EC0, 0x10EFF, "arabic"),
    (0x1100, 0x11FF, "hangul"), (0x3130, 0x318F, "hangul"), (0xA960, 0xA97F, "hangul"),
    (0xAC00, 0xD7FF, "hangul"), (0xFFA0, 0xFFDC, "hangul"),
    (0x3040, 0x30FF, "kana"), (0x31F0, 0x31FF, "kana"), (0xFF66, 0xFF9F, "kana"), (0x1B000, 0x1B16F, "kana"),
    (0x2E80, 0x2FDF, "han"), (0x3000, 0x303F, "han"), (0x3190, 0x31EF, "han"), (0x3200, 0x33FF, "han"),
    (0x3400, 0x4DBF, "han"), (0x4E00, 0x9FFF, "han"), (0xF900, 0xFAFF, "han"), (0xFE30, 0xFE4F, "han"),
    (0xFF00, 0xFF65, "han"), (0xFFE0, 0xFFEF, "han"), (0x20000, 0x3FFFF, "han"),
])
_STARTS = [r[0] for r in _RANGES]

EAST_ASIAN = frozenset({"han", "kana", "hangul"})  # Word's w:eastAsia, PowerPoint's a:ea
COMPLEX = frozenset({"arabic", "hebrew"})  # Word's w:cs, PowerPoint's a:cs; written right to left
_LANGS = {"kana": "ja-JP", "hangul": "ko-KR", "arabic": "ar-SA", "hebrew": "he-IL"}
_HAN_LANGS = {"zh": "zh-CN", "ja": "ja-JP", "ko": "ko-KR"}


def script_of(char: str) -> str:
    """'han', 'kana', 'hangul', 'arabic', 'hebrew', 'common' (no script of its own) or 'other'."""
    code = ord(char)
    i = bisect.bisect_right(_STARTS, code) - 1
    if i >= 0 and code <= _RANGES[i][1]:
        return _RANGES[i][2]  # CJK punctuation included: it is drawn by CJK fonts, at their width
    if code < 0x80 and not char.isalpha():
        return "common"
    category = unicodedata.category(char)
    if category[0] in "ZNP" or category in ("Sm", "Sc", "Sk", "Cc", "Cf", "Mn"):
        return "common"
    return "other"


def runs(text: str) -> list[tuple[str, str]]:
    """`text` cut where the script changes, as (script, piece). Common characters join the run before them, but
    a right-to-left run keeps only those between its own letters: the space and comma after an Arabic word belong
    to the left-to-right text that follows, not to the Arabic (else they are drawn on its far side). Text with no
    script at all is one 'other' run."""
    out: list[list[str]] = []
    held = ""  # common characters after a right-to-left run, not yet known to be inside it
    for char in text:
        script = script_of(char)
        if script == "common":
            if out and out[-1][0] in COMPLEX:
                held += char
            elif out:
                out[-1][1] += char
            else:
                out.append(["common", char])
            continue
        if out and out[-1][0] == "common":  # leading neutrals: with the first script, unless it reads right to left
            out[-1][0] = "other" if script in COMPLEX else script
        if out and out[-1][0] == script:
            out[-1][1] += held + char
        else:
            if held:  # between a right-to-left run and another script: neutral, with the text around it
                out.append(["other", held])
            if out and out[-1][0] == script:
                out[-1][1] += char
            else:
                out.append([script, char])
        held = ""
    if held:
        out.append(["other", held])
    return _han_with_neighbours([("other" if s == "common" else s, t) for s, t in out])


def _han_with_neighbours(parts: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Ideographs touching kana are Japanese (kanji), touching hangul Korean (hanja): one run with them, so a
    Japanese sentence is drawn in one font with Japanese forms, not half in a Chinese one."""
    merged: list[list[str]] = []
    for i, (script, text) in enumerate(parts):
        if script == "han":
            before = parts[i - 1] if i else None
            after = parts[i + 1] if i + 1 < len(parts) else None
            touching = [p[0] for p in (before, after) if p and p[0] in ("kana", "hangul")
                        and not (p is before and p[1][-1:].isspace()) and not (p is after and text[-1:].isspace())]
            script = touching[0] if touching else script
        if merged and merged[-1][0] == script:
            merged[-1][1] += text
        else:
            merged.append([script, text])
    return [(s, t) for s, t in merged]


def slot(script: str) -> str:
    """The font slot of Office's run properties: 'latin', 'ea' (east-Asian) or 'cs' (complex script)."""
    return "ea" if script in EAST_ASIAN else "cs" if script in COMPLEX else "latin"


def language(script: str, document_language: str) -> str | None:
    """The language tag a run of `script` gets; None for 'other' (the document's own language). Han characters
    are read as the document's language when that writes them (Chinese, Japanese, Korean), else as Chinese."""
    if script == "han":
        base = document_language.split("-")[0]
        if base not in _HAN_LANGS:
            return "zh-CN"
        return document_language if "-" in document_language else _HAN_LANGS[base]
    return _LANGS.get(script)


def is_rtl(script: str) -> bool:
    return script in COMPLEX


def starts_rtl(text: str) -> bool:
    """Whether a paragraph reads right to left: its first strongly directional character does (Unicode's rule)."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return True
        if kind == "L":
            return False
    return False


def needs_marking(text: str) -> bool:
    """Whether any character of `text` is east-Asian or complex script (plain Latin text needs nothing)."""
    return any(ord(c) >= 0x0590 and script_of(c) in EAST_ASIAN | COMPLEX for c in text)
