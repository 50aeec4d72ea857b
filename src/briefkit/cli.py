"""The command line: parses arguments, calls the library, prints results. No logic a library user would need."""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
import traceback
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated, TypeVar

import typer

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Sourced fact base in; policy brief and deck out.")
T = TypeVar("T")

FactsOpt = Annotated[Path | None, typer.Option("--facts", help="Fact base folder (default: the built-in seeds/).")]
AsOfOpt = Annotated[str | None, typer.Option("--as-of", help="Only what was known by this date (YYYY[-MM[-DD]]).")]


def _run(job: Callable[[], T]) -> T:
    """Run a command body: user errors become one line each and exit 1; bugs are logged, never shown raw."""
    from briefkit.errors import BriefkitError

    try:
        return job()
    except BriefkitError as exc:
        for problem in exc.problems:
            typer.echo(str(problem), err=True)
        raise typer.Exit(exc.exit_code) from None
    except KeyboardInterrupt:
        typer.echo("interrupted; previous outputs are untouched", err=True)
        raise typer.Exit(130) from None
    except typer.Exit:
        raise
    except Exception:
        log = Path(tempfile.gettempdir()) / f"briefkit-crash-{dt.datetime.now():%Y%m%d-%H%M%S}-{os.getpid()}.log"
        log.write_text(traceback.format_exc(), encoding="utf-8")
        typer.echo(f"briefkit: internal error (a bug); please report it with the log {log}", err=True)
        raise typer.Exit(3) from None


def _facts_dir(facts: Path | None) -> Path:
    from briefkit.paths import builtin_seeds

    return facts if facts is not None else builtin_seeds()


def _as_of(text: str | None):
    from briefkit.errors import UsageError
    from briefkit.factbase import PartialDate

    if text is None:
        return None
    try:
        return PartialDate.parse(text)
    except ValueError as exc:
        raise UsageError.at("--as-of", str(exc)) from None


@app.command()
def check(facts: FactsOpt = None) -> None:
    """Validate a fact base; print every problem as path:line: message."""

    def job() -> None:
        from briefkit.factbase import load_factbase

        fb = load_factbase(_facts_dir(facts))
        typer.echo(
            f"{fb.root}: ok: {len(fb.sources)} sources, {len(fb.facts)} facts, {len(fb.conflicts)} conflicts, "
            f"{len(fb.datasets)} datasets"
        )

    _run(job)


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
    format: Annotated[str, typer.Option("--format", help="Formats to write, comma-separated.")] = "docx,pdf,pptx",
    out: OutOpt = Path("build"),
    to: Annotated[list[str] | None, typer.Option("--to", help="Recipient of the draft email (repeatable).")] = None,
    sender: Annotated[str | None, typer.Option("--from", help="Sender of the draft email.")] = None,
    max_file_mb: Annotated[float, typer.Option("--max-file-mb", help="Size budget per file.")] = 5.0,
    max_email_mb: Annotated[float, typer.Option("--max-email-mb", help="Size budget of the email.")] = 10.0,
    no_limits: Annotated[bool, typer.Option("--no-limits", help="Do not fail on the audience's length limits.")]
    = False,
    timings: Annotated[bool, typer.Option("--timings", help="Print the time each stage took.")] = False,
    jobs: Annotated[int, typer.Option("--jobs", help="Processes for several audiences (0 = one per core).")] = 0,
) -> None:
    """Build the brief (DOCX, PDF), the deck (PPTX), a draft email and a manifest for each audience."""

    def job() -> None:
        import time

        from briefkit.build import BuildOptions, build
        from briefkit.summary import print_summary

        options = BuildOptions(
            facts=_facts_dir(facts),
            out=out,
            audiences=tuple(a.strip() for a in audience.split(",") if a.strip()) or ("analyst",),
            theme=theme,
            meeting=meeting,
            as_of=_as_of(as_of),
            formats=tuple(f.strip().lower() for f in format.split(",") if f.strip()),
            email_to=tuple(to) if to else None,
            email_from=sender,
            max_file_mb=max_file_mb,
            max_email_mb=max_email_mb,
            check_limits=not no_limits,
            jobs=jobs,
        )
        start = time.perf_counter()
        results = build(options, progress=lambda msg: typer.echo(msg, err=True))
        print_summary(results, time.perf_counter() - start, timings)

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


theme_app = typer.Typer(help="Work with themes.", no_args_is_help=True)
app.add_typer(theme_app, name="theme")


@theme_app.command("export")
def theme_export(dest: Annotated[Path, typer.Argument(help="Folder to write the built-in theme into.")]) -> None:
    """Write the built-in theme (templates, CSS, reference.docx, master.pptx, theme.yaml) to DEST to edit."""

    def job() -> None:
        from briefkit.theme.export import export_theme

        written = export_theme(dest)
        for path in written:
            typer.echo(str(path))

    _run(job)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
