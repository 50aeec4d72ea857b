"""Empty and unknown files in a fact-base folder: a located message each, never a crash and never silence."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import run_cli


def test_an_empty_required_file_is_a_located_error(example: Path) -> None:
    (example / "analysis.yaml").write_text("# nothing yet\n")
    r = run_cli("check", "--facts", str(example), cwd=example.parent)
    assert r.code == 1, r.err  # was an internal error, exit 3
    assert r.err.splitlines() == ["facts/analysis.yaml:1: the file is empty; it needs title:, bottom_line: and "
                                  "judgments: (see docs/factbase.md)"]


@pytest.mark.slow  # runs check and build
def test_files_briefkit_does_not_read_are_named(example: Path) -> None:
    (example / "facts" / "empty.yaml").write_text("")
    (example / "figures.yaml").write_text("# no figures yet\n")
    (example / "facts-copy.yaml").write_text((example / "facts" / "money.yaml").read_text())
    (example / "facts" / "more.yml").write_text((example / "facts" / "money.yaml").read_text())
    os.symlink("/etc/hostname", example / "system.yaml")
    (example / "notes").mkdir()
    (example / "notes" / "todo.yaml").write_text("todo: [x]\n")
    (example / "README.md").write_text("Our notes: not YAML, left alone.\n")
    r = run_cli("check", "--facts", str(example), cwd=example.parent)
    assert r.code == 0, r.err
    assert [line for line in r.err.splitlines() if ": warning: judgment " not in line] == [  # those: decision 65
        "facts/facts/empty.yaml:1: warning: the file is empty; nothing in it is read (delete it, or fill it)",
        "facts/figures.yaml:1: warning: the file is empty; nothing in it is read (delete it, or fill it)",
        "facts/facts/more.yml: warning: not read: facts and conflicts are read from facts/*.yaml; rename it to "
        "more.yaml",
        "facts/facts-copy.yaml: warning: not read: the fact base reads analysis.yaml, factbase.yaml, figures.yaml, "
        "sources.yaml here, facts in facts/*.yaml and datasets in datasets/*.yaml; move or rename it (see "
        "docs/factbase.md)",
        "facts/notes/todo.yaml: warning: not read: briefkit reads no YAML from notes/ (see docs/factbase.md for the "
        "folder's layout)",
        "facts/system.yaml: warning: links to a file outside the fact base, which is not read; copy the file in "
        "instead",
    ]
    r = run_cli("build", "--facts", str(example), "--format", "docx", "--out", str(example.parent / "out"),
                cwd=example.parent)
    assert r.code == 0, r.err
    assert "facts/system.yaml: warning: links to a file outside the fact base" in r.err
