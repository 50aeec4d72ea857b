"""`make bench`: how fast briefkit builds, measured against pandoc in the same run (ratios, not just seconds).

Every measurement is a fresh process, so imports count as a user meets them. Time is wall-clock; peak memory is
the largest resident set of the process and the children it waited for (`wait4`). The machine is shared and
noisy, so the cold analyst build and pandoc's three conversions run in alternation and their ratio is taken pair
by pair; the cold build is also taken with BRIEFKIT_NO_PATCHES=1 (no library patched, decision 45) in the same
alternation. Results go to benchmarks/results/latest.json (written after every section, so a failure keeps what ran).

    BENCH_REPEAT=3        runs per measurement (the median is reported)
    BENCH_SCALES=1,10,100 fact-base sizes for the scaling runs (multiples of seeds/)
    BENCH_PDF_UP_TO=100   the largest of those sizes whose scaling build includes the PDF
    BENCH_SECTIONS=       only these sections, e.g. "cold analyst vs pandoc" (all when empty)
    BENCH_OUT=            the results file instead of benchmarks/results/latest.json (for a partial run)
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
EPOCH = {"SOURCE_DATE_EPOCH": "1767225600"}
NO_PATCHES = "BRIEFKIT_NO_PATCHES"
REPEAT = int(os.environ.get("BENCH_REPEAT", "3"))
SCALES = tuple(int(s) for s in os.environ.get("BENCH_SCALES", "1,10,100").split(",") if s.strip())
AUDIENCES = ("analyst", "executive", "defence")
RESULTS = ROOT / "benchmarks" / "results"
# Edits for the rebuild scenarios: (file under the fact base or theme, old text, new text).
EDITS = {
    # a fact the analyst brief and deck both state: every format is written again, the charts come from the cache
    "one_fact": ("facts", "facts/afghanistan.yaml", "after US forces left the country",
                 "after US forces withdrew from the country"),
    # a fact no analyst output shows (it is in no section the profile keeps): every file is carried over
    "unshown_fact": ("facts", "facts/aid.yaml", "worth of clothing", "worth of uniforms"),
    # the PDF stylesheet: only the PDF is laid out again
    "stylesheet": ("theme", "brief.css", "", "\nh2 { letter-spacing: 0.01em; }\n"),
}
# Past this factor the scaling run writes DOCX and PPTX only (the x100 PDF, ~350 pages, takes a minute or more).
PDF_UP_TO_FACTOR = int(os.environ.get("BENCH_PDF_UP_TO", "100"))
# Only these sections (comma-separated names as printed, e.g. "cold analyst vs pandoc"); all when empty.
SECTIONS = {s.strip() for s in os.environ.get("BENCH_SECTIONS", "").split(",") if s.strip()}


@dataclass
class Sample:
    seconds: float
    cpu_seconds: float  # user + system, all processes: steadier than wall-clock on a busy machine
    peak_mb: float
    output: str


def measure(cmd: list[str], cwd: Path = ROOT, env: dict[str, str] | None = None) -> Sample:
    """Run `cmd` once; wall-clock seconds, peak RSS (MB) of it and its waited-for children, and its output."""
    with tempfile.TemporaryFile("w+", encoding="utf-8") as log:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env={**os.environ, **EPOCH, **(env or {})}, stdout=log,
                                stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        log.seek(0)
        output = log.read()
    if proc.returncode:
        raise SystemExit(f"benchmark command failed ({proc.returncode}): {' '.join(cmd)}\n{output[-3000:]}")
    return Sample(seconds, usage.ru_utime + usage.ru_stime, round(usage.ru_maxrss / 1024, 1), output)


def briefkit(*args: str) -> list[str]:
    return [str(Path(sys.executable).parent / "briefkit"), *args]


def summary(samples: list[Sample]) -> dict[str, object]:
    times = [s.seconds for s in samples]
    result: dict[str, object] = {
        "seconds": round(statistics.median(times), 3),
        "min_seconds": round(min(times), 3),
        "runs": [round(t, 3) for t in times],
        "cpu_seconds": round(statistics.median(s.cpu_seconds for s in samples), 3),
        "peak_mb": max(s.peak_mb for s in samples),
    }
    stages = [parse_stages(s.output) for s in samples]
    if any(stages):
        names = dict.fromkeys(k for st in stages for k in st)
        result["stages"] = {n: round(statistics.median(st.get(n, 0.0) for st in stages), 3) for n in names}
    return result


def repeat(cmd: list[str], prepare: Callable[[], object] | None = None, times: int = REPEAT) -> dict[str, object]:
    samples = []
    for _ in range(times):
        if prepare:
            prepare()
        samples.append(measure(cmd))
    return summary(samples)


_STAGE_ROW = re.compile(r"^\s*[│|]\s*([a-z][a-z ]*?)\s*[│|]\s*([0-9]+\.[0-9]+)\s*[│|]\s*$")


def parse_stages(text: str) -> dict[str, float]:
    """Seconds per stage from the `--timings` table (summed over audiences when there are several)."""
    stages: dict[str, float] = {}
    for line in text.splitlines():
        m = _STAGE_ROW.match(line)
        if m:
            stages[m.group(1)] = stages.get(m.group(1), 0.0) + float(m.group(2))
    return stages


def fresh(path: Path) -> Callable[[], None]:
    return lambda: shutil.rmtree(path, ignore_errors=True)


class Peer:
    """pandoc converting the same brief (as Markdown) to DOCX and PDF (through WeasyPrint), and the deck to PPTX."""

    def __init__(self, work: Path) -> None:
        import pypandoc

        self.work = work
        self.pandoc = pypandoc.get_pandoc_path()
        self.version = pypandoc.get_pandoc_version()
        brief_md, deck_md = _peer_markdown(work)
        weasy = str(Path(sys.executable).parent / "weasyprint")
        self.conversions = {
            "docx": [self.pandoc, str(brief_md), "-o", str(work / "peer.docx")],
            "pptx": [self.pandoc, str(deck_md), "-o", str(work / "peer.pptx")],
            "pdf": [self.pandoc, str(brief_md), "-o", str(work / "peer.pdf"), f"--pdf-engine={weasy}",
                    "--standalone", "--metadata", "title=Brief"],
        }

    def run(self) -> dict[str, Sample]:
        return {name: measure(cmd, cwd=self.work) for name, cmd in self.conversions.items()}

    def pages(self) -> int:
        from pypdf import PdfReader

        return len(PdfReader(str(self.work / "peer.pdf")).pages)


def _peer_markdown(work: Path) -> tuple[Path, Path]:
    """The analyst brief and deck Markdown that briefkit renders, with charts as PNG images pandoc can place."""
    from briefkit.audience import load_audience
    from briefkit.build import Timings
    from briefkit.compose import compose
    from briefkit.factbase import load_factbase
    from briefkit.paths import builtin_seeds, builtin_templates
    from briefkit.theme.load import load_theme

    os.environ.update(EPOCH)
    fb = load_factbase(builtin_seeds())
    audience = load_audience(builtin_templates() / "audiences" / "analyst.yaml")
    theme = load_theme(None, builtin_templates() / "default")
    composed = compose(fb, audience, None, theme, None, Timings())
    images = {}
    for figure in composed.figures.values():
        path = work / f"{figure.id}.png"
        path.write_bytes(figure.png)
        images[figure.id] = path.name

    def place(md: str) -> str:
        md = re.sub(r"\[\[chart:([a-z0-9-]+)\]\]", lambda m: f"![{m.group(1)}]({images.get(m.group(1), '')})", md)
        return re.sub(r"\[\[(table|toc)(:[a-z0-9-]*)?\]\]", "", md)

    brief_md, deck_md = work / "brief.md", work / "deck.md"
    brief_md.write_text(place(composed.brief_markdown), encoding="utf-8")
    deck_md.write_text(re.sub(r"<!--.*?-->", "", place(composed.deck_markdown), flags=re.S), encoding="utf-8")
    return brief_md, deck_md


def cold_vs_pandoc(work: Path, results: dict[str, object]) -> None:
    """The cold analyst build and pandoc's three conversions in alternation; the ratio taken pair by pair."""
    out = work / "cold"
    (work / "pandoc").mkdir()
    peer = Peer(work / "pandoc")
    ours: list[Sample] = []
    # What the second process for the PDF gains: never (--jobs 1) and always (--jobs 2); the default uses it only
    # when the load average leaves a core free.
    alone: list[Sample] = []
    beside: list[Sample] = []
    unpatched: list[Sample] = []  # no library patched (decision 45): what the patches gain, pair by pair
    theirs: list[dict[str, Sample]] = []
    for _ in range(REPEAT):
        fresh(out)()
        ours.append(measure(briefkit("build", "--audience", "analyst", "--out", str(out), "--timings")))
        theirs.append(peer.run())
        fresh(out)()
        unpatched.append(measure(briefkit("build", "--audience", "analyst", "--out", str(out), "--timings"),
                                 env={NO_PATCHES: "1"}))
        for jobs, samples in (("1", alone), ("2", beside)):
            fresh(out)()
            samples.append(measure(briefkit("build", "--audience", "analyst", "--out", str(out), "--timings",
                                            "--jobs", jobs)))
    totals = [sum(s.seconds for s in run.values()) for run in theirs]
    results["cold_analyst"] = summary(ours)
    results["cold_analyst_one_process"] = summary(alone)
    results["cold_analyst_two_processes"] = summary(beside)
    results["cold_analyst_no_patches"] = summary(unpatched)
    results["patches_gain"] = {
        "pairs": [round(u.seconds / o.seconds, 3) for u, o in zip(unpatched, ours, strict=True)],
        "ratio": round(statistics.median(u.seconds / o.seconds for u, o in zip(unpatched, ours, strict=True)), 3),
        "cpu_ratio": round(statistics.median(u.cpu_seconds / o.cpu_seconds
                                             for u, o in zip(unpatched, ours, strict=True)), 3),
        "in_use": patches_in_use(),
        "note": f"{NO_PATCHES}=1 / patched, pair by pair: above 1 when the patches help",
    }
    results["second_process_gain"] = {
        "pairs": [round(a.seconds / b.seconds, 3) for a, b in zip(alone, beside, strict=True)],
        "ratio": round(statistics.median(a.seconds / b.seconds for a, b in zip(alone, beside, strict=True)), 3),
        "note": "one process / two processes, pair by pair: above 1 when the second process helps",
    }
    results["pandoc"] = {
        "version": peer.version,
        "pdf_pages": peer.pages(),
        **{name: round(statistics.median(run[name].seconds for run in theirs), 3) for name in peer.conversions},
        "total": round(statistics.median(totals), 3),
        "peak_mb": max(s.peak_mb for run in theirs for s in run.values()),
    }
    results["analyst_cold_vs_pandoc"] = {
        "pairs": [round(o.seconds / t, 3) for o, t in zip(ours, totals, strict=True)],
        "ratio": round(statistics.median(o.seconds / t for o, t in zip(ours, totals, strict=True)), 3),
    }
    results["analyst_cold_no_patches_vs_pandoc"] = {
        "pairs": [round(u.seconds / t, 3) for u, t in zip(unpatched, totals, strict=True)],
        "ratio": round(statistics.median(u.seconds / t for u, t in zip(unpatched, totals, strict=True)), 3),
    }


def patches_in_use() -> list[str]:
    """`briefkit.patches.status()` as the measured builds see it (same interpreter, same environment)."""
    code = "from briefkit import patches; print(chr(10).join(patches.status()))"
    env = {k: v for k, v in os.environ.items() if k != NO_PATCHES}
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    return proc.stdout.splitlines()


def rebuilds(work: Path, results: dict[str, object]) -> None:
    """A rebuild with nothing changed, and rebuilds after one small edit (EDITS), each after a cold build."""
    out = work / "rebuild"
    fresh(out)()
    measure(briefkit("build", "--audience", "analyst", "--out", str(out)))
    results["noop_analyst"] = repeat(briefkit("build", "--audience", "analyst", "--out", str(out), "--timings"))
    for name, (where, path, old, new) in EDITS.items():
        print(f"  {name}", flush=True)
        samples = []
        for _ in range(REPEAT):
            facts, theme = work / "edit-facts", work / "edit-theme"
            for folder in (facts, theme, out):
                shutil.rmtree(folder, ignore_errors=True)
            shutil.copytree(ROOT / "seeds", facts)
            measure(briefkit("theme", "export", str(theme)))
            args = ["build", "--audience", "analyst", "--facts", str(facts), "--out", str(out), "--timings"]
            if where == "theme":
                args += ["--theme", str(theme)]
            measure(briefkit(*args))
            edited = (facts if where == "facts" else theme) / path
            text = edited.read_text(encoding="utf-8")
            assert old in text, f"{old!r} is no longer in {path}: update EDITS in benchmarks/run.py"
            edited.write_text(text.replace(old, new, 1) if old else text + new, encoding="utf-8")
            samples.append(measure(briefkit(*args)))
        row = summary(samples)
        stages = parse_stages(samples[-1].output)
        row["edit"] = f"{path}: {old!r} -> {new!r}" if old else f"{path}: + {new.strip()!r}"
        row["written"] = sorted(s.split()[1] for s in stages if s.startswith("write "))
        row["reused"] = sorted(s.split()[1] for s in stages if s.startswith("reuse "))
        results[f"{name}_analyst"] = row


def audiences(work: Path, results: dict[str, object]) -> None:
    """Each audience cold on its own, then all of them in one `--audience all`."""
    cold: dict[str, object] = {}
    for audience in AUDIENCES:
        out = work / f"cold-{audience}"
        print(f"  cold {audience}", flush=True)
        cold[audience] = repeat(briefkit("build", "--audience", audience, "--out", str(out), "--timings"),
                                prepare=fresh(out))
    results["cold"] = cold
    out = work / "all"
    results["all_audiences"] = repeat(briefkit("build", "--audience", "all", "--out", str(out)), prepare=fresh(out))
    singles = sum(float(v["seconds"]) for v in cold.values())  # type: ignore[index]
    results["all_vs_sum_of_singles"] = {
        "sum_of_singles": round(singles, 3),
        "ratio": round(float(results["all_audiences"]["seconds"]) / singles, 3),  # type: ignore[index]
    }


def scaling(work: Path, results: dict[str, object]) -> None:
    """Load (`check`) and build against fact bases 1x, 10x, 100x the real one; cost per unit of size."""
    from generate import scale_factbase

    rows: dict[str, object] = {}
    for factor in SCALES:
        print(f"  x{factor}", flush=True)
        facts = scale_factbase(ROOT / "seeds", work / f"facts-x{factor}", factor)
        out = work / f"out-x{factor}"
        formats = "docx,pdf,pptx" if factor <= PDF_UP_TO_FACTOR else "docx,pptx"
        times = REPEAT if factor <= 10 else 1  # one x100 build takes minutes
        checks = [measure(briefkit("check", "--facts", str(facts))) for _ in range(times)]
        check = summary(checks)
        counted = re.search(r"(\d+) facts", checks[-1].output)
        build = repeat(briefkit("build", "--facts", str(facts), "--out", str(out), "--no-limits", "--format",
                                formats, "--max-file-mb", "1000", "--max-email-mb", "1000", "--timings"),
                       prepare=fresh(out), times=times)
        manifest = json.loads((out / "analyst" / "manifest.json").read_text(encoding="utf-8"))
        rows[f"x{factor}"] = {"factor": factor, "facts": int(counted.group(1)) if counted else None,
                              "formats": formats, "check": check,
                              "build": build, "measured": manifest.get("measured", {}),
                              "bytes": {f["format"]: f["bytes"] for f in manifest["files"]}}
    results["scaling"] = rows
    results["scaling_growth"] = growth(rows)


def growth(rows: dict[str, object]) -> dict[str, object]:
    """How cost grows with size. For cost a + b*size, the marginal cost per unit of size is the same between
    every pair of sizes; `marginal_ratio` (later step / earlier step) is 1.0 when linear, above 1 when worse."""
    factors = sorted(int(r["factor"]) for r in rows.values())  # type: ignore[index]
    out: dict[str, object] = {}

    def value(factor: int, what: str, key: str, stage: str | None = None) -> float:
        row = rows[f"x{factor}"][what]  # type: ignore[index]
        return float(row["stages"].get(stage, 0.0)) if stage else float(row[key])  # type: ignore[index]

    series = {"check_seconds": ("check", "seconds", None), "check_cpu_seconds": ("check", "cpu_seconds", None),
              "build_seconds": ("build", "seconds", None), "build_cpu_seconds": ("build", "cpu_seconds", None),
              "build_peak_mb": ("build", "peak_mb", None)}
    stages = rows[f"x{factors[-1]}"]["build"].get("stages", {})  # type: ignore[index, union-attr]
    series.update({f"stage {name}": ("build", "", name) for name in stages})
    for label, (what, key, stage) in series.items():
        points = [value(f, what, key, stage) for f in factors]
        steps = [(points[i + 1] - points[i]) / (factors[i + 1] - factors[i]) for i in range(len(factors) - 1)]
        entry: dict[str, object] = {"values": dict(zip((f"x{f}" for f in factors), points, strict=True)),
                                    "per_unit_step": [round(s, 4) for s in steps]}
        if len(steps) >= 2 and steps[0] > 0:
            entry["marginal_ratio"] = round(steps[-1] / steps[0], 2)
        out[label] = entry
    return out


def deck_table() -> dict[str, object]:
    """The deck of one long table, 200 to 2,000 rows (benchmarks/deck_table.py): `marginal_ratio` is the cost per
    row of the last step over the first, 1.0 when linear (the old slide pagination was cubic in rows)."""
    from deck_table import main as measure_rows

    rows = measure_rows()
    per_row = [r["seconds_per_1000_rows"] for r in rows]
    return {"rows": rows, "marginal_ratio": round(per_row[-1] / per_row[0], 2) if per_row[0] else None}


def targets(results: dict[str, object]) -> dict[str, object]:
    """The issue's targets, each with the measured value and whether it was met in this run (those whose
    sections ran: BENCH_SECTIONS)."""
    r: dict[str, Any] = results
    found: dict[str, Callable[[], object]] = {
        "analyst_cold_vs_pandoc <= 1": lambda: r["analyst_cold_vs_pandoc"]["ratio"],
        "analyst_cold_no_patches_vs_pandoc <= 1": lambda: r["analyst_cold_no_patches_vs_pandoc"]["ratio"],
        "noop_vs_pandoc <= 0.25": lambda: round(float(r["noop_analyst"]["seconds"]) / float(r["pandoc"]["total"]), 3),
        "noop_vs_cold <= 0.25": lambda: round(float(r["noop_analyst"]["seconds"])
                                              / float(r["cold_analyst"]["seconds"]), 3),
        "all_vs_sum_of_singles < 1": lambda: r["all_vs_sum_of_singles"]["ratio"],
        "help_seconds < 0.3": lambda: r["help"]["min_seconds"],  # start-up: noise only adds
        "peak_mb_real_factbase < 400": lambda: max([float(v["peak_mb"]) for v in r["cold"].values()]
                                                   + [float(r["cold_analyst"]["peak_mb"])]),
        "deck_table_cost_per_row_2000_vs_200 < 1.5": lambda: r["deck_table"]["marginal_ratio"],
    }
    limits = {"<= 1": (1.0, True), "<= 0.25": (0.25, True), "< 1": (1.0, False), "< 0.3": (0.3, False),
              "< 400": (400.0, False), "< 1.5": (1.5, False)}
    out: dict[str, object] = {}
    for name, value in found.items():
        try:
            measured = value()
        except KeyError:  # its section did not run
            continue
        limit, inclusive = next(v for k, v in limits.items() if name.endswith(k))
        met = float(measured) <= limit if inclusive else float(measured) < limit  # type: ignore[arg-type]
        out[name] = {"measured": measured, "met": met}
    return out


def parallel_capacity() -> float:
    """How many cores this run can have right now: the same CPU-bound loop run alone, then twice at once. 2.0 on an
    idle two-core machine; near 1.0 when other work takes a core, and then no parallel speed-up can show."""
    loop = [sys.executable, "-c", "x = 0\nfor i in range(6_000_000): x += i"]
    solo = measure(loop).seconds
    start = time.perf_counter()
    procs = [subprocess.Popen(loop) for _ in range(2)]
    for proc in procs:
        proc.wait()
    return round(2 * solo / (time.perf_counter() - start), 2)


def ratios(results: dict[str, object]) -> dict[str, float]:
    """Every timing over the cold analyst build and over pandoc's three conversions of the same run."""
    out: dict[str, float] = {}
    if "cold_analyst" not in results:
        return out
    cold = float(results["cold_analyst"]["seconds"])  # type: ignore[index]
    pandoc = float(results["pandoc"]["total"])  # type: ignore[index]
    for name in ("cold_analyst", "cold_analyst_one_process", "cold_analyst_two_processes",
                 "cold_analyst_no_patches", "noop_analyst",
                 "one_fact_analyst", "unshown_fact_analyst", "stylesheet_analyst"):
        if name in results:
            seconds = float(results[name]["seconds"])  # type: ignore[index]
            out[f"{name} / cold_analyst"] = round(seconds / cold, 3)
            out[f"{name} / pandoc"] = round(seconds / pandoc, 3)
    return out


def _git() -> dict[str, object]:
    def git(*args: str) -> str:
        proc = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)
        return proc.stdout.strip()

    return {"commit": git("rev-parse", "--short", "HEAD"), "dirty": bool(git("status", "--porcelain", "src"))}


def main() -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    # Bytecode for briefkit's own modules, as a user has it from their second run on: an editable install leaves
    # none, and with PYTHONDONTWRITEBYTECODE set (as on these machines) every run would compile them again.
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "src")], check=True)
    dest = Path(os.environ.get("BENCH_OUT") or RESULTS / "latest.json")
    results: dict[str, object] = {
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "git": _git(),
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform(),
                    "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
                    "parallel_capacity_at_start": parallel_capacity()},
        "repeat": REPEAT,
    }

    def save() -> None:
        partial = dest.with_suffix(".json.tmp")
        partial.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
        partial.replace(dest)

    with tempfile.TemporaryDirectory(prefix="briefkit-bench-") as tmp:
        work = Path(tmp)
        sections = [
            ("help", lambda: results.update(help=repeat(briefkit("--help"), times=max(REPEAT, 5)))),
            ("cold analyst vs pandoc", lambda: cold_vs_pandoc(work, results)),
            ("rebuilds", lambda: rebuilds(work, results)),
            ("audiences", lambda: audiences(work, results)),
            ("scaling", lambda: scaling(work, results)),
            ("deck table rows", lambda: results.update(deck_table=deck_table())),
        ]
        for name, section in sections:
            if SECTIONS and name not in SECTIONS:
                continue
            print(f"{name} ...", flush=True)
            section()
            save()
    results["targets"] = targets(results)
    results["ratios"] = ratios(results)
    results["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]  # type: ignore[index]
    results["machine"]["parallel_capacity_at_end"] = parallel_capacity()  # type: ignore[index]
    save()
    print(json.dumps(results["targets"], indent=2))
    print(f"written {dest}")


if __name__ == "__main__":
    main()
