"""The table of patches (`briefkit.patches`): each used only on the version it was written for, only while the code it
replaces is what it expects, and never with BRIEFKIT_NO_PATCHES. What each patch gives is tested beside its writer
(test_pdf_notes, test_pdf_charts, test_pdf), patched against stock."""

from __future__ import annotations

import dataclasses
import importlib
import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from briefkit import patches
from conftest import ROOT, run_cli

EXAMPLE = ROOT / "examples" / "minimal"


@pytest.mark.parametrize("patch", patches.TABLE, ids=lambda p: p.name)
def test_on_the_version_it_names_a_patch_finds_the_code_it_was_written_for(patch: patches.Patch) -> None:
    installed = getattr(importlib.import_module(patch.library), "__version__", None)
    if installed != patch.version:
        pytest.skip(f"{patch.library} {installed} installed; the patch is for {patch.version} (stock path in use)")
    assert patches.why_not(patch.name) is None


def test_another_version_takes_the_stock_path() -> None:
    patch = dataclasses.replace(patches.TABLE[0], name="test-other-version", version="0.0.1")
    assert patches._differences(patch) == f"{patch.library} {_version(patch.library)} is not 0.0.1"


def test_code_that_is_not_what_the_patch_expects_takes_the_stock_path() -> None:
    """A library edited in place (or a release that kept the version number) has other source: not patched."""
    first = patches.TABLE[0]
    target, _ = first.sources[0]
    patch = dataclasses.replace(first, name="test-other-code", version=_version(first.library),
                                sources=((target, "0123456789abcdef"),))
    assert patches._differences(patch) == f"{target} is not the code the patch was written for"
    gone = dataclasses.replace(patch, sources=(("weasyprint.layout:LayoutContext.no_such_method", "0"),))
    assert patches._differences(gone) == "weasyprint.layout:LayoutContext.no_such_method cannot be read " \
                                         "(AttributeError)"


@pytest.mark.parametrize(("value", "off"), [("1", {"all"}), ("", set()), ("0", set()),
                                            ("pydyf-page-references", {"pydyf-page-references"}),
                                            (" weasyprint-footnote-area , pydyf-page-references ",
                                             {"weasyprint-footnote-area", "pydyf-page-references"})])
def test_the_environment_switches_patches_off(value: str, off: set[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(patches.ENV, value)
    for patch in patches.TABLE:
        expected = "all" in off or patch.name in off
        assert patches.switched_off(patch.name) is expected
        if expected:
            assert not patches.active(patch.name)
    assert all(line.endswith("(switched off by BRIEFKIT_NO_PATCHES)") for line in patches.status()) is (off == {"all"})


def test_every_patch_module_names_its_row() -> None:
    for patch in patches.TABLE:
        module = importlib.import_module(patch.module)
        assert patch.name in vars(module).values(), f"{patch.module} does not ask for {patch.name}"


def _version(library: str) -> str:
    return str(importlib.import_module(library).__version__)


def test_a_build_with_and_without_patches_gives_the_same_files(tmp_path: Path) -> None:
    """Through the CLI, as a user builds: BRIEFKIT_NO_PATCHES=1 (every library's stock path) changes no byte, and the
    charts are in the PDF either way (the writer refuses a PDF with a placeholder left in it)."""
    epoch = {"SOURCE_DATE_EPOCH": "1767225600"}
    built = {}
    for mode in ("", "1"):
        out = tmp_path / f"out-{mode or 'patched'}"
        r = run_cli("build", "--facts", str(EXAMPLE), "--audience", "analyst", "--format", "pdf", "--no-limits",
                    "--out", str(out),
                    env={**epoch, patches.ENV: mode})
        assert r.code == 0, r.err
        built[mode] = {p.name: p.read_bytes() for p in (out / "analyst").iterdir()}
    assert built[""] == built["1"]
    pdf = next(data for name, data in built[""].items() if name.endswith(".pdf"))
    assert "Figure 1:" in "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
