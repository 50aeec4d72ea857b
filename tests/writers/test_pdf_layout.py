"""The layout checks `pdf.py` uses to choose between layouts: they find what they look for, and only that."""

from __future__ import annotations

from weasyprint import CSS, HTML

from briefkit.paths import builtin_templates
from briefkit.writers.pdf import theme_css
from briefkit.writers.pdf_layout import lost_notes, stranded_headings
from tests.samples import sample_theme

FILLER = "".join(f"<p>Paragraph {i} " + "of words that fill the page " * 12 + "</p>" for i in range(9))
BLOCK = '<div style="height: 190mm; break-inside: avoid"><p>' + "What the heading introduces. " * 30 + "</p></div>"
PAGE = f'<html lang="en"><body><h2>Earlier</h2>{FILLER}<h2>Lonely heading</h2>{BLOCK}</body></html>'


def _laid_out(html: str, extra_css: str = ""):
    css = theme_css(sample_theme()) + extra_css
    return HTML(string=html, base_url=str(builtin_templates() / "default")).render(stylesheets=[CSS(string=css)])


def test_a_heading_left_at_a_page_foot_is_found() -> None:
    document = _laid_out(PAGE, "h2 { break-after: auto; }")
    assert stranded_headings(document) == ["heading 'Lonely heading' at the foot of page 1"]


def test_a_heading_kept_with_its_text_is_not_reported() -> None:
    document = _laid_out(PAGE)
    assert len(document.pages) == 2
    assert stranded_headings(document) == []


def test_the_last_heading_of_a_brief_may_end_it() -> None:
    document = _laid_out(f'<html lang="en"><body>{FILLER}<h2>Sources</h2></body></html>', "h2 { break-after: auto; }")
    assert stranded_headings(document) == []


def test_notes_are_found_printed_or_lost() -> None:
    note = '<span class="footnote" id="note-1" data-note="1">Source, para. 1.</span>'
    document = _laid_out(f'<html lang="en"><body><p>Text{note}</p></body></html>')
    assert lost_notes(document) == set()
    # a note left in the line (as WeasyPrint leaves one it drops): called, but printed as no block in the note area
    inline = _laid_out(f'<html lang="en"><body><p>Text{note}</p></body></html>', ".footnote { float: none; }")
    assert lost_notes(inline) == {"note-1"}
