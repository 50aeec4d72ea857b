"""What is in a fact-base folder besides what briefkit reads: every YAML file it would not read is named, so a
copy of a facts file under another name, a `.yml` file or a link to a system file is never silently ignored.

Warnings, not errors: such a file cannot change a brief, but its author thinks it does. Other files (source texts,
notes, README) are the author's own and are left alone.
"""

from __future__ import annotations

from pathlib import Path

from briefkit.errors import Problem, display_path

TOP_FILES = {"factbase.yaml", "sources.yaml", "figures.yaml", "analysis.yaml"}
FOLDERS = {"facts": "facts and conflicts", "datasets": "datasets"}
_YAML = (".yaml", ".yml")
MAX_LISTED = 20  # a folder of hundreds of stray files gets one line for the rest


def unread_files(root: Path) -> list[Problem]:
    """A warning for each YAML file under `root` that `load_factbase` does not read, saying why and what to do."""
    out: list[Problem] = []
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if any(part.startswith(".") for part in rel.parts) or path.suffix.lower() not in _YAML:
            continue
        message = _why_unread(root, rel, path)
        if message:
            out.append(Problem(display_path(path), None, "warning: " + message))
    if len(out) > MAX_LISTED:
        rest = len(out) - MAX_LISTED
        out = [*out[:MAX_LISTED], Problem(display_path(root), None, f"warning: ... and {rest} more files not read")]
    return out


def _why_unread(root: Path, rel: Path, path: Path) -> str | None:
    if path.is_symlink() and not path.resolve().is_relative_to(root.resolve()):
        return "links to a file outside the fact base, which is not read; copy the file in instead"
    top = rel.parts[0]
    if len(rel.parts) == 1:
        if rel.name in TOP_FILES:
            return None
        return (f"not read: the fact base reads {', '.join(sorted(TOP_FILES))} here, facts in facts/*.yaml and "
                "datasets in datasets/*.yaml; move or rename it (see docs/factbase.md)")
    if top in FOLDERS and len(rel.parts) == 2:
        if path.suffix == ".yaml":
            return None
        return f"not read: {FOLDERS[top]} are read from {top}/*.yaml; rename it to {path.stem}.yaml"
    return f"not read: briefkit reads no YAML from {rel.parent}/ (see docs/factbase.md for the folder's layout)"
