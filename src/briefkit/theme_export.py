"""`briefkit theme export DIR`: the built-in theme as editable files, ready for `--theme DIR`.

Outside `theme/`, as it asks the writers for the built-in reference.docx and master.pptx: the theme package is
read by the writers and calls none of them."""

from __future__ import annotations

import dataclasses
import io
import shutil
import zipfile
from pathlib import Path

from lxml import etree

from briefkit.errors import Problem, UsageError, display_path
from briefkit.paths import builtin_templates
from briefkit.theme.load import load_theme
from briefkit.theme.model import FontChoice, Theme
from briefkit.theme.stamp import stamp, theme_values

_TEXT_FILES = ("brief.md.j2", "deck.md.j2", "brief.css", "logo.png")
_PROBE_FONT = "briefkit-heading-probe"


def export_theme(dest: Path) -> list[Path]:
    """Copy the built-in templates and audiences, and write reference.docx and master.pptx made from the
    built-in theme, stamped with its values so that later edits to theme.yaml reach them (see `stamp`)."""
    from briefkit.writers.docx import reference_docx_bytes
    from briefkit.writers.pptx import master_pptx_bytes

    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise UsageError(Problem(display_path(dest), None, "exists and is not an empty folder; choose a new folder"))
    dest.mkdir(parents=True, exist_ok=True)
    source = builtin_templates() / "default"
    theme = load_theme(None, source)
    written = []
    for name in _TEXT_FILES:
        shutil.copyfile(source / name, dest / name)
        written.append(dest / name)
    values = theme_values(theme, _heading_styles(theme))
    (dest / "reference.docx").write_bytes(stamp(reference_docx_bytes(theme), values))
    (dest / "master.pptx").write_bytes(stamp(master_pptx_bytes(theme), theme_values(theme)))
    yaml_text = (source / "theme.yaml").read_text(encoding="utf-8")
    yaml_text = yaml_text.replace("# reference_docx: reference.docx", "reference_docx: reference.docx")
    yaml_text = yaml_text.replace("# master_pptx: master.pptx", "master_pptx: master.pptx")
    (dest / "theme.yaml").write_text(yaml_text, encoding="utf-8")
    written += [dest / "reference.docx", dest / "master.pptx", dest / "theme.yaml"]
    audiences = dest / "audiences"
    shutil.copytree(builtin_templates() / "audiences", audiences)
    written += sorted(audiences.glob("*.yaml"))
    return written


def _heading_styles(theme: Theme) -> list[str]:
    """The ids of the reference.docx styles set in the heading font, found by making one with a heading font
    of its own: body and heading are the same font in the built-in theme, so their values cannot tell."""
    from briefkit.writers.docx import reference_docx_bytes

    probe = dataclasses.replace(theme, fonts=dataclasses.replace(theme.fonts, heading=FontChoice(_PROBE_FONT,
                                                                                                 _PROBE_FONT)))
    with zipfile.ZipFile(io.BytesIO(reference_docx_bytes(probe))) as z:
        styles = etree.fromstring(z.read("word/styles.xml"))
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    return sorted({str(s.get(f"{w}styleId")) for s in styles.iter(f"{w}style")
                   if any(r.get(f"{w}ascii") == _PROBE_FONT for r in s.iter(f"{w}rFonts"))})
