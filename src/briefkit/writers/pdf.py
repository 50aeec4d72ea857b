"""The PDF brief: the document model as HTML (`html.py`), styled by the theme's CSS, laid out by WeasyPrint.

What the PDF carries and why: tags and /Lang (PDF/UA-1 variant) so screen readers can follow it; Title,
Author, Subject, Keywords and dates from `Meta`; embedded, subset fonts; vector charts; and the same bytes
for the same model, because the file /ID is derived from the content instead of from the clock.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import tinycss2
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError

from briefkit import collector
from briefkit.document.model import ChartImage, Document
from briefkit.errors import BuildError, TemplateError
from briefkit.paths import builtin_templates
from briefkit.theme.model import Theme
from briefkit.writers import pdf_charts
from briefkit.writers.fetcher import ResourceRefused, SafeFetcher
from briefkit.writers.html import document_html
from briefkit.writers.pdf_layout import lost_notes, stranded_headings
from briefkit.writers.pdf_pydyf import repeats_avoided
from briefkit.writers.weasy_notes import measured_note_by_note

_COLOUR = re.compile(r"#[0-9A-Fa-f]{3,8}|[A-Za-z]+|(rgb|hsl)a?\([0-9.,%\s]+\)")
_PAGE_SIZES = {"a4": "A4", "letter": "letter"}


def write_pdf(doc: Document, theme: Theme, base_dir: Path) -> bytes:
    """The brief as PDF bytes. `base_dir` is the only folder the stylesheet may read files (images, fonts) from."""
    return write_pdf_pages(doc, theme, base_dir)[0]


def write_pdf_pages(doc: Document, theme: Theme, base_dir: Path) -> tuple[bytes, int]:
    """The brief as PDF bytes, and its number of pages (the layout knows it: no need to read the file again).

    Charts not yet drawn are laid out as empty SVGs of their size and drawn (or fetched from the chart store)
    only when the pages are ready (`pdf_charts`), where that patch is usable; else they are drawn first. The
    file's /ID is a hash of the HTML with the placeholders (which name each chart by the hash of what it is drawn
    from), so that both ways give the same bytes."""
    late: dict[bytes, ChartImage] = {}
    css = theme_css(theme)
    html = document_html(doc, theme, late)
    identifier = _identifier(html, css)
    if late and not pdf_charts.usable():
        html, late = document_html(doc, theme), {}
    return _render(html, css, base_dir, late, identifier)


def render_pdf(html: str, css: str, base_dir: Path) -> bytes:
    """HTML and CSS to a tagged PDF, every resource read through the one `SafeFetcher`."""
    return _render(html, css, base_dir, {}, _identifier(html, css))[0]


def _identifier(html: str, css: str) -> bytes:
    return hashlib.sha256(f"{html}\0{css}".encode()).hexdigest()[:32].encode("ascii")


def _render(html: str, css: str, base_dir: Path, late: dict[bytes, ChartImage], identifier: bytes
            ) -> tuple[bytes, int]:
    # WeasyPrint keeps every page's boxes until the PDF is written. Measured on a 350-page brief: 0.16 s a page,
    # 0.14 with the collector paused (and 2% more memory); 6% less time for the 14-page analyst brief.
    with collector.paused():
        return _render_now(html, css, base_dir, late, identifier)


def _render_now(html: str, css: str, base_dir: Path, late: dict[bytes, ChartImage], identifier: bytes
                ) -> tuple[bytes, int]:
    fetcher = SafeFetcher([base_dir])
    fonts = FontConfiguration()
    try:
        document = HTML(string=html, base_url=base_dir, url_fetcher=fetcher)
        options = {"pdf_variant": "pdf/ua-1", "pdf_identifier": identifier}
        laid_out, flaws = None, (True, 0)
        for extra in ("", *_SAFER_BREAKS):  # until a layout has neither flaw; else the least flawed
            stylesheet = CSS(string=css + extra, base_url=base_dir, url_fetcher=fetcher, font_config=fonts)
            with measured_note_by_note():
                attempt = document.render(stylesheets=[stylesheet], font_config=fonts, **options)
            found = (bool(lost_notes(attempt)), len(stranded_headings(attempt)))
            if laid_out is None or found < flaws:
                laid_out, flaws = attempt, found
            if flaws == (False, 0):
                break
        assert laid_out is not None
        pdf_charts.put_in_place(laid_out, late)
        with repeats_avoided():
            pdf = laid_out.write_pdf(finisher=_no_placeholder_left, **options)
        if fetcher.refused:  # refused inside an SVG image, where WeasyPrint swallows even fatal fetch errors
            raise fetcher.refused[0]
        return pdf, len(laid_out.pages)
    except ResourceRefused as refused:
        raise TemplateError.at(base_dir / "brief.css", f"the PDF stylesheet (brief.css) refers to {refused}"
                                                       f"{refused.hint}") from None
    except FatalURLFetchingError as failed:
        raise TemplateError.at(base_dir / "brief.css", f"the PDF stylesheet (brief.css) refers to a resource that "
                                                       f"cannot be read: {_first_line(failed)}") from None


def _no_placeholder_left(_document: object, pdf: object) -> None:
    """WeasyPrint's finisher: the PDF about to be written must print every chart, not an empty placeholder."""
    left = pdf_charts.placeholders_left(pdf)
    if left:
        raise BuildError.at("PDF", f"{left} chart{'s' if left > 1 else ''} would be printed as the empty "
                                   f"placeholder{'s' if left > 1 else ''} the pages were laid out around; nothing "
                                   "was written. BRIEFKIT_NO_PATCHES=1 lays the pages out with the charts (a bug: "
                                   "please report it)")


# WeasyPrint (70), keeping a footnote call's line with its note, can drop the note or strand a heading at a page
# foot (`pdf_layout`). Both depend on where the pages break; laid out again with other break rules they come out
# right. Tried in order until a layout has neither flaw.
_SAFER_BREAKS = (
    "\nhtml { orphans: 3; widows: 2; }",
    "\nhtml { orphans: 3; widows: 3; }",
    "\nhtml { orphans: 4; widows: 4; }",
    "\nhtml { orphans: 3; widows: 3; } .footnote { footnote-policy: auto; }",
    "\nhtml { orphans: 1; widows: 1; }",
)


def theme_css(theme: Theme) -> str:
    """The stylesheet with the theme's values in front as CSS custom properties and the page size.

    Uses the theme's own brief.css when it has one, else the built-in one.
    """
    css = theme.css or (builtin_templates() / "default" / "brief.css").read_text(encoding="utf-8")
    imports, rules = _split_imports(css)
    return imports + theme_variables(theme) + "\n" + rules


def _split_imports(css: str) -> tuple[str, str]:
    """CSS ignores @import after any other rule, so the variables go after the stylesheet's leading
    @charset/@import/@layer statements (and the comments among them), before its first rule."""
    nodes = tinycss2.parse_stylesheet(css, skip_comments=False, skip_whitespace=False)
    head = 0
    for i, node in enumerate(nodes):
        if node.type in ("comment", "whitespace"):
            continue
        if node.type == "at-rule" and node.lower_at_keyword in ("charset", "import", "layer") and node.content is None:
            head = i + 1
            continue
        break
    if head == 0:
        return "", css
    return tinycss2.serialize(nodes[:head]) + "\n", tinycss2.serialize(nodes[head:])


def theme_variables(theme: Theme) -> str:
    c, f = theme.colours, theme.fonts
    colours = {"primary": c.primary, "accent": c.accent, "text": c.text, "muted": c.muted, "box": c.box}
    lines = [f"  --{name}: {_css_colour(name, value)};" for name, value in colours.items()]
    lines.append(f"  --font-body: {_css_font(f.body.family)};")
    lines.append(f"  --font-heading: {_css_font(f.heading.family)};")
    lines.append(f"  --size-body: {float(f.size_pt):g}pt;")
    size = _PAGE_SIZES.get(theme.page_size.strip().lower())
    if size is None:
        raise TemplateError.at("theme.yaml", f"page_size {theme.page_size!r} is not one of A4, Letter",
                               field="page_size")
    # Whatever the stylesheet says, a word or URL longer than a line breaks inside the page instead of running
    # off its edge (a theme's brief.css can still set otherwise).
    return (":root {\n" + "\n".join(lines) + "\n}\n@page { size: " + size + "; }\n"
            "html { overflow-wrap: break-word; }\n")


def _css_colour(name: str, value: str) -> str:
    """Theme colours go into CSS verbatim, so only colour syntax may pass (no `;`, no `}`, no `url(`)."""
    if not _COLOUR.fullmatch(value.strip()):
        raise TemplateError.at("theme.yaml", f"{value!r} is not a CSS colour", field=f"colours.{name}")
    return value.strip()


def _css_font(family: str) -> str:
    quoted = family.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{quoted}", "Carlito", sans-serif'


def _first_line(error: BaseException) -> str:
    """WeasyPrint's message names the URL (maybe a long data: URL); its cause says what went wrong."""
    cause = error.__cause__
    text = f"{error} ({str(cause) or type(cause).__name__})" if cause else str(error)
    text = " ".join(text.split())
    return text if len(text) <= 240 else text[:237] + "..."
