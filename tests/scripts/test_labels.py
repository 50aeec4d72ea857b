"""Labels in the fact base's language: a Russian or a Chinese fact base gives a brief, a deck and an email whose
every word briefkit writes itself is in that language; a theme rewords any label."""

from __future__ import annotations

import email
import email.policy
import re
import shutil
import zipfile
from pathlib import Path

import pytest

from conftest import EXAMPLE, ROOT, run_cli
from tests.scripts.outputs import text_of

# Words briefkit writes in English: none may appear in a Russian or Chinese brief.
ENGLISH = ("Key judgments", "Bottom line", "Sources", "Source:", "Figure", "Table", "Page", "Contents",
           "continued", "Talking points", "Indicators", "brief", "For discussion", "Analyst", "million", "about",
           "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December", " vs ", "Where sources differ")
EXPECTED = {
    "ru": ("Главное", "Ключевые оценки", "Источники", "Рисунок 1.", "Таблица 1.", "Стр. 1 из", "Содержание",
           "20 марта 2025 г.", "Для обсуждения", "Аналитическая записка", "около 15,000"),
    "zh": ("要点", "主要判断", "资料来源", "图1：", "表1：", "第1页，共", "目录", "2025年3月20日", "供讨论", "分析简报"),
}


@pytest.fixture(scope="module", params=["ru", "zh"])
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    language = request.param
    out = tmp_path_factory.mktemp(language)
    result = run_cli("build", "--facts", str(ROOT / "tests" / "scripts" / language), "--out", str(out),
                     "--no-limits", env={"SOURCE_DATE_EPOCH": "1742428800"})
    assert result.code == 0, result.err
    return language, out / "analyst"


def _office_text(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        xml = "".join(z.read(n).decode() for n in z.namelist() if n.endswith(".xml") and "slideLayout" not in n
                      and "slideMaster" not in n and "theme" not in n and not n.startswith(("docProps", "[")))
    return " ".join(re.findall(r"<[aw]:t(?: [^>]*)?>([^<]*)</[aw]:t>", xml))


def test_the_brief_speaks_the_fact_bases_language(built: tuple[str, Path]) -> None:
    language, folder = built
    (pdf,) = folder.glob("*_brief.pdf")
    text = " ".join(text_of(pdf).split())
    organisation = "briefkit Analysis Unit"  # the theme's name for itself, not a word briefkit writes
    text = text.replace(organisation, "")
    for word in EXPECTED[language]:
        assert word.casefold() in text.casefold(), f"{word!r} missing from the {language} PDF"  # CSS capitals
    for word in ENGLISH:
        assert word not in text, f"English {word!r} in the {language} PDF"


def test_the_docx_deck_and_email_too(built: tuple[str, Path]) -> None:
    language, folder = built
    (docx,) = folder.glob("*_brief.docx")
    (pptx,) = folder.glob("*_deck.pptx")
    (eml,) = folder.glob("*_email.eml")
    words = _office_text(docx).replace("briefkit Analysis Unit", "")
    figure_word = re.split(r"\d", EXPECTED[language][3])[0].strip()  # the caption's number is a field of its own
    assert EXPECTED[language][1] in words and figure_word in words
    slides = _office_text(pptx).replace("briefkit Analysis Unit", "")
    assert EXPECTED[language][0] in slides and EXPECTED[language][1] in slides
    with zipfile.ZipFile(docx) as z:
        alts = re.findall(r'descr="([^"]*)"', z.read("word/document.xml").decode())
    charts = [a for a in alts if ": " in a or "：" in a]  # the logo's is the organisation's name
    assert charts and not [a for a in charts if "chart" in a or " of " in a or " by " in a], charts
    message = email.message_from_bytes(eml.read_bytes(), policy=email.policy.default)
    body = message.get_body(("plain",)).get_content()
    for text in (words, slides, body, str(message["Subject"])):
        text = re.sub(r"\S+_(brief|deck)\.(docx|pdf|pptx)", "", text)  # the file names are not words
        for word in ("Key judgments", "Bottom line", "Figure", "Page", "continued", "brief", "Attached",
                     "Every figure"):
            assert word not in text.replace("briefkit Analysis Unit", ""), (word, text[:200])


def test_a_theme_rewords_a_label_and_a_wrong_label_file_is_located(tmp_path: Path) -> None:
    facts = tmp_path / "facts"
    shutil.copytree(EXAMPLE, facts)
    theme = tmp_path / "theme"
    (theme / "locales").mkdir(parents=True)
    (theme / "locales" / "en.yaml").write_text('key_judgments: What we judge\npage_of: "{page}/{pages}"\n',
                                               encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli("build", "--facts", str(facts), "--theme", str(theme), "--out", str(out), "--no-limits",
                     "--format", "pdf")
    assert result.code == 0, result.err
    (pdf,) = (out / "analyst").glob("*.pdf")
    text = text_of(pdf)
    assert "What we judge" in text and "Key judgments" not in text and re.search(r"\b1/\d\b", text)
    (theme / "locales" / "en.yaml").write_text("key_judgment: Typo\nfigure_number: \"Fig. {n}\"\n", encoding="utf-8")
    result = run_cli("build", "--facts", str(facts), "--theme", str(theme), "--out", str(out), "--no-limits")
    assert result.code == 1
    assert (f"{theme}/locales/en.yaml:1: unknown label 'key_judgment'; the labels are those of "
            "templates/default/locales/en.yaml") in result.err
    assert f"{theme}/locales/en.yaml:2: figure_number: unknown placeholder {{n}}; this label knows {{number}}" \
        in result.err


def test_dates_and_numbers_in_each_language() -> None:
    from briefkit.formatting import human_date, money, qualified
    from briefkit.labels import load_labels, using
    from briefkit.paths import builtin_templates

    builtin = builtin_templates() / "default"
    with using(load_labels("ru-RU", None, builtin)):
        assert (human_date("2022-11-22"), human_date("2022-11"), human_date("2022")) == (
            "22 ноября 2022 г.", "ноябрь 2022 г.", "2022")
        assert (money(21_000_000), qualified("12", "over")) == ("$21 млн", "свыше 12")
    with using(load_labels("zh", None, builtin)):
        assert (human_date("2022-11-22"), money(8_500_000), qualified("12", "about")) == (
            "2022年11月22日", "$8.5百万", "约12")
    with using(load_labels("fr-FR", None, builtin)):  # no French labels: English
        assert human_date("2022-11-22") == "22 November 2022"


def test_a_theme_adds_a_language_and_what_it_leaves_out_stays_english(tmp_path: Path) -> None:
    from briefkit.labels import load_labels
    from briefkit.paths import builtin_templates

    (tmp_path / "locales").mkdir()
    (tmp_path / "locales" / "fr.yaml").write_text("key_judgments: Jugements clés\ndate_day: \"{day} {month} {year}\"\n"
                                                  "months_of: [janvier, février, mars, avril, mai, juin, juillet, "
                                                  "août, septembre, octobre, novembre, décembre]\n", encoding="utf-8")
    labels = load_labels("fr-FR", tmp_path, builtin_templates() / "default")
    assert labels.language == "fr"
    assert (labels["key_judgments"], labels["sources"]) == ("Jugements clés", "Sources")
    assert labels.date(2025, 3, 20) == "20 mars 2025"
