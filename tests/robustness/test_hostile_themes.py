"""Hostile and careless themes and meetings through `briefkit build`, as they arrive by email.

Templates are data: a template, stylesheet or logo may try to read files, reach the network, escape the
sandbox or exhaust the machine. Each attempt must end as one located line with exit 1, the previous outputs
untouched and nothing of a file outside the allowed folders in any output. A secret file sits beside every
theme folder as bait. Corpus files say on their first line what they must produce (`expect: LINE: message`).
Every case runs through the CLI's code in this process (cheap); those in AS_PROCESSES also as real processes.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from conftest import EXAMPLE, Run, run_cli
from tests.robustness.conftest import (
    CORPUS,
    FAST,
    SECRET,
    Case,
    assert_user_error,
    expectation,
    facts_copy,
    leftovers,
    output_texts,
    run_all,
    run_inprocess,
    snapshot,
)

TEMPLATES = sorted((CORPUS / "templates").glob("*.j2"))
STYLESHEETS = sorted((CORPUS / "css").glob("*.css"))
MEETINGS = sorted((CORPUS / "meetings").glob("*.yaml"))
# One case per kind of attack also runs as its own `python -m briefkit.cli` process: exit code, stderr, no traceback
# at the level a user meets them.
AS_PROCESSES = {"sandbox-class-mro.md.j2", "repeat-bomb.md.j2", "file-url.css", "template-symlink", "garbled.yaml"}


def _workspace(root: Path, previous: Path) -> tuple[Path, Path]:
    """A folder holding a theme folder, a bait file beside it, and a copy of the previous outputs."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "secret.txt").write_text(f"{SECRET}\n", encoding="utf-8")
    theme = root / "theme"
    theme.mkdir()
    out = root / "out"
    shutil.copytree(previous, out)
    return theme, out


def _theme_cases(previous: Path, base: Path) -> dict[str, tuple[Case, Path]]:
    """Every hostile theme: the corpus files, plus the ones that need links made on this machine."""
    cases: dict[str, tuple[Case, Path]] = {}

    def add(name: str, theme_files: dict[str, str | bytes | Path], *extra: str) -> None:
        theme, out = _workspace(base / name, previous)
        for file_name, content in theme_files.items():
            target = theme / file_name
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, Path):
                os.symlink(content, target)
            elif isinstance(content, bytes):
                target.write_bytes(content)
            else:
                target.write_text(content, encoding="utf-8")
        args = ("build", "--facts", str(EXAMPLE), *FAST, "--theme", "theme", "--out", "out", *extra)
        cases[name] = (Case(args, base / name), out)

    for path in TEMPLATES:
        add(path.name, {"deck.md.j2" if path.name.startswith("deck-") else "brief.md.j2": path.read_text()},
            "--format", "docx")
    for path in STYLESHEETS:
        add(path.name, {"brief.css": path.read_text()}, "--format", "pdf")
    secret = base / "secret-outside.txt"
    secret.write_text(f"{SECRET}\n", encoding="utf-8")
    add("template-symlink", {"brief.md.j2": secret}, "--format", "docx")
    add("include-through-folder-symlink", {"brief.md.j2": "# T\n{% include 'up/secret-outside.txt' %}\n",
                                           "up": base}, "--format", "docx")
    add("stylesheet-symlink", {"brief.css": Path("/etc/passwd")}, "--format", "pdf")
    add("image-folder-symlink", {"brief.css": "body { background: url(pictures/secret-outside.txt); }",
                                 "pictures": base}, "--format", "pdf")
    add("logo-symlink", {"theme.yaml": "logo: logo.png\n", "logo.png": Path("/etc/passwd")}, "--format", "docx")
    add("logo-not-png", {"theme.yaml": "logo: logo.png\n",
                         "logo.png": (CORPUS / "theme" / "not-a-png.png").read_bytes()}, "--format", "docx")
    add("logo-outside", {"theme.yaml": "logo: ../secret.txt\n"}, "--format", "docx")
    elsewhere = base / "elsewhere.yaml"
    elsewhere.write_text(f"organisation: {SECRET}\n", encoding="utf-8")
    add("theme-yaml-symlink", {"theme.yaml": elsewhere}, "--format", "docx")
    return cases


EXPECTED_THEME_ERRORS = {
    # name: (where, line, message)
    "template-symlink": ("theme/brief.md.j2", None, "links to a file outside the theme folder"),
    "include-through-folder-symlink": ("theme/up/secret-outside.txt", None, "links to a file outside the theme folder"),
    "stylesheet-symlink": ("theme/brief.css", None, "must be a file inside the theme folder"),
    "image-folder-symlink": ("theme/brief.css", None, "which is outside the template folder"),
    "logo-symlink": ("theme/logo.png", None, "must be a file inside the theme folder"),
    "logo-not-png": ("theme/logo.png", None, "the logo must be a PNG image"),
    "theme-yaml-symlink": ("theme/theme.yaml", None, "links to a file outside theme; copy the file in instead"),
    "logo-outside": ("theme/theme.yaml", 1, "logo: '../secret.txt' must be a file name inside the theme folder"),
}


@pytest.fixture(scope="module")
def theme_runs(previous: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Run, Path]]:
    cases = _theme_cases(previous, tmp_path_factory.mktemp("themes"))
    return _run_cases(cases, tmp_path_factory)


def _run_cases(cases: dict[str, tuple[Case, Path]], tmp_path_factory: pytest.TempPathFactory
               ) -> dict[str, tuple[Run, Path]]:
    """Each case in this process; the AS_PROCESSES ones again as processes, on a fresh copy of their folder,
    and the two runs must agree."""
    import shutil

    copies: dict[str, tuple[Case, Path]] = {}
    for name, (case, out) in cases.items():
        if name in AS_PROCESSES:
            work = tmp_path_factory.mktemp("process") / "work"
            shutil.copytree(case.cwd, work, symlinks=True)
            copies[name] = (Case(case.args, work), work / out.relative_to(case.cwd))
    processes = run_all({name: case for name, (case, _out) in copies.items()}, workers=2)
    results = {name: (run_inprocess(*case.args, cwd=case.cwd), out) for name, (case, out) in cases.items()}
    for name, r in processes.items():
        inprocess = results[name][0]
        assert (r.code, _errors(r)) == (inprocess.code, _errors(inprocess)), name
        results[f"process:{name}"] = (r, copies[name][1])
    return results


def _errors(r: Run) -> list[str]:
    from tests.robustness.conftest import error_lines

    return error_lines(r)


def _assert_refused(r: Run, out: Path, previous: Path, where: str, line: int | None, message: str) -> None:
    assert_user_error(r, where, message, line=line)
    assert SECRET not in r.err + r.out
    assert "root:x:0:0" not in r.err + r.out
    assert snapshot(out) == snapshot(previous)
    assert leftovers(out) == []


def _both(runs: dict[str, tuple[Run, Path]], name: str) -> list[tuple[Run, Path]]:
    return [runs[key] for key in (name, f"process:{name}") if key in runs]


@pytest.mark.parametrize("path", TEMPLATES, ids=[p.stem for p in TEMPLATES])
def test_hostile_template(path: Path, theme_runs: dict[str, tuple[Run, Path]], previous: Path) -> None:
    line, message = expectation(path)
    name = "deck.md.j2" if path.name.startswith("deck-") else "brief.md.j2"
    for r, out in _both(theme_runs, path.name):
        _assert_refused(r, out, previous, f"theme/{name}", line, message)


@pytest.mark.parametrize("path", STYLESHEETS, ids=[p.stem for p in STYLESHEETS])
def test_hostile_stylesheet(path: Path, theme_runs: dict[str, tuple[Run, Path]], previous: Path) -> None:
    _line, message = expectation(path)
    for r, out in _both(theme_runs, path.name):
        _assert_refused(r, out, previous, "theme/brief.css", None, message)


@pytest.mark.parametrize("name", sorted(EXPECTED_THEME_ERRORS))
def test_hostile_theme_files(name: str, theme_runs: dict[str, tuple[Run, Path]], previous: Path) -> None:
    for r, out in _both(theme_runs, name):
        _assert_refused(r, out, previous, *EXPECTED_THEME_ERRORS[name])


def test_markup_in_facts_and_templates_stays_text(tmp_path: Path, previous: Path) -> None:
    """Raw HTML, script, javascript: and file: links and images, ::: boxes and placeholders written by a fact
    base or a template come out as the text they are, in every format, and nothing outside is read."""
    theme, out = _workspace(tmp_path / "work", previous)
    secret = (tmp_path / "work" / "secret.txt").resolve()
    facts = facts_copy(tmp_path / "facts")
    (facts / "facts" / "injection.yaml").write_text(INJECTION, encoding="utf-8")
    template = (EXAMPLE.parent.parent / "templates" / "default" / "brief.md.j2").read_text(encoding="utf-8")
    template += ("\n# Links\n\n[run](javascript:alert(1)) [file](file:///etc/passwd) "
                 f"<iframe src=\"file://{secret}\"></iframe> ![x](file://{secret})\n\n"
                 "{{ fact('out-injection').statement }}\n\n"
                 "{{ '::: box evil Injected' }}\n\n{{ '[[chart:trips-by-year]]' }}\n")
    (theme / "brief.md.j2").write_text(template, encoding="utf-8")
    r = run_cli("build", "--facts", str(facts), *FAST, "--theme", "theme", "--out", "out", "--to", "a@example.org",
                cwd=tmp_path / "work")
    assert r.code == 0, r.err
    seen = output_texts(out / "executive")
    assert SECRET not in seen and "root:x:0:0" not in seen
    for literal in ("[run](javascript:alert(1))", "[click](javascript:alert(x))", "::: box evil Injected",
                    "[[chart:trips-by-year]]", "<iframe src="):
        assert literal in seen, literal
    for suffix in (".docx", ".pptx"):
        members = output_texts_of(out / "executive", suffix)
        assert "<script>" not in members and "<iframe" not in members
        assert "javascript:" not in members.replace("(javascript:alert(", "")  # only as the text written
    docx = output_texts_of(out / "executive", ".docx")
    assert "&lt;script&gt;alert" in docx
    assert "file:///etc/passwd" not in docx.replace("[file](file:///etc/passwd)", "").replace(
        "![logo](file:///etc/passwd)", "").replace('src="file:///etc/passwd"', "")


INJECTION = """facts:
  - id: out-injection
    statement: "The mayor wrote <script>alert('x')</script> and [click](javascript:alert(x)) and
      ![logo](file:///etc/passwd) and <img src=\\"file:///etc/passwd\\"> and ::: box."
    date: "2024-06"
    topic: outlook
    kind: assessment
    weight: 3
    sources:
      - {source: gazette-2024, locator: "para. 6"}
"""


def output_texts_of(folder: Path, suffix: str) -> str:
    import zipfile

    (path,) = folder.glob(f"*{suffix}")
    with zipfile.ZipFile(path) as z:
        return "\n".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())


@pytest.fixture(scope="module")
def meeting_runs(previous: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Run, Path]]:
    cases: dict[str, tuple[Case, Path]] = {}
    for path in MEETINGS:
        work = tmp_path_factory.mktemp(path.stem)
        shutil.copyfile(path, work / "meeting.yaml")
        shutil.copytree(previous, work / "out")
        cases[path.name] = (Case(("build", "--facts", str(EXAMPLE), *FAST, "--meeting", "meeting.yaml",
                                  "--out", "out"), work), work / "out")
    return _run_cases(cases, tmp_path_factory)


@pytest.mark.parametrize("path", MEETINGS, ids=[p.stem for p in MEETINGS])
def test_bad_meeting_file(path: Path, meeting_runs: dict[str, tuple[Run, Path]], previous: Path) -> None:
    line, message = expectation(path)
    for r, out in _both(meeting_runs, path.name):
        _assert_refused(r, out, previous, "meeting.yaml", line, message)


def test_each_kind_of_attack_also_ran_as_a_process(theme_runs: dict[str, tuple[Run, Path]],
                                                   meeting_runs: dict[str, tuple[Run, Path]]) -> None:
    ran = {key.removeprefix("process:") for key in {**theme_runs, **meeting_runs} if key.startswith("process:")}
    assert ran == AS_PROCESSES


def test_a_template_that_never_ends_is_stopped_at_its_line(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The render time limit (60 s in use; half a second here) stops loops that print nothing."""
    from briefkit import render
    from briefkit.errors import TemplateError
    from briefkit.factbase import load_factbase
    from briefkit.paths import builtin_templates

    monkeypatch.setattr(render, "RENDER_SECONDS", 0.5)
    (tmp_path / "brief.md.j2").write_text("# Loop\n{% for i in range(100000) %}{% for j in range(100000) %}"
                                          "{% endfor %}{% endfor %}\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    env = render.make_environment(tmp_path, builtin_templates() / "default")
    with pytest.raises(TemplateError) as caught:
        render.render_markdown(env, "brief.md.j2", {}, load_factbase(EXAMPLE))
    assert str(caught.value) == ("brief.md.j2:2: still running after 0.5 seconds; look for a loop that does not "
                                 "end")


def test_big_numbers_are_fine_where_they_are_not_sizes(tmp_path: Path) -> None:
    """The bounds are on sizes (widths, repetitions), not on numbers a brief prints: $2 billion is normal."""
    from briefkit import render
    from briefkit.factbase import load_factbase
    from briefkit.paths import builtin_templates

    (tmp_path / "brief.md.j2").write_text(
        '{{ "{:,}".format(2000000000) }} {{ "%d" % 3000000000 }} {{ 2000000000|string|center(14) }} '
        '{{ "{:>{w}}".format(7, w=3) }} {{ "%*d" % (4, 5) }}\n', encoding="utf-8")
    env = render.make_environment(tmp_path, builtin_templates() / "default")
    text = render.render_markdown(env, "brief.md.j2", {}, load_factbase(EXAMPLE))
    assert text.split() == ["2,000,000,000", "3000000000", "2000000000", "7", "5"]


def test_templates_compiled_once_per_process_still_follow_edits_and_themes(tmp_path: Path) -> None:
    """The theme check and the render share compiled templates (render._CompiledOnce): an edited template, or
    another theme's template at the same relative path, is never served from that cache."""
    from briefkit import render
    from briefkit.factbase import load_factbase
    from briefkit.paths import builtin_templates

    fb = load_factbase(EXAMPLE)

    def rendered(theme: Path) -> list[str]:
        env = render.make_environment(theme, builtin_templates() / "default")
        return render.render_markdown(env, "brief.md.j2", {}, fb).split()

    first, second = tmp_path / "first", tmp_path / "second"
    for theme, word in ((first, "one"), (second, "two")):
        theme.mkdir()
        (theme / "brief.md.j2").write_text(f"{word} {{{{ 1 + 1 }}}}\n", encoding="utf-8")
    assert rendered(first) == ["one", "2"]
    assert rendered(second) == ["two", "2"]
    (first / "brief.md.j2").write_text("edited {{ 2 + 2 }}\n", encoding="utf-8")
    assert rendered(first) == ["edited", "4"]
    assert rendered(first) == ["edited", "4"]  # and from the cache, the edited version
