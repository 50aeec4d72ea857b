"""The pipeline, in order: fact base -> selection -> charts and tables -> Markdown -> model -> writers -> bundle.

Each stage is a function of the previous stage's output; `build_audience` runs them for one audience and
`build` for the ones asked for. Nothing here knows a file format: writers do.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import hashlib
import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from briefkit import __version__
from briefkit.bundle import (
    OutputFile,
    build_lock,
    check_target,
    clean_stale,
    edited_files,
    publish_all,
    read_manifest,
    tidy_stale,
)
from briefkit.cache import Store, code_version, file_digest, folder_digest
from briefkit.errors import BuildError, Problem, UsageError, display_path
from briefkit.paths import audience_files, builtin_templates
from briefkit.safefile import regular_files
from briefkit.writers.counted import MEASURES

if TYPE_CHECKING:  # the rest is imported where used: a build that finds its outputs current needs none of it
    from briefkit.audience import Audience
    from briefkit.background import Background
    from briefkit.factbase import FactBase, PartialDate
    from briefkit.meeting import Meeting
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
    replace_edited: bool = False  # replace outputs edited by hand since briefkit wrote them
    jobs: int = 0  # 0 = one process per core for several audiences, a second for one audience's PDF if a core is free


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
    pending: tuple[OutputFile, ...] = ()  # made but not yet published: `build` publishes every audience at once
    notes: tuple[str, ...] = ()  # one line each: fallbacks taken, lengths under the range
    left_out: tuple[dict[str, str], ...] = ()  # {kind, id, reason}: what of the fact base this brief does not show


@dataclass(frozen=True)
class AudienceFailed:
    """One audience of several that could not be built: its problems, reported after the others are published."""

    audience: str
    problems: tuple[Problem, ...]


class AudiencesFailed(BuildError):
    """Some audiences failed; the others (`results`) were published. Each failure's problems, then one line."""

    def __init__(self, results: list[AudienceResult], failed: list[AudienceFailed]) -> None:
        self.results = results
        built = ", ".join(r.audience for r in results) or "none"
        names = ", ".join(f.audience for f in failed)
        super().__init__(*(p for f in failed for p in f.problems),
                         Problem("build", None, f"failed: {names}; published: {built}"))

    def __reduce__(self) -> tuple[object, ...]:
        return (BuildError, tuple(self.problems))


def available_audiences(theme: Path | None) -> dict[str, Path]:
    folders = [theme / "audiences"] if theme else []
    return audience_files([*folders, builtin_templates() / "audiences"])


def build(options: BuildOptions, progress: Callable[[str], None] | None = None) -> list[AudienceResult]:
    """Build every requested audience; several run in parallel processes."""
    known = available_audiences(options.theme)
    names = list(known) if options.audiences == ("all",) else list(options.audiences)
    for name in names:
        if name not in known:
            shown = name if len(name) <= 60 else name[:57] + "..."
            raise UsageError(Problem("--audience", None, f"unknown audience {shown!r}; known: {', '.join(known)}"))
    bad = [f for f in options.formats if f not in FORMATS]
    if not options.formats:
        raise UsageError(Problem("--format", None, f"no format given; choose from {', '.join(FORMATS)}"))
    if bad:
        known_formats = ", ".join(FORMATS)
        raise UsageError(Problem("--format", None, f"unknown format {', '.join(bad)}; choose from {known_formats}"))
    if options.jobs < 0:
        raise UsageError(Problem("--jobs", None, f"{options.jobs} is not a number of processes; give 1 or more, "
                                                 "or 0 for as many as the cores and the work allow"))
    if options.jobs != 1:
        from briefkit.parallel import start_method

        start_method()  # a wrong BRIEFKIT_START_METHOD is said before any work
    current = _all_current(options, names, known)
    if current is not None:  # the inputs' bytes are the ones the outputs were made from: nothing to read or do
        tidy_stale(options.out)  # but what a killed build left beside them goes, as with any build
        return current
    helpers = _helpers(options, names)
    try:
        results = _build(options, names, known, helpers, progress)
    finally:
        for helper in helpers.values():
            helper.close()
        gc.unfreeze()
    Store.for_output(options.out).prune()
    return results


def _build(options: BuildOptions, names: list[str], known: dict[str, Path], helpers: dict[str, Background],
           progress: Callable[[str], None] | None) -> list[AudienceResult]:
    from briefkit.audience import load_audience
    from briefkit.factbase import load_factbase
    from briefkit.meeting import load_meeting

    # Load and check everything once up front, so errors come before any work and any process is started.
    start = time.perf_counter()
    with long_lived():
        fb = load_factbase(options.facts)
    loaded = {"load": time.perf_counter() - start}  # once, for every audience
    for warning in fb.warnings:  # empty or unread files in the fact base: said once, kept in each manifest
        if progress:
            progress(str(warning))
    for name in names:
        load_audience(known[name], [s.id for s in fb.info.sections])
    if options.meeting:
        load_meeting(options.meeting, fb.info.topics)
    from briefkit.theme.load import check_theme

    theme = check_theme(options.theme, builtin_templates() / "default")
    for note in theme.notes:  # how the user's reference.docx carries (or not) to the PDF and deck: one line each
        if progress:
            progress(note)
    with build_lock(options.out):
        clean_stale(options.out)
        for name in names:
            # a folder we would replace but did not make, or a file edited since: say so before working
            check_target(options.out / name, options.replace_edited)
        workers = _audience_processes(options, len(names))
        attempts: list[AudienceResult | AudienceFailed]
        if len(names) == 1:
            attempts = [build_audience(options, names[0], progress, fb, helpers)]  # its error is raised as it is
        elif workers == 1:
            attempts = [attempt_audience(options, n, progress, fb, helpers) for n in names]
        else:
            from briefkit.parallel import run_parallel

            attempts = run_parallel(attempt_audience, [(options, n, None, fb) for n in names], workers,
                                    done=lambda r: progress(f"{'built' if isinstance(r, AudienceResult) else 'failed'}"
                                                            f" {r.audience}") if progress else None)
        made = [r for r in attempts if isinstance(r, AudienceResult)]
        failed = [r for r in attempts if isinstance(r, AudienceFailed)]
        # Every audience's files are in memory; publish them together, so a failure leaves every folder as it was.
        start = time.perf_counter()
        publish_all([(r.folder, list(r.pending)) for r in made if r.pending], options.replace_edited)
        seconds = time.perf_counter() - start
        results = [replace(r, pending=(), timings={**loaded, **r.timings, "bundle": seconds}) if r.pending
                   else replace(r, timings={**loaded, **r.timings}) for r in made]
        if failed:
            raise AudiencesFailed(results, failed)
        return results


def attempt_audience(options: BuildOptions, name: str, progress: Callable[[str], None] | None = None,
                     full: FactBase | None = None, helpers: dict[str, Background] | None = None
                     ) -> AudienceResult | AudienceFailed:
    """`build_audience`, with a user's error kept as this audience's failure: the others are still published."""
    from briefkit.errors import BriefkitError

    try:
        return build_audience(options, name, progress, full, helpers)
    except BriefkitError as exc:
        return AudienceFailed(name, tuple(exc.problems))


@contextlib.contextmanager
def long_lived() -> Iterator[None]:
    """For loading the fact base: millions of small objects that all live until the build ends. Frozen once made
    (`gc.freeze`), later collections skip them instead of walking them all again in every later stage, which made
    each fact cost more the larger the fact base (decision 22; `load_factbase` itself pauses the collector while
    it works). `build` unfreezes at the end."""
    try:
        yield
    finally:
        gc.freeze()


def inputs_digest(options: BuildOptions, fb: FactBase, audience_path: Path, name: str) -> str:
    """A hash of every input of one audience's outputs: if it matches the manifest, nothing needs doing."""
    h = hashlib.sha256()
    h.update(f"briefkit {__version__}\n{name}\n{options.formats}\n{options.email_to}\n{options.email_from}\n".encode())
    h.update(f"{options.max_file_mb} {options.max_email_mb} {options.check_limits} {_stamp_env()}\n".encode())
    h.update(fb.digest.encode())
    for path in _input_files(options, audience_path):
        h.update(str(path.name).encode())
        h.update(file_digest(path).encode())
    h.update(code_version().encode())
    return h.hexdigest()


def input_files_digest(options: BuildOptions, audience_path: Path, name: str) -> str | None:
    """A hash of the bytes of every input file and option, taken before anything is parsed. When it matches the
    manifest the outputs are current and the fact base need not even be read (the slow part of a no-op). None when
    a file cannot be read: the build then goes on, and loading says what is wrong where."""
    try:
        return _input_files_digest(options, audience_path, name)
    except OSError:
        return None


def _input_files_digest(options: BuildOptions, audience_path: Path, name: str) -> str:
    h = hashlib.sha256()
    h.update(f"briefkit {__version__}\n{name}\n{options.formats}\n{options.email_to}\n{options.email_from}\n".encode())
    h.update(f"{options.max_file_mb} {options.max_email_mb} {options.check_limits} {_stamp_env()}\n".encode())
    h.update(f"{options.as_of.iso() if options.as_of else None}\n".encode())
    h.update(folder_digest(options.facts).encode())
    for path in _input_files(options, audience_path):
        h.update(str(path.name).encode() + b"\0" + file_digest(path).encode() + b"\0")
    h.update(code_version().encode())
    return h.hexdigest()


def _all_current(options: BuildOptions, names: list[str], known: dict[str, Path]) -> list[AudienceResult] | None:
    """The previous results when every audience's outputs were made from exactly these input bytes and are
    still intact on disk; else None."""
    results = []
    for name in names:
        target = options.out / name
        previous = read_manifest(target)
        if not previous or not known[name].is_file() or not _files_intact(target, previous):
            return None
        digest = input_files_digest(options, known[name], name)
        if digest is None or previous.get("input_files_digest") != digest:
            return None
        results.append(_kept(name, target, previous, {}))
    return results


def _kept(name: str, target: Path, manifest: dict[str, Any], timings: dict[str, float]) -> AudienceResult:
    files = tuple((str(f["path"]), int(f["bytes"])) for f in manifest["files"])
    notes = tuple(str(n) for n in manifest.get("notes", []))
    left_out = tuple(dict(x) for x in manifest.get("left_out", []) if isinstance(x, dict))
    return AudienceResult(name, target, files, timings, True, dict(manifest.get("measured", {})), (), notes,
                          left_out)


# The writers worth a process of their own, slowest first, and what such a process imports while it waits: the
# writer, and what the job it is sent is made of (a brief's charts are `charts.Drawing`s: their plots come along,
# and importing what defines them while unpickling the job delayed the PDF by 0.08 s).
_HELPED = {"pdf": ("briefkit.writers.pdf", "briefkit.charts"), "pptx": ("briefkit.writers.pptx", "briefkit.charts")}


def _audience_processes(options: BuildOptions, audiences: int) -> int:
    """Processes for several audiences: one each, at most one per core, at most `--jobs` (0: no more limit)."""
    if audiences == 1 or options.jobs == 1:
        return 1
    from briefkit.parallel import cores

    return max(1, min(options.jobs or audiences, audiences, cores()))


def _helpers(options: BuildOptions, names: list[str]) -> dict[str, Background]:
    """Processes beside this one for one audience's PDF (the slowest writer) and PPTX, while this one draws the
    charts and writes the DOCX; several audiences fill the cores with a process each instead. They start now and
    import their writer while this process reads and composes.

    `--jobs 1` uses none, `--jobs N` up to N - 1. By default, as many as there are cores to spare: on two idle
    cores, the PDF's only (a third process for the PPTX made the build slower there: 2.25 s against 2.01 s,
    measured, as three processes take turns on two cores)."""
    from briefkit.background import Background, spare_cores

    if len(names) != 1 or options.jobs == 1 or len(options.formats) < 2:
        return {}
    room = options.jobs - 1 if options.jobs else spare_cores()
    helped = [fmt for fmt in _HELPED if fmt in options.formats][:room]
    return {fmt: Background(_HELPED[fmt]) for fmt in helped}


def _stamp_env() -> str:
    import os

    return os.environ.get("SOURCE_DATE_EPOCH", "") or dt.date.today().isoformat()


def _input_files(options: BuildOptions, audience_path: Path) -> list[Path]:
    files = [audience_path]
    if options.meeting:
        files.append(options.meeting)
    for folder in (options.theme, builtin_templates() / "default"):
        if folder and folder.is_dir():
            files.extend(regular_files(folder))
    return files


def build_audience(options: BuildOptions, name: str, progress: Callable[[str], None] | None = None,
                   full: FactBase | None = None, helpers: dict[str, Background] | None = None) -> AudienceResult:
    """Run the whole pipeline for one audience; its files come back in `pending` for `build` to publish.

    `full` is the fact base when the caller has loaded it already; `helpers`, processes for some formats' writers."""
    from briefkit.audience import load_audience
    from briefkit.factbase import load_factbase
    from briefkit.meeting import load_meeting
    from briefkit.theme.load import load_theme

    t = Timings()
    say = progress or (lambda _msg: None)
    known = available_audiences(options.theme)
    audience: Audience = t.run("audience", lambda: load_audience(known[name]))  # type: ignore[assignment]
    with long_lived():
        if full is None:
            say(f"{name}: loading the fact base")
            full = t.run("load", lambda: load_factbase(options.facts))  # type: ignore[assignment]
    assert full is not None
    meeting: Meeting | None = load_meeting(options.meeting, full.info.topics) if options.meeting else None
    as_of = options.as_of or (meeting.when if meeting else None)
    fb: FactBase = t.run("select", lambda: full.select(as_of))  # type: ignore[assignment]
    if meeting is not None:
        audience = audience.for_meeting()
    if as_of is not None:
        from briefkit.selection import check_as_of

        check_as_of(full, fb, audience, meeting, "--as-of" if options.as_of else display_path(options.meeting or ""))
    target = options.out / name
    digest = inputs_digest(options, fb, known[name], name)
    files_digest = input_files_digest(options, known[name], name)
    previous = read_manifest(target)
    intact = previous is not None and _files_intact(target, previous)
    if previous and intact and previous.get("inputs_digest") == digest:
        say(f"{name}: up to date")
        return _kept(name, target, previous, t.stages)

    theme: Theme = t.run("theme", lambda: load_theme(options.theme, builtin_templates() / "default"))  # type: ignore[assignment]
    from briefkit.compose import compose

    say(f"{name}: composing the brief and the deck")
    composed = compose(fb, audience, meeting, theme, options, t, Store.for_output(options.out))
    say(f"{name}: writing {', '.join(options.formats)}")
    keys = {fmt: composed.output_key(fmt) for fmt in options.formats}
    reuse, measured = _reusable(target, previous if intact else None, keys)
    outputs, made = composed.write(options.formats, t, reuse, helpers)
    measured = {k: v for k in MEASURES.values() for v in [{**measured, **made}.get(k)] if v is not None}
    _check_sizes(outputs, options)
    notes = [str(w) for w in full.warnings] + list(theme.notes) + list(composed.selection.notes)
    if options.check_limits:
        # As of a date that leaves facts out, a brief is shorter by nature: only the maximum lengths hold.
        notes += _check_limits(audience, measured, target, known[name], composed.selection,
                               minimum=len(fb.facts) == len(full.facts))
    email = t.run("email", lambda: composed.email(outputs, options))
    outputs.append(email)  # type: ignore[arg-type]
    _check_sizes(outputs, options)
    left_out = _left_out(full, fb, composed.selection)
    manifest = _manifest(outputs, audience, fb, digest, files_digest, keys, measured, notes, left_out)
    outputs.append(manifest)
    say(f"{name}: ready to publish")
    return AudienceResult(name, target, tuple((f.name, len(f.data)) for f in outputs), t.stages, False, measured,
                          tuple(outputs), tuple(notes), left_out)


def _left_out(full: FactBase, known: FactBase, selection: Any) -> tuple[dict[str, str], ...]:
    """What the brief leaves out and why: first what the as-of date removed, then what the audience did not take."""
    out: list[dict[str, str]] = []
    if known.as_of is not None:
        why = {"reason": f"as of {known.as_of.iso()}: not yet reported", "cause": "as-of"}
        out += [{"kind": "fact", "id": f, **why} for f in full.facts if f not in known.facts]
        kept = {c.id for c in known.conflicts}
        out += [{"kind": "conflict", "id": c.id, **why} for c in full.conflicts if c.id not in kept]
        a, b = full.analysis, known.analysis
        kept_points = {p.id for p in [*b.bottom_line, *b.judgments, *b.talking_points, *b.indicators]}
        out += [{"kind": "point", "id": p.id, **why}
                for p in [*a.bottom_line, *a.judgments, *a.talking_points, *a.indicators] if p.id not in kept_points]
    out += [{"kind": x.kind, "id": x.id, "reason": x.reason, "cause": x.cause} for x in selection.left_out]
    return tuple(out)


def _files_intact(target: Path, manifest: dict[str, object]) -> bool:
    """Every file the manifest lists is there with the sha256 it records (a file edited by hand is not current)."""
    files = manifest.get("files")
    if not isinstance(files, list) or not all(isinstance(entry, dict) for entry in files):
        return False
    if not all((target / str(entry.get("path", ""))).is_file() for entry in files):
        return False
    return not edited_files(target, files)




def _reusable(target: Path, previous: dict[str, Any] | None, keys: dict[str, str]) -> tuple[dict[str, bytes],
                                                                                            dict[str, int]]:
    """The previous bytes (and measurements) of each format whose writer would get exactly the same input: the
    manifest records each file's key, and `_files_intact` has checked the file is the one recorded."""
    if previous is None:
        return {}, {}
    reuse: dict[str, bytes] = {}
    measured: dict[str, int] = {}
    recorded = previous.get("measured")
    before = recorded if isinstance(recorded, dict) else {}
    for entry in previous.get("files", []):
        fmt = entry.get("format")
        if fmt not in keys or entry.get("key") != keys[fmt]:
            continue
        if fmt in MEASURES and not isinstance(before.get(MEASURES[fmt]), int):
            continue
        try:
            reuse[fmt] = (target / str(entry["path"])).read_bytes()
        except OSError:
            continue
        if fmt in MEASURES:
            measured[MEASURES[fmt]] = before[MEASURES[fmt]]
    return reuse, measured


def _check_sizes(outputs: list[OutputFile], options: BuildOptions) -> None:
    problems = []
    for f in outputs:
        limit = options.max_email_mb if f.format == "eml" else options.max_file_mb
        if len(f.data) > limit * 1_000_000:
            problems.append(Problem(f.name, None, f"{_megabytes(len(f.data), limit)} MB is over the {limit:g} MB "
                                                  "budget (raise it with --max-file-mb / --max-email-mb)"))
    if problems:
        raise BuildError(*problems)


def _megabytes(size: int, limit: float) -> str:
    """The size in MB with as many decimals as it takes to show it over the limit (0.0132, not 0.0 for 0.01)."""
    for places in range(1, 7):
        shown = f"{size / 1e6:.{places}f}"
        if float(shown) > limit:
            return shown
    return f"{size / 1e6:g}"


def _check_limits(audience: Audience, measured: dict[str, int], target: Path, profile: Path, selection: Any,
                  minimum: bool = True) -> list[str]:
    """Over the range: an error naming what to cut. Under it: a note, returned."""
    from briefkit.audience import limit_problems
    from briefkit.selection import what_to_cut

    problems, notes = limit_problems(audience, profile, measured, display_path(target), minimum,
                                     what_to_cut(selection))
    if problems:
        raise BuildError(*problems)
    return notes


def _manifest(outputs: list[OutputFile], audience: Audience, fb: FactBase, digest: str, files_digest: str | None,
              keys: dict[str, str], measured: dict[str, int], notes: list[str],
              left_out: tuple[dict[str, str], ...]) -> OutputFile:
    body = {
        "briefkit": __version__,
        "audience": audience.name,
        "as_of": fb.as_of.iso() if fb.as_of else None,
        "facts_digest": fb.digest,
        "inputs_digest": digest,
        "input_files_digest": files_digest,
        "measured": measured,
        "notes": notes,
        "left_out": list(left_out),
        "files": [{"path": f.name, "format": f.format, "bytes": len(f.data), "sha256": f.sha256,
                   **({"key": keys[f.format]} if f.format in keys else {})} for f in outputs],
    }
    return OutputFile("manifest.json", "json", (json.dumps(body, indent=2, ensure_ascii=False) + "\n").encode())
