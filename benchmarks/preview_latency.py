"""How live `briefkit preview` feels: from saving a fact file to the server's push of the new page, and the
render's own part of that, for the analyst brief of the built-in fact base (issue 19: under 1 second).

The preview runs as a user runs it (its own process, on a copy of seeds/); this process listens on its event
stream, edits one fact's statement (the one_fact edit of run.py), and takes the time from the moment the write
returned to the moment the `update` event arrived. The server reports the render's own seconds in the event.

    python benchmarks/preview_latency.py      prints the result (BENCH_REPEAT edits, default 5)
"""

from __future__ import annotations

import http.client
import json
import os
import queue
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EDIT = ("facts/afghanistan.yaml", "after US forces left the country", "after US forces withdrew from the country")
EDITS = int(os.environ.get("BENCH_REPEAT", "5"))
WAIT_SECONDS = 30.0


def _events(port: int, into: queue.Queue[tuple[float, str, dict[str, object]]]) -> None:
    """Read the event stream; each event with the moment it arrived."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=WAIT_SECONDS * 4)
    conn.request("GET", "/events", headers={"Host": f"127.0.0.1:{port}"})
    response = conn.getresponse()
    name, data = "", ""
    while True:
        line = response.fp.readline()
        if not line:
            return
        text = line.decode("utf-8").rstrip("\n")
        if text.startswith("event: "):
            name = text[7:]
        elif text.startswith("data: "):
            data = text[6:]
        elif text == "" and name:
            into.put((time.perf_counter(), name, json.loads(data)))
            name, data = "", ""


def measure(work: Path, edits: int = EDITS) -> dict[str, object]:
    facts = work / "preview-facts"
    shutil.rmtree(facts, ignore_errors=True)
    shutil.copytree(ROOT / "seeds", facts)
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1767225600", "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.Popen([sys.executable, "-m", "briefkit.cli", "preview", "--facts", str(facts), "--out",
                             str(work / "preview-out")], env=env, stderr=subprocess.PIPE, text=True, cwd=work)
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(x) for x in proc.stderr], daemon=True).start()  # type: ignore[union-attr]

    def line_with(needle: str) -> str:
        end = time.monotonic() + WAIT_SECONDS * 4
        while time.monotonic() < end:
            line = lines.get(timeout=end - time.monotonic())
            if needle in line:
                return line
        raise SystemExit(f"the preview did not print {needle!r}")

    try:
        port = int(line_with("briefkit preview: http://").split()[2].rstrip("/").rsplit(":", 1)[1])
        first = line_with("rendered in")
        events: queue.Queue[tuple[float, str, dict[str, object]]] = queue.Queue()
        threading.Thread(target=_events, args=(port, events), daemon=True).start()
        time.sleep(0.5)  # the stream is open
        path = facts / EDIT[0]
        original = path.read_text(encoding="utf-8")
        pushes, renders = [], []
        for i in range(edits):
            text = original.replace(EDIT[1], EDIT[2]) if i % 2 == 0 else original
            path.write_text(text, encoding="utf-8")
            written = time.perf_counter()
            while True:
                arrived, name, data = events.get(timeout=WAIT_SECONDS)
                if name == "update":
                    break
            if data.get("problems"):
                raise SystemExit(f"the edit broke the preview: {data['problems']}")
            pushes.append(arrived - written)
            renders.append(float(data["render_seconds"]))  # type: ignore[arg-type]
            time.sleep(0.3)
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
    return {"first_render": first.strip(), "edits": edits,
            "push_seconds": [round(s, 3) for s in pushes], "render_seconds": [round(s, 3) for s in renders],
            "push_median": round(statistics.median(pushes), 3), "push_max": round(max(pushes), 3),
            "render_median": round(statistics.median(renders), 3)}


if __name__ == "__main__":
    with tempfile.TemporaryDirectory(prefix="briefkit-preview-bench-") as tmp:
        print(json.dumps(measure(Path(tmp)), indent=2))
