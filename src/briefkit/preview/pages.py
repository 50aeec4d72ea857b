"""The preview's HTML: the brief as the PDF writer's HTML (`writers/html.py`, charts as SVG), the deck as a column
of 16:9 slides, and the page around them with its controls and event stream.

A browser knows no CSS Paged Media: the PDF's footnotes (`float: footnote`) would sit inline in the text, so here
each becomes a numbered reference and the notes are listed at the end, as endnotes. The theme's stylesheet is
used as it is, with a few rules after it for the screen."""

from __future__ import annotations

import json
import re
from html import escape

from briefkit.document.model import Box, BulletList, Deck, Document, Emph, Inline, LineBreak, Link, Slide, Strong, Text
from briefkit.theme.model import Theme
from briefkit.writers.html import document_html, figure_html, table_html

_FOOTNOTE = re.compile(r'<span class="footnote" id="note-(\d+)" data-note="\d+">(.*?)</span>', re.DOTALL)
_BODY = re.compile(r"<body>\n?(.*)</body>", re.DOTALL)


def brief_fragment(doc: Document, theme: Theme) -> str:
    """The brief's body as HTML, footnotes turned into endnotes. Our own HTML writer made it: a note's text holds
    no <span> (note references are left out of notes), so the pattern finds each whole."""
    match = _BODY.search(document_html(doc, theme))
    body = match.group(1) if match else ""
    notes: list[tuple[str, str]] = []

    def to_reference(m: re.Match[str]) -> str:
        notes.append((m.group(1), m.group(2)))
        return f'<a class="note-ref" id="ref-{m.group(1)}" href="#note-{m.group(1)}">{m.group(1)}</a>'

    body = _FOOTNOTE.sub(to_reference, body)
    if notes:
        items = "".join(f'<li id="note-{n}" value="{n}">{text} <a href="#ref-{n}" aria-label="back">\u21a9</a></li>'
                        for n, text in notes)
        body += f'\n<section class="endnotes" aria-label="Notes"><ol>{items}</ol></section>'
    return body


def deck_fragment(deck: Deck) -> str:
    """Each slide as a 16:9 section: title, bullets, chart (SVG) or table, source line; notes below it."""
    return "\n".join(_slide(n, s) for n, s in enumerate(deck.slides, start=1))


def _slide(number: int, slide: Slide) -> str:
    parts = [f'<section class="slide slide-{escape(slide.kind)}" aria-label="Slide {number}">']
    tag = "h1" if slide.kind == "title" else "h2"
    parts.append(f"<{tag}>{escape(slide.title)}</{tag}>")
    if slide.subtitle:
        parts.append(f'<p class="slide-subtitle">{escape(slide.subtitle)}</p>')
    body = []
    if slide.bullets:
        body.append("<ul>" + "".join(f"<li>{_inlines(b)}</li>" for b in slide.bullets) + "</ul>")
    if slide.box is not None:
        body.append(_box(slide.box))
    if slide.figure is not None:
        body.append(figure_html(slide.figure))
    if slide.table is not None:
        body.append(table_html(slide.table))
    parts.append(f'<div class="slide-body">{"".join(body)}</div>')
    if slide.source_line:
        parts.append(f'<p class="slide-sources">{escape(slide.source_line)}</p>')
    parts.append(f'<p class="slide-number">{number}</p></section>')
    if slide.notes:
        parts.append(f'<details class="slide-notes"><summary>Notes</summary><p>'
                     f'{escape(slide.notes).replace(chr(10), "<br>")}</p></details>')
    return "".join(parts)


def _box(box: Box) -> str:
    inner = []
    for block in box.blocks:
        if isinstance(block, BulletList):
            inner.append("<ul>" + "".join(f"<li>{_inlines(i)}</li>" for i in block.items) + "</ul>")
        elif hasattr(block, "inlines"):
            inner.append(f"<p>{_inlines(block.inlines)}</p>")
    title = f'<p class="box-title">{escape(box.title)}</p>' if box.title else ""
    return f'<aside class="box">{title}{"".join(inner)}</aside>'


def _inlines(inlines: tuple[Inline, ...]) -> str:
    out = []
    for node in inlines:
        if isinstance(node, Text):
            out.append(escape(node.text, quote=False))
        elif isinstance(node, Emph):
            out.append(f"<em>{_inlines(node.children)}</em>")
        elif isinstance(node, Strong):
            out.append(f"<strong>{_inlines(node.children)}</strong>")
        elif isinstance(node, Link):
            out.append(_inlines(node.children))
        elif isinstance(node, LineBreak):
            out.append("<br>")
    return "".join(out)


SCREEN_CSS = """
body { background: #eef0f3; margin: 0; }
#bar { position: sticky; top: 0; z-index: 10; display: flex; gap: 1em; align-items: center; flex-wrap: wrap;
  padding: .5em 1em; background: #1f2a36; color: #fff; font: 14px/1.4 sans-serif; }
#bar label { display: flex; gap: .4em; align-items: center; }
#bar button, #bar select, #bar input { font: inherit; }
#bar .status { margin-left: auto; opacity: .85; }
#problems { display: none; margin: 0; padding: .6em 1em; background: #fde8e8; color: #8a1111;
  font: 13px/1.5 monospace; white-space: pre-wrap; border-bottom: 2px solid #c53030; }
#problems.shown { display: block; }
#content { max-width: 52em; margin: 1.5em auto; padding: 2.5em 3em; background: #fff;
  box-shadow: 0 1px 4px rgba(0,0,0,.15); }
#content.deck { max-width: none; background: none; box-shadow: none; padding: 0; }
#content img { max-width: 100%; height: auto; }
.note-ref { font-size: .75em; vertical-align: super; text-decoration: none; }
.endnotes { margin-top: 2em; border-top: 1px solid #ccc; font-size: .85em; }
.slide { box-sizing: border-box; width: min(60em, 94vw); aspect-ratio: 16 / 9; margin: 1.2em auto 0; padding: 1.5em 2em;
  background: #fff; box-shadow: 0 1px 4px rgba(0,0,0,.2); position: relative; overflow: hidden;
  display: flex; flex-direction: column; }
.slide h1, .slide h2 { margin: 0 0 .5em; }
.slide .slide-body { flex: 1; display: flex; gap: 1.5em; overflow: hidden; }
.slide .slide-body > * { flex: 1; min-width: 0; }
.slide figure { margin: 0; }
.slide-sources, .slide-number { font-size: .7em; color: #666; margin: 0; }
.slide-number { position: absolute; right: 1.2em; bottom: .8em; }
.slide-notes { width: min(60em, 94vw); margin: .3em auto 0; font-size: .85em; }
"""

_SCRIPT = """
const state = {view: "brief", version: -1};
const $ = (id) => document.getElementById(id);
async function refresh() {
  const q = new URLSearchParams({view: state.view, audience: $("audience").value, as_of: $("as-of").value});
  let data;
  try { data = await (await fetch("/content?" + q)).json(); } catch (e) { return; }
  if (data.html !== null) {
    $("theme-css").textContent = data.css;
    $("content").innerHTML = data.html;
    $("content").className = state.view;
    document.title = data.title;
  }
  $("problems").textContent = data.problems.join("\\n");
  $("problems").classList.toggle("shown", data.problems.length > 0);
  $("status").textContent = data.status;
  document.body.dataset.version = data.version;
}
function show(view) { state.view = view; refresh(); }
async function fullBuild() {
  $("status").textContent = "building DOCX, PDF and PPTX...";
  const q = new URLSearchParams({audience: $("audience").value, as_of: $("as-of").value});
  await fetch("/build?" + q, {method: "POST", headers: {"X-Briefkit": "build"}});
}
const events = new EventSource("/events");
events.addEventListener("update", () => refresh());
events.addEventListener("built", (e) => { $("status").textContent = JSON.parse(e.data).message; });
document.addEventListener("keydown", (e) => {
  if (e.target.tagName === "INPUT" || e.target.tagName === "SELECT") return;
  if (e.key === "b") fullBuild();
  if (e.key === "d") show("deck");
  if (e.key === "r") show("brief");
});
refresh();
"""


def shell(audiences: list[str], audience: str, as_of: str, title: str) -> str:
    """The page: a bar with the view, audience and as-of switches and the build button; the problems line; the
    content, filled and refilled from /content whenever the server says something changed."""
    options = "".join(f'<option value="{escape(a)}"{" selected" if a == audience else ""}>{escape(a)}</option>'
                      for a in audiences)
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{escape(title)}</title>'
            f'<style id="theme-css"></style><style>{SCREEN_CSS}</style></head><body>'
            '<nav id="bar" aria-label="Preview">'
            '<button type="button" onclick="show(\'brief\')" title="r">Brief</button>'
            '<button type="button" onclick="show(\'deck\')" title="d">Deck</button>'
            f'<label>Audience <select id="audience" onchange="refresh()">{options}</select></label>'
            f'<label>As of <input id="as-of" value="{escape(as_of)}" placeholder="YYYY-MM-DD" size="10" '
            'onchange="refresh()"></label>'
            '<button type="button" id="build" onclick="fullBuild()" title="b">Build DOCX, PDF, PPTX (b)</button>'
            '<span class="status" id="status" role="status"></span></nav>'
            '<pre id="problems" role="alert"></pre><div id="content" class="brief"></div>'
            f"<script>{_SCRIPT}</script></body></html>\n")


def content_json(html: str | None, css: str, title: str, problems: list[str], status: str, version: int) -> bytes:
    return json.dumps({"html": html, "css": css, "title": title, "problems": problems, "status": status,
                       "version": version}, ensure_ascii=False).encode()
