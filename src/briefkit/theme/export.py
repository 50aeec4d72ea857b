"""`briefkit theme export DIR`: the built-in theme as editable files, ready for `--theme DIR`."""

from __future__ import annotations

import shutil
from pathlib import Path

from briefkit.errors import Problem, UsageError, display_path
from briefkit.paths import builtin_templates
from briefkit.theme.load import load_theme

_TEXT_FILES = ("brief.md.j2", "deck.md.j2", "brief.css", "logo.png")


def export_theme(dest: Path) -> list[Path]:
    """Copy the built-in templates and write reference.docx and master.pptx made from the built-in theme."""
    from briefkit.writers.docx import reference_docx_bytes
    from briefkit.writers.pptx import master_pptx_bytes

    if dest.exists() and any(dest.iterdir()):
        raise UsageError(Problem(display_path(dest), None, "folder exists and is not empty; choose a new folder"))
    dest.mkdir(parents=True, exist_ok=True)
    source = builtin_templates() / "default"
    theme = load_theme(None, source)
    written = []
    for name in _TEXT_FILES:
        shutil.copyfile(source / name, dest / name)
        written.append(dest / name)
    (dest / "reference.docx").write_bytes(reference_docx_bytes(theme))
    (dest / "master.pptx").write_bytes(master_pptx_bytes(theme))
    yaml_text = (source / "theme.yaml").read_text(encoding="utf-8")
    yaml_text = yaml_text.replace("# reference_docx: reference.docx", "reference_docx: reference.docx")
    yaml_text = yaml_text.replace("# master_pptx: master.pptx", "master_pptx: master.pptx")
    (dest / "theme.yaml").write_text(yaml_text, encoding="utf-8")
    written += [dest / "reference.docx", dest / "master.pptx", dest / "theme.yaml"]
    audiences = dest / "audiences"
    shutil.copytree(builtin_templates() / "audiences", audiences)
    written += sorted(audiences.glob("*.yaml"))
    return written
