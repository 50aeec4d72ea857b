"""The preview's server and main loop.

Threads: the main thread renders (it owns the session, and the template time limit needs it: signals reach the
main thread only); a watcher thread (watchfiles) turns file changes into work for it; the HTTP server's threads
answer the page, each waiting on the main thread for a view not yet rendered. After a render the server pushes an
`update` event on every open event stream, and the page fetches what changed.

Bound to 127.0.0.1 only, and answering only requests addressed to it by that name (or localhost), so that another
site cannot reach it through a DNS name pointed at this machine; the full build runs only on a POST carrying a
header a cross-site form cannot set."""

from __future__ import annotations

import contextlib
import json
import queue
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from briefkit.preview.pages import content_json, shell
from briefkit.preview.session import Inputs, Session, View

HOST = "127.0.0.1"
WATCH_STEP_MS = 20  # watchfiles: after a change, wait this long for more before yielding (an editor's save)
KEEPALIVE_SECONDS = 10.0
VIEW_WAIT_SECONDS = 120.0


class Hub:
    """The events pushed to every open event stream: numbered, kept briefly, waited for with a condition."""

    def __init__(self) -> None:
        self.cond = threading.Condition()
        self.events: list[tuple[int, str, str]] = []
        self.closed = False

    def publish(self, name: str, data: dict[str, Any]) -> None:
        with self.cond:
            number = self.events[-1][0] + 1 if self.events else 1
            self.events = [*self.events[-50:], (number, name, json.dumps(data))]
            self.cond.notify_all()

    def after(self, number: int, timeout: float) -> list[tuple[int, str, str]]:
        with self.cond:
            self.cond.wait_for(lambda: self.closed or (self.events and self.events[-1][0] > number), timeout)
            return [e for e in self.events if e[0] > number]

    def latest(self) -> int:
        with self.cond:
            return self.events[-1][0] if self.events else 0

    def close(self) -> None:
        with self.cond:
            self.closed = True
            self.cond.notify_all()


class Preview:
    def __init__(self, inputs: Inputs, audience: str, as_of: str, say: Callable[[str], None]) -> None:
        self.session = Session(inputs, audience, as_of)
        self.inputs = inputs
        self.hub = Hub()
        self.jobs: queue.Queue[tuple[Any, ...]] = queue.Queue()
        self.say = say
        self.building: subprocess.Popen[bytes] | None = None
        self.build_lock = threading.Lock()
        self.port = 0

    # ------------------------------------------------------------ main thread

    def report(self, views: list[View], why: str) -> None:
        """The terminal hears what the page shows: the same one-line problems, or what was rendered."""
        for view in views:
            if view.problems:
                for line in view.problems:
                    self.say(line)
            else:
                self.say(f"preview: {view.audience}{' as of ' + view.as_of if view.as_of else ''} {why} in "
                         f"{view.seconds:.2f} s")

    def loop(self, stop: threading.Event) -> None:
        """Render what the page asks for and what the watcher reports, until Ctrl-C."""
        self.report(self.session.rerender(), "rendered")
        while not stop.is_set():
            try:
                job = self.jobs.get(timeout=0.25)
            except queue.Empty:
                continue
            if job[0] == "view":
                _, key, future = job
                try:
                    future.set_result(self.session.view(*key))
                except BaseException as exc:  # a bug: the handler reports it, the loop goes on
                    future.set_exception(exc)
                    if isinstance(exc, KeyboardInterrupt):
                        raise
            elif job[0] == "changes":
                kinds = set(job[1])
                while True:  # changes that came in meanwhile are rendered once, together
                    try:
                        extra = self.jobs.get_nowait()
                    except queue.Empty:
                        break
                    if extra[0] == "changes":
                        kinds |= extra[1]
                    else:
                        self.jobs.put(extra)
                        break
                self.session.changed(kinds)
                changed = self.session.rerender()
                for view in changed:
                    self.hub.publish("update", {"audience": view.audience, "as_of": view.as_of,
                                                "problems": view.problems, "render_seconds": round(view.seconds, 4),
                                                "version": self.session.version})
                self.report(changed, "updated")

    def watch(self, stop: threading.Event) -> None:
        """The watcher thread: every batch of changes to our inputs becomes one job for the main thread."""
        import watchfiles

        paths = self.inputs.watched()
        for changes in watchfiles.watch(*paths, stop_event=stop, step=WATCH_STEP_MS, debounce=400,
                                        raise_interrupt=False, ignore_permission_denied=True):
            kinds = {k for _, p in changes if (k := self.inputs.kind_of(Path(p))) is not None}
            if kinds:
                self.jobs.put(("changes", kinds))

    # ------------------------------------------------------------ asked from the server's threads

    def view(self, audience: str, as_of: str) -> View:
        key = (audience, as_of.strip())
        self.session.asked[key] = time.monotonic()
        view = self.session.views.get(key)
        if view is not None:
            return view
        future: Future[View] = Future()
        self.jobs.put(("view", key, future))
        return future.result(timeout=VIEW_WAIT_SECONDS)

    def full_build(self, audience: str, as_of: str) -> bool:
        """Start `briefkit build` for this view in a process of its own; False if one is running already."""
        with self.build_lock:
            if self.building is not None and self.building.poll() is None:
                return False
            cmd = [sys.executable, "-m", "briefkit.cli", "build", "--facts", str(self.inputs.facts),
                   "--audience", audience, "--out", str(self.inputs.out)]
            for option, value in (("--as-of", as_of.strip()), ("--theme", self.inputs.theme),
                                  ("--meeting", self.inputs.meeting)):
                if value:
                    cmd += [option, str(value)]
            if not self.inputs.check_limits:
                cmd.append("--no-limits")
            self.say(f"preview: building {audience} (docx, pdf, pptx) into {self.inputs.out}")
            self.building = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                             start_new_session=True)
            threading.Thread(target=self._finish_build, args=(self.building, audience), daemon=True).start()
            return True

    def _finish_build(self, proc: subprocess.Popen[bytes], audience: str) -> None:
        _, err = proc.communicate()
        lines = [line for line in err.decode("utf-8", "replace").splitlines() if ": " in line and "┃" not in line]
        if proc.returncode == 0:
            message = f"built {audience}: {self.inputs.out / audience}"
            self.say(f"preview: {message}")
        else:
            problems = [line for line in lines if not line.startswith(f"{audience}: ")]
            message = "; ".join(problems[-3:]) or f"the build failed (exit {proc.returncode})"
            for line in problems:
                self.say(line)
        self.hub.publish("built", {"ok": proc.returncode == 0, "message": message})

    def stop_build(self) -> None:
        with self.build_lock:
            if self.building is not None and self.building.poll() is None:
                self.building.terminate()  # the build's own SIGTERM handling leaves the outputs as they were
                with contextlib.suppress(subprocess.TimeoutExpired):
                    self.building.wait(timeout=10)


def make_handler(preview: Preview) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "briefkit-preview"
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:  # the terminal is for problems, not requests
            return

        def _addressed_to_us(self) -> bool:
            host = (self.headers.get("Host") or "").rsplit(":", 1)[0]
            if host in (HOST, "localhost"):
                return True
            self._send(403, "text/plain", b"briefkit preview answers only 127.0.0.1\n")
            return False

        def _send(self, code: int, kind: str, body: bytes) -> None:
            self.send_response(code)
            self.send_header("Content-Type", f"{kind}; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.send_header("X-Content-Type-Options", "nosniff")
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            if not self._addressed_to_us():
                return
            url = urlsplit(self.path)
            query = {k: v[0] for k, v in parse_qs(url.query).items()}
            audience = query.get("audience", preview.session.default[0])
            as_of = query.get("as_of", preview.session.default[1])
            if url.path == "/":
                page = shell(preview.session.audiences(), audience, as_of, "briefkit preview")
                self._send(200, "text/html", page.encode())
            elif url.path == "/content":
                self._content(audience, as_of, query.get("view", "brief"))
            elif url.path == "/events":
                self._events()
            else:
                self._send(404, "text/plain", b"not found\n")

        def do_POST(self) -> None:
            if not self._addressed_to_us():
                return
            url = urlsplit(self.path)
            if url.path != "/build" or self.headers.get("X-Briefkit") != "build":
                self._send(404, "text/plain", b"not found\n")
                return
            query = {k: v[0] for k, v in parse_qs(url.query).items()}
            started = preview.full_build(query.get("audience", preview.session.default[0]),
                                         query.get("as_of", preview.session.default[1]))
            self._send(202 if started else 409, "application/json", json.dumps({"started": started}).encode())

        def _content(self, audience: str, as_of: str, kind: str) -> None:
            try:
                view = preview.view(audience, as_of)
            except Exception:
                self._send(500, "application/json", content_json(None, "", "briefkit preview", [
                    "briefkit preview: internal error (a bug, not your input); see the terminal"], "", -1))
                raise
            html = view.deck if kind == "deck" else view.brief
            status = f"rendered in {view.seconds:.2f} s" if not view.problems else "showing the last good preview"
            self._send(200, "application/json",
                       content_json(html, view.css, view.title, view.problems, status, preview.session.version))

        def _events(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            seen = preview.hub.latest()
            try:
                self.wfile.write(b"retry: 500\n\n")
                self.wfile.flush()
                while not preview.hub.closed:
                    events = preview.hub.after(seen, KEEPALIVE_SECONDS)
                    chunk = "".join(f"id: {n}\nevent: {name}\ndata: {data}\n\n" for n, name, data in events)
                    self.wfile.write((chunk or ": keep-alive\n\n").encode())
                    self.wfile.flush()
                    seen = events[-1][0] if events else seen
            except (BrokenPipeError, ConnectionResetError):
                return
            self.close_connection = True

    return Handler


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # open event streams must not hold up Ctrl-C
    allow_reuse_address = False

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A page closed mid-answer is normal; anything else is a bug, logged like the CLI's and named in one line."""
        error = sys.exc_info()[1]
        if isinstance(error, (ConnectionError, TimeoutError)):
            return
        from briefkit.cli import _write_crash_log

        log = _write_crash_log()
        sys.stderr.write(f"briefkit preview: internal error (a bug, not your input); details in {log}\n")


def serve(inputs: Inputs, audience: str, as_of: str, port: int, open_browser: bool,
          say: Callable[[str], None], started: Callable[[str], None] = lambda url: None) -> None:
    """Run the preview until Ctrl-C (or SIGTERM); then stop the watcher, the server and any build, and return."""
    preview = Preview(inputs, audience, as_of, say)
    try:
        server = _Server((HOST, port), make_handler(preview))
    except OSError as exc:
        from briefkit.errors import UsageError

        raise UsageError.at("--port", f"cannot listen on {HOST}:{port}: {exc.strerror or exc}") from None
    url = f"http://{HOST}:{server.server_address[1]}/"
    stop = threading.Event()
    threads = [threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True),
               threading.Thread(target=preview.watch, args=(stop,), daemon=True)]
    try:
        for thread in threads:
            thread.start()
        started(url)
        say(f"briefkit preview: {url} (b in the page builds DOCX, PDF and PPTX; Ctrl-C stops)")
        if open_browser:
            import webbrowser

            webbrowser.open(url)
        preview.loop(stop)
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        preview.hub.close()
        server.shutdown()
        server.server_close()
        preview.stop_build()
        threads[1].join(timeout=2)
        say("briefkit preview: stopped")
