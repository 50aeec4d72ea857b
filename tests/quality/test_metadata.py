"""Metadata in all three formats, for every audience: title, author (the theme's organisation), subject, keywords,
language and dates (SOURCE_DATE_EPOCH), and nothing left from the libraries' templates."""

from __future__ import annotations

import datetime as dt
import zipfile

import pytest
from docx import Document as DocxDocument
from pptx import Presentation
from pypdf import PdfReader

from tests.quality.conftest import Bundle
from tests.quality.expected import expected

TEMPLATE_TRACES = ("python-docx", "python-pptx", "Microsoft Macintosh Word", "generated using python-pptx",
                   "Steve Canny", "PowerPoint Presentation")


def _office_props(props: object) -> None:
    want = expected()
    assert props.title == want.title
    assert props.author == want.author
    assert props.last_modified_by == want.author
    assert props.subject == want.subject
    assert [k.strip() for k in props.keywords.split(",")] == list(want.keywords)
    assert props.language == want.language
    assert _utc(props.created) == want.when
    assert _utc(props.modified) == want.when
    assert props.revision == 1


def _utc(when: dt.datetime) -> dt.datetime:
    """python-docx reads W3CDTF dates as aware UTC, python-pptx as naive UTC."""
    return when.astimezone(dt.UTC).replace(tzinfo=None) if when.tzinfo else when


def _no_template_traces(path: object) -> None:
    with zipfile.ZipFile(path) as z:
        for name in ("docProps/core.xml", "docProps/app.xml"):
            text = z.read(name).decode()
            for trace in TEMPLATE_TRACES:
                assert trace not in text, (name, trace)
        assert "docProps/thumbnail.jpeg" not in z.namelist()  # the template's picture of someone else's page


def test_docx_metadata(bundles: list[Bundle]) -> None:
    for bundle in bundles:
        _office_props(DocxDocument(str(bundle.docx)).core_properties)
        _no_template_traces(bundle.docx)


def test_docx_language_is_the_fact_base_language(bundles: list[Bundle]) -> None:
    for bundle in bundles:
        with zipfile.ZipFile(bundle.docx) as z:
            styles = z.read("word/styles.xml").decode()
        assert f'<w:lang w:val="{expected().language}"' in styles, bundle


def test_pptx_metadata(bundles: list[Bundle]) -> None:
    for bundle in bundles:
        _office_props(Presentation(str(bundle.pptx)).core_properties)
        _no_template_traces(bundle.pptx)
        with zipfile.ZipFile(bundle.pptx) as z:
            presentation = z.read("ppt/presentation.xml").decode()
        assert f'lang="{expected().language}"' in presentation, bundle


def _pdf_date(value: str) -> dt.datetime:
    return dt.datetime.strptime(value.replace("'", "")[2:16], "%Y%m%d%H%M%S")


def test_pdf_metadata(bundles: list[Bundle]) -> None:
    want = expected()
    for bundle in bundles:
        reader = PdfReader(str(bundle.pdf))
        info = reader.metadata
        assert info.title == want.title
        assert info.author == want.author
        assert info.subject == want.subject
        assert [k.strip() for k in info["/Keywords"].split(",")] == list(want.keywords)
        assert _pdf_date(info["/CreationDate"]) == want.when
        assert _pdf_date(info["/ModDate"]) == want.when
        root = reader.trailer["/Root"]
        assert root["/Lang"] == want.language
        assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])  # the title, not the file name, in the bar


@pytest.mark.parametrize("suffix", ["_brief.docx", "_deck.pptx"])
def test_office_packages_are_dated_at_the_epoch(bundles: list[Bundle], suffix: str) -> None:
    want = expected().when.timetuple()[:6]
    for bundle in bundles:
        with zipfile.ZipFile(bundle.one(suffix)) as z:
            assert {info.date_time for info in z.infolist()} == {want}, bundle
