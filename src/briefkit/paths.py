"""Where the built-in fact base and templates live (the repository's seeds/ and templates/)."""

from __future__ import annotations

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def builtin_seeds() -> Path:
    return PROJECT_ROOT / "seeds"


def builtin_templates() -> Path:
    return PROJECT_ROOT / "templates"
