"""`make bench`: how fast briefkit builds, measured against pandoc in the same run (ratios, not just seconds).

Every measurement runs in a fresh process, so imports and caches count as a user meets them; peak memory is the
child's maximum resident set size. Results go to benchmarks/results/latest.json.
"""

from __future__ import annotations

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
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
EPOCH = {"SOURCE_DATE_EPOCH": "1767225600"}
REPEAT = int(os.environ.get("BENCH_REPEAT", "3"))


_MEASURE = (
    "import resource, subprocess, sys; p = subprocess.run(sys.argv[1:]); "
    "sys.stderr.write(f'\\nPEAK_KB={resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}\\n'); "
    "sys.exit(p.returncode)"
)


def run(cmd: list[str], env: dict[str, str] | None = None, cwd: Path = ROOT) -> tuple[float, int, str]:
    """Seconds, peak memory (MB) and output of one command, run under a small wrapper that reports the peak."""
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", _MEASURE, *cmd], cwd=cwd, env={**os.environ, **EPOCH, **(env or {})},
                          capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if proc.returncode:
        raise SystemExit(f"benchmark command failed: {' '.join(cmd)}\n{proc.stderr}")
    peak = re.search(r"PEAK_KB=(\d+)", proc.stderr)
    return seconds, int(int(peak.group(1)) / 1024) if peak else 0, proc.stdout + proc.stderr


def briefkit(*args: str) -> list[str]:
    return [sys.executable, "-m", "briefkit.cli", *args]


def median_run(cmd: list[str], prepare=None) -> dict[str, float]:
    times, peaks = [], []
    for _ in range(REPEAT):
        if prepare:
            prepare()
        seconds, peak, _ = run(cmd)
        times.append(seconds)
        peaks.append(peak)
    return {"seconds": round(statistics.median(times), 3), "peak_mb": max(peaks)}


def stage_timings(out: Path, audience: str) -> dict[str, float]:
    shutil.rmtree(out, ignore_errors=True)
    _, _, text = run(briefkit("build", "--audience", audience, "--out", str(out), "--timings"))
    stages = {}
    for line in text.splitlines():
        m = re.match(r"^\s*│?\s*([a-z][a-z ]+?)\s*│\s*([0-9.]+)\s*│?\s*$", line)
        if m:
            stages[m.group(1).strip()] = float(m.group(2))
    return stages


def pandoc_peer(work: Path) -> dict[str, float]:
    """pandoc converting an equivalent Markdown brief to DOCX, the deck to PPTX, and the brief to PDF via WeasyPrint."""
    import pypandoc

    from briefkit.audience import load_audience
    from briefkit.build import BuildOptions, Timings
    from briefkit.compose import compose
    from briefkit.factbase import load_factbase
    from briefkit.paths import builtin_seeds, builtin_templates
    from briefkit.theme.load import load_theme

    fb = load_factbase(builtin_seeds())
    audience = load_audience(builtin_templates() / "audiences" / "analyst.yaml")
    theme = load_theme(None, builtin_templates() / "default")
    options = BuildOptions(facts=builtin_seeds(), out=work)
    composed = compose(fb, audience, None, theme, options, Timings())
    images = {}
    for spec in composed.selection.charts:
        fig = next(b.figure for b in composed.document.blocks if getattr(b, "figure", None) and b.figure.id == spec.id)
        path = work / f"{spec.id}.png"
        path.write_bytes(fig.png)
        images[spec.id] = path

    def place(md: str) -> str:
        md = re.sub(r"\[\[chart:([a-z0-9-]+)\]\]", lambda m: f"![{m.group(1)}]({images.get(m.group(1), '')})", md)
        return re.sub(r"\[\[(table|toc):?[a-z0-9-]*\]\]", "", md)

    brief_md, deck_md = work / "brief.md", work / "deck.md"
    brief_md.write_text(place(composed.brief_markdown), encoding="utf-8")
    deck_md.write_text(re.sub(r"<!--.*?-->", "", place(composed.deck_markdown)), encoding="utf-8")
    pandoc = pypandoc.get_pandoc_path()
    weasy = str(Path(sys.executable).parent / "weasyprint")
    conversions = {
        "docx": [pandoc, str(brief_md), "-o", str(work / "p.docx")],
        "pptx": [pandoc, str(deck_md), "-o", str(work / "p.pptx")],
        "pdf": [pandoc, str(brief_md), "-o", str(work / "p.pdf"), f"--pdf-engine={weasy}"],
    }
    result = {}
    for name, cmd in conversions.items():
        times = []
        for _ in range(REPEAT):
            start = time.perf_counter()
            subprocess.run(cmd, check=True, capture_output=True, cwd=work)
            times.append(time.perf_counter() - start)
        result[name] = round(statistics.median(times), 3)
    result["total"] = round(sum(result[k] for k in ("docx", "pptx", "pdf")), 3)
    return result


def main() -> None:
    from generate import scale_factbase

    results: dict[str, object] = {
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform()},
        "repeat": REPEAT,
    }
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        out = work / "out"
        print("help ...", flush=True)
        results["help"] = median_run(briefkit("--help"))
        cold = {}
        for audience in ("analyst", "executive", "defence"):
            print(f"cold build {audience} ...", flush=True)
            cold[audience] = median_run(briefkit("build", "--audience", audience, "--out", str(out)),
                                        prepare=lambda: shutil.rmtree(out, ignore_errors=True))
        results["cold"] = cold
        print("no-op rebuild ...", flush=True)
        results["noop_analyst"] = median_run(briefkit("build", "--audience", "analyst", "--out", str(out)))
        print("--audience all ...", flush=True)
        results["all_audiences"] = median_run(briefkit("build", "--audience", "all", "--out", str(out)),
                                              prepare=lambda: shutil.rmtree(out, ignore_errors=True))
        results["stages_analyst"] = stage_timings(out, "analyst")
        print("pandoc peer ...", flush=True)
        peer_dir = work / "pandoc"
        peer_dir.mkdir()
        results["pandoc"] = pandoc_peer(peer_dir)
        scaling = {}
        for factor in (1, 10, 100):
            print(f"scaling x{factor} ...", flush=True)
            facts = scale_factbase(ROOT / "seeds", work / f"facts-x{factor}", factor)
            scaled_out = work / f"out-x{factor}"
            check = median_run(briefkit("check", "--facts", str(facts)))
            formats = "docx,pdf,pptx" if factor <= 10 else "docx,pptx"
            build = median_run(
                briefkit("build", "--facts", str(facts), "--out", str(scaled_out), "--no-limits", "--format", formats),
                prepare=lambda d=scaled_out: shutil.rmtree(d, ignore_errors=True))
            scaling[f"x{factor}"] = {"facts_factor": factor, "check": check, "build": build, "formats": formats}
        results["scaling"] = scaling

    peer = results["pandoc"]["total"]  # type: ignore[index]
    analyst = results["cold"]["analyst"]["seconds"]  # type: ignore[index]
    results["ratios"] = {
        "analyst_cold_vs_pandoc_three": round(analyst / peer, 3),
        "noop_vs_cold": round(results["noop_analyst"]["seconds"] / analyst, 3),  # type: ignore[index]
        "all_vs_sum_of_singles": round(results["all_audiences"]["seconds"]  # type: ignore[index]
                                       / sum(v["seconds"] for v in cold.values()), 3),
    }
    dest = ROOT / "benchmarks" / "results" / "latest.json"
    dest.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(results["ratios"], indent=2))
    print(f"written {dest}")


if __name__ == "__main__":
    main()
