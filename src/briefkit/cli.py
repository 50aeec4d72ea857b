"""The command line: parses arguments, calls the library, prints results. No logic a library user would need."""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import os
import signal
import sys
import tempfile
import threading
import traceback
from collections.abc import Callable, Iterator
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeVar

if TYPE_CHECKING:
    from briefkit.factbase.dates import PartialDate
    from briefkit.factbase.model import FactBase
    from briefkit.news import Since


def _stopped_early(signum: int, frame: object) -> None:
    """Ctrl-C or SIGTERM while the command line is still being set up: nothing has been done, no process
    started; end now, with the exit code and the line of any interrupted run (not a traceback)."""
    sys.stderr.write("briefkit: interrupted; the previous outputs are untouched\n")
    os._exit(128 + signum)


if (__name__ == "__main__" or Path(sys.argv[0]).name == "briefkit") and \
        threading.current_thread() is threading.main_thread():  # the program, not a library import
    for _sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(_sig, _stopped_early)  # until `main` puts its own handlers in place

import typer  # noqa: E402  (after the handlers above: importing it takes a tenth of a second)

from briefkit.writers.formats import FORMATS  # noqa: E402  (the table of formats, light: --format's default)

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Sourced fact base in; policy brief and deck out.")
T = TypeVar("T")
_STOPPED_BY: list[int] = []  # the signal that turned into KeyboardInterrupt, for the exit code 128 + signal
_RESULT: list[int] = []  # the command's exit code once it has returned: a signal after that ends with it
_TOLD: list[str] = []  # the interruption's line, once printed

FactsOpt = Annotated[Path | None, typer.Option("--facts", help="Fact base folder (default: the built-in seeds/).")]
AsOfOpt = Annotated[str | None, typer.Option("--as-of", help="Only what was known by this date (YYYY[-MM[-DD]]).")]


def _run(job: Callable[[], T]) -> T:
    """Run a command body: user errors become one line each and exit 1; bugs are logged, never shown raw."""
    from briefkit.bundle import PublishedInterrupt
    from briefkit.errors import BriefkitError

    try:
        return job()
    except BriefkitError as exc:
        for problem in exc.problems:
            typer.echo(str(problem), err=True)
        raise typer.Exit(exc.exit_code) from None
    except KeyboardInterrupt as exc:
        signum = _STOPPED_BY[0] if _STOPPED_BY else signal.SIGINT
        if isinstance(exc, PublishedInterrupt):
            _say_interrupted("briefkit: interrupted just after the new outputs were put in place; they are complete")
        else:
            _say_interrupted()
        raise typer.Exit(128 + signum) from None
    except typer.Exit:
        raise
    except Exception:
        if _STOPPED_BY:  # the interrupt surfaced as another error (an import cut short fails with ImportError)
            _say_interrupted()
            raise typer.Exit(128 + _STOPPED_BY[0]) from None
        log = _write_crash_log()
        typer.echo(f"briefkit: internal error (a bug, not your input); please report it with the log {log}",
                   err=True)
        raise typer.Exit(3) from None


@contextlib.contextmanager
def _terminate_as_interrupt() -> Iterator[None]:
    """SIGTERM (from `kill`, a CI runner, a closing terminal) unwinds like Ctrl-C, so the same cleanup runs.
    For `main` only: on leaving, either signal ends the process at once (`_end_now`).

    Only in this process: a worker forked from it that has not yet set its own handlers just ends quietly,
    instead of printing a KeyboardInterrupt from the middle of its start-up."""
    from briefkit.bundle import request_stop

    main_pid = os.getpid()

    def interrupt(signum: int, frame: object) -> None:
        if os.getpid() != main_pid:
            os._exit(128 + signum)
        _STOPPED_BY.append(signum)
        request_stop(signum)  # in case the KeyboardInterrupt lands where Python drops it
        raise KeyboardInterrupt

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, interrupt)
    try:
        yield
    finally:
        # The command has finished (or failed) and the process only has to exit. A signal now must neither turn a
        # finished build into an interrupted one nor wait for anything (Python's exit hooks join threads and
        # processes): it ends the process at once, with the command's own exit code.
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, _end_now)


def _say_interrupted(line: str = "briefkit: interrupted; the previous outputs are untouched") -> None:
    """Once: the command body and `main` may both see the same interruption (it was printed twice)."""
    if not _TOLD:
        _TOLD.append(line)
        typer.echo(line, err=True)


def _end_now(signum: int, frame: object) -> None:
    _leave(128 + _STOPPED_BY[0] if _STOPPED_BY else _RESULT[0] if _RESULT else 128 + signum)


def _unraisable(info: sys.UnraisableHookArgs) -> None:
    """Errors Python cannot raise (in __del__, weakref callbacks, exit hooks) would print a traceback. After
    Ctrl-C or SIGTERM they are the interruption's echo (an exception landed in a callback, a worker's pipe was
    closed mid-shutdown) and are dropped; otherwise they are a bug, logged like one."""
    if _STOPPED_BY or issubclass(info.exc_type, KeyboardInterrupt):
        return
    try:
        raise info.exc_value if info.exc_value is not None else info.exc_type()
    except BaseException:
        log = _write_crash_log()
    typer.echo(f"briefkit: internal warning (a bug, not your input); details in {log}", err=True)


def _crash_log_dir() -> Path:
    """Where logs of bugs go: the XDG state folder (kept across reboots, unlike /tmp), else the temp folder."""
    state = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    folder = Path(state) / "briefkit"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        return folder
    except OSError:
        return Path(tempfile.gettempdir())


def _write_crash_log() -> Path:
    from briefkit import __version__

    body = (f"briefkit {__version__}, Python {sys.version.split()[0]}, {sys.platform}\n"
            f"command: {' '.join(sys.argv)}\nfolder: {Path.cwd()}\n{_patches()}\n{traceback.format_exc()}")
    name = f"crash-{dt.datetime.now():%Y%m%d-%H%M%S}-{os.getpid()}.log"
    for folder in (_crash_log_dir(), Path(tempfile.gettempdir())):
        try:
            (folder / name).write_text(body, encoding="utf-8")
            return folder / name
        except OSError:
            continue
    return Path(name)


def _patches() -> str:
    """Which patches of libraries were in use (`briefkit.patches`), for the crash log."""
    try:
        from briefkit import patches

        return "".join(f"patch {line}\n" for line in patches.status())
    except Exception as error:  # the log is written anyway
        return f"patches: unknown ({type(error).__name__})\n"


def _facts_dir(facts: Path | None) -> Path:
    from briefkit.paths import builtin_seeds

    return facts if facts is not None else builtin_seeds()


def _as_of(text: str | None) -> PartialDate | None:
    from briefkit.errors import UsageError
    from briefkit.factbase import PartialDate

    if text is None:
        return None
    try:
        return PartialDate.parse(text)
    except ValueError as exc:
        raise UsageError.at("--as-of", str(exc)) from None


def _address(option: str, value: str) -> str:
    """An address as the draft email's headers will carry it, or a usage error saying what is wrong with it."""
    from briefkit.addresses import parse_address
    from briefkit.errors import UsageError

    try:
        return parse_address(value)
    except ValueError as exc:
        raise UsageError.at(option, f"{value!r} is not one email address: {exc} (give --to once per recipient)"
                            ) from None


SourcesOpt = Annotated[Path | None, typer.Option("--sources", help="Folder of the source texts (default: the fact "
                                                                   "base's sources/).")]


@app.command()
def check(
    facts: FactsOpt = None,
    sources: SourcesOpt = None,
    theme: Annotated[Path | None, typer.Option("--theme", help="Theme folder whose fonts must draw every character.")]
    = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help=(
        "Date the age of a judgment's facts is measured from (default: today, or SOURCE_DATE_EPOCH)."))] = None,
    max_age: Annotated[int, typer.Option("--max-age", min=0, help=(
        "Warn when a judgment's newest fact is more than this many years older than the as-of date."))] = 5,
) -> None:
    """Validate a fact base, and that the theme's fonts draw all of it; print every problem as path:line: message,
    then warnings about the key judgments."""

    def job() -> None:
        from briefkit.factbase import load_factbase
        from briefkit.glyphs import check_inputs
        from briefkit.paths import builtin_templates
        from briefkit.sources.verify import Report
        from briefkit.theme.load import load_theme

        report = Report()
        fb = load_factbase(_facts_dir(facts), sources, report)
        builtin = builtin_templates() / "default"
        check_inputs(_facts_dir(facts), load_theme(theme, builtin), theme, builtin, language=fb.info.language)
        for warning in fb.warnings:  # empty or unread files: named, never silently ignored
            typer.echo(str(warning), err=True)
        warned = len(fb.warnings) + _judgment_warnings(fb, as_of, max_age)  # issue 19: judgments with confidence
        verified = f", {report.verified} verified against {report.texts} source texts" if report.texts else ""
        typer.echo(
            f"{fb.root}: ok: {len(fb.sources)} sources, {len(fb.facts)} facts{verified}, {len(fb.conflicts)} "
            f"conflicts, {len(fb.datasets)} datasets" + (f"; {warned} warning{'s' if warned != 1 else ''}" if warned
                                                         else "")
        )

    _run(job)


def _judgment_warnings(fb: FactBase, as_of: str | None, max_age: int) -> int:
    """Warnings about the evidence behind each key judgment standing on the as-of date
    (`confidence.judgment_warnings`): printed, not fatal. Returns how many."""
    import datetime

    from briefkit.confidence import judgment_warnings, warning_line
    from briefkit.writers.reproducible import build_timestamp

    day = _as_of(as_of)
    when = day.last_day if day else datetime.datetime.fromtimestamp(build_timestamp(), datetime.UTC).date()
    problems = judgment_warnings(fb.select(day), when, max_age)
    for problem in problems:
        typer.echo(warning_line(problem), err=True)
    return len(problems)


class FactsFormat(StrEnum):
    json = "json"
    table = "table"


@app.command("facts")
def facts_cmd(
    facts: FactsOpt = None,
    as_of: AsOfOpt = None,
    format: Annotated[FactsFormat, typer.Option("--format", help="json or table")] = FactsFormat.table,
) -> None:
    """Print the fact base (optionally as of a date) as JSON or a readable table."""

    def job() -> None:
        from briefkit.factbase import load_factbase

        fb = load_factbase(_facts_dir(facts)).select(_as_of(as_of))
        if format is FactsFormat.json:
            import json

            sys.stdout.write(json.dumps(fb.to_json(), ensure_ascii=False, indent=2) + "\n")
            return
        from rich.console import Console
        from rich.table import Table

        table = Table(title=f"{fb.info.subject}: {len(fb.facts)} facts", show_lines=False)
        for col in ("id", "date", "topic", "statement", "sources"):
            table.add_column(col, overflow="fold")
        for f in fb.facts.values():
            table.add_row(f.id, f.date, f.topic, f.statement, ", ".join(f.source_ids))
        Console().print(table)

    _run(job)


OutOpt = Annotated[Path, typer.Option("--out", help="Output folder; each audience gets OUT/<audience>/.")]


@app.command("build")
def build_cmd(
    facts: FactsOpt = None,
    audience: Annotated[str, typer.Option("--audience", help="Audience profile name, several comma-separated, or all.")]
    = "analyst",
    theme: Annotated[Path | None, typer.Option("--theme", help="Theme folder overriding the built-in theme.")] = None,
    meeting: Annotated[Path | None, typer.Option("--meeting", help="Meeting YAML: shapes the brief.")] = None,
    as_of: AsOfOpt = None,
    format: Annotated[str, typer.Option("--format", help="Formats to write, comma-separated.")] = ",".join(FORMATS),
    out: OutOpt = Path("build"),
    to: Annotated[list[str] | None, typer.Option("--to", help="Recipient of the draft email (repeatable).")] = None,
    sender: Annotated[str | None, typer.Option("--from", help="Sender of the draft email.")] = None,
    max_file_mb: Annotated[float, typer.Option("--max-file-mb", min=0.01, help="Size budget per file.")] = 5.0,
    max_email_mb: Annotated[float, typer.Option("--max-email-mb", min=0.01, help="Size budget of the email.")]
    = 10.0,
    no_limits: Annotated[bool, typer.Option("--no-limits", help="Do not fail on the audience's length limits.")]
    = False,
    replace_edited: Annotated[bool, typer.Option("--replace-edited", help=(
        "Replace output files edited by hand since briefkit wrote them (by default the build refuses)."))] = False,
    timings: Annotated[bool, typer.Option("--timings", help="Print the time each stage took.")] = False,
    jobs: Annotated[int, typer.Option("--jobs", min=0, help=(
        "At most this many processes: one per audience (never more than the cores), or for a single audience "
        "this one and one each for its PDF and PPTX (0 = as the cores allow; 1 = this process only)."))] = 0,
    since: Annotated[str | None, typer.Option("--since", help=(
        "Add what is new since a date (YYYY[-MM[-DD]]) or an earlier bundle (OUT/AUDIENCE or its manifest.json)."
    ))] = None,
) -> None:
    """Build the brief (DOCX, PDF), the deck (PPTX), a draft email and a manifest for each audience."""

    def job() -> None:
        import time

        from briefkit.build import BuildOptions, build  # light: the heavy imports come after the PDF's process starts
        from briefkit.writers.reproducible import source_date_epoch

        source_date_epoch()  # a malformed value stops here, before any work
        recipients = tuple(_address("--to", value) for value in to or ())
        from_address = _address("--from", sender) if sender else None
        options = BuildOptions(
            facts=_facts_dir(facts),
            out=out,
            audiences=tuple(a.strip() for a in audience.split(",") if a.strip()) or ("analyst",),
            theme=theme,
            meeting=meeting,
            as_of=_as_of(as_of),
            formats=tuple(f.strip().lower() for f in format.split(",") if f.strip()),
            email_to=recipients or None,
            email_from=from_address,
            max_file_mb=max_file_mb,
            max_email_mb=max_email_mb,
            check_limits=not no_limits,
            replace_edited=replace_edited,
            jobs=jobs,
            since=_since(since, as_of),
        )
        from briefkit.build import AudiencesFailed
        from briefkit.summary import print_summary

        start = time.perf_counter()
        try:
            results = build(options, progress=lambda msg: typer.echo(msg, err=True))
        except AudiencesFailed as exc:  # the others were published: say what they are, then what failed
            print_summary(exc.results, time.perf_counter() - start, timings)
            raise
        print_summary(results, time.perf_counter() - start, timings)

    _run(job)


def _since(text: str | None, as_of: str | None) -> Since | None:
    from briefkit.news import check_since, resolve_since

    if text is None:
        return None
    since = resolve_since(text)
    check_since(since, _as_of(as_of))
    return since


class DiffFormat(StrEnum):
    text = "text"
    json = "json"


@app.command("diff")
def diff_cmd(
    old: Annotated[Path, typer.Argument(help="The earlier bundle: OUT/AUDIENCE, or its manifest.json.")],
    new: Annotated[Path, typer.Argument(help="The later bundle: OUT/AUDIENCE, or its manifest.json.")],
    format: Annotated[DiffFormat, typer.Option("--format", help="text or json")] = DiffFormat.text,
) -> None:
    """What changed between two builds: facts, key judgments and conflicts added, changed and removed."""

    def job() -> None:
        from briefkit import said
        from briefkit.diff import compare

        result = compare(said.read(old), said.read(new))
        if format is DiffFormat.json:
            import json

            sys.stdout.write(json.dumps(result.to_json(), ensure_ascii=False, indent=2) + "\n")
        else:
            sys.stdout.write(result.to_text())

    _run(job)


@app.command("preview")
def preview_cmd(
    facts: FactsOpt = None,
    audience: Annotated[str, typer.Option("--audience", help="Audience shown first (switchable in the page).")]
    = "analyst",
    theme: Annotated[Path | None, typer.Option("--theme", help="Theme folder overriding the built-in theme.")] = None,
    meeting: Annotated[Path | None, typer.Option("--meeting", help="Meeting YAML: shapes the brief.")] = None,
    as_of: AsOfOpt = None,
    sources: SourcesOpt = None,
    port: Annotated[int, typer.Option("--port", min=0, max=65535, help="Port on 127.0.0.1 (default: a free one).")]
    = 0,
    open_browser: Annotated[bool, typer.Option("--open", help="Open the page in the web browser.")] = False,
    out: OutOpt = Path("build"),
    no_limits: Annotated[bool, typer.Option("--no-limits", help="The page's full build ignores the length limits.")]
    = False,
) -> None:
    """Serve the brief and deck as HTML on 127.0.0.1, rebuilt and reloaded as the inputs change; Ctrl-C stops."""

    def job() -> None:
        from briefkit.preview.lock import preview_lock
        from briefkit.preview.server import serve
        from briefkit.preview.session import Inputs

        folder = _facts_dir(facts)
        if as_of is not None:
            _as_of(as_of)  # a mistake in the option is the command line's, before anything starts
        inputs = Inputs(folder, out, theme, meeting, sources, check_limits=not no_limits)
        with preview_lock(folder) as note:
            serve(inputs, audience, as_of or "", port, open_browser, lambda line: typer.echo(line, err=True),
                  started=note)
        _STOPPED_BY.clear()  # Ctrl-C is how a preview ends: stopped cleanly, it exits 0

    _run(job)


@app.command("audiences")
def audiences_cmd(
    theme: Annotated[Path | None, typer.Option("--theme", help="Theme folder with its own audiences/.")] = None,
) -> None:
    """List the audience profiles with a one-line description."""

    def job() -> None:
        from briefkit.audience import load_audience
        from briefkit.build import available_audiences

        for name, path in available_audiences(theme).items():
            a = load_audience(path)
            typer.echo(f"{name:<12} {a.description}")

    _run(job)


@app.command("new")
def new_cmd(dest: Annotated[Path, typer.Argument(help="Folder to create the fact base in (new or empty).")]) -> None:
    """Write a commented example fact base that checks and builds; replace its content with your subject."""

    def job() -> None:
        from briefkit.skeleton import write_skeleton

        for path in write_skeleton(dest):
            typer.echo(str(path))
        typer.echo(f"next: briefkit check --facts {dest}; briefkit build --facts {dest} --audience all", err=True)

    _run(job)


@app.command("verify")
def verify_cmd(facts: FactsOpt = None, sources: SourcesOpt = None) -> None:
    """Check every fact against the paragraphs its locators cite: figures, years, quotes, words copied."""

    def job() -> None:
        from briefkit.errors import FactbaseError
        from briefkit.factbase import load_factbase
        from briefkit.sources.verify import Report, default_sources_dir, summary

        folder = _facts_dir(facts)
        report = Report()
        try:
            load_factbase(folder, sources or default_sources_dir(folder), report)
        except FactbaseError as exc:
            for problem in exc.problems:
                typer.echo(str(problem), err=True)
            typer.echo(summary(report), err=True)
            raise typer.Exit(1) from None
        typer.echo(summary(report))

    _run(job)


source_app = typer.Typer(help="Source texts: add a file, show its numbered paragraphs, list its figures.",
                         no_args_is_help=True)
app.add_typer(source_app, name="source")


@source_app.command("add")
def source_add(
    file: Annotated[Path, typer.Argument(help="A .txt, .md, .html, .pdf or .docx file.")],
    facts: FactsOpt = None,
    sources: SourcesOpt = None,
    ident: Annotated[str | None, typer.Option("--id", help="The new source's id (default: from its title).")] = None,
) -> None:
    """Store FILE's text under sources/ and append its entry to sources.yaml."""

    def job() -> None:
        from briefkit.errors import display_path
        from briefkit.sources.add import add_source

        added = add_source(file, _facts_dir(facts), sources, ident)
        pages = f", {added.pages} pages" if added.pages else ""
        typer.echo(f"{added.id}: {display_path(added.text_path)}: {added.paragraphs} paragraphs, "
                   f"{added.headings} headings{pages}")
        typer.echo(f"fill in its entry in sources.yaml: {', '.join(added.to_fill)}")

    _run(job)


@source_app.command("show")
def source_show(
    ident: Annotated[str, typer.Argument(help="The source's id in sources.yaml.")],
    facts: FactsOpt = None,
    sources: SourcesOpt = None,
    para: Annotated[int | None, typer.Option("--para", help="Only paragraph N (numbered through the text).")] = None,
    section: Annotated[str | None, typer.Option("--section", help="Only the paragraphs under this heading.")] = None,
    find: Annotated[str | None, typer.Option("--find", help="Only the paragraphs containing this text.")] = None,
) -> None:
    """Print a source's paragraphs, each under the locators to cite it by."""

    def job() -> None:
        from briefkit.errors import UsageError
        from briefkit.sources.show import show

        if sum(x is not None for x in (para, section, find)) > 1:
            raise UsageError.at("source show", "give one of --para, --section and --find")
        from briefkit.sources.show import source_entry

        _, text = source_entry(_facts_dir(facts), sources, ident)
        typer.echo(show(text, para, section, find))

    _run(job)


@source_app.command("figures")
def source_figures(
    ident: Annotated[str, typer.Argument(help="The source's id in sources.yaml.")],
    facts: FactsOpt = None,
    sources: SourcesOpt = None,
) -> None:
    """Print YAML stubs of facts, one per sentence with a figure or a date, to rewrite in your own words."""

    def job() -> None:
        from briefkit.factbase.dates import PartialDate
        from briefkit.sources.show import source_entry, stubs

        item, text = source_entry(_facts_dir(facts), sources, ident)
        try:
            published = PartialDate.parse(item.get("date")).iso()
        except ValueError:
            published = "FILL IN"
        sys.stdout.write(stubs(text, ident, published))

    _run(job)


theme_app = typer.Typer(help="Work with themes.", no_args_is_help=True)
app.add_typer(theme_app, name="theme")


@theme_app.command("export")
def theme_export(dest: Annotated[Path, typer.Argument(help="Folder to write the built-in theme into.")]) -> None:
    """Write the built-in theme (templates, CSS, reference.docx, master.pptx, theme.yaml) to DEST to edit."""

    def job() -> None:
        from briefkit.theme_export import export_theme

        written = export_theme(dest)
        for path in written:
            typer.echo(str(path))

    _run(job)


def main() -> None:
    """Run the CLI; Click's own usage errors are one line too, `briefkit build: message`, exit 2.

    Typer (0.28 on) raises them as its public `TyperException`."""
    sys.unraisablehook = _unraisable
    try:
        with _terminate_as_interrupt():
            code = app(standalone_mode=False, prog_name="briefkit")
            _RESULT.append(code if isinstance(code, int) else 0)
    except typer.TyperException as exc:
        if type(exc).__name__ == "NoArgsIsHelpError":  # the help has been shown (Typer tells it by name too)
            sys.exit(2)
        ctx = getattr(exc, "ctx", None)
        where = ctx.command_path if ctx is not None else "briefkit"
        message = " ".join(exc.format_message().replace("Value error, ", "").split())
        typer.echo(f"{where}: {message} (see {where} --help)", err=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:  # Ctrl-C while the arguments were still being read
        _say_interrupted()
        _leave(128 + (_STOPPED_BY[0] if _STOPPED_BY else signal.SIGINT))
    if _STOPPED_BY and code == 130:  # Typer turns an interrupt outside a command body into a silent 130
        _say_interrupted()
        code = 128 + _STOPPED_BY[0]
    if _STOPPED_BY:
        _leave(code if isinstance(code, int) else 130)
    # What is left is garbage: frozen, it is not walked once more by the collection Python makes on its way out
    # (0.2 s after a build, measured). Exit hooks still run, so temporary files are still removed; no worker is
    # left for them to wait on.
    gc.freeze()
    _end_children()
    sys.exit(code if isinstance(code, int) else 0)


def _leave(code: int) -> None:
    """End an interrupted run now. Our cleanup has run (staging folders removed, workers stopped); Python's exit
    hooks would join threads and processes the interruption may have left mid-way, which can wait for ever."""
    _end_children()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    os._exit(code)


def _end_children() -> None:
    """No process of this build outlives it, whatever the moment it was stopped at (`parallel.end_children`)."""
    if "briefkit.parallel" in sys.modules:
        with contextlib.suppress(Exception):
            sys.modules["briefkit.parallel"].end_children()


if __name__ == "__main__":
    main()
