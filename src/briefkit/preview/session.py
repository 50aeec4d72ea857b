"""What the preview shows, kept up to date: each input loaded once and loaded again only when its files change.

Inputs by kind: the fact base (its folder, and the source texts, which checks read), the theme (the user's
folder and the built-in templates: templates, CSS, audience profiles), the meeting file. A change reloads its
kind and re-composes the views; a view whose HTML comes out the same is not pushed again. A view is one
(audience, as-of) pair the page asked for; the last good HTML of each stays when a change breaks something, and
the problem is shown beside it."""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from briefkit.errors import BriefkitError, Problem, UsageError

_UNSET: Any = object()
MAX_VIEWS = 8  # audience/as-of pairs kept up to date; the one asked for least recently goes first


@dataclass(frozen=True)
class Inputs:
    facts: Path
    out: Path  # where the full build writes, and where the chart cache lives
    theme: Path | None = None
    meeting: Path | None = None
    sources: Path | None = None  # the source texts' folder (default: the fact base's sources/, watched with it)
    check_limits: bool = True  # for the full build

    def kind_of(self, path: Path) -> str | None:
        """Which input a changed file belongs to: facts, theme, meeting, or None (not ours)."""
        from briefkit.paths import builtin_templates

        path = path.resolve()
        if self.meeting is not None and path == self.meeting.resolve():
            return "meeting"
        for kind, folder in (("facts", self.facts), ("facts", self.sources), ("theme", self.theme),
                             ("theme", builtin_templates())):
            if folder is not None and path.is_relative_to(folder.resolve()):
                return kind
        return None

    def watched(self) -> list[Path]:
        from briefkit.paths import builtin_templates

        paths = [self.facts, builtin_templates(), *(p for p in (self.theme, self.sources) if p is not None)]
        if self.meeting is not None:
            paths.append(self.meeting.parent)  # an editor saves by replacing the file: watch its folder
        return [p for p in paths if p.exists()]


class ParsedFiles:
    """The fact base's YAML files as parsed, kept by content: on a reload only the files whose bytes changed are
    parsed again (parsing is three quarters of loading). Every rule of `load_yaml` still holds: a file too large,
    or linking out of the fact base, goes to `load_yaml` to be refused; errors are never kept."""

    def __init__(self) -> None:
        self.parsed: dict[Path, tuple[bytes, Any]] = {}

    def __call__(self, path: Path, *, inside: Path) -> Any:
        from briefkit.factbase.yamlfile import MAX_BYTES, load_yaml

        try:
            if path.stat().st_size > MAX_BYTES or not path.resolve().is_relative_to(inside.resolve()):
                return load_yaml(path, inside=inside)
            key = hashlib.sha256(path.read_bytes()).digest()
        except OSError:
            return load_yaml(path, inside=inside)
        kept = self.parsed.get(path)
        if kept is not None and kept[0] == key:
            return kept[1]
        value = load_yaml(path, inside=inside)
        self.parsed[path] = (key, value)
        return value


@dataclass
class View:
    audience: str
    as_of: str
    brief: str | None = None  # last good HTML
    deck: str | None = None
    css: str = ""
    title: str = "briefkit preview"
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0  # the last render's own time
    made_from: tuple[object, ...] = ()  # what the last good HTML was made from: the same again needs no render


class Session:
    def __init__(self, inputs: Inputs, audience: str, as_of: str) -> None:
        self.inputs = inputs
        self.default = (audience, as_of)
        self.views: dict[tuple[str, str], View] = {}
        self.asked: dict[tuple[str, str], float] = {}  # when each view was last asked for (the server's threads write)
        self.version = 0
        self._facts: Any = _UNSET
        self._theme: Any = _UNSET
        self._meeting: Any = _UNSET
        self._parsed = ParsedFiles()

    # ------------------------------------------------------------ inputs, each loaded once until it changes

    def changed(self, kinds: set[str]) -> None:
        if "facts" in kinds:
            self._facts = _UNSET
            self._meeting = _UNSET  # a meeting's topics are checked against the fact base's
        if "theme" in kinds:
            self._theme = _UNSET
        if "meeting" in kinds:
            self._meeting = _UNSET

    def _load_facts(self) -> Any:
        if self._facts is _UNSET:
            from briefkit.factbase import load_factbase

            self._facts = load_factbase(self.inputs.facts, self.inputs.sources, reader=self._parsed)
        return self._facts

    def _load_theme(self) -> Any:
        if self._theme is _UNSET:
            from briefkit.paths import builtin_templates
            from briefkit.theme.load import load_theme

            self._theme = load_theme(self.inputs.theme, builtin_templates() / "default")
        return self._theme

    def _load_meeting(self, topics: dict[str, str]) -> Any:
        if self._meeting is _UNSET:
            from briefkit.meeting import load_meeting

            self._meeting = load_meeting(self.inputs.meeting, topics) if self.inputs.meeting else None
        return self._meeting

    def audiences(self) -> list[str]:
        from briefkit.build import available_audiences

        return list(available_audiences(self.inputs.theme))

    # ------------------------------------------------------------ views

    def view(self, audience: str, as_of: str) -> View:
        """The view for this pair, rendered now if it is new. Listed only once rendered: the server's threads
        answer from the list without waiting, and must never find a view half made."""
        key = (audience, as_of.strip())
        self.asked[key] = time.monotonic()
        view = self.views.get(key)
        if view is None:
            view = View(*key)
            self.render(view)
            self.views[key] = view
            while len(self.views) > MAX_VIEWS:
                oldest = min((k for k in self.views if k != key), key=lambda k: self.asked.get(k, 0.0))
                del self.views[oldest]
        return view

    def rerender(self) -> list[View]:
        """Render every view again after a change; the views whose page changed (HTML or problems)."""
        if not self.views:
            self.view(*self.default)
            return list(self.views.values())
        changed = []
        for view in self.views.values():
            before = (view.brief, view.deck, view.problems, view.css)
            self.render(view)
            if (view.brief, view.deck, view.problems, view.css) != before:
                changed.append(view)
        return changed

    def render(self, view: View) -> None:
        """Compose the view's brief and deck; on a user's mistake keep the last good HTML and note the problem."""
        start = time.perf_counter()
        try:
            made_from = self._inputs_of()
            if made_from == view.made_from and view.brief is not None:  # e.g. a comment edited: nothing to do
                view.problems = []
                return
            brief, deck, css, title = self._compose(view.audience, view.as_of)
        except BriefkitError as exc:
            view.problems = [str(p) for p in exc.problems]
        else:
            view.brief, view.deck, view.css, view.title, view.problems = brief, deck, css, title, []
            view.made_from = made_from
        view.seconds = time.perf_counter() - start
        self.version += 1

    def _inputs_of(self) -> tuple[object, ...]:
        """The fact base's content digest and the theme and meeting as loaded: a reloaded fact base whose content
        is the same (a comment, a reordered key) leaves the views as they are."""
        full = self._load_facts()
        return (full.digest, id(self._load_theme()), id(self._load_meeting(full.info.topics)))

    def _compose(self, audience_name: str, as_of_text: str) -> tuple[str, str, str, str]:
        from briefkit.audience import load_audience
        from briefkit.build import available_audiences
        from briefkit.cache import Store
        from briefkit.compose import compose
        from briefkit.factbase.dates import PartialDate
        from briefkit.preview.pages import brief_fragment, deck_fragment
        from briefkit.selection import check_as_of
        from briefkit.timings import Timings
        from briefkit.writers.formats import FORMATS, theme_for
        from briefkit.writers.pdf import theme_css

        known = available_audiences(self.inputs.theme)
        if audience_name not in known:
            raise UsageError(Problem("audience", None, f"unknown audience {audience_name!r}; known: "
                                                       f"{', '.join(known)}"))
        as_of = None
        if as_of_text:
            try:
                as_of = PartialDate.parse(as_of_text)
            except ValueError as exc:
                raise UsageError(Problem("as of", None, str(exc))) from None
        full = self._load_facts()
        theme = self._load_theme()
        meeting = self._load_meeting(full.info.topics)
        audience = load_audience(known[audience_name], [s.id for s in full.info.sections])
        as_of = as_of or (meeting.when if meeting else None)
        fb = full.select(as_of)
        if meeting is not None:
            audience = audience.for_meeting()
        if as_of is not None:
            check_as_of(full, fb, audience, meeting, "as of")
        store = Store.for_output(self.inputs.out)
        composed = compose(fb, audience, meeting, theme, self.inputs.theme, Timings(), store)
        pdf_theme = theme_for(theme, FORMATS["pdf"])  # the brief as the PDF writer sees it
        title = f"{composed.meta.title} ({audience.title}, {composed.meta.date_human})"
        return brief_fragment(composed.document, pdf_theme), deck_fragment(composed.deck), theme_css(pdf_theme), title
