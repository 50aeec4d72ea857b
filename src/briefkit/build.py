"""The pipeline, in order: fact base -> selection -> charts and tables -> Markdown -> model -> writers -> bundle.

Each stage is a function of the previous stage's output; `build_audience` runs them for one audience and
`build` for the ones asked for. Nothing here knows a file format: writers do.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from briefkit import __version__
from briefkit.audience import Audience, audience_files, load_audience
from briefkit.bundle import OutputFile, build_lock, clean_stale, publish, read_manifest
from briefkit.errors import BuildError, Problem, UsageError, display_path
from briefkit.factbase import FactBase, PartialDate, load_factbase
from briefkit.meeting import Meeting, load_meeting
from briefkit.paths import builtin_templates
from briefkit.theme.model import Theme

FORMATS = ("docx", "pdf", "pptx")


@dataclass(frozen=True)
class BuildOptions:
    facts: Path
    out: Path
    audiences: tuple[str, ...] = ("analyst",)
    theme: Path | None = None
    meeting: Path | None = None
    as_of: PartialDate | None = None
    formats: tuple[str, ...] = FORMATS
    email_to: tuple[str, ...] | None = None
    email_from: str | None = None
    max_file_mb: float = 5.0
    max_email_mb: float = 10.0
    check_limits: bool = True
    jobs: int = 0  # 0 = one process per core for several audiences


@dataclass
class Timings:
    """Seconds per stage, in the order the stages ran."""

    stages: dict[str, float] = field(default_factory=dict)

    def run(self, name: str, job: Callable[[], object]) -> object:
        start = time.perf_counter()
        try:
            return job()
        finally:
            self.stages[name] = self.stages.get(name, 0.0) + time.perf_counter() - start


@dataclass(frozen=True)
class AudienceResult:
    audience: str
    folder: Path
    files: tuple[tuple[str, int], ...]  # name, bytes
    timings: dict[str, float]
    reused: bool  # nothing changed: the previous outputs were kept
    measured: dict[str, int]  # brief_pages, deck_slides


def available_audiences(theme: Path | None) -> dict[str, Path]:
    folders = [theme / "audiences"] if theme else []
    return audience_files([*folders, builtin_templates() / "audiences"])


def build(options: BuildOptions, progress: Callable[[str], None] | None = None) -> list[AudienceResult]:
    """Build every requested audience; several run in parallel processes."""
    known = available_audiences(options.theme)
    names = list(known) if options.audiences == ("all",) else list(options.audiences)
    for name in names:
        if name not in known:
            raise UsageError(Problem("--audience", None, f"unknown audience {name!r}; known: {', '.join(known)}"))
    bad = [f for f in options.formats if f not in FORMATS]
    if bad:
        known_formats = ", ".join(FORMATS)
        raise UsageError(Problem("--format", None, f"unknown format {', '.join(bad)}; choose from {known_formats}"))
    # Load and check everything once up front, so errors come before any work and any process is started.
    fb = load_factbase(options.facts)
    for name in names:
        load_audience(known[name])
    if options.meeting:
        load_meeting(options.meeting, fb.info.topics)
    options.out.mkdir(parents=True, exist_ok=True)
    with build_lock(options.out):
        clean_stale(options.out)
        if len(names) == 1 or options.jobs == 1:
            return [build_audience(options, n, progress) for n in names]
        import os

        workers = options.jobs or min(len(names), os.cpu_count() or 1)
        with ProcessPoolExecutor(max_workers=workers) as pool:
            futures = [pool.submit(build_audience, options, n, None) for n in names]
            results = []
            for f in futures:
                results.append(f.result())
                if progress:
                    progress(f"built {results[-1].audience}")
            return results


def inputs_digest(options: BuildOptions, fb: FactBase, audience_path: Path, name: str) -> str:
    """A hash of every input of one audience's outputs: if it matches the manifest, nothing needs doing."""
    h = hashlib.sha256()
    h.update(f"briefkit {__version__}\n{name}\n{options.formats}\n{options.email_to}\n{options.email_from}\n".encode())
    h.update(f"{options.max_file_mb} {options.max_email_mb} {_stamp_env()}\n".encode())
    h.update(fb.digest.encode())
    for path in _input_files(options, audience_path):
        h.update(str(path.name).encode())
        h.update(path.read_bytes())
    h.update(_code_digest().encode())
    return h.hexdigest()


def _stamp_env() -> str:
    import os

    return os.environ.get("SOURCE_DATE_EPOCH", "") or dt.date.today().isoformat()


def _input_files(options: BuildOptions, audience_path: Path) -> list[Path]:
    files = [audience_path]
    if options.meeting:
        files.append(options.meeting)
    for folder in (options.theme, builtin_templates() / "default"):
        if folder and folder.is_dir():
            files.extend(sorted(p for p in folder.rglob("*") if p.is_file()))
    return files


def _code_digest() -> str:
    """The package's own source: a new briefkit must rebuild even when the inputs did not change."""
    root = Path(__file__).parent
    h = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        h.update(path.read_bytes())
    return h.hexdigest()


def build_audience(options: BuildOptions, name: str, progress: Callable[[str], None] | None = None) -> AudienceResult:
    """Run the whole pipeline for one audience and publish its folder atomically."""
    from briefkit.theme.load import load_theme

    t = Timings()
    say = progress or (lambda _msg: None)
    known = available_audiences(options.theme)
    audience: Audience = t.run("audience", lambda: load_audience(known[name]))  # type: ignore[assignment]
    say(f"{name}: loading the fact base")
    full: FactBase = t.run("load", lambda: load_factbase(options.facts))  # type: ignore[assignment]
    meeting: Meeting | None = load_meeting(options.meeting, full.info.topics) if options.meeting else None
    as_of = options.as_of or (meeting.when if meeting else None)
    fb: FactBase = t.run("select", lambda: full.select(as_of))  # type: ignore[assignment]
    target = options.out / name
    digest = inputs_digest(options, fb, known[name], name)
    previous = read_manifest(target)
    if previous and previous.get("inputs_digest") == digest and _files_intact(target, previous):
        say(f"{name}: up to date")
        files = tuple((str(f["path"]), int(f["bytes"])) for f in previous["files"])  # type: ignore[index, union-attr]
        return AudienceResult(name, target, files, t.stages, True, dict(previous.get("measured", {})))  # type: ignore[arg-type]

    theme: Theme = t.run("theme", lambda: load_theme(options.theme, builtin_templates() / "default"))  # type: ignore[assignment]
    from briefkit.compose import compose

    say(f"{name}: composing the brief and the deck")
    composed = compose(fb, audience, meeting, theme, options, t)
    say(f"{name}: writing {', '.join(options.formats)}")
    outputs = composed.write(options.formats, t)
    measured = composed.measure(outputs)
    _check_sizes(outputs, options)
    if options.check_limits:
        _check_limits(audience, measured, target)
    email = t.run("email", lambda: composed.email(outputs, options))
    outputs.append(email)  # type: ignore[arg-type]
    _check_sizes(outputs, options)
    manifest = _manifest(outputs, audience, fb, digest, measured)
    outputs.append(manifest)
    say(f"{name}: publishing")
    t.run("bundle", lambda: publish(target, outputs))
    return AudienceResult(name, target, tuple((f.name, len(f.data)) for f in outputs), t.stages, False, measured)


def _files_intact(target: Path, manifest: dict[str, object]) -> bool:
    files = manifest.get("files")
    if not isinstance(files, list):
        return False
    for entry in files:
        path = target / str(entry.get("path", ""))
        if not path.is_file() or path.stat().st_size != entry.get("bytes"):
            return False
    return True


def _check_sizes(outputs: list[OutputFile], options: BuildOptions) -> None:
    problems = []
    for f in outputs:
        limit = options.max_email_mb if f.format == "eml" else options.max_file_mb
        if len(f.data) > limit * 1_000_000:
            problems.append(Problem(f.name, None, f"{len(f.data) / 1e6:.1f} MB is over the {limit:g} MB budget "
                                                  "(raise it with --max-file-mb / --max-email-mb)"))
    if problems:
        raise BuildError(*problems)


def _check_limits(audience: Audience, measured: dict[str, int], target: Path) -> None:
    problems = []
    for key, label in (("brief_pages", "brief pages"), ("deck_slides", "deck slides")):
        if key not in measured:
            continue
        low, high = getattr(audience.limits, key)
        if not low <= measured[key] <= high:
            problems.append(Problem(display_path(target), None,
                                    f"the {audience.name} {label} come to {measured[key]}; the audience's limit is "
                                    f"{low}-{high} (templates/audiences/{audience.name}.yaml limits.{key}); "
                                    "previous outputs kept"))
    if problems:
        raise BuildError(*problems)


def _manifest(outputs: list[OutputFile], audience: Audience, fb: FactBase, digest: str,
              measured: dict[str, int]) -> OutputFile:
    body = {
        "briefkit": __version__,
        "audience": audience.name,
        "as_of": fb.as_of.iso() if fb.as_of else None,
        "facts_digest": fb.digest,
        "inputs_digest": digest,
        "measured": measured,
        "files": [{"path": f.name, "format": f.format, "bytes": len(f.data), "sha256": f.sha256} for f in outputs],
    }
    return OutputFile("manifest.json", "json", (json.dumps(body, indent=2, ensure_ascii=False) + "\n").encode())
