"""The words briefkit writes itself ("Key judgments", "Figure 2:", dates, "(continued)", the email's lines), in
the fact base's language (decision 77).

They come from `locales/LANG.yaml` of the built-in theme, chosen by the fact base's `language:` (`ru-RU`, then
`ru`, else English), with the theme's own `locales/LANG.yaml` on top, key by key: a theme can reword any label or
add a language. Every file is checked against English's keys, so a missing or misspelt label is one located error,
not an English word in a Russian brief.

The labels of the brief being composed are also the *current* labels (`using`), for the few helpers deep in the
pipeline (dates, money, citations) that templates, tables and charts call without a labels argument.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from briefkit.errors import Problem, TemplateError, display_path

DEFAULT_LANGUAGE = "en"
_LISTS = ("months", "months_of")


@dataclass(frozen=True)
class Labels:
    """One language's labels: `labels["sources"]`, `labels.text("figure_number", number=2)`, `labels.date(d)`."""

    language: str
    items: tuple[tuple[str, str | tuple[str, ...]], ...]

    def __getitem__(self, key: str) -> str:
        value = dict(self.items)[key]
        return value if isinstance(value, str) else " ".join(value)

    def __getattr__(self, key: str) -> str:
        """`labels.key_judgments` in a template."""
        if key.startswith("_") or key in ("language", "items"):
            raise AttributeError(key)
        try:
            return self[key]
        except KeyError:
            raise AttributeError(f"no label {key!r}; the labels are in templates/default/locales/en.yaml") from None

    def text(self, key: str, **values: object) -> str:
        """The label with its {placeholders} filled in."""
        return self[key].format(**{k: str(v) for k, v in values.items()})

    def months(self, genitive: bool = False) -> tuple[str, ...]:
        value = dict(self.items)["months_of" if genitive else "months"]
        return value if isinstance(value, tuple) else ()

    def date(self, year: int, month: int | None = None, day: int | None = None) -> str:
        """'22 November 2022', '22 ноября 2022 г.', '2022年11月22日'; a month alone, or a year alone."""
        if month and day:
            return self.text("date_day", day=day, month=self.months(True)[month - 1], year=year)
        if month:
            return self.text("date_month", month=self.months()[month - 1], year=year)
        return str(year)

    def day(self, day: dt.date) -> str:
        return self.date(day.year, day.month, day.day)


def load_labels(language: str, theme_dir: Path | None, builtin_dir: Path) -> Labels:
    """The labels for `language` (a BCP 47 tag such as `ru-RU`): the built-in file, the theme's on top."""
    return _load(language, theme_dir, builtin_dir)


@lru_cache(maxsize=16)
def _load(language: str, theme_dir: Path | None, builtin_dir: Path) -> Labels:
    english = _read(builtin_dir / "locales" / f"{DEFAULT_LANGUAGE}.yaml", None)
    folders = [d / "locales" for d in (builtin_dir, theme_dir) if d is not None]
    tags = [language, language.split("-")[0]]
    chosen = next((tag for tag in tags if any((f / f"{tag}.yaml").is_file() for f in folders)), DEFAULT_LANGUAGE)
    merged = dict(english)
    for folder in folders:
        for tag in dict.fromkeys([DEFAULT_LANGUAGE, chosen]):
            path = folder / f"{tag}.yaml"
            if path.is_file() and not (folder == builtin_dir / "locales" and tag == DEFAULT_LANGUAGE):
                merged.update(_read(path, english))
    return Labels(chosen, tuple(sorted(merged.items())))


def _read(path: Path, english: dict[str, Any] | None) -> dict[str, str | tuple[str, ...]]:
    """One locale file, checked: known keys only, text values, twelve months, the placeholders kept."""
    import string

    from briefkit.factbase.yamlfile import LMap, load_yaml

    data = load_yaml(path, error=TemplateError)
    shown = display_path(path)
    if not isinstance(data, LMap):
        raise TemplateError(Problem(shown, None, "a locale file is a mapping of label names to words"))
    problems: list[Problem] = []
    out: dict[str, str | tuple[str, ...]] = {}
    for key, value in data.items():
        line = data.key_lines.get(key)
        if english is not None and key not in english:
            problems.append(Problem(shown, line, f"unknown label {key!r}; the labels are those of "
                                                 "templates/default/locales/en.yaml"))
            continue
        if key in _LISTS:
            if not isinstance(value, list) or len(value) != 12 or not all(isinstance(v, str) for v in value):
                problems.append(Problem(shown, line, f"{key}: the twelve months' names, January first"))
                continue
            out[key] = tuple(value)
            continue
        if not isinstance(value, str):
            problems.append(Problem(shown, line, f"{key}: must be text (quote it)"))
            continue
        if english is not None:
            wanted = {f for _, f, _, _ in string.Formatter().parse(str(english[key])) if f}
            try:
                found = {f for _, f, _, _ in string.Formatter().parse(value) if f}
            except ValueError as exc:
                problems.append(Problem(shown, line, f"{key}: {exc} (write a brace as {{{{ or }}}})"))
                continue
            if found - wanted:
                braces = ", ".join("{" + f + "}" for f in sorted(found - wanted))
                known = ", ".join("{" + f + "}" for f in sorted(wanted)) or "none"
                problems.append(Problem(shown, line, f"{key}: unknown placeholder {braces}; this label knows {known}"))
                continue
        out[key] = value
    if problems:
        raise TemplateError(*problems)
    return out


def check_locale_files(theme_dir: Path | None, builtin_dir: Path) -> list[Problem]:
    """The problems of every locale file of a theme folder and the built-in one, all at once."""
    from briefkit.errors import BriefkitError

    english = _read(builtin_dir / "locales" / f"{DEFAULT_LANGUAGE}.yaml", None)
    problems: list[Problem] = []
    for folder in (d / "locales" for d in (theme_dir, builtin_dir) if d is not None):
        for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
            try:
                _read(path, english)
            except BriefkitError as exc:
                problems += exc.problems
    return problems


_CURRENT: contextvars.ContextVar[Labels | None] = contextvars.ContextVar("briefkit_labels", default=None)


def current() -> Labels:
    """The labels of the brief being composed; English outside of one."""
    labels = _CURRENT.get()
    if labels is None:
        from briefkit.paths import builtin_templates

        labels = load_labels(DEFAULT_LANGUAGE, None, builtin_templates() / "default")
    return labels


@contextlib.contextmanager
def using(labels: Labels) -> Iterator[Labels]:
    token = _CURRENT.set(labels)
    try:
        yield labels
    finally:
        _CURRENT.reset(token)
