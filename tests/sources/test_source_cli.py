"""`briefkit source add / show / figures` through the CLI, on an HTML page, a PDF and a DOCX made here."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import docx
import pytest
import weasyprint
from pypdf import PdfReader

from conftest import line_with, run_cli

pytestmark = pytest.mark.slow  # `briefkit source` runs end to end, a process each: `make test-fast` leaves it out

ARTICLE = """<!doctype html><html><head><title>Harbour ferries add night service | Exampleport Post</title>
<meta name="author" content="Jo Sample"><meta property="og:site_name" content="Exampleport Post">
<meta name="date" content="2024-03-05"></head><body>
<nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport and leisure pages</a></nav>
<article><h1>Harbour ferries add night service</h1>
<p>The harbour authority said on Tuesday that ferries would run until midnight from April, after a trial in which
nineteen night crossings carried 2,300 passengers.</p>
<h2>Costs</h2>
<p>The extra service will cost $1.4 million a year, paid from the port's budget.</p>
<p>Ferry staff welcomed the change but asked for more crew on the late boats.</p>
</article><footer>Copyright Exampleport Post. Subscribe to our newsletter for more.</footer></body></html>"""


def add(example: Path, file: Path, *more: str) -> tuple[int, str, str]:
    r = run_cli("source", "add", str(file), "--facts", str(example), *more, cwd=example.parent)
    assert "Traceback" not in r.err and "internal error" not in r.err
    return r.code, r.out, r.err


def cite(example: Path, source: str, locator: str, statement: str, values: str = "") -> None:
    """A fact citing the new source, so the fact base is whole again and verify has work to do."""
    with (example / "facts" / "new.yaml").open("a", encoding="utf-8") as f:
        f.write(f"facts:\n  - id: new-fact\n    statement: {statement}\n    date: \"2024\"\n    topic: usage\n"
                f"    kind: figure\n    sources:\n      - {{source: {source}, locator: \"{locator}\"}}\n{values}")


def fill_in(example: Path, **fields: str) -> None:
    path = example / "sources.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    for i, line in enumerate(lines):
        for key, value in fields.items():
            if line.strip().startswith(f"{key}:") and "FILL IN" in line:
                lines[i] = line[: line.index(":") + 1] + f" {value}"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_html_page_main_text_and_metadata(example: Path, tmp_path: Path) -> None:
    page = tmp_path / "ferries.html"
    page.write_text(ARTICLE, encoding="utf-8")
    before = (example / "sources.yaml").read_text(encoding="utf-8")
    code, out, err = add(example, page)
    assert code == 0, err
    assert out.splitlines() == [
        "harbour-ferries-add-night-service-2024: facts/sources/harbour-ferries-add-night-service-2024.txt: "
        "3 paragraphs, 2 headings",
        "fill in its entry in sources.yaml: kind, reliability",
    ]
    text = (example / "sources" / "harbour-ferries-add-night-service-2024.txt").read_text(encoding="utf-8")
    assert "nineteen night crossings carried 2,300 passengers" in text
    assert "## Costs" in text
    assert "Home" not in text and "Subscribe" not in text  # navigation and footer left out
    after = (example / "sources.yaml").read_text(encoding="utf-8")
    assert after.startswith(before)  # appended: the file's comments and layout are as they were
    assert '    publisher: "Exampleport Post"\n    date: "2024-03-05"\n' in after
    assert '    authors: ["Jo Sample"]\n' in after

    r = run_cli("check", "--facts", str(example), cwd=example.parent)
    kind = line_with(example / "sources.yaml", 'kind: "FILL IN')
    assert (f"facts/sources.yaml:{kind}: source harbour-ferries-add-night-service-2024: kind is still 'FILL IN': "
            "write it (source add leaves what the file does not say)") in r.err.splitlines()

    fill_in(example, kind="article", reliability="A local paper.")
    cite(example, "harbour-ferries-add-night-service-2024", "Costs, para. 1",
         "Night ferries will cost the port $1.4 million a year.", "    values:\n      - {value: 1400000, currency: USD}\n")
    r = run_cli("verify", "--facts", str(example), cwd=example.parent)
    assert r.code == 0, r.err
    assert r.out.startswith("7 facts verified, 0 with problems")


def _pdf(path: Path) -> None:
    weasyprint.HTML(string="""<html><head><title>Ferry Review</title>
        <meta name="author" content="Jo Sample, Al Example"><meta name="dcterms.created" content="2024-02-01">
        </head><body><h1>Ferry review</h1>
        <p>The harbour authority counted 2,300 night passengers in 2023, up from 1,100 in 2022.</p>
        <p>Staff asked for more crew on the late crossings, which are to run until midnight from April.</p>
        <p style="page-break-before: always">The extra service will cost $1.4 million a year, paid from
        the port's budget.</p></body></html>""").write_pdf(path)


def test_pdf_keeps_its_pages(example: Path, tmp_path: Path) -> None:
    pdf = tmp_path / "review.pdf"
    _pdf(pdf)
    assert len(PdfReader(pdf).pages) == 2
    code, out, err = add(example, pdf, "--id", "ferry-review")
    assert code == 0, err
    assert out.splitlines()[0] == "ferry-review: facts/sources/ferry-review.txt: 3 paragraphs, 1 headings, 2 pages"
    r = run_cli("source", "show", "ferry-review", "--facts", str(example), cwd=example.parent)
    assert r.code == 0, r.err
    assert "[para. 3  |  p. 2]\nThe extra service will cost $1.4 million a year, paid from the port's budget." in r.out
    entry = (example / "sources.yaml").read_text(encoding="utf-8").split("- id: \"ferry-review\"")[1]
    assert 'authors: ["Jo Sample", "Al Example"]' in entry and 'title: "Ferry Review"' in entry

    fill_in(example, kind="report", reliability="The harbour's own counts.", publisher="Exampleport Harbour",
            date='"2024-02"')
    cite(example, "ferry-review", "p. 2, para. 1", "Night ferries will cost $1.4 million a year.",
         "    values:\n      - {value: 1400000, currency: USD}\n")
    r = run_cli("verify", "--facts", str(example), cwd=example.parent)
    assert r.code == 0, r.err
    usage = example / "facts" / "new.yaml"
    text = usage.read_text(encoding="utf-8").replace('locator: "p. 2, para. 1"', 'locator: "p. 1"')
    usage.write_text(text, encoding="utf-8")
    r = run_cli("verify", "--facts", str(example), cwd=example.parent)
    line = line_with(usage, "Night ferries")
    assert f"facts/facts/new.yaml:{line}: fact new-fact: '1.4 million' (1,400,000) is not in p. 1; it is in 'p. 2'" in r.err.splitlines()


def test_docx_headings_tables_and_properties(example: Path, tmp_path: Path) -> None:
    d = docx.Document()
    d.core_properties.title = "Harbour Plan"
    d.core_properties.author = "Sam Sample"
    d.core_properties.created = dt.datetime(2024, 4, 2, 9, 0)
    d.add_heading("Harbour plan", 0)
    d.add_heading("Ferries", 1)
    d.add_paragraph("Night ferries will run from April; nineteen trial crossings carried 2,300 passengers.")
    table = d.add_table(rows=2, cols=2)
    for (r, c), text in {(0, 0): "Year", (0, 1): "Passengers", (1, 0): "2023", (1, 1): "2,300"}.items():
        table.cell(r, c).text = text
    d.add_heading("Costs", 1)
    d.add_paragraph("The service will cost $1.4 million a year.")
    path = tmp_path / "plan.docx"
    d.save(str(path))
    code, out, err = add(example, path)
    assert code == 0, err
    assert out.splitlines()[0] == "harbour-plan-2024: facts/sources/harbour-plan-2024.txt: 2 paragraphs, 3 headings"
    text = (example / "sources" / "harbour-plan-2024.txt").read_text(encoding="utf-8")
    assert text == ("# Harbour plan\n\n## Ferries\n\nNight ferries will run from April; nineteen trial crossings "
                    "carried 2,300 passengers.\n\n| Year | Passengers |\n| 2023 | 2,300 |\n\n## Costs\n\n"
                    "The service will cost $1.4 million a year.\n")
    entry = (example / "sources.yaml").read_text(encoding="utf-8")
    assert 'date: "2024-04-02"' in entry and 'authors: ["Sam Sample"]' in entry
    r = run_cli("source", "show", "harbour-plan-2024", "--facts", str(example), "--section", "ferries",
                cwd=example.parent)
    assert r.out.splitlines()[:3] == ["== Ferries ==", "", "[para. 1  |  Ferries, para. 1]"]


def test_add_never_overwrites_a_text(example: Path, tmp_path: Path) -> None:
    page = tmp_path / "notes.txt"
    page.write_text("Harbour notes\n\nFerries ran 19 times in the trial.\n", encoding="utf-8")
    assert add(example, page, "--id", "gazette-2024")[0] == 1  # an id in use
    (example / "sources" / "harbour-notes.txt").write_text("kept\n", encoding="utf-8")
    code, _, err = add(example, page, "--id", "harbour-notes")
    assert code == 1
    assert "facts/sources/harbour-notes.txt: a source text of this name exists; choose another --id" in err
    assert (example / "sources" / "harbour-notes.txt").read_text(encoding="utf-8") == "kept\n"
    assert "harbour-notes" not in (example / "sources.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize(("name", "data", "message"), [
    ("notes.rtf", b"{\\rtf1}", "cannot import .rtf; give one of .txt, .md, .markdown, .html, .htm, .pdf, .docx"),
    ("broken.pdf", b"%PDF-1.7\nnot really", "cannot read this PDF file: "),
    ("broken.docx", b"PK\x03\x04 not a zip", "cannot read this DOCX file: "),
    ("latin1.txt", b"Caf\xe9\n", "not UTF-8 text; save it as UTF-8 first"),
    ("empty.html", b"<html><body><script>var a = 1;</script></body></html>", "no text found in the file"),
])
def test_add_refuses_bad_files(example: Path, tmp_path: Path, name: str, data: bytes, message: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    code, _, err = add(example, path)
    assert code == 1
    assert len(err.splitlines()) == 1 and message in err
    assert list((example / "sources").iterdir()) == [example / "sources" / "council-2024.txt",
                                                      example / "sources" / "gazette-2024.txt"] or \
        sorted(p.name for p in (example / "sources").iterdir()) == ["council-2024.txt", "gazette-2024.txt"]


def test_docx_bomb_is_refused(example: Path, tmp_path: Path) -> None:
    import zipfile

    path = tmp_path / "bomb.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", b"\0" * 210_000_000)
    code, _, err = add(example, path)
    assert code == 1 and "the DOCX unpacks to more than 200,000,000 bytes or 5,000 parts" in err


def test_show_para_and_find(example: Path) -> None:
    r = run_cli("source", "show", "gazette-2024", "--facts", str(example), "--para", "3", cwd=example.parent)
    assert r.code == 0
    assert r.out.startswith('[para. 3]\n"In 2023 we saw about 15,000 cycle trips a day,"')
    r = run_cli("source", "show", "council-2024", "--facts", str(example), "--find", "12,400", cwd=example.parent)
    assert r.out.startswith("[table 2.1]\n| Year | Trips a day |")
    r = run_cli("source", "show", "council-2024", "--facts", str(example), "--para", "99", cwd=example.parent)
    assert r.code == 1 and r.err == "council-2024.txt: --para 99: the text has 8 paragraphs\n"
    r = run_cli("source", "show", "nobody", "--facts", str(example), cwd=example.parent)
    assert r.code == 1 and r.err == "facts/sources.yaml: no source 'nobody'\n"


def test_markdown_with_front_matter_and_plain_text(example: Path, tmp_path: Path) -> None:
    md = tmp_path / "note.md"
    md.write_text("---\ntitle: Harbour Note\nauthor: Jo Sample, Al Example\ndate: 2024-05\npublisher: Harbour Board\n"
                  "---\n# Harbour note\n\nShort line\n\nFerries ran 19 times in the trial.\n", encoding="utf-8")
    code, out, err = add(example, md)
    assert code == 0, err
    assert out.splitlines() == ["harbour-note-2024: facts/sources/harbour-note-2024.txt: 2 paragraphs, 1 headings",
                                "fill in its entry in sources.yaml: kind, reliability"]
    entry = (example / "sources.yaml").read_text(encoding="utf-8").split('- id: "harbour-note-2024"')[1]
    assert 'authors: ["Jo Sample", "Al Example"]' in entry and 'publisher: "Harbour Board"' in entry
    assert 'date: "2024-05"' in entry
    txt = tmp_path / "minutes.txt"
    txt.write_text("Board Minutes\r\n\r\n\r\n\r\nThe board met on 3 May.\t It agreed 19 crossings.\r\n", encoding="utf-8")
    code, out, err = add(example, txt)
    assert code == 0, err
    stored = (example / "sources" / "board-minutes.txt").read_text(encoding="utf-8")
    assert stored == "Board Minutes\n\nThe board met on 3 May.  It agreed 19 crossings.\n"


def test_html_in_its_own_charset(example: Path, tmp_path: Path) -> None:
    page = tmp_path / "cafe.html"
    page.write_bytes('<html><head><meta charset="windows-1252"><title>Café news</title></head><body><article><p>Le '
                     'café de la gare a servi 19 clients ce matin, selon son patron.</p></article></body></html>'
                     .encode("cp1252"))
    code, _, err = add(example, page, "--id", "cafe")
    assert code == 0, err
    assert "Le café de la gare a servi 19 clients" in (example / "sources" / "cafe.txt").read_text(encoding="utf-8")


def test_from_a_new_article_to_a_verified_fact(example: Path, tmp_path: Path) -> None:
    """The workflow of docs/factbase.md: add the page, take a stub from `source figures`, rewrite it, verify."""
    page = tmp_path / "ferries.html"
    page.write_text(ARTICLE, encoding="utf-8")
    assert add(example, page, "--id", "ferries")[0] == 0
    fill_in(example, kind="article", reliability="A local paper.")
    r = run_cli("source", "figures", "ferries", "--facts", str(example), cwd=example.parent)
    stubs = r.out.split("\n  - id: ")
    (stub,) = [s for s in stubs if "$1.4 million" in s]
    assert stub.splitlines() == [
        "ferries-p2-s1",
        "    statement: >-",
        "      REWRITE: The extra service will cost $1.4 million a year, paid from the port's budget.",
        '    date: "2024-03-05"',
        "    topic: fill-in",
        "    kind: figure",
        "    weight: 2",
        "    sources:",
        '      - {source: ferries, locator: "Costs, para. 1"}',
        "    values:",
        "      - {value: 1400000, currency: USD}",
        "",
    ]
    new = example / "facts" / "new.yaml"
    new.write_text("facts:\n  - id: " + stub, encoding="utf-8")
    r = run_cli("check", "--facts", str(example), cwd=example.parent)
    assert r.code == 1 and "fact ferries-p2-s1: still the stub from `source figures`" in r.err
    rewritten = stub.replace("REWRITE: The extra service will cost $1.4 million a year, paid from the port's budget.",
                             "Night ferries will cost the port $1.4 million a year.").replace("fill-in", "money")
    new.write_text("facts:\n  - id: " + rewritten, encoding="utf-8")
    r = run_cli("verify", "--facts", str(example), cwd=example.parent)
    assert r.code == 0, r.err
    assert r.out.startswith("7 facts verified, 0 with problems")
