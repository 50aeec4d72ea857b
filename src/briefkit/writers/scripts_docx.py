"""Other scripts in the DOCX, the way Word reads them (decision 76): Word takes a character's font from one of
four slots of `w:rFonts` by the character's script: `w:ascii`/`w:hAnsi` for Latin, `w:eastAsia` for Chinese,
Japanese and Korean, `w:cs` (complex script) for Arabic and Hebrew. Their size, weight and slant come from
`w:szCs`, `w:bCs` and `w:iCs`, their direction from `w:rtl` (runs) and `w:bidi` (paragraphs), and their proofing
language from `w:lang/@w:eastAsia` and `@w:bidi`.

Runs are written by `docx.py` as it always did; afterwards this cuts every run of mixed scripts into runs of one
script and names, for each, the font of the theme's fallback chain that draws it, with `w:hint="eastAsia"` so
that punctuation shared with Latin stays in the east-Asian font. On a machine without that font, Word still knows
the run is Chinese (or Arabic) and substitutes a font of that script, not a Latin one that shows boxes.
"""

from __future__ import annotations

import copy

from docx.document import Document as WordDocument
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from lxml import etree

from briefkit.fontchain import FontChain
from briefkit.scripts import COMPLEX, EAST_ASIAN, language, needs_marking, runs, starts_rtl
from briefkit.theme.model import Theme
from briefkit.writers.docx_xml import _PPR_ORDER, _RPR_ORDER, element, set_child
from briefkit.writers.script_runs import split_run

_TWINS = (("w:b", "w:bCs"), ("w:i", "w:iCs"), ("w:sz", "w:szCs"))  # a Latin property and its complex twin


def mark_scripts(word: WordDocument, theme: Theme, document_language: str) -> None:
    """Mark every story of the document (body, headers, footers, notes) and give the styles complex twins."""
    chain = FontChain(theme.fonts.body, theme.fonts)
    _twin_styles(word)
    defaults = word.styles.element.find(qn("w:docDefaults") + "/" + qn("w:rPrDefault") + "/" + qn("w:rPr"))
    if defaults is not None:
        lang = defaults.find(qn("w:lang"))
        lang = lang if lang is not None else set_child(defaults, element("w:lang", val=document_language),
                                                       _RPR_ORDER)
        lang.set(qn("w:eastAsia"), language("han", document_language) or "zh-CN")
        lang.set(qn("w:bidi"), language("arabic", document_language) or "ar-SA")
    cells = _table_styles(word)
    for root in _stories(word):
        for paragraph in root.iter(qn("w:p")):
            _paragraph(paragraph, chain, document_language, cells)


def _stories(word: WordDocument) -> list[BaseOxmlElement]:
    roots = [word.element.body]
    for section in word.sections:
        for story in (section.header, section.footer, section.first_page_header, section.first_page_footer):
            if not story.is_linked_to_previous:
                roots.append(story._element)
    from briefkit.writers.docx_xml import find_footnotes_part

    notes = find_footnotes_part(word.part)
    if notes is not None:
        roots.append(notes.element)
    return roots


def _table_styles(word: WordDocument) -> set[str]:
    """The style ids of data tables' cells: they keep the table's direction, so a column stays aligned."""
    ids = set()
    for name in ("Table Text", "Table Heading"):
        try:
            ids.add(word.styles[name].style_id)
        except KeyError:
            continue
    return ids


def _paragraph(paragraph: etree._Element, chain: FontChain, document_language: str, cells: set[str]) -> None:
    texts = [t.text or "" for t in paragraph.iter(qn("w:t"))]
    whole = "".join(texts)
    if not needs_marking(whole):
        return
    style = paragraph.find(qn("w:pPr") + "/" + qn("w:pStyle"))
    in_cell = style is not None and style.get(qn("w:val")) in cells
    if starts_rtl(whole) and not in_cell:
        ppr = paragraph.find(qn("w:pPr"))
        if ppr is None:
            ppr = element("w:pPr")
            paragraph.insert(0, ppr)
        set_child(ppr, element("w:bidi"), _PPR_ORDER)
    for run in list(paragraph.iter(qn("w:r"))):
        pieces = run.findall(qn("w:t"))
        if len(pieces) == 1 and len(run) == 1 + (run.find(qn("w:rPr")) is not None):
            _split(run, pieces[0].text or "", chain, document_language)
        elif pieces:
            text = "".join(t.text or "" for t in pieces)
            if needs_marking(text):
                script = next(s for s, _ in runs(text) if s in EAST_ASIAN | COMPLEX)
                _mark(run, script, text, chain, document_language)


def _split(run: etree._Element, text: str, chain: FontChain, document_language: str) -> None:
    """Replace `run` (properties and one text) by one run per script."""
    parts = runs(text)
    if len(parts) == 1:
        _mark(run, parts[0][0], text, chain, document_language)
        return
    copies = split_run(run, [piece for _, piece in parts], qn("w:t"))
    for new, (script, piece) in zip(copies, parts, strict=True):
        for t in new.iterfind(qn("w:t")):  # the one text: its spaces at either end are the script's boundary
            t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        _mark(new, script, piece, chain, document_language)


def _mark(run: etree._Element, script: str, text: str, chain: FontChain, document_language: str) -> None:
    if script not in EAST_ASIAN | COMPLEX:
        return
    rpr = run.find(qn("w:rPr"))
    if rpr is None:
        rpr = element("w:rPr")
        run.insert(0, rpr)
    font = chain.run_font(script, text).office
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = set_child(rpr, element("w:rFonts"), _RPR_ORDER)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = set_child(rpr, element("w:lang", val=document_language), _RPR_ORDER)
    tag = language(script, document_language) or document_language
    if script in EAST_ASIAN:
        rfonts.set(qn("w:eastAsia"), font)
        rfonts.set(qn("w:hint"), "eastAsia")
        lang.set(qn("w:eastAsia"), tag)
    else:
        rfonts.set(qn("w:cs"), font)
        rfonts.set(qn("w:hint"), "cs")
        lang.set(qn("w:bidi"), tag)
        set_child(rpr, element("w:rtl"), _RPR_ORDER)
        _twin(rpr)


def _twin_styles(word: WordDocument) -> None:
    """Every style's bold, italic and size also for complex scripts, which Word reads from their twins."""
    for rpr in word.styles.element.iter(qn("w:rPr")):
        _twin(rpr)


def _twin(rpr: etree._Element) -> None:
    for latin, twin in _TWINS:
        found = rpr.find(qn(latin))
        if found is not None and rpr.find(qn(twin)) is None:
            copied = copy.deepcopy(found)
            copied.tag = qn(twin)
            set_child(rpr, copied, _RPR_ORDER)
