"""The PDF writer imports WeasyPrint without running the library search (ldconfig, then gcc with a temporary file)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

PROBE = """
import ctypes.util
searched = []
search = ctypes.util.find_library
ctypes.util.find_library = lambda name: searched.append(name) or search(name)
import briefkit.writers.pdf
import weasyprint.text.ffi as ffi
assert ffi.pango is not None and ffi.harfbuzz is not None
assert ctypes.util.find_library.__code__ is not search.__code__, "the search was not put back"
print(len(searched))
"""


def test_weasyprint_is_imported_without_a_library_search_or_a_temporary_file(tmp_path: Path) -> None:
    r = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, env={"TMPDIR": str(tmp_path),
                       "PATH": "/usr/bin:/bin"}, check=False)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "0"
    assert list(tmp_path.iterdir()) == []
