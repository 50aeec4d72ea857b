"""Where the built-in fact base and templates live (the repository's seeds/ and templates/)."""

from __future__ import annotations

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def builtin_seeds() -> Path:
    return PROJECT_ROOT / "seeds"


def builtin_templates() -> Path:
    return PROJECT_ROOT / "templates"


def audience_files(folders: list[Path]) -> dict[str, Path]:
    """Audience name -> profile file, by name; a file in an earlier folder (the user's theme) wins."""
    found: dict[str, Path] = {}
    for folder in folders:
        for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
            found.setdefault(path.stem, path)
    return dict(sorted(found.items()))
