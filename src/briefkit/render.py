"""Rendering templates to Markdown: a sandboxed Jinja environment and the helpers templates may call.

Templates are data that travels by email, so they run in Jinja's SandboxedEnvironment with StrictUndefined,
load only from the theme folder and the built-in theme (a symlink out of either is an error, not a fallback),
and every value they print is escaped for Markdown unless a helper marked it safe: a fact base can never
inject markup into the brief. The sandbox stops file, network and code access; on top of it we bound the
one-line resource bombs (huge repetitions, powers and paddings), the size of the output and the time a
template may run. Anything a template gets wrong is one `path:line: message`.
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
import signal
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment, SecurityError
from markupsafe import Markup

from briefkit.citations import note_text, reference, short_citation, sources_line
from briefkit.errors import BriefkitError, Problem, TemplateError, display_path
from briefkit.factbase.model import FactBase
from briefkit.factbase.schema import ChartSpec, Citation, Conflict, Fact, Point, TableSpec, Value
from briefkit.factbase.yamlfile import BAD_CHAR, describe_char, why_bad
from briefkit.formatting import human_date, money, number, qualified

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&])")
_LINE_START = re.compile(r"^(\s*)([#>+\-=:])", re.MULTILINE)
_INDENT = re.compile(r"^[ \t]+", re.MULTILINE)
_ORDERED = re.compile(r"^(\s*\d+)([.)])", re.MULTILINE)  # "1." starts a list; "1\." does not
# What DOCX and PPTX (XML 1.0) cannot hold: control characters, lone surrogates, U+FFFE and U+FFFF.
# A width or precision of a million or more in a %-format or a str.format field: '%0999999999d', '{:>9999999}'.
_HUGE_FORMAT = re.compile(r"%[-+ #0]*(\d{7,}|\d*\.\d{7,})|\{[^{}]*:[^{}]*\d{7,}[^{}]*\}")

MAX_ITEMS = 1_000_000  # characters or items one template expression may build
MAX_OUTPUT = 10_000_000  # characters of Markdown one template may write
RENDER_SECONDS = 60.0
RENDER_MEMORY = 1 << 30  # bytes of address space a template may add while it renders


def md_escape(text: str) -> str:
    """Escape text so Markdown shows it literally (no emphasis, links, HTML, list markers or ::: boxes)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")  # Markdown starts a line at a lone CR too
    text = _INDENT.sub(" ", text)  # four spaces or a tab at a line start would make a code block
    text = _MD_SPECIAL.sub(r"\\\1", text)
    text = _LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), text)
    return _ORDERED.sub(lambda m: m.group(1) + "\\" + m.group(2), text)


class _ContainedLoader(jinja2.FileSystemLoader):
    """A FileSystemLoader that reads a template as untrusted input: refused when its real path (after symlinks)
    leaves its folder, when it is not a regular file (a named pipe would hang the build), when it is too large,
    or when it is not UTF-8 (located at the line of the first bad byte).

    Refusing is an error, not TemplateNotFound: that would let the next loader quietly serve the built-in
    template, and a user would never learn that their theme's file was ignored."""

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        from briefkit.safefile import read_limited
        from briefkit.theme.load import MAX_TEXT_BYTES, decode_text

        pieces = jinja2.loaders.split_template_path(template)
        for folder in self.searchpath:
            path = Path(folder, *pieces)
            if not os.path.lexists(path) or path.is_dir():
                continue
            shown = display_path(path)
            if not path.resolve().is_relative_to(Path(folder).resolve()):
                raise TemplateError(Problem(shown, None, "links to a file outside the theme folder; copy the "
                                                         "template in instead"))
            source = decode_text(read_limited(path, MAX_TEXT_BYTES, TemplateError), shown)
            mtime = path.stat().st_mtime_ns
            return source, os.path.normpath(path), lambda path=path, mtime=mtime: _unchanged(path, mtime)
        raise jinja2.TemplateNotFound(template)


def _unchanged(path: Path, mtime: int) -> bool:
    try:
        return path.stat().st_mtime_ns == mtime
    except OSError:
        return False


class _ParentBlock(jinja2.runtime.BlockReference):
    """`{{ super() }}`: the parent block's output is Markdown the built-in template wrote (its values escaped
    already), so it is marked safe rather than escaped a second time into literal `# Heading` and `- item`."""

    @property
    def super(self) -> _ParentBlock | jinja2.Undefined:
        parent = super().super
        if isinstance(parent, jinja2.Undefined):
            return parent
        return _ParentBlock(self.name, self._context, self._stack, self._depth + 1)

    def __call__(self) -> Markup:
        return Markup(super().__call__())


class _BriefContext(jinja2.runtime.Context):
    def super(self, name: str, current: Callable[..., Iterator[str]]) -> _ParentBlock | jinja2.Undefined:
        parent = super().super(name, current)
        if isinstance(parent, jinja2.Undefined):
            return parent
        return _ParentBlock(parent.name, self, parent._stack, parent._depth)


class _BriefSandbox(SandboxedEnvironment):
    """Jinja's sandbox, plus limits on the operators and calls that build huge values from a short template."""

    intercepted_binops = frozenset({"*", "**", "%", "+"})
    context_class = _BriefContext

    def call_binop(self, context: jinja2.runtime.Context, op: str, left: Any, right: Any) -> Any:
        if op == "**" and isinstance(right, int) and abs(right) > 64 and abs(left) > 1:
            raise SecurityError(f"{left} ** {right} is too large a power")
        if op == "*" and isinstance(left, int) and isinstance(right, (str, list, tuple)):
            left, right = right, left
        repeats = op == "*" and isinstance(left, (str, list, tuple)) and isinstance(right, int)
        if repeats and len(left) * right > MAX_ITEMS:
            raise SecurityError(f"repeating {len(left):,} items {right:,} times makes too much")
        if op == "%" and isinstance(left, str):
            _check_format(left, right if isinstance(right, tuple) else (right,), {})
        result = super().call_binop(context, op, left, right)
        if op == "+" and isinstance(result, (str, list, tuple)) and len(result) > MAX_ITEMS:
            raise SecurityError(f"joining makes {len(result):,} items; the limit is {MAX_ITEMS:,}")
        return result

    def call(__self, __context: jinja2.runtime.Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(getattr(__obj, "__self__", None), str) and getattr(__obj, "__name__", "") in _PADDINGS:
            _check_numbers(args, kwargs)  # 'x'.ljust(10**9)
        return super().call(__context, __obj, *args, **kwargs)

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        """str.format and format_map, checked for a huge width given in the string or by an argument."""
        wrapped = super().wrap_str_format(value)
        owner = getattr(value, "__self__", None)
        if wrapped is None or not isinstance(owner, str):
            return wrapped

        def checked(*args: Any, **kwargs: Any) -> str:
            _check_format(owner, args, kwargs)
            return wrapped(*args, **kwargs)

        return checked

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        """Nothing a template reaches may touch the file system or build new objects from classes."""
        if isinstance(value, (type, Path)) or isinstance(obj, Path):
            return False
        return super().is_safe_attribute(obj, attr, value)


# The calls whose numbers are sizes (widths, counts): only there is a big number a threat, not in money(2e9).
_PADDINGS = frozenset({"center", "ljust", "rjust", "zfill", "expandtabs"})
_SIZED_FILTERS = frozenset({"center", "indent", "wordwrap", "truncate", "batch", "slice"})
_WIDTH_FROM_ARGUMENTS = re.compile(r"%[-+ #0]*\*|%[-+ #0]*\d*\.\*|\{[^{}]*:[^{}]*\{")  # '%*d', '{:>{w}}'


def _check_numbers(args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    for value in (*args, *kwargs.values()):
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_ITEMS:
            raise SecurityError(f"the number {value:,} is too large for a template (the limit is {MAX_ITEMS:,})")


def _check_format(text: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    """A format string may not ask for a width or precision of a million, itself or through its arguments."""
    if _HUGE_FORMAT.search(text):
        raise SecurityError("a format with a width or precision of a million or more")
    if _WIDTH_FROM_ARGUMENTS.search(text):
        _check_numbers(args, kwargs)


def _bounded(name: str, filter_: Callable[..., Any]) -> Callable[..., Any]:
    """A filter whose size arguments are bounded: center(10**9), '%0999999999d'|format(1)."""
    if name not in _SIZED_FILTERS and name != "format":
        return filter_

    @functools.wraps(filter_)
    def bounded(value: Any, *args: Any, **kwargs: Any) -> Any:
        if name == "format":
            _check_format(str(value), args, kwargs)
        else:
            _check_numbers(args, kwargs)
        return filter_(value, *args, **kwargs)

    return bounded


class _CompiledOnce(jinja2.BytecodeCache):
    """Each template compiled once per process, though the theme check and the render each make an environment
    (one shared environment once kept a template across two themes at the same relative path). Jinja keys this by
    the template's name and file path and discards an entry whose source hash differs, so that cannot recur."""

    def __init__(self) -> None:
        self._compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if (code := self._compiled.get(bucket.key)) is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._compiled[bucket.key] = bucket.bytecode_to_string()


_COMPILED = _CompiledOnce()  # every environment make_environment makes has the same settings, so the same code


def make_environment(theme_dir: Path | None, builtin_dir: Path) -> SandboxedEnvironment:
    """Templates in `theme_dir` win over the built-in ones, which stay reachable as `builtin/NAME`."""
    loaders: list[jinja2.BaseLoader] = []
    if theme_dir is not None:
        loaders.append(_ContainedLoader(str(theme_dir)))
    loaders.append(jinja2.PrefixLoader({"builtin": _ContainedLoader(str(builtin_dir))}))
    loaders.append(_ContainedLoader(str(builtin_dir)))
    env = _BriefSandbox(
        loader=jinja2.ChoiceLoader(loaders),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        finalize=lambda v: v if isinstance(v, Markup) else md_escape(str(v)),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        bytecode_cache=_COMPILED,
    )
    env.filters.update(
        {
            "human_date": human_date,
            "money": money,
            "number": number,
            "md": lambda s: Markup(md_escape(str(s))),
        }
    )
    env.filters = {name: _bounded(name, f) for name, f in env.filters.items()}
    env.globals = {k: v for k, v in env.globals.items() if k != "lipsum"}  # lipsum(n=10**6) would bypass the bounds
    return env


@dataclass
class Notes:
    """Footnotes collected while rendering, numbered in the order the template cites them."""

    texts: list[str] = field(default_factory=list)

    def add(self, text: str) -> Markup:
        self.texts.append(text)
        return Markup(f"[^{len(self.texts)}]")

    def definitions(self) -> str:
        """One line per note: a blank line inside a note would end it and spill the rest into the body."""
        return "\n".join(f"[^{i}]: {md_escape(' '.join(t.split()))}" for i, t in enumerate(self.texts, start=1))


@dataclass
class Helpers:
    """The functions a template may call; all read the selected fact base, none can touch the machine."""

    fb: FactBase
    notes: Notes = field(default_factory=Notes)
    charts: frozenset[str] | None = None  # the chart ids the selection built; None = do not check
    tables: frozenset[str] | None = None

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
        from briefkit.labels import current

        return f" {current()['versus']} ".join(dict.fromkeys(names))

    def differences(self, conflict: Conflict) -> str:
        """Each version with its source: '97 voyages according to Solberg and Drozdov (2024) vs 90 ...'. A figure
        or count gives each side's figure, a date each side's date; other kinds name who holds each version."""
        from briefkit.labels import current

        if conflict.about not in ("figure", "count", "date"):
            return self.versions(conflict)
        sides = []
        for ident in conflict.facts:
            fact = self.fb.facts[ident]
            if conflict.about == "date":
                told = human_date(fact.date)
            else:
                told = ", ".join(_value_text(v) for v in fact.values) or fact.statement
            sides.append(current().text("according_to", told=told, who=self.cited_by(fact)))
        return f" {current()['versus']} ".join(sides)

    def cited_by(self, item: Fact | Point) -> str:
        ids = list(dict.fromkeys(c.source for c in self.citations(item)))
        return "; ".join(short_citation(self.fb.sources[s]) for s in ids)

    def sources_line(self, items: list[Fact | Point | Conflict | ChartSpec | TableSpec]) -> str:
        """The sources of `items`: facts, points, conflicts, and the charts and tables on the same slide."""
        ids = []
        for item in items:
            if isinstance(item, Conflict):
                ids += [s for f in item.facts if f in self.fb.facts for s in self.fb.facts[f].source_ids]
            elif isinstance(item, (ChartSpec, TableSpec)):
                ids += [s for f in self._figure_facts(item) for s in f.source_ids]
            else:
                ids += [c.source for c in self.citations(item)]
        return sources_line(ids, self.fb.sources)

    def _figure_facts(self, spec: ChartSpec | TableSpec) -> list[Fact]:
        """The facts a chart or table draws on: its dataset's records' facts (a timeline counts them all)."""
        dataset = self.fb.datasets.get(spec.dataset) if spec.dataset else None
        if dataset is None:
            return list(self.fb.facts.values())
        refs = [f for r in dataset.records if isinstance(facts := r.get("facts"), list) for f in facts
                if isinstance(f, str)]
        return [self.fb.facts[f] for f in dict.fromkeys(refs) if f in self.fb.facts]

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

    def figure(self, ident: str) -> Markup:
        return Markup(f"\n[[chart:{_known(ident, self.charts, 'chart')}]]\n")

    def table(self, ident: str) -> Markup:
        return Markup(f"\n[[table:{_known(ident, self.tables, 'table')}]]\n")

    def reference(self, source_id: str) -> str:
        return reference(self.fb.sources[source_id])

    def as_dict(self) -> dict[str, Any]:
        return {
            "fact": self.fact,
            "cite": self.cite,
            "cite_all": self.cite_all,
            "versions": self.versions,
            "differences": self.differences,
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


def _value_text(v: Value) -> str:
    """'about 20,000,000 tonnes', '$3.2 million': a value as the brief writes it."""
    if v.currency:
        return qualified(money(v.value, v.currency), v.qualifier)
    millions = v.value / 1_000_000
    amount = f"{number(millions)} million" if abs(v.value) >= 1_000_000 and round(millions, 3) == millions \
        else number(v.value)
    return qualified(f"{amount}{'%' if v.unit == 'percent' else ' ' + str(v.unit)}", v.qualifier)


def _known(ident: object, known: frozenset[str] | None, kind: str) -> str:
    text = str(ident)
    if known is not None and text not in known:
        choices = ", ".join(sorted(known)) or "none"
        raise LookupError(f"unknown {kind} {text!r}; this audience's {kind}s (figures.yaml) are: {choices}")
    return text


# Errors a template's own code can cause while running; anything else is a bug of ours and gets a crash log.
_TEMPLATE_FAULTS = (TypeError, ValueError, LookupError, AttributeError, ArithmeticError, RecursionError,
                    SecurityError, jinja2.TemplateError)


class _TooSlow(Exception):
    """Raised by the render timer inside the template code, so the traceback shows where it was."""


def render_markdown(env: SandboxedEnvironment, name: str, context: dict[str, Any], fb: FactBase) -> str:
    """Render one template to Markdown, with footnote definitions appended; template errors are one line."""
    sel = context.get("sel")
    charts = frozenset(c.id for c in sel.charts) if sel is not None else None
    tables = frozenset(t.id for t in sel.tables) if sel is not None else None
    helpers = Helpers(fb, charts=charts, tables=tables)
    try:
        template = env.get_template(name)
        with _time_limit(RENDER_SECONDS), _memory_limit(RENDER_MEMORY):
            text = _bounded_render(template, {**context, **helpers.as_dict()})
    except BriefkitError:
        raise
    except jinja2.TemplateSyntaxError as exc:
        where = display_path(exc.filename or name)
        raise TemplateError(Problem(where, exc.lineno, exc.message or "syntax error")) from None
    except jinja2.TemplateNotFound as exc:
        message = f"template {exc.name!r} not found in the theme or built-in (names are relative to the theme)"
        raise TemplateError(_runtime_problem(exc, name, message=message)) from None
    except jinja2.UndefinedError as exc:
        raise TemplateError(_runtime_problem(exc, name)) from None
    except SecurityError as exc:
        raise TemplateError(_runtime_problem(exc, name, "not allowed in a template: ")) from None
    except _TooSlow as exc:
        message = f"still running after {RENDER_SECONDS:g} seconds; look for a loop that does not end"
        raise TemplateError(_runtime_problem(exc, name, message=message)) from None
    except MemoryError as exc:
        message = (f"needs more than {RENDER_MEMORY >> 20:,} MB of memory; look for text that doubles in a loop "
                   "or a macro that calls itself")
        raise TemplateError(_runtime_problem(exc, name, message=message)) from None
    except RecursionError as exc:
        message = "calls itself without end (a macro, include or extends that loops)"
        raise TemplateError(_runtime_problem(exc, name, message=message)) from None
    except _TEMPLATE_FAULTS as exc:
        raise TemplateError(_runtime_problem(exc, name)) from None
    bad = BAD_CHAR.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        raise TemplateError(Problem(template_path(env, name), None,
                                    f"writes the {describe_char(bad.group())} (line {line} of its output), "
                                    f"{why_bad(bad.group())}; remove it"))
    notes = helpers.notes.definitions()
    return text + ("\n\n" + notes + "\n" if notes else "")


def _bounded_render(template: jinja2.Template, context: dict[str, Any]) -> str:
    """Render piece by piece, stopping once the output passes MAX_OUTPUT instead of filling the memory."""
    parts: list[str] = []
    size = 0
    for piece in template.generate(**context):
        size += len(piece)
        if size > MAX_OUTPUT:
            raise TemplateError(Problem(display_path(template.filename or template.name or "template"), None,
                                        f"writes more than {MAX_OUTPUT:,} characters; look for a loop that "
                                        "does not end"))
        parts.append(piece)
    return "".join(parts)


@contextlib.contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """Stop a template that runs too long. Signals only reach the main thread; elsewhere there is no limit."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise _TooSlow

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@contextlib.contextmanager
def _memory_limit(extra: int) -> Iterator[None]:
    """Let a template add at most `extra` bytes to the process's address space, whatever builds them (`~`,
    `join`, `replace`, a macro): past it an allocation fails with MemoryError, located at the template line,
    instead of the machine filling up. The limit in force before (if tighter) stays; it is put back after."""
    try:
        import resource

        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        with open("/proc/self/statm", encoding="ascii") as statm:
            current = int(statm.read().split()[0]) * resource.getpagesize()
    except (ImportError, OSError, ValueError, AttributeError):
        yield  # no such limit on this system: the time limit and the operator checks still hold
        return
    limit = current + extra
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    if soft != resource.RLIM_INFINITY and soft <= limit:
        yield
        return
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def template_path(env: SandboxedEnvironment, name: str) -> str:
    """The file a template name resolves to, as shown in messages (theme/brief.md.j2, or the built-in's path)."""
    try:
        _source, filename, _ = env.loader.get_source(env, name)  # type: ignore[union-attr]
    except (jinja2.TemplateNotFound, BriefkitError):
        return name
    return display_path(filename or name)


def _runtime_problem(exc: BaseException, name: str, prefix: str = "", message: str | None = None) -> Problem:
    """Locate an error raised while rendering at the template line Jinja was executing."""
    import traceback

    path, line = name, None
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename.endswith(".j2"):
            path, line = display_path(frame.filename), frame.lineno
            break
    if message is None:
        message = str(exc) or exc.__class__.__name__
        if isinstance(exc, KeyError):
            message = f"unknown id {exc.args[0]!r}"
        elif isinstance(exc, LookupError) and exc.args:
            message = str(exc.args[0])
    return Problem(path, line, prefix + " ".join(message.split()))
