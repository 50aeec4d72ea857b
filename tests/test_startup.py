"""What a build has imported when it forks the PDF's process: only the light part of briefkit.

The fork happens inside `build.build`, once the arguments are read; everything imported before it delays the
PDF (decision 21). A top-level import of the fact base's models, Jinja or rich in `cli`, `build` or `background`
would quietly undo that, so it is checked here, in a fresh interpreter."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("pydantic", "jinja2", "markdown_it", "ruamel.yaml", "rich", "matplotlib", "weasyprint", "docx", "pptx",
         "briefkit.audience", "briefkit.factbase", "briefkit.compose", "briefkit.charts")


def test_what_runs_before_the_fork_imports_nothing_heavy() -> None:
    code = ("import sys; import briefkit.cli, briefkit.build, briefkit.background, briefkit.paths; "
            f"print(' '.join(m for m in {HEAVY!r} if m in sys.modules))")
    imported = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert imported.split() == []
