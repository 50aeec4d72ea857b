"""The table of formats: each entry is all the build needs, so a format added as one entry is validated,
written, named, keyed, listed in the manifest and attached to the email with no edit anywhere else."""

from __future__ import annotations

import email
import json
import pickle
import subprocess
import sys
from dataclasses import fields
from pathlib import Path

import pytest

from briefkit.build import BuildOptions, build
from briefkit.document.model import Deck
from briefkit.theme.model import Theme
from briefkit.writers import counted
from briefkit.writers.counted import Written
from briefkit.writers.formats import FORMATS, Format, theme_for
from conftest import EXAMPLE, run_cli
from samples import sample_theme

EPOCH = "1767225600"


def write_outline(deck: Deck, theme: Theme, folder: Path) -> Written:
    """A format the built-in table does not have: the deck's slide titles, one a line."""
    return Written("".join(f"{s.title}\n" for s in deck.slides).encode(), len(deck.slides), 0.0)


OUTLINE = Format("outline", "deck", "txt", "text/plain", write_outline)


def test_every_job_is_a_light_module_level_function_a_helper_can_unpickle() -> None:
    for fmt in FORMATS.values():
        assert fmt.write.__module__ == counted.__name__ and getattr(counted, fmt.write.__name__) is fmt.write
        assert pickle.loads(pickle.dumps(fmt.write)) is fmt.write
    code = ("import sys, briefkit.writers.formats; heavy = ('pptx', 'docx', 'weasyprint', 'matplotlib', 'pydantic', "
            "'jinja2', 'briefkit.document'); print([m for m in heavy if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    assert out.stdout.strip() == "[]"


def test_file_names_media_types_and_counts_are_the_ones_users_and_mail_clients_expect() -> None:
    stem = "subject_analyst_2026-01-01"
    assert [f.file_name(stem) for f in FORMATS.values()] == [f"{stem}_brief.docx", f"{stem}_brief.pdf",
                                                              f"{stem}_deck.pptx"]
    assert FORMATS["pdf"].media_type == "application/pdf"
    assert {f.name: f.counts for f in FORMATS.values()} == {"docx": None, "pdf": "brief_pages",
                                                            "pptx": "deck_slides"}


def test_each_writer_sees_its_own_theme_parts_and_no_other_formats() -> None:
    theme = Theme(**{**sample_theme().__dict__, "css": "p {}", "reference_docx": Path("reference.docx"),
                     "master_pptx": Path("master.pptx"), "layouts": {"title": "Cover"},
                     "email_to": ("a@example.org",)})
    own = {name for fmt in FORMATS.values() for name in fmt.theme_fields}
    assert own <= {f.name for f in fields(Theme)}
    for fmt in FORMATS.values():
        seen = theme_for(theme, fmt)
        for name in own:
            expected = getattr(theme, name) if name in fmt.theme_fields else getattr(Theme("", "", theme.colours,
                                                                                            theme.fonts), name)
            assert getattr(seen, name) == expected, (fmt.name, name)
        assert (seen.email_to, seen.email_from, seen.colours, seen.fonts) == ((), "", theme.colours, theme.fonts)


def test_a_format_added_as_one_entry_is_built_named_listed_and_attached(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    monkeypatch.setitem(FORMATS, OUTLINE.name, OUTLINE)
    out = tmp_path / "out"
    (result,) = build(BuildOptions(facts=EXAMPLE, out=out, formats=("pptx", "outline"), jobs=1))
    folder = out / "analyst"
    (outline,) = folder.glob("*_deck.txt")
    titles = outline.read_text(encoding="utf-8").splitlines()
    assert titles[0] and len(titles) > 3
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    entry = next(f for f in manifest["files"] if f["format"] == "outline")
    assert entry["path"] == outline.name and len(entry["key"]) == 64
    (eml,) = folder.glob("*.eml")
    message = email.message_from_bytes(eml.read_bytes())
    attached = {p.get_filename(): p.get_content_type() for p in message.walk() if p.get_filename()}
    assert attached[outline.name] == "text/plain"
    assert result.measured == {"deck_slides": manifest["measured"]["deck_slides"]}

    again = build(BuildOptions(facts=EXAMPLE, out=out, formats=("pptx", "outline"), jobs=1))
    assert again[0].reused, "the new format's file is kept by the no-op rebuild like any other"


def test_a_format_not_in_the_table_is_a_usage_error_naming_the_known_ones(tmp_path: Path) -> None:
    run = run_cli("build", "--facts", str(EXAMPLE), "--format", "pdf,outline", "--out", str(tmp_path))
    assert run.code == 2  # a usage error (docs/errors.md)
    assert run.err.strip() == "--format: unknown format outline; choose from docx, pdf, pptx"


def test_the_theme_package_loads_and_checks_a_theme_without_importing_any_writer() -> None:
    """Writers read themes, not the other way round: the files only a writer reads are checked by the writers."""
    code = ("import sys; from briefkit.paths import builtin_templates; from briefkit.theme.load import try_theme; "
            "theme, problems = try_theme(builtin_templates() / 'default', builtin_templates() / 'default'); "
            "assert not problems, problems; print(sorted(m for m in sys.modules if m.startswith('briefkit.writers')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120)
    assert out.stdout.strip() == "[]"
