"""Key judgments with stated confidence, likelihood and assumptions: printed alike in the DOCX, PDF and PPTX
(each opened again), never joined in one phrase; and `briefkit check`'s warnings about their evidence."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conftest import EXAMPLE, SEEDS, line_with, replace_in, run_cli
from loop.readers import docx_lines, notes, pdf_text, slides

EPOCH = {"SOURCE_DATE_EPOCH": "1767225600"}  # 2026-01-01
REASON = "Both figures come from the council's own counters, published in one report."
STATED = '''    confidence:
      level: moderate
      reason: Both figures come from the council's own counters, published in one report.
    likelihood: very likely
    assumptions:
      - The council kept its method of counting between 2020 and 2023.
      - Prices did not change much.
'''


def with_confidence(folder: Path) -> Path:
    """The example with its kj-money judgment stating confidence, likelihood and assumptions."""
    dest = folder / "facts"
    shutil.copytree(EXAMPLE, dest)
    replace_in(dest / "analysis.yaml", "    facts: [money-2020-lanes, money-2023-lanes]\n    topics: [money]\n",
               "    facts: [money-2020-lanes, money-2023-lanes]\n    topics: [money]\n" + STATED)
    return dest


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("confidence")
    facts = with_confidence(work)
    r = run_cli("build", "--facts", str(facts), "--out", str(work / "out"), "--no-limits", cwd=work, env=EPOCH)
    assert r.code == 0, r.err
    return work / "out" / "analyst"


def _no_mixed_phrase(text: str) -> None:
    """No sentence holds both a likelihood term and the word confidence."""
    for sentence in re.split(r"(?<=[.;])\s+", text):
        if "confidence" in sentence.lower():
            assert not re.search(r"\b(likely|unlikely|chance|almost certain)\b", sentence), sentence


def test_the_docx_states_each_as_its_own_sentence(built: Path) -> None:
    lines = docx_lines(built)
    i = lines.index("Spending rose from $1.1 million to $3.2 million a year.3") if \
        "Spending rose from $1.1 million to $3.2 million a year.3" in lines else \
        next(n for n, line in enumerate(lines) if line.startswith("Spending rose from $1.1 million"))
    assert lines[i + 1] == f"Likelihood: very likely (80–95%). Confidence: moderate. {REASON}"
    assert lines[i + 2] == ("Assumes: The council kept its method of counting between 2020 and 2023; "
                            "Prices did not change much.")
    for line in lines:
        _no_mixed_phrase(line)


def test_the_pdf_says_the_same(built: Path) -> None:
    text = pdf_text(built)
    assert "Likelihood: very likely (80–95%)." in text
    assert f"Confidence: moderate. {REASON}" in text
    assert "Assumes: The council kept its method of counting between 2020 and 2023; Prices did not change much." \
        in text
    _no_mixed_phrase(text)


def test_the_deck_states_level_and_likelihood_and_keeps_the_reason_for_the_notes(built: Path) -> None:
    deck = slides(built)
    judgments = next(s for s in deck if s and s[0] == "Key judgments")
    i = judgments.index("Spending rose from $1.1 million to $3.2 million a year.")
    assert judgments[i + 1] == "Likelihood: very likely (80–95%). Confidence: moderate."
    for line in judgments:
        _no_mixed_phrase(line)
    spoken = notes(built)[deck.index(judgments)]
    assert f"Confidence: moderate. {REASON}" in spoken
    assert "Likelihood: very likely (80–95%)." in spoken


def test_a_judgment_without_confidence_prints_nothing_more(built: Path) -> None:
    lines = docx_lines(built)
    i = next(n for n, line in enumerate(lines) if line.startswith("The council's count of 12,400 trips a day"))
    assert not lines[i + 1].startswith(("Likelihood", "Confidence", "Assumes"))


def test_the_built_in_analysis_states_confidence_for_every_judgment() -> None:
    from briefkit.factbase import load_factbase

    fb = load_factbase(SEEDS)
    assert all(j.confidence is not None and len(j.confidence.reason) > 60 for j in fb.analysis.judgments)
    assert {j.confidence.level for j in fb.analysis.judgments} == {"low", "moderate", "high"}


# ---------------------------------------------------------------- schema errors, located


def test_an_unknown_likelihood_term_is_refused_with_the_scale(tmp_path: Path) -> None:
    facts = with_confidence(tmp_path)
    replace_in(facts / "analysis.yaml", "likelihood: very likely", "likelihood: probable")
    r = run_cli("check", "--facts", "facts", cwd=tmp_path)
    assert r.code == 1
    line = line_with(facts / "analysis.yaml", "likelihood: probable")
    assert r.err.splitlines() == [
        f"facts/analysis.yaml:{line}: judgments.likelihood: 'probable' is not one of 'almost no chance', "
        "'very unlikely', 'unlikely', 'roughly even chance', 'likely', 'very likely' or 'almost certain'"]


def test_a_confidence_needs_a_known_level(tmp_path: Path) -> None:
    facts = with_confidence(tmp_path)
    replace_in(facts / "analysis.yaml", "level: moderate", "level: medium")
    r = run_cli("check", "--facts", "facts", cwd=tmp_path)
    assert r.code == 1
    line = line_with(facts / "analysis.yaml", "level: medium")
    assert r.err.splitlines() == [
        f"facts/analysis.yaml:{line}: judgments.confidence.level: 'medium' is not one of 'low', 'moderate' or 'high'"]


# ---------------------------------------------------------------- check's warnings, through the CLI


def test_check_warns_of_a_single_source(tmp_path: Path) -> None:
    facts = with_confidence(tmp_path)
    r = run_cli("check", "--facts", "facts", "--as-of", "2025-01", cwd=tmp_path)
    assert r.code == 0, r.err
    line = line_with(facts / "analysis.yaml", "facts: [money-2020-lanes, money-2023-lanes]")
    assert r.err.splitlines() == [
        f"facts/analysis.yaml:{line}: warning: judgment 'kj-money' rests on a single source (council-2024); "
        "corroborate it or say so in its confidence"]
    assert r.out.rstrip().endswith("; 1 warning")


def test_check_warns_of_old_facts_from_the_as_of_date(tmp_path: Path) -> None:
    facts = with_confidence(tmp_path)
    r = run_cli("check", "--facts", "facts", "--as-of", "2029-03", cwd=tmp_path)
    assert r.code == 0, r.err
    analysis = facts / "analysis.yaml"
    target = line_with(analysis, "facts: [out-mayor-target, use-2020-daily-trips, use-2023-daily-trips]")
    counts = line_with(analysis, "facts: [use-2023-daily-trips, use-2023-daily-trips-mayor]")
    money = line_with(analysis, "facts: [money-2020-lanes, money-2023-lanes]")
    lines = r.err.splitlines()
    assert (f"facts/analysis.yaml:{counts}: warning: judgment 'kj-counts' rests on old facts: the newest, "
            "use-2023-daily-trips (2023), is more than 5 years before 2029-03-31; see whether it still holds") in lines
    assert any(line.startswith(f"facts/analysis.yaml:{money}: warning: judgment 'kj-money' rests on old facts")
               for line in lines)
    # the mayor's 2030 target is a fact of 2024: recent enough
    assert not any(line.startswith(f"facts/analysis.yaml:{target}:") for line in lines)
    # the age is configurable
    r = run_cli("check", "--facts", "facts", "--as-of", "2029-03", "--max-age", "10", cwd=tmp_path)
    assert "old facts" not in r.err


def test_check_warns_of_an_unresolved_conflict(tmp_path: Path) -> None:
    facts = with_confidence(tmp_path)
    replace_in(facts / "facts" / "usage.yaml", "    more_credible: use-2023-daily-trips\n", "")
    r = run_cli("check", "--facts", "facts", "--as-of", "2025-01", cwd=tmp_path)
    assert r.code == 0, r.err
    line = line_with(facts / "analysis.yaml", "facts: [use-2023-daily-trips, use-2023-daily-trips-mayor]")
    assert (f"facts/analysis.yaml:{line}: warning: judgment 'kj-counts' rests on use-2023-daily-trips, "
            "use-2023-daily-trips-mayor, in the unresolved conflict 'conflict-daily-trips-2023'; weigh its versions "
            "(more_credible) or hedge the judgment") in r.err.splitlines()


def test_check_as_of_a_date_warns_only_of_judgments_standing_then(tmp_path: Path) -> None:
    facts = with_confidence(tmp_path)
    replace_in(facts / "facts" / "usage.yaml", "    more_credible: use-2023-daily-trips\n", "")
    r = run_cli("check", "--facts", "facts", "--as-of", "2024-05", cwd=tmp_path)
    assert "unresolved conflict" not in r.err  # the mayor's figure was not yet published


def test_a_short_brief_states_likelihood_and_level_only(tmp_path: Path) -> None:
    facts = with_confidence(tmp_path)
    r = run_cli("build", "--facts", "facts", "--out", "out", "--audience", "executive", "--no-limits",
                "--format", "docx", cwd=tmp_path, env=EPOCH)
    assert r.code == 0, r.err
    lines = docx_lines(tmp_path / "out" / "executive")
    money = next(line for line in lines if line.startswith("Spending rose from $1.1 million"))
    assert money.endswith("a year.3 Likelihood: very likely (80–95%). Confidence: moderate.") or \
        money.endswith("Likelihood: very likely (80–95%). Confidence: moderate."), money
    assert not any(REASON in line for line in lines)
    assert facts.is_dir()
