"""Small files that expand to gigabytes or minutes, and theme files that are not what they claim, through
`briefkit build`: each refused in one located line before it is decompressed or drawn, outputs untouched.

The files are made here: an SVG whose nested <use> elements would draw 10^10 shapes, PNGs that claim 400 million
pixels (and one of 64 million), a logo cut short, a reference.docx holding a 100 MB zero-filled entry, a master.pptx of 3,000 entries, a
stylesheet and a template that are not UTF-8, and a template that is a named pipe.
"""

from __future__ import annotations

import base64
import io
import os
import struct
import zipfile
import zlib
from pathlib import Path

import pytest

from conftest import EXAMPLE, Run
from tests.robustness.conftest import FAST, Case, assert_user_error, leftovers, run_all, snapshot

pytestmark = pytest.mark.slow  # a CLI run per crafted file: `make test-fast` leaves it out


def use_bomb(levels: int = 10, fan: int = 10) -> bytes:
    """An SVG of 2 KB in which each group uses the one below it `fan` times: fan ** levels shapes drawn."""
    groups = ['<g id="g0"><rect width="1" height="1"/></g>']
    for n in range(1, levels + 1):
        uses = "".join(f'<use xlink:href="#g{n - 1}"/>' for _ in range(fan))
        groups.append(f'<g id="g{n}">{uses}</g>')
    return ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10" '
            f'height="10"><defs>{"".join(groups)}</defs><use xlink:href="#g{levels}"/></svg>').encode()


def png(width: int, height: int, rows: bytes | None = None) -> bytes:
    """A greyscale 1-bit PNG of all-zero rows: 20,000 x 20,000 pixels take 60 KB compressed."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    raw = rows if rows is not None else (b"\0" + b"\0" * ((width + 7) // 8)) * height
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9))
            + chunk(b"IEND", b""))


def zipped(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries.items():
            z.writestr(name, data)
    return out.getvalue()


BOMB_PNG = png(20_000, 20_000)
LARGE_PNG = png(8_000, 8_000)
NOISY_PNG = png(512, 512, rows=b"".join(b"\0" + os.urandom(64) for _ in range(512)))
CASES: dict[str, tuple[dict[str, bytes | str | None], str, str, int | None, str]] = {
    # name: (theme files, --format, where, line, message)
    "svg-use-bomb-file": ({"brief.css": "body { background: url(bomb.svg); }", "bomb.svg": use_bomb()}, "pdf",
                          "theme/brief.css", None, "would draw more than 100,000 shapes once its <use> elements are "
                                                   "expanded; use a smaller or simpler picture"),
    "svg-use-bomb-data-url": ({"brief.css": "body { background: url(data:image/svg+xml;base64,"
                                            f"{base64.b64encode(use_bomb()).decode()}); }}"}, "pdf",
                              "theme/brief.css", None, "would draw more than 100,000 shapes"),
    "svg-entities": ({"brief.css": "body { background: url(e.svg); }",
                      "e.svg": b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaa">]><svg xmlns="http://www.w3.org/'
                               b'2000/svg">&a;</svg>'}, "pdf", "theme/brief.css", None, "declares XML entities"),
    "png-bomb-in-css": ({"brief.css": "body { background: url(big.png); }", "big.png": BOMB_PNG}, "pdf",
                        "theme/brief.css", None, "claims more than 178,956,970 pixels; the limit is 40,000,000"),
    "png-bomb-logo": ({"theme.yaml": "logo: logo.png\n", "logo.png": BOMB_PNG}, "docx",
                      "theme/logo.png", None, "the logo claims more than 178,956,970 pixels; the limit is 40,000,000"),
    "png-large-logo": ({"theme.yaml": "logo: logo.png\n", "logo.png": LARGE_PNG}, "docx",
                       "theme/logo.png", None, "the logo is 8,000 x 8,000 pixels; the limit is 40,000,000 pixels"),
    "logo-cut-short": ({"theme.yaml": "logo: logo.png\n", "logo.png": NOISY_PNG[: len(NOISY_PNG) * 2 // 3]}, "docx",
                       "theme/logo.png", None, "the logo is damaged or cut short"),
    "reference-zip-bomb": ({"theme.yaml": "reference_docx: reference.docx\n",
                            "reference.docx": zipped({"[Content_Types].xml": b"<Types/>",
                                                      "word/media/zeros.bin": b"\0" * 100_000_000})}, "docx",
                           "theme/reference.docx", None, "entry 'word/media/zeros.bin' unpacks to 100,000,000 bytes; "
                                                         "the limit is 64,000,000"),
    "reference-high-ratio": ({"theme.yaml": "reference_docx: reference.docx\n",
                              "reference.docx": zipped({"[Content_Types].xml": b"<Types/>",
                                                        "word/styles.xml": b" " * 30_000_000})}, "docx",
                             "theme/reference.docx", None, "past the 200 to 1 of any real document"),
    "master-many-entries": ({"theme.yaml": "master_pptx: master.pptx\n",
                             "master.pptx": zipped({f"ppt/x/{n}.xml": b"" for n in range(3000)})}, "pptx",
                            "theme/master.pptx", None, "holds 3,000 entries; the limit is 2,000"),
    "stylesheet-not-utf8": ({"brief.css": "/* caf\xe9 */\nbody { color: black; }".encode("latin-1")}, "pdf",
                            "theme/brief.css", 1, "not UTF-8 text (byte 0xe9); save the file as UTF-8"),
    "template-not-utf8": ({"brief.md.j2": "# Title\n\ncaf\xe9\n".encode("latin-1")}, "docx",
                          "theme/brief.md.j2", 3, "not UTF-8 text (byte 0xe9); save the file as UTF-8"),
    "template-named-pipe": ({"brief.md.j2": None}, "docx",
                            "theme/brief.md.j2", None, "is a named pipe, not a file briefkit can read; remove it"),
}


@pytest.fixture(scope="module")
def runs(previous: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Run, Path]]:
    import shutil

    cases: dict[str, Case] = {}
    outs: dict[str, Path] = {}
    for name, (files, fmt, *_rest) in CASES.items():
        work = tmp_path_factory.mktemp(name)
        theme = work / "theme"
        theme.mkdir()
        for file_name, content in files.items():
            target = theme / file_name
            if content is None:
                os.mkfifo(target)
            elif isinstance(content, bytes):
                target.write_bytes(content)
            else:
                target.write_text(content, encoding="utf-8")
        shutil.copytree(previous, work / "out")
        cases[name] = Case(("build", "--facts", str(EXAMPLE), *FAST, "--theme", "theme", "--format", fmt, "--out",
                            "out"), work)
        outs[name] = work / "out"
    return {name: (r, outs[name]) for name, r in run_all(cases).items()}


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_bomb_or_a_false_file_is_refused_at_once(name: str, runs: dict[str, tuple[Run, Path]],
                                                   previous: Path) -> None:
    _files, _fmt, where, line, message = CASES[name]
    r, out = runs[name]
    assert_user_error(r, where, message, line=line)
    assert snapshot(out) == snapshot(previous)
    assert leftovers(out) == []
