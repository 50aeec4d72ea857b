"""The heading look of a user's reference.docx (font and colour of Heading 1), so that the PDF and the deck can
wear it too: one theme, three formats. Read with the standard library from the file's styles part; a theme font
(`asciiTheme="majorHAnsi"`) is looked up in the file's theme part."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree as ET

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
MAX_PART = 5_000_000  # bytes of one XML part we are willing to read


@dataclass(frozen=True)
class HeadingStyle:
    font: str | None  # the family name Word shows, e.g. "Georgia"
    colour: str | None  # "#1F3864", or None when automatic or not set


def heading_style(path: Path) -> HeadingStyle:
    """Heading 1's font and colour in `path` (following its basedOn chain); None for what it does not set."""
    try:
        with zipfile.ZipFile(path) as docx:
            styles = _part(docx, "word/styles.xml")
            theme = _part(docx, "word/theme/theme1.xml")
    except (OSError, zipfile.BadZipFile, KeyError, ET.ParseError):
        return HeadingStyle(None, None)  # the theme check reports a broken file; nothing to carry from it
    if styles is None:
        return HeadingStyle(None, None)
    by_id = {s.get(f"{_W}styleId"): s for s in styles.iter(f"{_W}style")}
    font = colour = None
    style = by_id.get("Heading1") or next((s for s in by_id.values() if _name(s) == "heading 1"), None)
    seen = set()
    while style is not None and id(style) not in seen and (font is None or colour is None):
        seen.add(id(style))
        fonts = style.find(f"{_W}rPr/{_W}rFonts")
        if font is None and fonts is not None:
            font = fonts.get(f"{_W}ascii") or _theme_font(theme, fonts.get(f"{_W}asciiTheme"))
        colour_el = style.find(f"{_W}rPr/{_W}color")
        if colour is None and colour_el is not None and (colour_el.get(f"{_W}val") or "auto") != "auto":
            colour = "#" + colour_el.get(f"{_W}val", "").upper()
        based = style.find(f"{_W}basedOn")
        style = by_id.get(based.get(f"{_W}val")) if based is not None else None
    if font is None and theme is not None:
        font = _theme_font(theme, "majorHAnsi")  # Word's headings use the theme's heading font by default
    return HeadingStyle(font, colour if colour and len(colour) == 7 else None)


def _part(docx: zipfile.ZipFile, name: str) -> ET.Element | None:
    try:
        info = docx.getinfo(name)
    except KeyError:
        return None
    if info.file_size > MAX_PART:
        return None
    return ET.fromstring(docx.read(name))


def _name(style: ET.Element) -> str:
    name = style.find(f"{_W}name")
    return (name.get(f"{_W}val") or "").lower() if name is not None else ""


def _theme_font(theme: ET.Element | None, which: str | None) -> str | None:
    if theme is None or not which:
        return None
    kind = "majorFont" if which.startswith("major") else "minorFont"
    latin = theme.find(f".//{_A}{kind}/{_A}latin")
    return latin.get("typeface") or None if latin is not None else None
