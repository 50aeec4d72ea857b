"""The package around the slides: document properties, the charts' embedded workbooks re-dated, and the zip
saved with fixed timestamps, so the same deck and theme give the same bytes."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

from pptx.presentation import Presentation as PresentationType

from briefkit.document.model import Meta
from briefkit.writers import pptx_xml as px
from briefkit.writers.reproducible import normalize_zip


def _when(timestamp: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(timestamp, dt.UTC).replace(tzinfo=None)


def clean_core_properties(prs: PresentationType, author: str, timestamp: int) -> None:
    """Nothing left from python-pptx's template (its author, its 2013 dates, 'generated using python-pptx')."""
    props = prs.core_properties
    props.title = props.subject = props.keywords = props.category = props.comments = ""
    props.author = props.last_modified_by = author
    props.created = props.modified = _when(timestamp)
    props.revision = 1


def set_metadata(prs: PresentationType, meta: Meta, slides: int) -> None:
    author = meta.author
    clean_core_properties(prs, author, meta.timestamp)
    props = prs.core_properties
    props.title, props.subject = meta.title, meta.subject
    props.keywords = ", ".join(meta.keywords)
    props.language = meta.language
    props.comments = meta.subtitle
    props.content_status = meta.marking
    px.set_default_language(prs, meta.language)
    notes = sum(1 for s in prs.slides if s.has_notes_slide)
    set_extended_properties(prs, author, slides, notes)


def set_extended_properties(prs: PresentationType, company: str, slides: int, notes: int) -> None:
    part = px.extended_properties_part(prs)
    if part is not None:
        part.blob = px.extended_properties_xml(company, slides, notes)


def normalize_workbooks(prs: PresentationType, timestamp: int) -> None:
    """Each native chart carries its data as an embedded workbook, dated when it was written: re-date it."""
    for slide in prs.slides:
        for shape in slide.shapes:
            if getattr(shape, "has_chart", False):
                workbook = shape.chart.part.chart_workbook.xlsx_part
                if workbook is not None:
                    workbook.blob = _redate_workbook(workbook.blob, timestamp)


def _redate_workbook(blob: bytes, timestamp: int) -> bytes:
    stamp = _when(timestamp).strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    source = zipfile.ZipFile(io.BytesIO(blob))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            data = source.read(name)
            if name == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>" + stamp, data)
            target.writestr(name, data)
    return normalize_zip(out.getvalue(), timestamp)


def save(prs: PresentationType, timestamp: int) -> bytes:
    out = io.BytesIO()
    prs.save(out)
    return normalize_zip(out.getvalue(), timestamp)
