"""Other scripts in the PPTX, the way PowerPoint reads them (decision 76): a run's `a:rPr` names a font per slot,
`a:latin`, `a:ea` (Chinese, Japanese, Korean) and `a:cs` (Arabic, Hebrew), and its language in `lang` (with the
deck's own in `altLang`); a paragraph that reads right to left has `rtl="1"` on its `a:pPr`.

The deck is written by `pptx.py` as it always was; afterwards this cuts every run of mixed scripts into runs of
one script and names, for each, the font of the theme's fallback chain that draws it. Native charts get the
east-Asian and complex-script fonts in their text properties, for their category names.
"""

from __future__ import annotations

from lxml import etree
from pptx.oxml.ns import qn
from pptx.presentation import Presentation

from briefkit.fontchain import FontChain
from briefkit.scripts import COMPLEX, EAST_ASIAN, language, needs_marking, runs, starts_rtl
from briefkit.theme.model import Theme
from briefkit.writers.script_runs import split_run

# a:rPr's children in schema order; a:ea and a:cs come right after a:latin.
_RPR_ORDER = ("ln", "noFill", "solidFill", "gradFill", "blipFill", "pattFill", "grpFill", "effectLst", "effectDag",
              "highlight", "uLnTx", "uLn", "uFillTx", "uFill", "latin", "ea", "cs", "sym", "hlinkClick",
              "hlinkMouseOver", "rtl", "extLst")


def mark_scripts(prs: Presentation, theme: Theme, deck_language: str) -> None:
    """Every slide's and notes page's text, and every native chart's text properties."""
    chain = FontChain(theme.fonts.body, theme.fonts)
    for slide in prs.slides:
        roots = [slide._element]
        if slide.has_notes_slide:
            roots.append(slide.notes_slide._element)
        for root in roots:
            for paragraph in root.iter(qn("a:p")):
                _paragraph(paragraph, chain, deck_language)
        for shape in slide.shapes:
            if getattr(shape, "has_chart", False):
                _chart(shape.chart, chain, deck_language)


def _paragraph(paragraph: etree._Element, chain: FontChain, deck_language: str) -> None:
    whole = "".join(t.text or "" for t in paragraph.iter(qn("a:t")))
    if not needs_marking(whole):
        return
    if starts_rtl(whole):
        ppr = paragraph.find(qn("a:pPr"))
        if ppr is None:
            ppr = etree.SubElement(paragraph, qn("a:pPr"))
            paragraph.remove(ppr)
            paragraph.insert(0, ppr)
        ppr.set("rtl", "1")
    for run in list(paragraph.iter(qn("a:r"))):
        t = run.find(qn("a:t"))
        if t is None or not needs_marking(t.text or ""):
            continue
        parts = runs(t.text or "")
        for new, (script, piece) in zip(split_run(run, [piece for _, piece in parts], qn("a:t")), parts, strict=True):
            _mark(new, script, piece, chain, deck_language)


def _mark(run: etree._Element, script: str, text: str, chain: FontChain, deck_language: str) -> None:
    if script not in EAST_ASIAN | COMPLEX:
        return
    rpr = run.find(qn("a:rPr"))
    if rpr is None:
        rpr = etree.Element(qn("a:rPr"))
        run.insert(0, rpr)
    rpr.set("lang", language(script, deck_language) or deck_language)
    rpr.set("altLang", deck_language)
    _set_font(rpr, "ea" if script in EAST_ASIAN else "cs", chain.run_font(script, text).office)


def _set_font(rpr: etree._Element, slot: str, typeface: str) -> None:
    """`a:ea` or `a:cs` with `typeface`, in schema order among the run properties."""
    for old in rpr.findall(qn(f"a:{slot}")):
        rpr.remove(old)
    new = etree.Element(qn(f"a:{slot}"))
    new.set("typeface", typeface)
    rank = _RPR_ORDER.index(slot)
    later = next((i for i, child in enumerate(rpr) if etree.QName(child).localname in _RPR_ORDER
                  and _RPR_ORDER.index(etree.QName(child).localname) > rank), None)
    if later is None:
        rpr.append(new)
    else:
        rpr.insert(later, new)


def _chart(chart: object, chain: FontChain, deck_language: str) -> None:
    """A chart's category names and titles are text of its own: name the fonts for their scripts too."""
    element = chart._chartSpace  # type: ignore[attr-defined]
    texts = " ".join(v.text or "" for v in element.iter(qn("c:v"))) + " ".join(
        t.text or "" for t in element.iter(qn("a:t")))
    if not needs_marking(texts):
        return
    parts = runs(texts)
    for rpr in [*element.iter(qn("a:defRPr")), *element.iter(qn("a:rPr"))]:
        for slot, group in (("ea", EAST_ASIAN), ("cs", COMPLEX)):
            mine = [(s, p) for s, p in parts if s in group]
            if mine:  # one font for every name of the chart: the first of the chain that has them all
                _set_font(rpr, slot, chain.run_font(mine[0][0], "".join(p for _s, p in mine)).office)
