"""Helpers for attacking briefkit through its CLI: a previous build to protect, and checks of what a user sees."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import EXAMPLE, ROOT, Run, run_cli

CORPUS = Path(__file__).parent / "corpus"
EPOCH = {"SOURCE_DATE_EPOCH": "1767225600"}  # 2026-01-01: every build of the same inputs makes the same bytes
AUDIENCE = "executive"  # the shortest brief: the cheapest full build
FAST = ("--audience", AUDIENCE, "--no-limits")  # the example fact base is far shorter than the profiles expect
SECRET = "briefkit-secret-7f3a9c"  # written into files outside every allowed folder; must never reach an output


@dataclass(frozen=True)
class Case:
    """One CLI run of a corpus case, with the folder it ran in."""

    args: tuple[str, ...]
    cwd: Path
    env: dict[str, str] | None = None


def run_all(cases: dict[str, Case], workers: int = 2) -> dict[str, Run]:
    """Run many independent CLI cases at once (each is its own process): the corpus costs half the wall time."""
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = {name: pool.submit(run_cli, *c.args, cwd=c.cwd, env={**EPOCH, **(c.env or {})})
                   for name, c in cases.items()}
        return {name: f.result() for name, f in futures.items()}


def run_inprocess(*args: str, cwd: Path, env: dict[str, str] | None = None) -> Run:
    """The CLI's own code (argument parsing, the command, the one-line error printing) run in this process.

    It skips starting Python and importing the libraries again, which is most of a failing build's time, so a
    large corpus stays cheap; each module also runs a few of its cases as real processes (`run_all`)."""
    import contextlib
    import io

    from briefkit.cli import app

    err, out = io.StringIO(), io.StringIO()
    old_cwd = os.getcwd()
    old_env = {k: os.environ.get(k) for k in {**EPOCH, **(env or {})}}
    os.environ.update({**EPOCH, **(env or {})})
    os.chdir(cwd)
    try:
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
            code = app(list(args), standalone_mode=False, prog_name="briefkit")
    finally:
        os.chdir(old_cwd)
        for k, v in old_env.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    return Run(code if isinstance(code, int) else 0, out.getvalue(), err.getvalue())


def error_lines(r: Run) -> list[str]:
    """Stderr without the progress lines ('executive: composing ...')."""
    return [line for line in r.err.splitlines() if line.strip() and not line.startswith(f"{AUDIENCE}: ")]


def assert_user_error(r: Run, where: str, fragment: str, code: int = 1, line: int | None = None) -> str:
    """Exit `code`, no traceback, and an error line that starts with `where[:line]: ` and says `fragment`."""
    assert "Traceback" not in r.err and "Traceback" not in r.out, r.err
    assert r.code == code, (r.code, r.err)
    lines = error_lines(r)
    assert lines, r.err
    prefix = f"{where}:{line}: " if line is not None else f"{where}: "
    hits = [x for x in lines if x.startswith(prefix) and fragment in x]
    assert hits, f"no line starting {prefix!r} containing {fragment!r} in:\n{r.err}"
    assert "internal error" not in r.err
    return hits[0]


def snapshot(folder: Path) -> dict[str, str]:
    """Every output file under `folder` with its sha256: not the lock (its content names the last process)
    nor the build cache (.briefkit-cache/, which a later build may fill without touching an output)."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name != ".briefkit.lock" and p.relative_to(folder).parts[0] != ".briefkit-cache"}


def leftovers(out: Path) -> list[str]:
    """Temporary folders a build left in its output folder."""
    return sorted(p.name for p in out.iterdir() if p.name.startswith((".briefkit-staging-", ".briefkit-old-")))


def output_texts(folder: Path) -> str:
    """Everything a reader could find in the outputs: raw bytes, every zip member, and the PDF's text."""
    from pypdf import PdfReader

    parts: list[str] = []
    for path in sorted(folder.rglob("*")):
        if not path.is_file():
            continue
        data = path.read_bytes()
        parts.append(data.decode("latin-1"))
        if path.suffix in (".docx", ".pptx"):
            with zipfile.ZipFile(path) as z:
                parts.extend(z.read(n).decode("utf-8", "replace") for n in z.namelist())
        if path.suffix == ".pdf":
            parts.extend(page.extract_text() or "" for page in PdfReader(str(path)).pages)
    return "\n".join(parts)


def facts_copy(dest: Path) -> Path:
    """A private copy of the example fact base."""
    shutil.copytree(EXAMPLE, dest)
    return dest


@pytest.fixture(scope="package")
def previous(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A good build of every format: the outputs every failing build below must leave untouched."""
    root = tmp_path_factory.mktemp("previous")
    r = run_cli("build", "--facts", str(EXAMPLE), *FAST, "--out", str(root / "out"), env=EPOCH)
    assert r.code == 0, r.err
    return root / "out"


@pytest.fixture
def out(previous: Path, tmp_path: Path) -> Path:
    """A copy of the previous good outputs, for one test to try to damage."""
    dest = tmp_path / "out"
    shutil.copytree(previous, dest)
    return dest


def briefkit_processes(marker: str) -> list[int]:
    """Process ids whose command line contains `marker` (a unique output path): orphans a build left behind."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
        except OSError:
            continue
        if marker in cmdline and "briefkit" in cmdline:
            found.append(int(entry.name))
    return found


def start_build(out: Path, *extra: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    """A build in its own process group, so a test can send Ctrl-C to it the way a terminal does."""
    return subprocess.Popen(
        [sys.executable, "-m", "briefkit.cli", "build", "--facts", str(EXAMPLE), "--out", str(out), *extra],
        cwd=ROOT, env={**os.environ, **EPOCH, **(env or {})}, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True, start_new_session=True,
    )


def expectation(path: Path) -> tuple[int | None, str]:
    """A corpus file's first line says what it must produce: `# expect: LINE: message` (or `expect: ok`)."""
    first = path.read_bytes().split(b"\n", 1)[0].decode("utf-8", "replace")
    m = re.search(r"expect: (?:(\d+): )?(.*?)\s*(?:#\}|\*/)?$", first)
    assert m, f"{path}: no expectation on its first line"
    return (int(m.group(1)) if m.group(1) else None), m.group(2)
