"""`briefkit preview` as a command: one per folder, 127.0.0.1 only, a taken port, Ctrl-C."""

from __future__ import annotations

import http.client
import shutil
import socket
from pathlib import Path

from conftest import EXAMPLE


def _get(url: str, path: str, host: str | None = None) -> tuple[int, bytes]:
    port = int(url.rstrip("/").rsplit(":", 1)[1])
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", path, headers={"Host": host or f"127.0.0.1:{port}"})
    response = conn.getresponse()
    return response.status, response.read()


def test_a_second_preview_of_the_folder_is_refused(tmp_path: Path, preview_of) -> None:
    facts = tmp_path / "facts"
    shutil.copytree(EXAMPLE, facts)
    first = preview_of(facts).start()
    second = preview_of(facts)
    assert second.proc.wait(timeout=60) == 1
    message = second.wait_for_line("another briefkit preview", 10)
    pid = first.proc.pid
    assert message == (f"facts: another briefkit preview (process {pid}, {first.url}) is already watching this "
                       "fact base; open that one, or stop it with Ctrl-C first")
    assert first.proc.poll() is None  # the first goes on
    assert first.stop() == 0
    third = preview_of(facts).start()  # once stopped, the folder is free again
    assert third.stop() == 0


def test_it_listens_on_127_0_0_1_only_and_answers_only_that_name(tmp_path: Path, preview_of) -> None:
    facts = tmp_path / "facts"
    shutil.copytree(EXAMPLE, facts)
    preview = preview_of(facts).start()
    assert preview.url.startswith("http://127.0.0.1:")
    status, body = _get(preview.url, "/")
    assert status == 200 and b"<title>briefkit preview</title>" in body
    status, _ = _get(preview.url, "/", host="attacker.example:80")
    assert status == 403
    port = int(preview.url.rstrip("/").rsplit(":", 1)[1])
    addresses = {a[4][0] for a in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)} - {"127.0.0.1"}
    for address in addresses:  # not reachable on any other interface
        with socket.socket() as s:
            s.settimeout(2)
            assert s.connect_ex((address, port)) != 0
    status, _ = _get(preview.url, "/build")  # the build is a POST with our header, never a GET
    assert status == 404
    assert preview.stop() == 0
    assert preview.wait_for_line("briefkit preview: stopped", 10)


def test_a_taken_port_is_one_line(tmp_path: Path, preview_of) -> None:
    facts = tmp_path / "facts"
    shutil.copytree(EXAMPLE, facts)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        preview = preview_of(facts, "--port", str(port))
        assert preview.proc.wait(timeout=60) == 2
        line = preview.wait_for_line("--port", 10)
        assert line == f"--port: cannot listen on 127.0.0.1:{port}: Address already in use"
