"""Where the built-in fact base and templates live (the repository's seeds/ and templates/)."""

from __future__ import annotations

import re
from pathlib import Path

from briefkit.errors import Problem, TemplateError, display_path

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def builtin_seeds() -> Path:
    return PROJECT_ROOT / "seeds"


def builtin_templates() -> Path:
    return PROJECT_ROOT / "templates"


AUDIENCE_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")  # it names folders, files and the brief: short and plain


def audience_files(folders: list[Path]) -> dict[str, Path]:
    """Audience name -> profile file, by name; a file in an earlier folder (the user's theme) wins. A profile's
    file name is its audience's name, so a name that could not be one (capitals, spaces, accents, past 40
    characters) is refused at the file rather than blamed on a `name` key the file does not have."""
    found: dict[str, Path] = {}
    for folder in folders:
        for path in sorted(folder.iterdir()) if folder.is_dir() else []:
            if path.suffix.lower() not in (".yaml", ".yml"):
                continue
            if path.suffix != ".yaml" or not AUDIENCE_NAME.match(path.stem):
                raise TemplateError(Problem(display_path(path), None, "an audience profile's file name is the "
                                            "audience's name: lowercase letters, digits and hyphens, at most 40, "
                                            "then .yaml; rename the file"))
            found.setdefault(path.stem, path)
    return dict(sorted(found.items()))
