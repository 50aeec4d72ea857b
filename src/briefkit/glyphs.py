"""The glyph check: every character a brief could print must be drawn by some font of the theme's chain, or the
build stops before any work with `path:line: ...` naming the character (a brief never ships an empty box).

Text is read from the files it comes from: every string in the fact base's YAML, the meeting and the audience
profiles, and the theme's templates and label files as written. The distinct characters of the files' bytes are
checked first (a few hundred, each looked up once per font in the font's character map, `fontchain.py`); only when
one is missing are the files parsed to say where, and only strings count (a comment is never printed).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from briefkit.errors import BriefkitError, FactbaseError, Problem, display_path
from briefkit.factbase.yamlfile import LList, LMap, load_yaml
from briefkit.fontchain import FontChain, is_drawn
from briefkit.scripts import script_of
from briefkit.theme.model import Theme

MAX_REPORTED = 50  # lines reported: past that, one more line says how many more there are


def yaml_texts(path: Path) -> Iterator[tuple[int | None, str]]:
    """(line, text) for every string in a YAML file, keys included (topic names are keys' values, ids keys)."""
    try:
        data = load_yaml(path)
    except BriefkitError:  # a file that does not load is reported by its own loader, not here
        return
    yield from _walk(data, getattr(data, "line", None))


def _walk(node: Any, line: int | None) -> Iterator[tuple[int | None, str]]:
    if isinstance(node, LMap):
        for key, value in node.items():
            at = node.key_lines.get(key, line)
            if isinstance(key, str):
                yield at, key
            yield from _walk(value, at)
    elif isinstance(node, LList):
        for i, value in enumerate(node):
            yield from _walk(value, node.item_lines[i] if i < len(node.item_lines) else line)
    elif isinstance(node, str):
        yield line, node


def _read(path: Path) -> str | None:
    """A file's text, read with the limits every input has (no pipe, no device, no giant); None when it cannot be
    read, which the file's own loader reports."""
    from briefkit.factbase.yamlfile import MAX_BYTES
    from briefkit.safefile import read_limited

    try:
        return read_limited(path, MAX_BYTES, FactbaseError).decode("utf-8")
    except (FactbaseError, UnicodeDecodeError):
        return None


def text_lines(path: Path) -> Iterator[tuple[int | None, str]]:
    """(line, text) for every line of a text file (a template)."""
    text = _read(path)
    if text is None:
        return
    yield from enumerate(text.splitlines(), start=1)


def texts_of(path: Path) -> Iterator[tuple[int | None, str]]:
    return yaml_texts(path) if path.suffix in (".yaml", ".yml") else text_lines(path)


def factbase_files(root: Path) -> list[Path]:
    """The files `load_factbase` reads."""
    files = [root / name for name in ("factbase.yaml", "sources.yaml", "figures.yaml", "analysis.yaml")]
    for folder in ("facts", "datasets"):
        if (root / folder).is_dir():
            files += sorted((root / folder).glob("*.yaml"))
    return [f for f in files if f.is_file()]


def chains(theme: Theme) -> list[FontChain]:
    """The body's and the headings' chains: a character must be drawn in both (a title is set in the heading
    font, its words may come back in the body)."""
    fonts = theme.fonts
    return list(dict.fromkeys([FontChain(fonts.body, fonts), FontChain(fonts.heading, fonts)]))


def missing(chars: Iterable[str], theme: Theme) -> set[str]:
    """The characters of `chars` that some chain of the theme cannot draw."""
    every = chains(theme)
    return {c for c in set(chars) if is_drawn(c) and any(chain.font_for(c) is None for chain in every)}


def check_glyphs(files: Iterable[Path], theme: Theme, theme_name: str = "theme.yaml") -> None:
    """Raise one located problem per line that holds a character no font of the theme's chain draws."""
    files = list(dict.fromkeys(files))
    raw: set[str] = set()
    for path in files:  # the files' characters as they are, first: a tenth of the time of parsing them
        raw.update(_read(path) or "")
    if not missing(raw, theme):
        return
    texts = {path: list(texts_of(path)) for path in files}  # where they are (what is in a comment is not printed)
    found = missing((c for lines in texts.values() for _line, text in lines for c in text), theme)
    if not found:
        return
    problems: list[Problem] = []
    for path, lines in texts.items():
        for line, text in lines:
            chars = list(dict.fromkeys(c for c in text if c in found))
            if chars:
                problems.append(Problem(display_path(path), line, describe(chars, theme, theme_name)))
    problems = list(dict.fromkeys(problems))
    if len(problems) > MAX_REPORTED:
        more = len(problems) - MAX_REPORTED
        rest = Problem(problems[MAX_REPORTED].path, None, f"and {more} more lines with characters no font draws")
        problems = [*problems[:MAX_REPORTED], rest]
    raise FactbaseError(*problems)


def describe(chars: list[str], theme: Theme, theme_name: str = "theme.yaml") -> str:
    """The first character no font draws, by name, and how many more the line has."""
    char = chars[0]
    name = unicodedata.name(char, "unnamed character")
    script = script_of(char)
    fonts = ", ".join(f.family for f in FontChain(theme.fonts.body, theme.fonts).candidates(
        "other" if script == "common" else script))
    more = ""
    if len(chars) > 1:
        shown = "".join(chars[1:6]) + ("..." if len(chars) > 6 else "")
        more = f" and {len(chars) - 1} more character{'s' if len(chars) > 2 else ''} ({shown})"
    verb = "are" if more else "is"
    return (f"{char!r} (U+{ord(char):04X} {name}){more} {verb} in no font of the theme ({fonts}), so "
            f"{'they would print as empty boxes' if more else 'it would print as an empty box'}; add a font that has "
            f"{'them' if more else 'it'} to fonts.fallback in {theme_name}, or write it otherwise")


def input_files(facts: Path, theme_dir: Path | None, builtin_dir: Path, extra: Iterable[Path] = (),
                language: str = "en") -> list[Path]:
    """Every file whose words a brief may print: the fact base, `extra` (meeting, audience profiles), and the
    theme's templates and the labels of the brief's `language` (the user's and the built-in ones)."""
    files = factbase_files(facts) + [p for p in extra if p.is_file()]
    locales = [f"{tag}.yaml" for tag in dict.fromkeys(["en", language.split("-")[0], language])]
    for folder in (theme_dir, builtin_dir):
        if folder is not None and folder.is_dir():
            files += sorted(folder.glob("*.j2")) + [folder / "locales" / name for name in locales
                                                    if (folder / "locales" / name).is_file()]
            files += [folder / "theme.yaml"] if (folder / "theme.yaml").is_file() else []
    return files


def check_inputs(facts: Path, theme: Theme, theme_dir: Path | None, builtin_dir: Path,
                 extra: Iterable[Path] = (), language: str = "en") -> None:
    """The glyph check of a build or `briefkit check`: every input file against the theme's chain."""
    shown = display_path(theme_dir / "theme.yaml") if theme_dir else "the theme.yaml of a theme (--theme)"
    check_glyphs(input_files(facts, theme_dir, builtin_dir, extra, language), theme, shown)
