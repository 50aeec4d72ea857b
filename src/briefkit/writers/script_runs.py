"""Cutting a run of text (DOCX `w:r`, PPTX `a:r`) into one run per script, each a copy keeping the run's
properties, so that each can be given the fonts, language and direction of its script."""

from __future__ import annotations

import copy

from lxml import etree


def split_run(run: etree._Element, pieces: list[str], text_tag: str) -> list[etree._Element]:
    """Replace `run` in its paragraph by one copy per piece, in order, each holding that piece as its text
    (`text_tag`, the run's one text element); the copies, to be marked by the caller."""
    parent = run.getparent()
    assert parent is not None  # a run stands in a paragraph
    at = parent.index(run)
    parent.remove(run)
    copies = []
    for offset, piece in enumerate(pieces):
        new = copy.deepcopy(run)
        text = new.find(text_tag)
        assert text is not None  # the run's one text, copied
        text.text = piece
        parent.insert(at + offset, new)
        copies.append(new)
    return copies
