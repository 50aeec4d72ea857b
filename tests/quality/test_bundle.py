"""The bundle as it travels, for every audience: files under their size budgets (and a clear failure over one),
images sized for their use, fonts embedded and subset, the draft email parsed back with its attachments, and the
same bytes from two builds with SOURCE_DATE_EPOCH."""

from __future__ import annotations

import email
import hashlib
import io
import json
import re
import shutil
import subprocess
import zipfile
from email import policy
from email.message import EmailMessage
from pathlib import Path

from docx import Document as DocxDocument
from PIL import Image

from tests.conftest import run_cli
from tests.quality.conftest import AUDIENCES, ENV, EPOCH, FROM, MEETING, TO, Bundle
from tests.quality.expected import builtin_theme, expected

MEDIA_TYPES = {  # as IANA registers them, written out here rather than read from the code under test
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".pdf": "application/pdf",
}

MB = 1_000_000
ATTACHED = ("_brief.docx", "_brief.pdf", "_deck.pptx")


# ---------------------------------------------------------------- sizes


def test_every_file_is_under_its_budget(bundles: list[Bundle]) -> None:
    for bundle in bundles:
        for path in bundle.folder.iterdir():
            limit = 10 * MB if path.suffix == ".eml" else 5 * MB
            assert path.stat().st_size < limit, path


def test_over_budget_fails_naming_the_file_and_keeps_the_previous_outputs(plain_out: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    shutil.copytree(plain_out / "executive", out / "executive")
    before = {p.name: p.read_bytes() for p in (out / "executive").iterdir()}
    r = run_cli("build", "--audience", "executive", "--out", str(out), "--max-file-mb", "0.01", env=ENV)
    assert r.code == 1, r.err
    assert "Traceback" not in r.err
    lines = r.err.strip().splitlines()
    problems = [line for line in lines if "budget" in line]
    assert problems, r.err
    for line in problems:
        name = line.split(":", 1)[0]
        assert name.endswith((".docx", ".pdf", ".pptx", ".eml")), line  # the file is named first
        shown = re.search(r"(\d+\.\d+) MB is over the 0\.01 MB budget", line)
        assert shown and float(shown.group(1)) > 0.01, line  # never "0.0 MB is over the 0.01 MB budget"
    assert {p.name: p.read_bytes() for p in (out / "executive").iterdir()} == before
    assert [p.name for p in out.iterdir() if p.name.startswith((".briefkit-staging-", ".briefkit-old-"))] == []


def test_images_are_sized_for_their_use(bundles: list[Bundle]) -> None:
    """A DOCX picture has 150-300 pixels per inch at the size it is placed: sharp in print, not oversized."""
    for bundle in bundles:
        doc = DocxDocument(str(bundle.docx))
        for shape in doc.inline_shapes:
            blip = shape._inline.graphic.graphicData.pic.blipFill.blip
            part = doc.part.related_parts[blip.embed]
            pixels = Image.open(io.BytesIO(part.blob)).size[0]
            ppi = pixels / shape.width.inches
            assert 150 <= ppi <= 300, (bundle, part.partname, round(ppi))


def test_pdf_fonts_are_embedded_and_subset(bundles: list[Bundle]) -> None:
    body = builtin_theme().fonts.body.family
    for bundle in bundles:
        out = subprocess.run(["pdffonts", str(bundle.pdf)], capture_output=True, text=True, check=True).stdout
        rows = [line.split() for line in out.splitlines()[2:] if line.strip()]
        assert rows, bundle
        for row in rows:
            name, emb, sub = row[0], row[-5], row[-4]
            assert (emb, sub) == ("yes", "yes"), (bundle, row)
            assert re.fullmatch(r"[A-Z]{6}\+.+", name), (bundle, name)  # a subset's tag
            assert name.split("+", 1)[1].startswith(body), (bundle, name)  # the theme's open font, nothing else


def test_office_files_name_the_theme_fonts(bundles: list[Bundle]) -> None:
    """DOCX and PPTX text asks for the theme's office font (Calibri, whose metric twin Carlito renders the PDF),
    so line wraps match. Others only where every reader's machine has them (or a metric twin): bullets, code."""
    office = {builtin_theme().fonts.body.office, builtin_theme().fonts.heading.office}
    standard = {"Symbol", "Wingdings", "Courier New", "Arial"}
    for bundle in bundles:
        for path, parts in ((bundle.docx, r"word/(document|styles|footnotes|header\d*|footer\d*)\.xml"),
                            (bundle.pptx, r"ppt/slides/slide\d+\.xml")):
            with zipfile.ZipFile(path) as z:
                text = "".join(z.read(n).decode() for n in z.namelist() if re.fullmatch(parts, n))
            named = set(re.findall(r'(?:w:ascii|w:hAnsi|typeface)="([^"+][^"]*)"', text))
            assert named and named - standard <= office, (bundle, path.suffix, named)


# ---------------------------------------------------------------- the email


def _message(bundle: Bundle) -> EmailMessage:
    return email.message_from_bytes(bundle.eml.read_bytes(), policy=policy.default)  # type: ignore[return-value]


def test_email_carries_the_three_files(bundles: list[Bundle]) -> None:
    for bundle in bundles:
        msg = _message(bundle)
        attached = {part.get_filename(): part for part in msg.iter_attachments()}
        files = [bundle.one(suffix) for suffix in ATTACHED]
        assert sorted(attached) == sorted(p.name for p in files), bundle
        for path in files:
            part = attached[path.name]
            assert part.get_content() == path.read_bytes(), (bundle, path.name)
            assert part.get_content_type() == MEDIA_TYPES[path.suffix], (bundle, path.name)
            assert part.get_content_disposition() == "attachment"


def test_email_subject_body_and_headers(bundles: list[Bundle]) -> None:
    meeting_title = re.search(r"^title: (.+)$", MEETING.read_text(encoding="utf-8"), re.MULTILINE).group(1)
    for bundle in bundles:
        msg = _message(bundle)
        assert expected().title in msg["Subject"], bundle
        assert (meeting_title in msg["Subject"]) == bundle.meeting, bundle
        if bundle.meeting:
            assert msg["From"] == FROM
            assert [a.addr_spec for a in msg["To"].addresses] == list(TO)
        else:
            theme = builtin_theme()
            assert msg["From"] == theme.email_from
            assert msg["To"] is None or [a.addr_spec for a in msg["To"].addresses] == list(theme.email_to)
        assert msg["Date"].datetime.timestamp() == EPOCH
        plain = msg.get_body(preferencelist=("plain",)).get_content()
        html = msg.get_body(preferencelist=("html",)).get_content()
        bullets = [line for line in plain.split("Bottom line:", 1)[1].split("Attached:", 1)[0].splitlines()
                   if line.startswith("- ")]
        assert len(bullets) == 3, (bundle, plain)
        for suffix in ATTACHED:
            assert bundle.one(suffix).name in plain and bundle.one(suffix).name in html, bundle
        assert html.count("<li>") == 3 + len(ATTACHED)


# ---------------------------------------------------------------- reproducible


def test_manifest_lists_every_file_with_its_sha256(bundles: list[Bundle]) -> None:
    for bundle in bundles:
        manifest = json.loads((bundle.folder / "manifest.json").read_text(encoding="utf-8"))
        listed = {f["path"]: f for f in manifest["files"]}
        assert set(listed) == {p.name for p in bundle.folder.iterdir()} - {"manifest.json"}, bundle
        for name, entry in listed.items():
            data = (bundle.folder / name).read_bytes()
            assert entry["sha256"] == hashlib.sha256(data).hexdigest(), (bundle, name)
            assert entry["bytes"] == len(data)


def test_two_builds_are_byte_identical(plain_out: Path, plain_again_out: Path) -> None:
    for audience in AUDIENCES:
        first, second = plain_out / audience, plain_again_out / audience
        names = sorted(p.name for p in first.iterdir())
        assert names == sorted(p.name for p in second.iterdir())
        assert len(names) == 5  # brief.docx, brief.pdf, deck.pptx, email.eml, manifest.json
        for name in names:
            assert (first / name).read_bytes() == (second / name).read_bytes(), (audience, name)


def test_charts_are_reproducible_inside_the_files(plain_out: Path) -> None:
    """The embedded chart pictures carry no date or software stamp that would change between builds."""
    for audience in AUDIENCES:
        bundle = Bundle(audience, plain_out / audience, False)
        with zipfile.ZipFile(bundle.docx) as z:
            pngs = [z.read(n) for n in z.namelist() if n.endswith(".png")]
        assert pngs
        for png in pngs:
            assert b"tIME" not in png and b"Software" not in png and b"matplotlib" not in png, audience
