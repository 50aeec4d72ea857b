"""Footnote areas measured note by note (`weasy_notes`) give exactly the PDF WeasyPrint's own method gives.

Both ways in every run, whatever BRIEFKIT_NO_PATCHES says; skipped where the patches are not for this WeasyPrint."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from briefkit import patches
from briefkit.paths import builtin_templates
from briefkit.writers import weasy_notes
from briefkit.writers.pdf import render_pdf, theme_css
from tests.samples import sample_theme

pytestmark = pytest.mark.slow  # lays the whole analyst brief out twice, and long notes many times: `make test-fast` leaves it out

BASE = builtin_templates() / "default"
WORDS = "the sources disagree on how many personnel took part and on when the facility opened "


def _page(notes_per_paragraph: int, paragraphs: int, note_words: int) -> str:
    """Paragraphs each calling several notes of `note_words` words: pages where notes pile up, move to the next
    page with their line and are taken back as the page is retried."""
    body, number = [], 0
    for i in range(paragraphs):
        calls = ""
        for _ in range(notes_per_paragraph):
            number += 1
            words = " ".join((WORDS * 9).split()[number % 7:][:note_words])
            calls += f'<span class="footnote" id="note-{number}" data-note="{number}">Source {number}, {words}.</span> '
        body.append(f"<p>Paragraph {i}: {WORDS * (1 + i % 4)}{calls}{WORDS}</p>")
        if i % 5 == 4:
            body.append(f"<h2>Section {i}</h2>")
    return f'<html lang="en"><body><h1>Notes</h1>{"".join(body)}</body></html>'


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """How many notes were measured one by one (so that a test of equal bytes cannot pass by not using it)."""
    for name in (weasy_notes.AREA, weasy_notes.WAITING):
        if reason := patches.why_not(name):
            pytest.skip(f"{name} is not used with this WeasyPrint: {reason}")
    calls: list[int] = []
    alone = weasy_notes._alone

    def counting(*args: object) -> float:
        calls.append(1)
        return alone(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(weasy_notes, "_alone", counting)
    yield calls


@pytest.fixture
def both_ways(monkeypatch: pytest.MonkeyPatch) -> Callable[[str, str], tuple[bytes, bytes]]:
    """The PDF with both patches of `weasy_notes`, and with neither (WeasyPrint's own methods)."""

    def render(html: str, css: str) -> tuple[bytes, bytes]:
        monkeypatch.delenv(patches.ENV, raising=False)
        ours = render_pdf(html, css, BASE)
        monkeypatch.setenv(patches.ENV, f"{weasy_notes.AREA},{weasy_notes.WAITING}")
        return ours, render_pdf(html, css, BASE)

    return render


Both = Callable[[str, str], tuple[bytes, bytes]]
# Line heights that are not sums of binary fractions too (7.3pt at 1.17), where rounding differs at each step.
ODD_LINES = "\n.footnote { font-size: 7.3pt; line-height: 1.17; padding-bottom: 0.7pt; }"


@pytest.mark.parametrize(("per_paragraph", "paragraphs", "words", "css"),
                         [(1, 40, 12, ""), (3, 30, 40, ""), (6, 12, 90, ""), (2, 30, 25, ODD_LINES),
                          (5, 12, 70, ODD_LINES)])
def test_the_same_bytes_as_weasyprints_own_method(counted: list[int], both_ways: Both, per_paragraph: int,
                                                  paragraphs: int, words: int, css: str) -> None:
    ours, stock = both_ways(_page(per_paragraph, paragraphs, words), theme_css(sample_theme()) + css)
    assert counted, "the notes were not measured one by one"
    assert ours == stock


def test_the_analyst_brief_is_the_same_both_ways(counted: list[int], both_ways: Both) -> None:
    """The real brief: a note on nearly every paragraph, tables, charts and boxes."""
    from briefkit.audience import load_audience
    from briefkit.build import Timings, available_audiences
    from briefkit.compose import compose
    from briefkit.factbase import load_factbase
    from briefkit.theme.load import load_theme
    from briefkit.writers.formats import FORMATS, theme_for
    from briefkit.writers.html import document_html
    from conftest import SEEDS

    fb = load_factbase(SEEDS)
    theme = load_theme(None, BASE)
    audience = load_audience(available_audiences(None)["analyst"])
    composed = compose(fb.select(None), audience, None, theme, None, Timings())
    pdf_theme = theme_for(composed.theme, FORMATS["pdf"])
    ours, stock = both_ways(document_html(composed.document, pdf_theme), theme_css(pdf_theme))
    assert len(counted) > 30
    assert ours == stock


def test_an_area_with_a_maximum_height_keeps_weasyprints_method(counted: list[int], both_ways: Both) -> None:
    css = theme_css(sample_theme()) + "\n@page { @footnote { max-height: 30mm; } }"
    ours, stock = both_ways(_page(4, 12, 60), css)
    assert not counted
    assert ours == stock


def test_notes_with_margins_keep_weasyprints_method(counted: list[int], both_ways: Both) -> None:
    ours, stock = both_ways(_page(3, 12, 30), theme_css(sample_theme()) + "\n.footnote { margin-top: 2pt; }")
    assert not counted
    assert ours == stock


def test_switched_off_the_notes_are_measured_weasyprints_way(counted: list[int], monkeypatch: pytest.MonkeyPatch
                                                            ) -> None:
    monkeypatch.setenv(patches.ENV, "1")
    render_pdf(_page(3, 12, 30), theme_css(sample_theme()), BASE)
    assert not counted
    from weasyprint.layout import LayoutContext

    assert "briefkit" not in LayoutContext._update_footnote_area.__module__  # put back after the layout
    assert "briefkit" not in LayoutContext.__init__.__module__
