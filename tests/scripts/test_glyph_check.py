"""The glyph check: a character no font of the theme's chain draws stops `briefkit check` and the build, located
at its line, before any work."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import EXAMPLE, line_with, replace_in, run_cli

FLAMINGO = "\U0001f9a9"  # U+1F9A9 FLAMINGO: no font installed here has it (checked below with fc-list)
LINEAR_B = "\U00010000"  # U+10000 LINEAR B SYLLABLE B008 A: fonts-noto-core has it, the default chain does not


def _no_font_has(char: str) -> bool:
    out = subprocess.run(["fc-list", f":charset={ord(char):x}", "family"], capture_output=True, text=True).stdout
    return not out.strip()


@pytest.fixture
def facts(tmp_path: Path) -> Path:
    dest = tmp_path / "facts"
    shutil.copytree(EXAMPLE, dest)
    replace_in(dest / "facts" / "outlook.yaml", "The mayor said", f"The mayor {FLAMINGO} said")
    replace_in(dest / "analysis.yaml", "Ask which counters", f"Ask which counters ({LINEAR_B})")
    return dest


def test_check_names_each_character_no_font_draws_at_its_line(facts: Path) -> None:
    assert _no_font_has(FLAMINGO), "a font on this machine draws U+1F9A9; pick a character none has"
    result = run_cli("check", "--facts", str(facts))
    assert result.code == 1
    lines = result.err.strip().splitlines()
    flamingo = line_with(facts / "facts" / "outlook.yaml", FLAMINGO)
    linear_b = line_with(facts / "analysis.yaml", LINEAR_B)
    assert lines[0].startswith(f"{facts}/analysis.yaml:{linear_b}: '{LINEAR_B}' (U+10000 LINEAR B SYLLABLE B008 A) is "
                               "in no font of the theme (Carlito, Noto Sans, DejaVu Sans)"), lines
    assert lines[1].startswith(f"{facts}/facts/outlook.yaml:{flamingo}: '{FLAMINGO}' (U+1F9A9 FLAMINGO) is in no "
                               "font of the theme"), lines
    assert "add a font that has it to fonts.fallback" in lines[1]
    assert len(lines) == 2


def test_build_stops_before_any_work(facts: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run_cli("build", "--facts", str(facts), "--out", str(out), "--no-limits")
    assert result.code == 1
    assert "(U+1F9A9 FLAMINGO) is in no font of the theme" in result.err
    assert not out.exists() or not any(out.iterdir())


def test_a_theme_that_adds_a_font_for_the_script_passes(facts: Path, tmp_path: Path) -> None:
    replace_in(facts / "facts" / "outlook.yaml", f"The mayor {FLAMINGO} said", "The mayor said")
    theme = tmp_path / "theme"
    theme.mkdir()
    (theme / "theme.yaml").write_text("fonts:\n  fallback:\n    other: [Noto Sans, DejaVu Sans, Noto Sans Linear B]\n",
                                      encoding="utf-8")
    assert run_cli("check", "--facts", str(facts)).code == 1
    result = run_cli("check", "--facts", str(facts), "--theme", str(theme))
    assert result.code == 0, result.err


def test_a_fallback_font_not_installed_is_located_in_theme_yaml(tmp_path: Path) -> None:
    theme = tmp_path / "theme"
    theme.mkdir()
    (theme / "theme.yaml").write_text("fonts:\n  fallback:\n    han: [Noto Sans CJK ZZ]\n    klingon: [X]\n",
                                      encoding="utf-8")
    result = run_cli("build", "--theme", str(theme), "--out", str(tmp_path / "out"))
    assert result.code == 1
    assert f"{theme}/theme.yaml:2: fonts.fallback: unknown scripts klingon; known: han, kana, hangul, arabic, " \
           "hebrew, other" in result.err
    (theme / "theme.yaml").write_text("fonts:\n  fallback:\n    han: [Noto Sans CJK ZZ]\n", encoding="utf-8")
    result = run_cli("build", "--theme", str(theme), "--out", str(tmp_path / "out"))
    assert result.code == 1
    assert f"{theme}/theme.yaml:3: fonts.fallback.han: font 'Noto Sans CJK ZZ' is not installed" in result.err


def test_the_chain_gives_each_script_its_font() -> None:
    from briefkit.fontchain import FontChain
    from briefkit.paths import builtin_templates
    from briefkit.theme.load import load_theme

    theme = load_theme(None, builtin_templates() / "default")
    chain = FontChain(theme.fonts.body, theme.fonts)
    assert {c: chain.font_for(c).family for c in "a中か한شשЖΩ"} == {
        "a": "Carlito", "中": "Noto Sans CJK SC", "か": "Noto Sans CJK JP", "한": "Noto Sans CJK KR",
        "ش": "Noto Sans Arabic", "ש": "Noto Sans Hebrew", "Ж": "Carlito", "Ω": "Carlito"}
    assert chain.font_for(FLAMINGO) is None
    assert chain.font_for("\u200d") == theme.fonts.body  # a joiner is not drawn: it needs no font


def test_only_the_labels_of_the_brief_s_language_are_checked(tmp_path: Path) -> None:
    """A theme without CJK fonts builds English briefs (the built-in Chinese labels are not read) and stops at the
    first Chinese word of a Chinese fact base."""
    theme = tmp_path / "theme"
    theme.mkdir()
    (theme / "theme.yaml").write_text("fonts:\n  fallback:\n    han: []\n    kana: []\n    hangul: []\n"
                                      "    other: [DejaVu Sans]\n", encoding="utf-8")
    assert run_cli("check", "--facts", str(EXAMPLE), "--theme", str(theme)).code == 0
    chinese = EXAMPLE.parents[1] / "tests" / "scripts" / "zh"
    result = run_cli("check", "--facts", str(chinese), "--theme", str(theme), cwd=tmp_path)
    assert result.code == 1
    first = result.err.splitlines()[0]
    assert first.startswith(f"{chinese}/factbase.yaml:1: '示' (U+793A CJK UNIFIED IDEOGRAPH-793A) and 7 more "
                            "characters (例市的自行...) are in no font of the theme (Carlito, DejaVu Sans)"), first
