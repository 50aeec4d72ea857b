"""A key judgment's stated confidence, likelihood and assumptions: how every format prints them, and what
`briefkit check` warns about the evidence behind them.

Printed the same way in the brief (DOCX and PDF, from one Markdown) and on the deck's slide, each as its own
labelled sentence: likelihood (how probable the judged thing is) and confidence (how good the evidence is) are
never joined in one phrase. The words are in `LABELS`, one place for a translation to replace.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from briefkit.errors import Problem, display_path
from briefkit.factbase.estimative import likelihood_range

if TYPE_CHECKING:
    from briefkit.factbase.model import FactBase
    from briefkit.factbase.schema import Point

LABELS = {  # the keys of the locale files' `judgment_*` labels (templates/default/locales/), in English
    "likelihood": "Likelihood",
    "confidence": "Confidence",
    "assumptions": "Assumes",
}
DEFAULT_MAX_AGE_YEARS = 5  # `check --max-age`: a judgment whose newest fact is older than this is flagged


def stated(point: Point, reasons: bool = True) -> list[tuple[str, str]]:
    """(label, sentence) for what a judgment states beside its text, in reading order: likelihood, confidence,
    assumptions. Without `reasons`, the short form: the likelihood and the confidence level only. Empty for a point
    that states none (or is not a judgment)."""
    out: list[tuple[str, str]] = []
    likelihood = getattr(point, "likelihood", None)
    if likelihood:
        out.append((_label("likelihood"), f"{likelihood} ({likelihood_range(likelihood)})."))
    confidence = getattr(point, "confidence", None)
    if confidence is not None:
        why = f" {_sentence(confidence.reason)}" if reasons else ""
        out.append((_label("confidence"), f"{confidence.level}.{why}"))
    assumptions = getattr(point, "assumptions", None) or []
    if assumptions and reasons:
        out.append((_label("assumptions"), "; ".join(a.rstrip(".") for a in assumptions) + "."))
    return out


def _label(key: str) -> str:
    """The word for `key` in the brief's language (`labels.current()`), English where a locale lacks it."""
    from briefkit.labels import current

    try:
        return current()[f"judgment_{key}"]
    except KeyError:
        return LABELS[key]


def _sentence(text: str) -> str:
    text = " ".join(text.split())
    return text if text.endswith((".", "!", "?")) else text + "."


def brief_markdown(point: Point, reasons: bool = True) -> Markup:
    """Markdown to follow a judgment's text in a list item of the brief: a line with the likelihood and the
    confidence with its reason, each its own labelled sentence, and a line of assumptions. Without `reasons` (a
    short brief), the likelihood and the confidence level only, as on a slide, run on after the judgment's text
    (a line of its own would cost a two-page brief its second page)."""
    from briefkit.render import md_escape

    if not reasons:
        return Markup("".join(f" *{md_escape(label)}:* {md_escape(text)}" for label, text in short_form(point)))
    said = [f"*{md_escape(label)}:* {md_escape(text)}" for label, text in stated(point)]
    assumes = 1 if getattr(point, "assumptions", None) else 0  # the last sentence, on a line of its own
    first = said[: len(said) - assumes]
    lines = ([" ".join(first)] if first else []) + said[len(said) - assumes:]
    return Markup("".join(f"\\\n   {line}" for line in lines))


def deck_markdown(point: Point) -> Markup:
    """The short form for a slide bullet: likelihood and confidence level, each its own sentence; the reasons go
    to the speaker notes (`notes_text`)."""
    from briefkit.render import md_escape

    parts = [f"{label}: {text}" for label, text in short_form(point)]
    return Markup(f"\\\n  {md_escape(' '.join(parts))}") if parts else Markup("")


def short_form(point: Point) -> list[tuple[str, str]]:
    """(label, sentence) of the likelihood and the confidence level, without reasons or assumptions."""
    return stated(point, reasons=False)


def notes_text(points: Iterable[Point]) -> str:
    """Speaker notes: each judgment's stated likelihood, confidence with its reason, and assumptions."""
    lines = []
    for n, point in enumerate(points, start=1):
        for label, text in stated(point):
            lines.append(f"{n}. {label}: {text}")
    return "\n".join(lines)


def template_helpers(reasons: bool = True) -> dict[str, Any]:
    """What templates call: `stated_confidence(p)` after a judgment in the brief (with its reasons unless the
    audience's `judgment_reasons` is false), `deck_confidence(p)` on a slide, `confidence_notes(points)` in
    speaker notes."""
    return {"stated_confidence": lambda point: brief_markdown(point, reasons), "deck_confidence": deck_markdown,
            "confidence_notes": notes_text}


# ---------------------------------------------------------------- check's warnings


def judgment_warnings(fb: FactBase, as_of: dt.date, max_age_years: int = DEFAULT_MAX_AGE_YEARS) -> list[Problem]:
    """Warnings, each at its judgment's line in analysis.yaml: it rests on a single source; its newest fact is
    older than `max_age_years` before `as_of`; it cites a fact in a conflict the fact base leaves unresolved."""
    from briefkit.factbase.yamlfile import LMap, line_of, load_yaml

    path = fb.root / "analysis.yaml"
    data = load_yaml(path, inside=fb.root)
    shown = display_path(path)
    unresolved = [c for c in fb.conflicts if c.more_credible is None]
    cutoff = _years_before(as_of, max_age_years)
    out: list[Problem] = []
    written = data.get("judgments") if isinstance(data, LMap) else None
    index = {item.get("id"): i for i, item in enumerate(written or []) if isinstance(item, LMap)}
    for judgment in fb.analysis.judgments:  # as of a date, some may have dropped out: found by id, not place
        i = index.get(judgment.id)
        line = line_of(data, ("judgments", i, "facts")) if i is not None else None
        facts = [fb.facts[f] for f in judgment.facts if f in fb.facts]
        if not facts:
            continue
        sources = sorted({s for f in facts for s in f.source_ids})
        if len(sources) == 1:
            out.append(Problem(shown, line, f"judgment {judgment.id!r} rests on a single source ({sources[0]}); "
                                            "corroborate it or say so in its confidence"))
        newest = max(facts, key=_last_day)
        if _last_day(newest) < cutoff:
            out.append(Problem(shown, line, f"judgment {judgment.id!r} rests on old facts: the newest, {newest.id} "
                                            f"({newest.until or newest.date}), is more than {max_age_years} years "
                                            f"before {as_of.isoformat()}; see whether it still holds"))
        for conflict in unresolved:
            cited = [f for f in conflict.facts if f in judgment.facts]
            if cited:
                out.append(Problem(shown, line, f"judgment {judgment.id!r} rests on {', '.join(cited)}, in the "
                                                f"unresolved conflict {conflict.id!r}; weigh its versions "
                                                "(more_credible) or hedge the judgment"))
    return out


def _last_day(fact: Any) -> dt.date:
    from briefkit.factbase.dates import PartialDate

    return PartialDate.parse(fact.until or fact.date).last_day


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def warning_line(problem: Problem) -> str:
    """`path:line: warning: message`, the form of every warning `check` prints."""
    where = f"{problem.path}:{problem.line}" if problem.line else problem.path
    return f"{where}: warning: {problem.message}"
