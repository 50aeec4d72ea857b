"""Rendering templates to Markdown: a sandboxed Jinja environment and the helpers templates may call.

Templates are data that travels by email, so they run in Jinja's SandboxedEnvironment with StrictUndefined,
load only from the theme folder and the built-in theme, and every value they print is escaped for Markdown
unless a helper marked it safe: a fact base can never inject markup into the brief.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

from briefkit.citations import note_text, reference, short_citation, sources_line
from briefkit.errors import Problem, TemplateError, display_path
from briefkit.factbase.model import FactBase
from briefkit.factbase.schema import Citation, Conflict, Fact, Point
from briefkit.formatting import human_date, money, number, qualified

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")
_LINE_START = re.compile(r"^(\s*)([#>+\-=]|\d+[.)])", re.MULTILINE)


def md_escape(text: str) -> str:
    """Escape text so Markdown shows it literally (no emphasis, links, HTML or list markers)."""
    text = _MD_SPECIAL.sub(r"\\\1", text)
    return _LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), text)


class _ContainedLoader(jinja2.FileSystemLoader):
    """A FileSystemLoader that refuses files whose real path (after symlinks) leaves its folder."""

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        source, filename, uptodate = super().get_source(environment, template)
        real = Path(filename).resolve()
        roots = [Path(p).resolve() for p in self.searchpath]
        if not any(real.is_relative_to(root) for root in roots):
            raise jinja2.TemplateNotFound(template)
        return source, filename, uptodate


def make_environment(theme_dir: Path | None, builtin_dir: Path) -> SandboxedEnvironment:
    """Templates in `theme_dir` win over the built-in ones, which stay reachable as `builtin/NAME`."""
    loaders: list[jinja2.BaseLoader] = []
    if theme_dir is not None:
        loaders.append(_ContainedLoader(str(theme_dir)))
    loaders.append(jinja2.PrefixLoader({"builtin": _ContainedLoader(str(builtin_dir))}))
    loaders.append(_ContainedLoader(str(builtin_dir)))
    env = SandboxedEnvironment(
        loader=jinja2.ChoiceLoader(loaders),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        finalize=lambda v: v if isinstance(v, Markup) else md_escape(str(v)),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        {
            "human_date": human_date,
            "money": money,
            "number": number,
            "md": lambda s: Markup(md_escape(str(s))),
        }
    )
    return env


@dataclass
class Notes:
    """Footnotes collected while rendering, numbered in the order the template cites them."""

    texts: list[str] = field(default_factory=list)

    def add(self, text: str) -> Markup:
        self.texts.append(text)
        return Markup(f"[^{len(self.texts)}]")

    def definitions(self) -> str:
        return "\n".join(f"[^{i}]: {md_escape(t)}" for i, t in enumerate(self.texts, start=1))


@dataclass
class Helpers:
    """The functions a template may call; all read the selected fact base, none can touch the machine."""

    fb: FactBase
    notes: Notes = field(default_factory=Notes)

    def fact(self, ident: str) -> Fact:
        return self.fb.facts[ident]

    def citations(self, item: Fact | Point) -> list[Citation]:
        if isinstance(item, Fact):
            return list(item.sources)
        seen: dict[tuple[str, str], Citation] = {}
        for ident in item.facts:
            for c in self.fb.facts[ident].sources:
                seen.setdefault((c.source, c.locator), c)
        return list(seen.values())

    def cite(self, item: Fact | Point) -> Markup:
        """A footnote reference whose note names each source of `item` and where in it."""
        return self.notes.add(note_text(self.citations(item), self.fb.sources))

    def cite_all(self, fact_ids: list[str]) -> Markup:
        """One footnote for several facts (a conflict's versions), each source once."""
        citations = [c for ident in fact_ids for c in self.fb.facts[ident].sources]
        return self.notes.add(note_text(citations, self.fb.sources))

    def versions(self, conflict: Conflict) -> str:
        """'Kızılay (2022) vs Lemon and Norov (2025)': who holds each version of a disagreement."""
        names = [self.cited_by(self.fb.facts[f]) for f in conflict.facts]
        return " vs ".join(dict.fromkeys(names))

    def cited_by(self, item: Fact | Point) -> str:
        ids = list(dict.fromkeys(c.source for c in self.citations(item)))
        return "; ".join(short_citation(self.fb.sources[s]) for s in ids)

    def sources_line(self, items: list[Fact | Point]) -> str:
        return sources_line([c.source for i in items for c in self.citations(i)], self.fb.sources)

    def speaker_notes(self, items: list[Fact | Point]) -> str:
        """Detail for the presenter: each item's full text with its sources."""
        lines = []
        for item in items:
            text = item.statement if isinstance(item, Fact) else item.text
            lines.append(f"{text} ({self.cited_by(item)})")
        return "\n".join(lines)

    @staticmethod
    def top(facts: list[Fact], n: int) -> list[Fact]:
        """The `n` most important facts (by weight, then newest), shown oldest first."""
        keep = sorted(facts, key=lambda f: (f.weight, -f.when.first_day.toordinal()))[:n]
        return [f for f in facts if f in keep]

    def cited_by_source(self, source_id: str) -> str:
        return short_citation(self.fb.sources[source_id])

    @staticmethod
    def figure(ident: str) -> Markup:
        return Markup(f"\n[[chart:{ident}]]\n")

    @staticmethod
    def table(ident: str) -> Markup:
        return Markup(f"\n[[table:{ident}]]\n")

    def reference(self, source_id: str) -> str:
        return reference(self.fb.sources[source_id])

    def as_dict(self) -> dict[str, Any]:
        return {
            "fact": self.fact,
            "cite": self.cite,
            "cite_all": self.cite_all,
            "versions": self.versions,
            "cited_by": self.cited_by,
            "sources_line": self.sources_line,
            "speaker_notes": self.speaker_notes,
            "figure": self.figure,
            "table": self.table,
            "reference": self.reference,
            "top": self.top,
            "cited_by_source": self.cited_by_source,
            "qualified": qualified,
        }


def render_markdown(env: SandboxedEnvironment, name: str, context: dict[str, Any], fb: FactBase) -> str:
    """Render one template to Markdown, with footnote definitions appended; template errors are one line."""
    helpers = Helpers(fb)
    try:
        template = env.get_template(name)
        text = template.render(**context, **helpers.as_dict())
    except jinja2.TemplateSyntaxError as exc:
        where = display_path(exc.filename or name)
        raise TemplateError(Problem(where, exc.lineno, exc.message or "syntax error")) from None
    except jinja2.TemplateNotFound as exc:
        raise TemplateError(Problem(name, None, f"template {exc.name!r} not found in the theme or built-in")) from None
    except jinja2.UndefinedError as exc:
        raise TemplateError(_runtime_problem(exc, name)) from None
    except jinja2.sandbox.SecurityError as exc:
        raise TemplateError(_runtime_problem(exc, name, "not allowed in a template: ")) from None
    except (TypeError, ValueError, KeyError, AttributeError) as exc:
        raise TemplateError(_runtime_problem(exc, name)) from None
    notes = helpers.notes.definitions()
    return text + ("\n\n" + notes + "\n" if notes else "")


def _runtime_problem(exc: Exception, name: str, prefix: str = "") -> Problem:
    """Locate an error raised while rendering at the template line Jinja was executing."""
    import traceback

    path, line = name, None
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename.endswith(".j2"):
            path, line = display_path(frame.filename), frame.lineno
            break
    message = str(exc) or exc.__class__.__name__
    if isinstance(exc, KeyError):
        message = f"unknown id {exc.args[0]!r}"
    return Problem(path, line, prefix + message)
