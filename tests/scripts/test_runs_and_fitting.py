"""Cutting text by script, and measuring it on slides: Chinese and Japanese break between characters, every
character is measured in the font that draws it."""

from __future__ import annotations

from briefkit.factbase.numbers import quantities
from briefkit.fontchain import FontChain
from briefkit.paths import builtin_templates
from briefkit.scripts import language, runs, starts_rtl
from briefkit.theme.load import load_theme
from briefkit.writers.textfit import metrics, text_width, wrap


def _chain() -> FontChain:
    theme = load_theme(None, builtin_templates() / "default")
    return FontChain(theme.fonts.body, theme.fonts)


def test_runs_keep_neutrals_out_of_right_to_left_text() -> None:
    assert runs("北京 has; القاهرة and ירושלים.") == [
        ("han", "北京 "), ("other", "has; "), ("arabic", "القاهرة"), ("other", " and "), ("hebrew", "ירושלים"),
        ("other", ".")]
    assert runs("شرطة مترو القاهرة 1,200 ضابط.") == [("arabic", "شرطة مترو القاهرة 1,200 ضابط"), ("other", ".")]
    assert runs("警視庁の鉄道警察隊 and 漢字") == [("kana", "警視庁の鉄道警察隊 "), ("other", "and "), ("han", "漢字")]
    assert runs("plain (2019)") == [("other", "plain (2019)")]


def test_languages_and_directions() -> None:
    assert [language(s, "en-GB") for s in ("han", "kana", "hangul", "arabic", "hebrew", "other")] == [
        "zh-CN", "ja-JP", "ko-KR", "ar-SA", "he-IL", None]
    assert language("han", "ja") == "ja-JP" and language("han", "zh-TW") == "zh-TW"
    assert starts_rtl("  (2019) שלום world") and not starts_rtl("2019 world שלום")


def test_chinese_wraps_between_characters_and_keeps_punctuation_with_its_word() -> None:
    chain = _chain()
    text = "中华人民共和国公安部与塔吉克斯坦内务部签署了合作协议，双方同意加强边境安全合作。"
    lines = wrap(text, 120, 12, chain)
    assert len(lines) > 2 and "".join(lines) == text  # no spaces invented, nothing lost
    assert all(text_width(line, 12, chain) <= 120 for line in lines)
    assert not any(line.startswith(("，", "。")) for line in lines)


def test_each_character_measured_in_the_font_that_draws_it() -> None:
    chain = _chain()
    arabic, cjk = "وزارة", "公安部"
    naskh = metrics("Noto Sans Arabic")
    expected = sum(naskh.units(c) for c in arabic) * 12 / naskh.units_per_em
    assert abs(text_width(arabic, 12, chain) - expected) < 0.01
    assert abs(text_width(cjk, 12, chain) - 36) < 0.01  # ideographs are one em wide


def test_numbers_between_ideographs_and_with_russian_and_chinese_scales() -> None:
    assert [q.value for q in quantities("2023年市议会统计到每天12,400次骑车出行。")] == [12400]
    assert [q.value for q in quantities("花费了$3.2百万，另有5万")] == [3_200_000, 50_000]
    assert [q.value for q in quantities("расходы $1.1 млн и 12 тыс. поездок")] == [1_100_000, 12_000]
    assert [q.value for q in quantities("VP-11 and 5G cost 3 million")] == [3_000_000]
