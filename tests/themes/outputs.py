"""Reading a theme's marks back out of built files: colours, fonts, logos and text, as a reader's software sees them."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import numpy as np
from PIL import Image
from pypdf import PdfReader


def one(folder: Path, suffix: str) -> Path:
    found = sorted(folder.glob(f"*{suffix}"))
    assert len(found) == 1, found
    return found[0]


def xml_parts(path: Path) -> dict[str, str]:
    """Every XML part of a DOCX or PPTX, by name."""
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml")}


def media(path: Path) -> list[bytes]:
    with zipfile.ZipFile(path) as z:
        return [z.read(n) for n in z.namelist() if "/media/" in n]


def pdf_fill_colours(path: Path) -> set[str]:
    """The RGB colours ('#0B6E4F') a PDF paints with, in its pages and their form XObjects (SVG charts)."""
    found: set[str] = set()

    def scan(data: bytes) -> None:
        for r, g, b in re.findall(rb"([\d.]+) ([\d.]+) ([\d.]+) (?:rg|RG)\b", data):
            found.add("#" + "".join(f"{round(float(v) * 255):02X}" for v in (r, g, b)))

    for page in PdfReader(str(path)).pages:
        scan(page.get_contents().get_data())
        for xobject in (page["/Resources"].get("/XObject") or {}).values():
            obj = xobject.get_object()
            if obj.get("/Subtype") == "/Form":
                scan(obj.get_data())
    return found


def pdf_image_sizes(path: Path) -> set[tuple[int, int]]:
    sizes = set()
    for page in PdfReader(str(path)).pages:
        for image in page.images:
            sizes.add(Image.open(io.BytesIO(image.data)).size)
    return sizes


def pdf_text(path: Path) -> str:
    return " ".join(" ".join(p.extract_text() or "" for p in PdfReader(str(path)).pages).split())


def pdf_fonts(path: Path) -> set[str]:
    names = set()
    for page in PdfReader(str(path)).pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            names.add(str(font.get_object()["/BaseFont"]).split("+")[-1])
    return names


def pixels_of(png: bytes, colour: str) -> int:
    """How many pixels of a PNG are exactly `colour` ('#RRGGBB')."""
    target = np.array([int(colour[i:i + 2], 16) for i in (1, 3, 5)], dtype=np.uint8)
    pixels = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))
    return int(np.all(pixels == target, axis=-1).sum())
