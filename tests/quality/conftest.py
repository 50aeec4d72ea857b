"""The bundles every quality test reads: built once per test session through the real CLI, as a user would.

`plain`: every audience, the theme's own email defaults. `plain_again`: the same build into another folder, for
byte identity. `meeting`: every audience for the Dushanbe meeting, with --to and --from given. All with
SOURCE_DATE_EPOCH set, so the dates in every file are known.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from briefkit.audience import load_audience
from briefkit.build import available_audiences
from tests.conftest import ROOT, run_cli

EPOCH = 1767225600  # 2026-01-01T00:00:00Z
ENV = {"SOURCE_DATE_EPOCH": str(EPOCH)}
MEETING = ROOT / "examples" / "meetings" / "dushanbe.yaml"
TO = ("principal@example.gov", "deputy@example.gov")
FROM = "desk.officer@example.gov"
AUDIENCES = tuple(sorted(available_audiences(None)))


@dataclass(frozen=True)
class Bundle:
    """One audience's published folder and what it was built with."""

    audience: str
    folder: Path
    meeting: bool

    def one(self, suffix: str) -> Path:
        found = sorted(self.folder.glob(f"*{suffix}"))
        assert len(found) == 1, (self.folder, suffix, found)
        return found[0]

    @property
    def docx(self) -> Path:
        return self.one("_brief.docx")

    @property
    def pdf(self) -> Path:
        return self.one("_brief.pdf")

    @property
    def pptx(self) -> Path:
        return self.one("_deck.pptx")

    @property
    def eml(self) -> Path:
        return self.one("_email.eml")

    @property
    def long(self) -> bool:
        """The audience's brief has a table of contents (the long audiences)."""
        return "toc" in load_audience(available_audiences(None)[self.audience]).parts

    def __str__(self) -> str:
        return f"{self.audience}{' (meeting)' if self.meeting else ''}"


def _build(out: Path, *extra: str) -> Path:
    r = run_cli("build", "--audience", "all", "--out", str(out), *extra, env=ENV)
    assert r.code == 0, r.err
    assert "Traceback" not in r.err
    return out


@pytest.fixture(scope="session")
def plain_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build(tmp_path_factory.mktemp("plain"))


@pytest.fixture(scope="session")
def plain_again_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build(tmp_path_factory.mktemp("plain-again"))


@pytest.fixture(scope="session")
def meeting_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # --no-limits: with the meeting box the analyst and executive briefs run a page over their audiences' limits
    # (a question of content, reported); every quality property must hold for these files all the same.
    to = [arg for address in TO for arg in ("--to", address)]
    return _build(tmp_path_factory.mktemp("meeting"), "--meeting", str(MEETING), *to, "--from", FROM, "--no-limits")


@pytest.fixture(scope="session")
def bundles(plain_out: Path, meeting_out: Path) -> list[Bundle]:
    """Every audience, without and with the meeting."""
    return [Bundle(a, plain_out / a, False) for a in AUDIENCES] + [Bundle(a, meeting_out / a, True) for a in AUDIENCES]
