"""What an untrusted picture or package may expand to, judged before anything is decompressed or drawn.

A 2 KB SVG of nested `<use>` elements draws billions of shapes; a PNG of a few kilobytes can claim 50,000 x 50,000
pixels; a 2 MB reference.docx can hold a zero-filled entry of gigabytes. Each check reads only headers (the PNG's
size, the zip's directory) or counts the SVG's elements as drawn, and returns the reason to refuse, or None.
"""

from __future__ import annotations

import io
import re
import zipfile
from xml.etree import ElementTree

MAX_PIXELS = 40_000_000  # a logo or a stylesheet picture: 8,000 x 5,000 is already far more than a page needs
MAX_SVG_BYTES = 2_000_000
MAX_SVG_DRAWN = 100_000  # elements an SVG draws once every <use> is expanded
MAX_ZIP_MEMBERS = 2_000
MAX_ZIP_MEMBER = 64_000_000  # uncompressed bytes of one entry
MAX_ZIP_TOTAL = 256_000_000
MAX_ZIP_RATIO = 200  # uncompressed to compressed, for entries past a megabyte (XML compresses about 10:1)

_XLINK_HREF = "{http://www.w3.org/1999/xlink}href"


def raster_problem(data: bytes) -> str | None:
    """Why a PNG, JPEG, GIF or WebP picture may not be used: its claimed size, or damage (read in full only
    when its size is within bounds)."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
            if width * height > MAX_PIXELS:
                return f"is {width:,} x {height:,} pixels; the limit is {MAX_PIXELS:,} pixels"
            image.load()
    except Image.DecompressionBombError:
        assert Image.MAX_IMAGE_PIXELS is not None  # Pillow raises this only while a limit is set
        return f"claims more than {2 * Image.MAX_IMAGE_PIXELS:,} pixels; the limit is {MAX_PIXELS:,} pixels"
    except UnidentifiedImageError:
        return "is not a picture briefkit can read (PNG, JPEG, GIF or WebP)"
    except (OSError, ValueError, SyntaxError) as exc:
        return f"is damaged or cut short ({' '.join(str(exc).split())[:80]})"
    return None


def svg_problem(data: bytes) -> str | None:
    """Why an SVG may not be drawn: its size, entities (billion laughs), or the number of elements it would
    draw once each <use> is replaced by what it refers to (nested uses multiply)."""
    if len(data) > MAX_SVG_BYTES:
        return f"is {len(data):,} bytes; the limit for an SVG is {MAX_SVG_BYTES:,}"
    if re.search(rb"<!ENTITY", data, re.IGNORECASE):
        return "declares XML entities, which an SVG picture does not need"
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as exc:
        return f"is not well-formed XML ({exc})"
    by_id = {el.get("id"): el for el in root.iter() if el.get("id")}
    drawn: dict[int, int] = {}

    def count(el: ElementTree.Element, depth: int) -> int:
        """Elements drawn for `el`, memoised per element; a reference loop counts as too many."""
        key = id(el)
        if key in drawn:
            if drawn[key] < 0:
                return MAX_SVG_DRAWN + 1  # a <use> that refers to itself, directly or not
            return drawn[key]
        if depth > 200:
            return MAX_SVG_DRAWN + 1
        drawn[key] = -1
        total = 1
        if el.tag.endswith("use"):
            ref = (el.get(_XLINK_HREF) or el.get("href") or "").removeprefix("#")
            if ref in by_id:
                total += count(by_id[ref], depth + 1)
        for child in el:
            total += count(child, depth + 1)
            if total > MAX_SVG_DRAWN:
                break
        drawn[key] = min(total, MAX_SVG_DRAWN + 1)
        return drawn[key]

    if count(root, 0) > MAX_SVG_DRAWN:
        return f"would draw more than {MAX_SVG_DRAWN:,} shapes once its <use> elements are expanded"
    return None


def zip_problem(data: bytes) -> str | None:
    """Why a DOCX or PPTX package may not be opened, read from its directory alone: too many entries, an entry
    or a total too large once decompressed, or an entry compressed past any real document's ratio."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            members = package.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return None  # not a zip at all: the writer that opens it says so in its own words
    if len(members) > MAX_ZIP_MEMBERS:
        return f"holds {len(members):,} entries; the limit is {MAX_ZIP_MEMBERS:,}"
    total = 0
    for member in members:
        if member.file_size > MAX_ZIP_MEMBER:
            return f"entry {member.filename!r} unpacks to {member.file_size:,} bytes; the limit is {MAX_ZIP_MEMBER:,}"
        if member.file_size > 1_000_000 and member.file_size > MAX_ZIP_RATIO * max(member.compress_size, 1):
            return (f"entry {member.filename!r} is compressed {member.file_size // max(member.compress_size, 1):,} "
                    f"to 1, past the {MAX_ZIP_RATIO} to 1 of any real document")
        total += member.file_size
    if total > MAX_ZIP_TOTAL:
        return f"unpacks to {total:,} bytes; the limit is {MAX_ZIP_TOTAL:,}"
    return None
