"""Pages laid out around empty SVGs of the charts' size, the charts put in afterwards (`pdf_charts`), give the PDF
that laying out with the charts themselves gives; and no PDF is written with a placeholder left in it."""

from __future__ import annotations

import base64
import io
import re
from typing import Any

import pytest
from pypdf import PdfReader

from briefkit import patches
from briefkit.audience import load_audience
from briefkit.build import Timings, available_audiences
from briefkit.charts import PLACEHOLDER
from briefkit.compose import compose
from briefkit.errors import BuildError
from briefkit.factbase import load_factbase
from briefkit.paths import builtin_templates
from briefkit.theme.load import load_theme
from briefkit.writers import pdf_charts
from briefkit.writers.formats import FORMATS, theme_for
from briefkit.writers.html import document_html
from briefkit.writers.pdf import render_pdf, theme_css, write_pdf_pages
from conftest import SEEDS

pytestmark = pytest.mark.slow  # lays out whole briefs both ways: `make test-fast` leaves it out

BASE = builtin_templates() / "default"
FIRST_ID = re.compile(rb"/ID \[\([0-9a-f]+\)")  # derived from the HTML, which names the charts by key, not content


def _composed(audience: str) -> Any:
    fb = load_factbase(SEEDS)
    return compose(fb.select(None), load_audience(available_audiences(None)[audience]), None,
                   load_theme(None, BASE), None, Timings())


@pytest.mark.parametrize("audience", ["analyst", "defence"])
def test_charts_put_in_after_the_layout_give_the_same_pdf(audience: str, monkeypatch: pytest.MonkeyPatch) -> None:
    if reason := patches.why_not(pdf_charts.NAME):
        pytest.skip(f"{pdf_charts.NAME} is not used with this WeasyPrint: {reason}")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    monkeypatch.delenv(patches.ENV, raising=False)
    composed = _composed(audience)
    theme = theme_for(composed.theme, FORMATS["pdf"])
    late: dict[bytes, object] = {}
    placed = document_html(composed.document, theme, late)  # type: ignore[arg-type]
    placed_svgs = [base64.b64decode(m) for m in re.findall(r'src="data:image/svg\+xml;base64,([^"]+)"', placed)]
    assert len(late) == len(placed_svgs) == len(composed.figures)
    assert all(PLACEHOLDER.encode() in svg and b"<text" not in svg for svg in placed_svgs)  # empty SVGs only

    charts_first = render_pdf(document_html(composed.document, theme), theme_css(theme), BASE)
    charts_later, pages = write_pdf_pages(composed.document, theme, BASE)
    assert FIRST_ID.sub(b"", charts_later) == FIRST_ID.sub(b"", charts_first)
    assert pages == len(PdfReader(io.BytesIO(charts_later)).pages)

    # Switched off, the writer lays the pages out with the charts themselves: the same file, /ID included.
    monkeypatch.setenv(patches.ENV, pdf_charts.NAME)
    assert write_pdf_pages(composed.document, theme, BASE) == (charts_later, pages)


def test_a_pdf_with_a_placeholder_left_in_it_is_not_written(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pages laid out around the placeholders by the real WeasyPrint, and nothing put in their place (as when
    WeasyPrint's boxes are not what `put_in_place` expects): the writer refuses to write the file. Run whatever
    BRIEFKIT_NO_PATCHES says; the mark is found as WeasyPrint 70 writes it, the only version that sees placeholders."""
    if reason := patches.why_not(pdf_charts.NAME):
        pytest.skip(f"{pdf_charts.NAME} is not used with this WeasyPrint, so no placeholder reaches it: {reason}")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    composed = _composed("analyst")
    theme = theme_for(composed.theme, FORMATS["pdf"])
    late: dict[bytes, object] = {}
    placed = document_html(composed.document, theme, late)  # type: ignore[arg-type]
    assert late
    with pytest.raises(BuildError) as failed:
        render_pdf(placed, theme_css(theme), BASE)
    assert str(failed.value) == (
        f"PDF: {len(late)} charts would be printed as the empty placeholders the pages were laid out around; "
        "nothing was written. BRIEFKIT_NO_PATCHES=1 lays the pages out with the charts (a bug: please report it)")
