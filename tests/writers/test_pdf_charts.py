"""Pages laid out around empty SVGs of the charts' size, the charts put in afterwards (`pdf_charts`), give the PDF
that laying out with the charts themselves gives: the same bytes but for the file's /ID."""

from __future__ import annotations

import base64
import io
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from briefkit.audience import load_audience
from briefkit.build import BuildOptions, Timings, available_audiences
from briefkit.charts import PLACEHOLDER
from briefkit.compose import compose
from briefkit.factbase import load_factbase
from briefkit.paths import builtin_templates
from briefkit.theme.load import load_theme
from briefkit.writers.html import document_html
from briefkit.writers.pdf import render_pdf, theme_css, write_pdf_pages
from conftest import SEEDS

pytestmark = pytest.mark.slow  # lays out whole briefs both ways: `make test-fast` leaves it out

BASE = builtin_templates() / "default"
FIRST_ID = re.compile(rb"/ID \[\([0-9a-f]+\)")  # derived from the HTML, which names the charts by key, not content


@pytest.mark.parametrize("audience", ["analyst", "defence"])
def test_charts_put_in_after_the_layout_give_the_same_pdf(audience: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    fb = load_factbase(SEEDS)
    options = BuildOptions(facts=SEEDS, out=Path("unused"))
    composed = compose(fb.select(None), load_audience(available_audiences(None)[audience]), None,
                       load_theme(None, BASE), options, Timings())
    theme = composed.theme_for("pdf")
    late: dict[bytes, object] = {}
    placed = document_html(composed.document, theme, late)  # type: ignore[arg-type]
    placed_svgs = [base64.b64decode(m) for m in re.findall(r'src="data:image/svg\+xml;base64,([^"]+)"', placed)]
    assert len(late) == len(placed_svgs) == len(composed.figures)
    assert all(PLACEHOLDER.encode() in svg and b"<text" not in svg for svg in placed_svgs)  # empty SVGs only

    charts_first = render_pdf(document_html(composed.document, theme), theme_css(theme), BASE)
    charts_later, pages = write_pdf_pages(composed.document, theme, BASE)
    assert FIRST_ID.sub(b"", charts_later) == FIRST_ID.sub(b"", charts_first)
    assert pages == len(PdfReader(io.BytesIO(charts_later)).pages)
