"""What the built files must say about themselves, read from the inputs (fact base and built-in theme), not typed in."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache

from briefkit.factbase import load_factbase
from briefkit.paths import builtin_templates
from briefkit.theme.load import load_theme
from briefkit.theme.model import Theme
from tests.conftest import SEEDS
from tests.quality.conftest import EPOCH


@dataclass(frozen=True)
class Expected:
    title: str
    author: str  # the theme's organisation
    subject: str
    keywords: tuple[str, ...]
    language: str
    when: dt.datetime  # SOURCE_DATE_EPOCH, naive UTC


@cache
def expected() -> Expected:
    fb = load_factbase(SEEDS)
    theme = builtin_theme()
    return Expected(fb.analysis.title, theme.organisation, fb.info.subject, tuple(fb.analysis.keywords),
                    fb.info.language, dt.datetime.fromtimestamp(EPOCH, dt.UTC).replace(tzinfo=None))


@cache
def builtin_theme() -> Theme:
    return load_theme(None, builtin_templates() / "default")
