"""Bad fact bases through `briefkit build`: each corpus file in one, one located line, exit 1, outputs untouched.

Each file in corpus/yaml/ says on its first line what it must produce (`# expect: LINE: message`); the test
puts it into a copy of the example fact base as facts/<name>.yaml and builds over a previous good build, with
the CLI's code in this process; the files in AS_PROCESSES also as real `python -m briefkit.cli` processes.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import EXAMPLE, Run
from tests.robustness.conftest import (
    CORPUS,
    FAST,
    SECRET,
    Case,
    assert_user_error,
    error_lines,
    expectation,
    facts_copy,
    leftovers,
    run_all,
    run_inprocess,
    snapshot,
)

YAML_FILES = sorted((CORPUS / "yaml").glob("*.yaml"))
AS_PROCESSES = {"control-character.yaml", "billion-laughs.yaml", "python-tag.yaml"}


@pytest.fixture(scope="module")
def corpus_runs(previous: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[tuple[Run, Path]]]:
    """Every corpus file, each over its own copy of the previous outputs: in this process, and some as processes."""
    import shutil

    def workspace(path: Path) -> tuple[Case, Path]:
        work = tmp_path_factory.mktemp(path.stem)
        facts = facts_copy(work / "facts")
        shutil.copyfile(path, facts / "facts" / path.name)
        shutil.copytree(previous, work / "out")
        # `check` for files that must load: a full build would only repeat what the other tests build
        command = ("check", "--facts", "facts") if expectation(path)[1] == "ok" else \
            ("build", "--facts", "facts", *FAST, "--out", "out")
        return Case(command, work), work / "out"

    runs: dict[str, list[tuple[Run, Path]]] = {}
    for path in YAML_FILES:
        case, out = workspace(path)
        runs[path.name] = [(run_inprocess(*case.args, cwd=case.cwd), out)]
    processes = {path.name: workspace(path) for path in YAML_FILES if path.name in AS_PROCESSES}
    for name, r in run_all({name: case for name, (case, _out) in processes.items()}, workers=2).items():
        runs[name].append((r, processes[name][1]))
    return runs


@pytest.mark.parametrize("path", YAML_FILES, ids=[p.stem for p in YAML_FILES])
def test_corpus_file(path: Path, corpus_runs: dict[str, list[tuple[Run, Path]]], previous: Path) -> None:
    line, message = expectation(path)
    assert len(corpus_runs[path.name]) == (2 if path.name in AS_PROCESSES else 1)
    for r, out in corpus_runs[path.name]:
        if message == "ok":
            assert r.code == 0, r.err
            assert "Traceback" not in r.err
            continue
        assert_user_error(r, f"facts/facts/{path.name}", message, line=line)
        assert snapshot(out) == snapshot(previous)
        assert leftovers(out) == []


def test_a_five_megabyte_file_is_refused_before_it_is_read(example: Path, tmp_path: Path) -> None:
    big = example / "facts" / "big.yaml"
    big.write_text("facts:\n" + "  # padding\n" * 500_000, encoding="utf-8")
    assert big.stat().st_size > 5_000_000
    from conftest import run_cli

    r = run_cli("check", "--facts", str(example), cwd=tmp_path)
    assert_user_error(r, "facts/facts/big.yaml", "file is 6,000,007 bytes; the limit is 2,000,000")


def test_a_fact_file_linked_from_outside_the_fact_base_is_refused(example: Path, tmp_path: Path) -> None:
    secret = tmp_path / "elsewhere.yaml"
    secret.write_text(f"facts: []\n# {SECRET}\n", encoding="utf-8")
    os.symlink(secret, example / "facts" / "linked.yaml")
    from conftest import run_cli

    r = run_cli("check", "--facts", str(example), cwd=tmp_path)
    assert_user_error(r, "facts/facts/linked.yaml", "links to a file outside facts; copy the file in instead")
    assert SECRET not in r.err + r.out


def test_sixty_mistakes_are_reported_at_once_and_capped(example: Path, tmp_path: Path, out: Path,
                                                         previous: Path) -> None:
    """A fact base full of mistakes: every problem of the run, in file order, capped at 50 plus a count."""
    lines = ["facts:"]
    for i in range(60):
        lines += [f"  - id: bad-{i:02d}", f"    statement: Thing {i:02d} happened.", '    date: "2020-13"',
                  "    topic: usage", "    kind: event", "    weight: 2", "    sources:",
                  '      - {source: council-2024, locator: "p. 1"}']
    (example / "facts" / "mistakes.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    from conftest import run_cli

    r = run_cli("build", "--facts", str(example), *FAST, "--out", str(out), cwd=tmp_path)
    found = error_lines(r)
    assert r.code == 1 and "Traceback" not in r.err
    assert len(found) == 51, found
    assert found[0] == "facts/facts/mistakes.yaml:4: date: '2020-13' is not a valid month"
    assert found[49] == f"facts/facts/mistakes.yaml:{4 + 49 * 8}: date: '2020-13' is not a valid month"
    assert found[50] == "facts/facts/mistakes.yaml: ... and 10 more problems"
    assert snapshot(out) == snapshot(previous)


def test_the_corpus_covers_each_yaml_rule() -> None:
    """The corpus is the specification: each rule of the safe loader has a file that breaks it."""
    messages = " ".join(expectation(p)[1] for p in YAML_FILES)
    for rule in ("control character", "escape makes", "not UTF-8", "aliases", "tag ", "merge keys", "nested more",
                 "too long", "not a usable number", "appears twice", "YAML syntax", "key must be plain text",
                 "not a valid month", "not a known key", "ok"):
        assert rule in messages, rule
    assert EXAMPLE.is_dir()
