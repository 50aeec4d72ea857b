"""`briefkit new DIR`: a commented fact base that checks and builds for every audience as it is written, for a
new user to replace piece by piece (the files are templates/skeleton/)."""

from __future__ import annotations

import re
from pathlib import Path

from briefkit.errors import Problem, UsageError, display_path
from briefkit.paths import builtin_templates


def write_skeleton(dest: Path) -> list[Path]:
    """Copy the skeleton into `dest` (new, or an empty folder), its short name made from the folder's name."""
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise UsageError(Problem(display_path(dest), None, "already exists and is not empty; give a new folder"))
    source = builtin_templates() / "skeleton"
    slug = re.sub(r"[^a-z0-9]+", "-", dest.resolve().name.lower()).strip("-") or "my-subject"
    written = []
    for path in sorted(p for p in source.rglob("*") if p.is_file()):
        target = dest / path.relative_to(source)
        target.parent.mkdir(parents=True, exist_ok=True)
        text = path.read_text(encoding="utf-8")
        if path.name == "factbase.yaml":
            text = re.sub(r"^short_name: \S+", f"short_name: {slug[:80]}", text, count=1, flags=re.MULTILINE)
        target.write_text(text, encoding="utf-8")
        written.append(target)
    return written
