"""The PDF writer, checked the way readers' software sees the file: pypdf for structure, text and fonts,
poppler's pdfinfo where it is installed, and a real local HTTP server to prove nothing is fetched."""

from __future__ import annotations

import dataclasses
import http.server
import io
import logging
import re
import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader
from pypdf.generic import DictionaryObject, IndirectObject

from briefkit.document.model import Document, Heading, Text
from briefkit.errors import TemplateError
from briefkit.paths import builtin_templates
from briefkit.theme.model import Colours, Theme
from briefkit.writers.html import document_html
from briefkit.writers.pdf import render_pdf, theme_css, write_pdf
from tests.samples import sample_document, sample_figure, sample_theme

TEMPLATES = builtin_templates() / "default"
HEADER_ROW = "Year Exercise Format Personnel"


def logo_theme() -> Theme:
    return dataclasses.replace(sample_theme(), logo=(TEMPLATES / "logo.png").read_bytes())


@pytest.fixture(scope="module")
def short_pdf() -> bytes:
    return write_pdf(sample_document(), logo_theme(), TEMPLATES)


@pytest.fixture(scope="module")
def long_doc() -> Document:
    return sample_document(rows=60)


@pytest.fixture(scope="module")
def long_pdf(long_doc: Document) -> bytes:
    return write_pdf(long_doc, sample_theme(), TEMPLATES)


def reader(data: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(data))


def page_texts(data: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in reader(data).pages]


def struct_elements(data: bytes) -> list[DictionaryObject]:
    """Every element of the tag tree, depth first."""
    root = reader(data).trailer["/Root"]["/StructTreeRoot"]
    out: list[DictionaryObject] = []

    def walk(node: object) -> None:
        node = node.get_object() if isinstance(node, IndirectObject) else node
        if isinstance(node, list):
            for kid in node:
                walk(kid)
        elif isinstance(node, DictionaryObject) and "/S" in node:
            out.append(node)
            walk(node.get("/K", []))

    walk(root["/K"])
    return out


# ---------------------------------------------------------------- accessibility and metadata


def test_the_pdf_is_tagged_with_the_brief_language(short_pdf: bytes) -> None:
    root = reader(short_pdf).trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert bool(root["/MarkInfo"]["/Marked"])
    assert root["/Lang"] == "en-GB"
    roles = [str(e["/S"]) for e in struct_elements(short_pdf)]
    assert roles.count("/H1") == 1  # the title; sections are H2
    assert {"/H2", "/P", "/L", "/LI", "/Figure", "/Caption", "/Table", "/TH", "/TD"} <= set(roles)


def test_pictures_carry_their_alt_text(short_pdf: bytes) -> None:
    alts = [str(e["/Alt"]) for e in struct_elements(short_pdf) if e["/S"] == "/Figure"]
    assert sorted(alts) == sorted([sample_figure().alt, "Test Organisation logo"])


def test_table_header_cells_are_tagged_as_headers(short_pdf: bytes) -> None:
    headers = [e for e in struct_elements(short_pdf) if e["/S"] == "/TH"]
    assert len(headers) == 4
    html = document_html(sample_document(), sample_theme())
    assert html.count('<th scope="col"') == 4
    assert "<thead>" in html and "<caption>" in html


def test_metadata_comes_from_meta(short_pdf: bytes) -> None:
    pdf = reader(short_pdf)
    info = pdf.metadata
    assert info.title == "Sample brief on widgets"
    assert info.author == "Test Organisation"
    assert info.subject == "Widgets"
    assert info["/Keywords"] == "widgets, test"
    assert info["/CreationDate"] == info["/ModDate"] == "D:20250320000000Z"  # META.timestamp, not the clock
    assert pdf.xmp_metadata is not None and pdf.xmp_metadata.dc_title == {"x-default": "Sample brief on widgets"}


@pytest.mark.skipif(shutil.which("pdfinfo") is None, reason="poppler-utils not installed")
def test_pdfinfo_reads_the_metadata(tmp_path: Path, short_pdf: bytes) -> None:
    path = tmp_path / "brief.pdf"
    path.write_bytes(short_pdf)
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    fields = dict(re.findall(r"^([A-Za-z ]+):\s+(.*)$", out, re.M))
    assert fields["Title"] == "Sample brief on widgets"
    assert fields["Author"] == "Test Organisation"
    assert fields["Tagged"] == "yes"
    assert fields["Page size"].endswith("(A4)")


def test_the_outline_lists_the_sections_only(short_pdf: bytes) -> None:
    outline = reader(short_pdf).outline
    titles = [item.title for item in outline if not isinstance(item, list)]
    assert titles == ["Joint exercises and training", "Sources"]  # no title, no "Contents", no box titles


def test_fonts_are_embedded_and_subset(short_pdf: bytes) -> None:
    fonts = {}
    for page in reader(short_pdf).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            fonts[str(font["/BaseFont"])] = descendant["/FontDescriptor"].get_object()
    assert fonts
    for name, descriptor in fonts.items():
        assert re.fullmatch(r"/[A-Z]{6}\+Carlito.*", name), name  # a subset of the theme's font
        assert "/FontFile2" in descriptor or "/FontFile3" in descriptor, name


def test_the_chart_is_vector(tmp_path: Path) -> None:
    """With no logo the PDF holds no raster image at all: the chart went in as SVG."""
    pdf = reader(write_pdf(sample_document(), sample_theme(), TEMPLATES))
    for page in pdf.pages:
        xobjects = page["/Resources"].get("/XObject", {})
        subtypes = {str(x.get_object()["/Subtype"]) for x in xobjects.values()}
        assert "/Image" not in subtypes


# ---------------------------------------------------------------- content


def test_text_is_extractable_with_headings_captions_and_notes(short_pdf: bytes) -> None:
    text = " ".join(page_texts(short_pdf))
    for expected in ("Sample brief on widgets", "FOR DISCUSSION", "Analyst · 20 March 2025", "BOTTOM LINE",
                     "Joint exercises and training", "Figure 1: Personnel in joint operations",
                     "Sources: Carnegie (2025); Kizilay (2022).", "Table 1: Joint exercises", "Page 1 of"):
        assert expected in text, expected


def test_notes_sit_at_the_page_foot_numbered_as_in_the_model(short_pdf: bytes) -> None:
    text = page_texts(short_pdf)[0]
    first = "1. Lemon and Norov, Carnegie (20 March 2025), ‘Training’, para. 3."
    second = "2. Kızılay (24 November 2022), para. 3; note 5."
    assert first in text and second in text
    assert text.index(first) > text.index("Figure 1")  # the foot of the page, after the body
    assert text.count("Lemon and Norov") == 1  # note 1 is cited twice but printed once


def test_contents_give_page_numbers(short_pdf: bytes) -> None:
    text = page_texts(short_pdf)[0]
    # The dotted leaders are drawn, not written: copied or read aloud, an entry is its title and its page.
    assert re.search(r"CONTENTS Joint exercises and training 1 Sources \d", text)


def _words(pdf: Path) -> list[tuple[str, float, float, float, float]]:
    """(word, xMin, yMin, xMax, yMax) in points, page 1, as poppler reads them."""
    xml = subprocess.run(["pdftotext", "-f", "1", "-l", "1", "-bbox", str(pdf), "-"], capture_output=True,
                         check=True, text=True).stdout
    found = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', xml)
    return [(w, float(x0), float(y0), float(x1), float(y1)) for x0, y0, x1, y1, w in found]


def _dots_between(png: Path, left: float, right: float, top: float, bottom: float, dpi: int) -> int:
    """Separate dark marks in the band between two words on one line (points to pixels at `dpi`)."""
    from PIL import Image

    image = Image.open(png).convert("L")
    scale = dpi / 72
    columns = range(round(left * scale), round(right * scale))
    rows = range(round(top * scale), round(bottom * scale) + 1)
    dark = [any(image.getpixel((x, y)) < 200 for y in rows) for x in columns]
    return sum(1 for i, d in enumerate(dark) if d and (i == 0 or not dark[i - 1]))


def test_a_dotted_leader_runs_from_each_title_to_its_page_number(tmp_path: Path) -> None:
    long_title = "A long section heading " * 6 + "that ends here"
    blocks = [sample_document().blocks[1], Heading(1, (Text("Short"),), "short"),
              Heading(1, (Text(long_title),), "long")]
    pdf = tmp_path / "contents.pdf"
    pdf.write_bytes(write_pdf(dataclasses.replace(sample_document(), blocks=tuple(blocks)), sample_theme(), TEMPLATES))
    subprocess.run(["pdftoppm", "-r", "144", "-f", "1", "-l", "1", "-png", "-singlefile", str(pdf),
                    str(tmp_path / "page")], check=True)
    words = _words(pdf)
    margin = max(w[3] for w in words)
    for last_word, dotted_from in (("Short", "title"), ("here", "number")):
        title = next(w for w in words if w[0] == last_word)
        number = next(w for w in words if w[0].isdigit() and abs(w[4] - title[4]) < 1 and w[1] > title[3])
        assert number[3] == pytest.approx(margin, abs=1)  # at the right margin, on the title's last line
        # A wrapped title keeps the width of its longest line: its dots start there, 3 em before the number.
        start = title[3] if dotted_from == "title" else number[1] - 25
        marks = _dots_between(tmp_path / "page.png", start + 4, number[1] - 4, title[2], title[4], 144)
        assert marks >= (number[1] - start - 8) / 3 - 1  # a dot every 3 pt


@pytest.mark.slow  # lays out a long brief, or serves pages
def test_a_long_table_repeats_its_header_on_every_page(long_pdf: bytes) -> None:
    texts = page_texts(long_pdf)
    assert len(texts) > 1
    spanned = [t for t in texts if re.search(r"\bExercise \d+\b", t)]
    assert len(spanned) > 1
    for text in spanned:
        assert HEADER_ROW in text
    assert "Exercise 0 " in spanned[0] and "Exercise 59 " in spanned[-1]


@pytest.mark.slow  # lays out a long brief, or serves pages
def test_running_header_from_the_second_page(long_pdf: bytes) -> None:
    texts = page_texts(long_pdf)
    assert "Sample brief on widgets" in texts[1] and "FOR DISCUSSION" in texts[1]
    assert f"Page 2 of {len(texts)}" in texts[1]


def test_a_note_number_stays_with_its_word_and_a_second_citation_repeats_the_number() -> None:
    html = document_html(sample_document(), sample_theme())
    assert '<span class="nowrap">exercises.<a class="note-ref" href="#note-1">1</a></span>' in html
    assert html.count('class="footnote"') == 2  # each note's text once, at its first citation
    assert '<span class="nowrap">partner.<span class="footnote" id="note-1" data-note="1">' in html


def test_the_contents_list_sections_only_when_subsections_would_make_it_long() -> None:
    def doc(subsections: int) -> Document:
        blocks = [sample_document().blocks[1], Heading(1, (Text("Section"),), "section")]
        blocks += [Heading(2, (Text(f"Sub {i}"),), "sub") for i in range(subsections)]
        return dataclasses.replace(sample_document(), blocks=tuple(blocks))

    short = document_html(doc(3), sample_theme())
    assert short.count('class="toc-2"') == 3
    assert 'href="#sub-3"' in short and 'id="sub-3"' in short  # repeated anchors made unique
    assert document_html(doc(30), sample_theme()).count('class="toc-2"') == 0


def test_text_is_escaped_and_only_web_links_are_links() -> None:
    from briefkit.document.model import Link, Paragraph

    meta = dataclasses.replace(sample_document().meta, title="<script>alert(1)</script> & co")
    para = Paragraph((Link((Text("local"),), "file:///etc/passwd"), Link((Text("web"),), "https://example.org/")))
    html = document_html(Document(meta=meta, blocks=(para,), notes=()), sample_theme())
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in html
    assert '<p>local<a href="https://example.org/">web</a></p>' in html


# ---------------------------------------------------------------- reproducible bytes


@pytest.mark.slow  # lays out a long brief, or serves pages
def test_the_same_model_gives_the_same_bytes(long_doc: Document, long_pdf: bytes) -> None:
    assert write_pdf(long_doc, sample_theme(), TEMPLATES) == long_pdf
    ids = reader(long_pdf).trailer["/ID"]
    other = dataclasses.replace(long_doc, blocks=(Heading(1, (Text("Other"),), "other"),))
    assert reader(write_pdf(other, sample_theme(), TEMPLATES)).trailer["/ID"][0] != ids[0]


@pytest.mark.slow  # lays out a long brief, or serves pages
def test_pydyf_without_its_repeats_gives_the_same_file(long_doc: Document, monkeypatch: pytest.MonkeyPatch) -> None:
    """`pdf_pydyf.repeats_avoided` keeps the page references pydyf would make again; written without it, the file
    must not differ by a byte. The long brief has several pages and tagged boxes on each."""
    from briefkit import patches
    from briefkit.writers.pdf_pydyf import PAGES as name

    if reason := patches.why_not(name):
        pytest.skip(f"{name} is not used with this pydyf: {reason}")
    monkeypatch.delenv(patches.ENV, raising=False)
    patched = write_pdf(long_doc, sample_theme(), TEMPLATES)
    assert len(reader(patched).pages) > 1
    monkeypatch.setenv(patches.ENV, name)
    assert write_pdf(long_doc, sample_theme(), TEMPLATES) == patched


def test_writing_logs_nothing(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        write_pdf(sample_document(), logo_theme(), TEMPLATES)
    assert [r.getMessage() for r in caplog.records] == []


# ---------------------------------------------------------------- theme


def test_theme_values_fill_the_stylesheet() -> None:
    theme = dataclasses.replace(sample_theme(), colours=Colours(primary="#123456"), page_size="Letter")
    css = theme_css(theme)
    assert "--primary: #123456;" in css
    assert '--font-body: "Carlito"' in css
    assert "size: letter" in css
    assert (TEMPLATES / "brief.css").read_text(encoding="utf-8") in css  # the built-in stylesheet follows
    own = dataclasses.replace(theme, css="h2 { color: red; }")
    assert theme_css(own).endswith("h2 { color: red; }")
    imports = theme_css(dataclasses.replace(theme, css='/* mine */\n@import "extra.css";\nh2 { color: red; }'))
    assert imports.index('@import "extra.css";') < imports.index(":root {") < imports.index("h2 { color: red; }")


def test_letter_pages(tmp_path: Path) -> None:
    theme = dataclasses.replace(sample_theme(), page_size="Letter")
    box = reader(write_pdf(sample_document(), theme, TEMPLATES)).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)


@pytest.mark.parametrize("bad", ["red; } @import url(http://example.com/x.css); a {", "url(x)"])
def test_a_colour_that_is_not_a_colour_is_refused(bad: str) -> None:
    with pytest.raises(TemplateError, match=r"colours\.primary"):
        theme_css(dataclasses.replace(sample_theme(), colours=Colours(primary=bad)))


# ---------------------------------------------------------------- the fetcher: nothing from outside


class _Counter(http.server.BaseHTTPRequestHandler):
    requests: list[str] = []  # noqa: RUF012 - shared by the server's handler instances on purpose

    def do_GET(self) -> None:
        type(self).requests.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "text/css")
        self.end_headers()
        self.wfile.write(b"p { color: red }")

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    """A real HTTP server on localhost that records every request it gets."""
    _Counter.requests = []
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Counter)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def base(tmp_path: Path) -> Path:
    """A template folder holding one image, a link to a file outside it, and a secret next to it."""
    folder = tmp_path / "theme"
    folder.mkdir()
    shutil.copy(TEMPLATES / "logo.png", folder / "logo.png")
    (tmp_path / "secret.txt").write_text("TOP-SECRET-LINE", encoding="utf-8")
    (folder / "escape.png").symlink_to(tmp_path / "secret.txt")
    return folder


PAGE = '<html lang="en"><head><title>t</title></head><body><p>Hello</p>{}</body></html>'


@pytest.mark.slow  # lays out a long brief, or serves pages
@pytest.mark.parametrize(("body", "css", "why"), [
    ('<img src="file:///etc/passwd" alt="x">', "", "outside the template folder"),
    ("", "p { background: url(file:///etc/passwd) }", "outside the template folder"),
    ("", "p { background: url(../secret.txt) }", "outside the template folder"),
    ("", "p { background: url(escape.png) }", "outside the template folder"),
    ("", "@font-face { font-family: X; src: url(file:///etc/passwd) } p { font-family: X }", "outside"),
    ('<img src="SERVER/logo.png" alt="x">', "", "nothing is fetched from the network"),
    ("", "@import url(SERVER/a.css);", "nothing is fetched from the network"),
    ("", "p { background: url(SERVER/b.png) }", "nothing is fetched from the network"),
    ('<img src="ftp://127.0.0.1/x.png" alt="x">', "", "nothing is fetched from the network"),
    ("", "p { background: url(missing.png) }", "does not exist"),
])
def test_the_fetcher_refuses_anything_outside(base: Path, server: str, body: str, css: str, why: str) -> None:
    body, css = body.replace("SERVER", server), css.replace("SERVER", server)
    with pytest.raises(TemplateError) as caught:
        render_pdf(PAGE.format(body), css, base)
    message = str(caught.value)
    assert why in message and "\n" not in message
    assert "the PDF stylesheet (brief.css) refers to" in message
    assert _Counter.requests == []


def test_a_hostile_theme_stylesheet_stops_the_brief(base: Path, server: str) -> None:
    css = f"@import url({server}/x.css); h2::after {{ content: url(file:///etc/passwd) }}"
    theme = dataclasses.replace(sample_theme(), css=css)
    with pytest.raises(TemplateError, match="nothing is fetched from the network"):
        write_pdf(sample_document(), theme, base)
    assert _Counter.requests == []


def test_files_inside_the_template_folder_and_data_urls_are_read(base: Path) -> None:
    svg = "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' width='8' height='8'/%3E"
    (base / "extra.css").write_text("body { background: url(logo.png) no-repeat }", encoding="utf-8")
    css = theme_css(dataclasses.replace(sample_theme(), css='@import "extra.css";'))
    pdf = reader(render_pdf(PAGE.format(f'<img src="{svg}" alt="dot"><img src="logo.png" alt="logo">'), css, base))
    images = [x for x in pdf.pages[0]["/Resources"]["/XObject"].values() if x.get_object()["/Subtype"] == "/Image"]
    assert images
    assert "TOP-SECRET-LINE" not in pdf.pages[0].extract_text()
