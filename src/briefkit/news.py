"""`build --since DATE|BUNDLE`: what is new since a date or since an earlier brief, as the brief's "New since ..."
section, a slide of the deck, a paragraph of the email, and a mark on each key judgment whose support or
confidence changed.

Since a date, the earlier state is the fact base as of that date (what had been published by its last day);
since a bundle, it is the bundle's record (`said.json`), so the earlier fact base is not needed. Either way the
comparison is `diff.compare` of two records. The words are in `LABELS`, one place for a translation to replace.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from briefkit import said
from briefkit.diff import Diff, compare
from briefkit.errors import BuildError, Problem, UsageError

if TYPE_CHECKING:
    from briefkit.audience import Audience
    from briefkit.factbase.dates import PartialDate
    from briefkit.factbase.model import FactBase
    from briefkit.factbase.schema import Fact, Point

LABELS = {
    "title": "New since {when}",
    "bundle": "the {audience} brief of {date}",
    "nothing": "Nothing in the facts or key judgments has changed since {when}.",
    "summary": "Since {when}: {parts}.",
    "facts_added": "{n} new fact|{n} new facts",
    "facts_changed": "{n} fact revised|{n} facts revised",
    "facts_removed": "{n} fact withdrawn|{n} facts withdrawn",
    "judgments_added": "{n} new key judgment|{n} new key judgments",
    "judgments_changed": "{n} key judgment changed|{n} key judgments changed",
    "judgments_removed": "{n} key judgment dropped|{n} key judgments dropped",
    "conflicts_added": "{n} new disagreement between sources|{n} new disagreements between sources",
    "new_fact": "New",
    "changed_fact": "Revised",
    "removed_fact": "Withdrawn",
    "new_judgment": "New judgment",
    "changed_judgment": "Judgment changed",
    "removed_judgment": "Judgment dropped",
    "more": "{n} more change in the facts is listed by briefkit diff.|{n} more changes in the facts are listed by "
            "briefkit diff.",
    "mark": "Changed since {when}",
    "mark_new": "New since {when}",
    "confidence": "confidence {old} \u2192 {new}",
    "likelihood": "likelihood {old} \u2192 {new}",
    "support": "support revised",
    "text": "wording revised",
    "reason": "reasons for confidence revised",
    "assumptions": "assumptions revised",
    "none": "none",
}
BRIEF_ITEMS = 10  # facts listed in the brief's section; the rest are counted
SHORT_BRIEF_ITEMS = 3  # in a brief without sections (the executive's two pages)
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def _plural(key: str, n: int) -> str:
    one, many = LABELS[key].split("|")
    return (one if n == 1 else many).format(n=n)


@dataclass(frozen=True)
class Since:
    """`--since` resolved: a date, or the record of an earlier bundle."""

    given: str
    date: PartialDate | None = None
    record: dict[str, Any] | None = None

    def key(self) -> str:
        """What the outputs depend on, for the build's input digests."""
        body = self.date.iso() if self.date else json.dumps(self.record, sort_keys=True)
        return hashlib.sha256(f"since {body}".encode()).hexdigest()


def resolve_since(text: str) -> Since:
    """A date (YYYY, YYYY-MM, YYYY-MM-DD) or else a bundle folder or manifest; one-line errors."""
    from briefkit.factbase.dates import PartialDate

    if _DATE.match(text.strip()):
        try:
            return Since(text, date=PartialDate.parse(text.strip()))
        except ValueError as exc:
            raise UsageError(Problem("--since", None, str(exc))) from None
    return Since(text, record=said.read(Path(text), "--since"))


def check_since(since: Since, as_of: PartialDate | None) -> None:
    if since.date is not None and as_of is not None and since.date.first_day > as_of.last_day:
        raise BuildError(Problem("--since", None, f"{since.date.iso()} is after the brief's as-of date "
                                                  f"{as_of.iso()}; give an earlier date"))


@dataclass(frozen=True)
class Item:
    label: str
    text: str
    fact: Fact | None = None  # cited when given
    judgment: bool = False


@dataclass(frozen=True)
class News:
    title: str
    when: str
    summary: str
    items: tuple[Item, ...]  # for the brief and the slide: changed judgments first, then facts
    more: str  # "3 more changes in the facts ..." or ""
    marks: dict[str, str]  # judgment id -> what changed, or "new"
    diff: Diff
    judgments: tuple[Item, ...] = ()  # every judgment added, changed or dropped (the email's list)

    def slide_items(self, n: int) -> tuple[Item, ...]:
        return self.items[:n]

    def email_paragraph(self) -> str:
        """The email carries the bottom line only, so its paragraph names the new judgments too."""
        return " ".join([self.summary, *(f"{item.label}: {item.text}" for item in self.judgments)])

    def mark(self, point: Point, short: bool = False) -> Markup:
        """Markdown to follow a judgment: a line saying it is new or how it changed since (short on a slide)."""
        from briefkit.render import md_escape

        what = self.marks.get(point.id)
        if what is None:
            return Markup("")
        if what == "new":
            text = LABELS["mark_new"].format(when=self.when)
            return Markup(f"\\\n   *{md_escape(text)}.*")
        head = LABELS["mark"].format(when=self.when)
        return Markup(f"\\\n   *{md_escape(head)}{'' if short else ':'}*{'' if short else ' ' + md_escape(what)}.")


def news_for(fb: FactBase, since: Since | None, audience: Audience, date_iso: str) -> News | None:
    """What is new in `fb` (as of the brief's date) since `since`, for this audience."""
    if since is None:
        return None
    new = said.record(fb, audience.name, date_iso)
    if since.date is not None:
        check_since(since, fb.as_of)  # again: a meeting's date is the as-of date too
        old = said.record(fb.select(since.date), audience.name, since.date.iso())
        when = since.date.human()
    else:
        old = since.record or {}
        from briefkit.factbase.dates import PartialDate

        try:
            day = PartialDate.parse(str(old.get("date"))).human()
        except ValueError:
            day = str(old.get("date"))
        when = LABELS["bundle"].format(audience=old.get("audience", "?"), date=day)
    diff = compare(old, new)
    return _news(fb, diff, when, audience)


def _news(fb: FactBase, diff: Diff, when: str, audience: Audience) -> News:
    parts = [_plural(f"{kind}_{status}", len(diff.of(kind, status)))
             for kind, status in (("facts", "added"), ("facts", "changed"), ("facts", "removed"),
                                  ("judgments", "added"), ("judgments", "changed"), ("judgments", "removed"),
                                  ("conflicts", "added"))
             if diff.of(kind, status)]
    summary = LABELS["summary"].format(when=when, parts="; ".join(parts)) if parts else \
        LABELS["nothing"].format(when=when)
    marks: dict[str, str] = {}
    items: list[Item] = []
    for change in diff.of("judgments"):
        if change.status == "added":
            marks[change.id] = "new"
            items.append(Item(LABELS["new_judgment"], _first_words(change.new or {}, 14), judgment=True))
        elif change.status == "changed":
            marks[change.id] = _judgment_change(change.old or {}, change.new or {})
            quoted = f"\u201c{_first_words(change.new or {})}\u201d"
            items.append(Item(LABELS["changed_judgment"], f"{quoted}: {marks[change.id]}", judgment=True))
        else:
            items.append(Item(LABELS["removed_judgment"], (change.old or {}).get("text", ""), judgment=True))
    shown = [c for c in diff.of("facts") if c.status != "removed" and c.id in fb.facts
             and fb.facts[c.id].weight <= audience.max_weight]
    shown.sort(key=lambda c: (fb.facts[c.id].weight, c.status != "added", -fb.facts[c.id].when.first_day.toordinal()))
    removed = [c for c in diff.of("facts", "removed") if int((c.old or {}).get("weight", 3)) <= audience.max_weight]
    fact_items = [Item(LABELS["new_fact" if c.status == "added" else "changed_fact"], fb.facts[c.id].statement,
                       fb.facts[c.id]) for c in shown]
    fact_items += [Item(LABELS["removed_fact"], (c.old or {}).get("statement", "")) for c in removed]
    room = BRIEF_ITEMS if "sections" in audience.parts else SHORT_BRIEF_ITEMS
    rest = len(diff.of("facts")) - min(len(fact_items), room)
    items += fact_items[:room]
    more = _plural("more", rest) if rest > 0 else ""
    # New judgments are printed in full, and marked, among the key judgments of a brief that has them: the list
    # names them only where the brief does not show its judgments.
    listed = [i for i in items if not (i.label == LABELS["new_judgment"] and "judgments" in audience.parts)]
    return News(LABELS["title"].format(when=when), when, summary, tuple(listed), more, marks, diff,
                tuple(i for i in items if i.judgment))


def _first_words(judgment: dict[str, Any], words: int = 8) -> str:
    text = str(judgment.get("text", "")).split()
    return " ".join(text[:words]) + ("\u2026" if len(text) > words else "")


def _judgment_change(old: dict[str, Any], new: dict[str, Any]) -> str:
    """'confidence moderate -> high; support revised': what changed in a judgment, in words."""
    out = []
    for name in ("confidence", "likelihood"):
        if old.get(name) != new.get(name):
            out.append(LABELS[name].format(old=old.get(name) or LABELS["none"], new=new.get(name) or LABELS["none"]))
    if old.get("support") != new.get("support") or old.get("facts") != new.get("facts"):
        out.append(LABELS["support"])
    for name, key in (("text", "text"), ("confidence_reason", "reason"), ("assumptions", "assumptions")):
        if old.get(name) != new.get(name):
            out.append(LABELS[key])
    return "; ".join(out) or LABELS["text"]


def without_news(measured: dict[str, int]) -> dict[str, int]:
    """The counts the audience's length limits are held to when `--since` added its section and slide: those are
    asked for on the command line, on top of the audience's length, and allowed one page and one slide."""
    return {k: max(1, v - 1) if k in ("brief_pages", "deck_slides") else v for k, v in measured.items()}


def template_helpers(news: News | None) -> dict[str, Any]:
    """`news` for the "New since" section and slide, and `changed_mark(p)` after each key judgment."""

    def changed_mark(point: Point, short: bool = False) -> Markup:
        return news.mark(point, short) if news is not None else Markup("")

    return {"news": news, "changed_mark": changed_mark}
