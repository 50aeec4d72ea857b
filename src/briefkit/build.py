"""The pipeline, in order: fact base -> selection -> charts and tables -> Markdown -> model -> writers -> bundle.

Each stage is a function of the previous stage's output; `build_audience` runs them for one audience and
`build` for the ones asked for. Nothing here knows a file format: the table of formats (`writers.formats`) says
what each one writes, counts and needs, and `write_formats` runs the writers it names.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import hashlib
import json
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from functools import partial
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
from briefkit.timings import Timings
from briefkit.writers.formats import FORMATS, Format, theme_for

if TYPE_CHECKING:  # the rest is imported where used: a build that finds its outputs current needs none of it
    from briefkit.audience import Audience
    from briefkit.background import Background
    from briefkit.compose import Composed
    from briefkit.document.model import Figure
    from briefkit.factbase import FactBase, PartialDate
    from briefkit.meeting import Meeting
    from briefkit.news import Since
    from briefkit.theme.model import Theme

__all__ = ["AudienceResult", "BuildOptions", "Timings", "build", "build_audience"]


@dataclass(frozen=True)
class BuildOptions:
    facts: Path
    out: Path
    audiences: tuple[str, ...] = ("analyst",)
    theme: Path | None = None
    meeting: Path | None = None
    as_of: PartialDate | None = None
    formats: tuple[str, ...] = tuple(FORMATS)
    email_to: tuple[str, ...] | None = None
    email_from: str | None = None
    max_file_mb: float = 5.0
    max_email_mb: float = 10.0
    check_limits: bool = True
    replace_edited: bool = False  # replace outputs edited by hand since briefkit wrote them
    jobs: int = 0  # 0 = one process per core for several audiences, a second for one audience's PDF if a core is free
    since: Since | None = None  # `--since DATE|BUNDLE`: what is new since then (news.py)


@dataclass(frozen=True)
class Loaded:
    """What every audience of a build reads, loaded and checked once, before any work starts."""

    facts: FactBase
    audiences: dict[str, Audience]  # by name, the ones asked for
    meeting: Meeting | None
    theme: Theme


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
    t = Timings()
    inputs = _load(options, names, known, t, progress)
    loaded = t.stages  # once, for every audience
    with build_lock(options.out):
        clean_stale(options.out)
        for name in names:
            # a folder we would replace but did not make, or a file edited since: say so before working
            check_target(options.out / name, options.replace_edited)
        workers = _audience_processes(options, len(names))
        attempts: list[AudienceResult | AudienceFailed]
        if len(names) == 1:
            attempts = [build_audience(options, names[0], inputs, progress, helpers)]  # its error is raised as it is
        elif workers == 1:
            attempts = [attempt_audience(options, n, inputs, progress, helpers) for n in names]
        else:
            from briefkit.parallel import run_parallel

            attempts = run_parallel(attempt_audience, [(options, n, inputs) for n in names], workers,
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


def attempt_audience(options: BuildOptions, name: str, inputs: Loaded, progress: Callable[[str], None] | None = None,
                     helpers: dict[str, Background] | None = None) -> AudienceResult | AudienceFailed:
    """`build_audience`, with a user's error kept as this audience's failure: the others are still published."""
    from briefkit.errors import BriefkitError

    try:
        return build_audience(options, name, inputs, progress, helpers)
    except BriefkitError as exc:
        return AudienceFailed(name, tuple(exc.problems))


def _load(options: BuildOptions, names: list[str], known: dict[str, Path], t: Timings,
          progress: Callable[[str], None] | None) -> Loaded:
    """Load and check everything once up front, so errors come before any work and any process is started, and
    every audience uses what was checked. What is worth a word but not an error is said once, here."""
    from briefkit.audience import load_audience
    from briefkit.factbase import load_factbase
    from briefkit.meeting import load_meeting

    with long_lived():
        fb: FactBase = t.run("load", lambda: load_factbase(options.facts))
    for warning in fb.warnings:  # empty or unread files in the fact base: said once, kept in each manifest
        if progress:
            progress(str(warning))
    sections = [s.id for s in fb.info.sections]
    audiences = {name: t.run("audience", partial(load_audience, known[name], sections)) for name in names}
    meeting = load_meeting(options.meeting, fb.info.topics) if options.meeting else None
    theme: Theme = t.run("theme", lambda: _load_theme(options))
    from briefkit.glyphs import check_inputs

    extra = [known[n] for n in names] + ([options.meeting] if options.meeting else [])
    t.run("glyphs", lambda: check_inputs(options.facts, theme, options.theme, builtin_templates() / "default", extra,
                                         fb.info.language))
    for note in theme.notes:  # how the user's reference.docx carries (or not) to the PDF and deck: one line each
        if progress:
            progress(note)
    return Loaded(fb, audiences, meeting, theme)


def _load_theme(options: BuildOptions) -> Theme:
    """The theme, every problem with it reported at once: its own files' (`try_theme`), and those of the files
    only a writer reads, found by the writers (`theme_file_problems`)."""
    from briefkit.errors import TemplateError
    from briefkit.theme.load import try_theme
    from briefkit.writers.formats import theme_file_problems

    theme, problems = try_theme(options.theme, builtin_templates() / "default")
    if options.theme is not None:  # the built-in reference and master are made by the writers themselves
        problems += theme_file_problems(theme, _resource_folder(options))
    if problems:
        raise TemplateError(*dict.fromkeys(problems))
    return theme


def _resource_folder(options: BuildOptions) -> Path:
    """The one folder a writer may read files from (images and fonts the PDF's stylesheet names): the user's
    theme folder, else the built-in one."""
    return options.theme or builtin_templates() / "default"


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
    h.update(f"{options.since.key() if options.since else None}\n".encode())
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
    h.update(f"{options.since.key() if options.since else None}\n".encode())
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
    helped = [fmt for fmt in FORMATS.values() if fmt.helper and fmt.name in options.formats][:room]
    return {fmt.name: Background(fmt.helper) for fmt in helped}


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


def build_audience(options: BuildOptions, name: str, inputs: Loaded, progress: Callable[[str], None] | None = None,
                   helpers: dict[str, Background] | None = None) -> AudienceResult:
    """Run the whole pipeline for one audience; its files come back in `pending` for `build` to publish.

    `inputs` is what `build` loaded and checked once for every audience; `helpers`, processes for some formats'
    writers."""
    t = Timings()
    say = progress or (lambda _msg: None)
    known = available_audiences(options.theme)
    audience, meeting, full = inputs.audiences[name], inputs.meeting, inputs.facts
    as_of = options.as_of or (meeting.when if meeting else None)
    fb: FactBase = t.run("select", lambda: full.select(as_of))
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

    from briefkit.compose import compose

    say(f"{name}: composing the brief and the deck")
    composed = compose(fb, audience, meeting, inputs.theme, options.theme, t, Store.for_output(options.out),
                       options.since)
    say(f"{name}: writing {', '.join(options.formats)}")
    formats = [fmt for fmt in FORMATS.values() if fmt.name in options.formats]
    folder = _resource_folder(options)
    keys = {fmt.name: output_key(composed, fmt, folder) for fmt in formats}
    reuse, measured = _reusable(target, previous if intact else None, keys)
    outputs, made = write_formats(composed, formats, folder, t, reuse, helpers or {})
    measured = {fmt.counts: value for fmt in FORMATS.values() if fmt.counts
                for value in [{**measured, **made}.get(fmt.counts)] if value is not None}
    _check_sizes(outputs, options)
    notes = [str(w) for w in full.warnings] + list(inputs.theme.notes) + list(composed.selection.notes)
    if options.check_limits:
        # As of a date that leaves facts out, a brief is shorter by nature: only the maximum lengths hold.
        from briefkit.news import without_news

        counted = without_news(measured) if composed.news is not None else measured  # `--since` adds a little
        notes += _check_limits(audience, counted, target, known[name], composed.selection,
                               minimum=len(fb.facts) == len(full.facts))
    email = t.run("email", lambda: _email(composed, outputs, options))
    outputs.append(email)
    outputs.append(said_file(composed))  # what this build said, for `briefkit diff` and `--since` (issue 19)
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


def said_file(composed: Any) -> OutputFile:
    from briefkit import said

    return OutputFile(said.SAID_NAME, "json", said.to_bytes(said.record(composed.fb, composed.audience.name,
                                                                          composed.meta.date_iso)))


def _model(composed: Composed, fmt: Format) -> object:
    return composed.document if fmt.model == "brief" else composed.deck


def output_key(composed: Composed, fmt: Format, folder: Path) -> str:
    """A hash of everything the `fmt` writer reads: its model, its theme (file contents included), the folder it
    may load resources from when it reads one, and the code. Equal keys mean equal bytes, so a file can be kept."""
    from briefkit.cache import digest

    base = folder_digest(folder) if fmt.reads_folder else None
    return digest(fmt.name, _model(composed, fmt), theme_for(composed.theme, fmt), base, code_version())


def write_formats(composed: Composed, formats: list[Format], folder: Path, t: Timings, reuse: Mapping[str, bytes],
                  helpers: Mapping[str, Background]) -> tuple[list[OutputFile], dict[str, int]]:
    """Write each format (or keep the previous bytes given in `reuse`), and what the limits count in each.

    A format with a process of its own in `helpers` (the PDF, the slowest; the PPTX) is written there while the
    others are written here."""
    data: dict[str, bytes] = {}
    measured: dict[str, int] = {}

    def job(fmt: Format) -> tuple[Any, ...]:
        return _model(composed, fmt), theme_for(composed.theme, fmt), folder

    pending = {fmt.name: (fmt, helpers[fmt.name].submit(fmt.write, *job(fmt)))
               for fmt in formats if fmt.name not in reuse and fmt.name in helpers}
    if any(fmt.chart_images for fmt, _ in pending.values()):
        # The other process lays the pages out around the charts' sizes while their pictures are drawn here; it
        # finds them in the chart store when the pages are ready (and draws any it does not find itself).
        t.run("charts", lambda: _draw_charts(list(composed.figures.values()), formats, pending))
    for fmt in formats:
        if fmt.name in pending:
            continue
        if fmt.name in reuse:
            data[fmt.name] = t.run(f"reuse {fmt.name}", partial(reuse.__getitem__, fmt.name))
            continue
        written = fmt.write(*job(fmt))
        data[fmt.name], t.stages[f"write {fmt.name}"] = written.data, written.seconds
        if fmt.counts and written.measured is not None:
            measured[fmt.counts] = written.measured
    for fmt, future in pending.values():
        waited = time.perf_counter()
        # "write FMT" ran in the other process, beside the writers above; "wait FMT" is what it added here.
        written = future.result()
        t.stages[f"wait {fmt.name}"] = time.perf_counter() - waited
        data[fmt.name], t.stages[f"write {fmt.name}"] = written.data, written.seconds
        if fmt.counts and written.measured is not None:
            measured[fmt.counts] = written.measured
    outputs = [OutputFile(fmt.file_name(composed.stem), fmt.name, data[fmt.name]) for fmt in formats]
    return outputs, measured


def _draw_charts(figures: list[Figure], formats: list[Format], first: Mapping[str, object]) -> None:
    """The pictures the formats written in other processes embed first (the PDF's process waits for its SVGs),
    then the others' (the DOCX's PNGs), each chart laid out once; the writers find them in the chart store."""
    from briefkit.charts import Drawing, draw_in_turn

    drawings = [f.image for f in figures if isinstance(f.image, Drawing)]
    ordered = sorted(formats, key=lambda fmt: fmt.name not in first)
    draw_in_turn(drawings, tuple(dict.fromkeys(fmt.chart_images for fmt in ordered if fmt.chart_images)))


def _email(composed: Composed, outputs: list[OutputFile], options: BuildOptions) -> OutputFile:
    """The draft email with every file attached, addressed as the options say, else as the theme does."""
    from briefkit.writers.email import write_email

    theme, meeting, meta = composed.theme, composed.meeting, composed.meta
    to = options.email_to if options.email_to is not None else theme.email_to
    sender = options.email_from or theme.email_from
    if meeting:
        subject = meta.label("email_subject_meeting", title=meta.title, meeting=meeting.title)
    else:
        subject = meta.label("email_subject", title=meta.title, audience=meta.audience)
    summary = [p.text for p in composed.selection.bottom_line][:3]
    news = composed.news.email_paragraph() if composed.news is not None else None  # `--since` (issue 19)
    data = write_email(meta, subject, summary, outputs, sender, to, news)
    return OutputFile(f"{composed.stem}_email.eml", "eml", data)


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
        counts = FORMATS[fmt].counts
        if counts and not isinstance(before.get(counts), int):
            continue
        try:
            reuse[fmt] = (target / str(entry["path"])).read_bytes()
        except OSError:
            continue
        if counts:
            measured[counts] = before[counts]
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
