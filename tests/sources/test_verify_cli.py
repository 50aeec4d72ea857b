"""`briefkit verify` and the provenance checks of `check`, met through the CLI as a user meets them."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import ROOT, SEEDS, line_with, replace_in, run_cli

pytestmark = pytest.mark.slow  # `briefkit verify` runs end to end, a process each: `make test-fast` leaves it out

# The built-in subject's texts may not be copied into the project: they are read where the developers keep them.
SHARED = Path(os.environ.get("BRIEFKIT_SHARED_SOURCES", ROOT.parent / "shared" / "sources"))
needs_shared = pytest.mark.skipif(not SHARED.is_dir(), reason=f"the built-in subject's source texts are not at {SHARED}")


def verify(folder: Path, *more: str) -> tuple[int, list[str], str]:
    r = run_cli("verify", "--facts", str(folder), *more, cwd=folder.parent)
    assert "Traceback" not in r.err and "internal error" not in r.err
    return r.code, r.err.splitlines(), r.out


@needs_shared
def test_seeds_verify_against_their_sources() -> None:
    r = run_cli("verify", "--sources", str(SHARED))
    assert r.code == 0, r.err
    assert r.out.startswith("193 facts verified, 0 with problems, 0 without a source text (5 texts read) in ")


@needs_shared
def test_check_runs_the_same_checks_with_the_sources() -> None:
    r = run_cli("check", "--sources", str(SHARED))
    assert r.code == 0, r.err


def test_seeds_without_their_sources_still_check() -> None:
    r = run_cli("check", "--facts", str(SEEDS))
    assert r.code == 0, r.err


def test_verify_without_the_texts_says_where_it_looked(tmp_path: Path) -> None:
    r = run_cli("verify", "--sources", str(tmp_path / "nowhere"))
    assert r.code == 1
    assert f"{tmp_path / 'nowhere'}: source texts folder not found (give --sources DIR)" in r.err.splitlines()
    assert "0 facts verified, 0 with problems, 193 without a source text (0 texts read)" in r.err


def test_example_verifies(example: Path) -> None:
    code, err, out = verify(example)
    assert code == 0, err
    assert out.startswith("6 facts verified, 0 with problems, 0 without a source text (2 texts read) in ")
    r = run_cli("check", "--facts", str(example), cwd=example.parent, env={"SOURCE_DATE_EPOCH": "1767225600"})
    assert r.out == (f"{example}: ok: 2 sources, 6 facts, 6 verified against 2 source texts, 1 conflicts, 1 datasets"
                     "; 1 warning\n")  # kj-money rests on one source (a warning about a key judgment, decision 65)


def test_changed_figure(example: Path) -> None:
    money = example / "facts" / "money.yaml"
    replace_in(money, "The city spent $3.2 million", "The city spent $3.4 million")
    replace_in(money, "value: 3200000", "value: 3400000")
    code, err, _ = verify(example)
    line = line_with(money, "$3.4 million")
    assert code == 1
    assert f"facts/facts/money.yaml:{line}: fact money-2023-lanes: '3.4 million' (3,400,000) is not in chapter 4, para. 2; nor is it anywhere else in the source" in err
    assert err[-1].startswith("5 facts verified, 1 with problems, 0 without a source text")


def test_changed_year_in_words_of_the_source(example: Path) -> None:
    """A figure in words is read as a number, and looked for in the rest of the source."""
    money = example / "facts" / "money.yaml"
    replace_in(money, "Spending on bike lanes was $1.1 million in 2020.",
               "Spending on bike lanes was $1.1 million in 2020, nine years earlier.")
    _, err, _ = verify(example)
    line = line_with(money, "nine years earlier")
    assert f"facts/facts/money.yaml:{line}: fact money-2020-lanes: 'nine' (9) is not in chapter 4, para. 1; it is in 'Chapter 2: Who cycles, para. 1'" in err


def test_wrong_locator_names_the_right_one(example: Path) -> None:
    money = example / "facts" / "money.yaml"
    replace_in(money, 'locator: "chapter 4, para. 2"', 'locator: "chapter 4, para. 1"')
    code, err, _ = verify(example)
    line = line_with(money, "The city spent $3.2 million")
    assert code == 1
    assert f"facts/facts/money.yaml:{line}: fact money-2023-lanes: '3.2 million' (3,200,000) is not in chapter 4, para. 1; it is in 'chapter 4, para. 2'" in err


def test_locator_past_the_end(example: Path) -> None:
    money = example / "facts" / "money.yaml"
    replace_in(money, 'locator: "chapter 4, para. 2"', 'locator: "chapter 4, para. 5"')
    _, err, _ = verify(example)
    line = line_with(money, "chapter 4, para. 5")
    assert f"facts/facts/money.yaml:{line}: fact money-2023-lanes: 'chapter 4, para. 5' not found in council-2024: 'Chapter 4: Spending' has 2 paragraphs" in err


def test_unknown_heading_lists_the_headings(example: Path) -> None:
    money = example / "facts" / "money.yaml"
    replace_in(money, 'locator: "chapter 4, para. 2"', 'locator: "Costs, para. 2"')
    _, err, _ = verify(example)
    line = line_with(money, "Costs, para. 2")
    assert f"facts/facts/money.yaml:{line}: fact money-2023-lanes: 'Costs, para. 2' not found in council-2024: no heading 'Costs' (headings: Exampleville Transport Review 2024; Chapter 1: Summary; Chapter 2: Who cycles; Chapter 3: Safety; Chapter 4: Spending)" in err


def test_locator_that_does_not_parse(example: Path) -> None:
    money = example / "facts" / "money.yaml"
    replace_in(money, 'locator: "chapter 4, para. 2"', 'locator: "chapter 4, para. two"')
    line = line_with(money, "para. two")
    message = (f"facts/facts/money.yaml:{line}: fact money-2023-lanes: locator 'chapter 4, para. two' does not parse: "
               "column 18: expected a number after 'para.', found 'two'")
    code, err, _ = verify(example)
    assert code == 1 and message in err
    r = run_cli("check", "--facts", str(example), cwd=example.parent)  # check refuses it too, texts or not
    assert r.code == 1 and message in r.err.splitlines()


def test_quote_not_in_the_text(example: Path) -> None:
    outlook = example / "facts" / "outlook.yaml"
    replace_in(outlook, "statement: The mayor said the city aims to double cycling by 2030.",
               'statement: The mayor said the lanes had "brought cycling into the mainstream".')
    replace_in(outlook, 'locator: "para. 6"', 'locator: "para. 2"')
    with outlook.open("a", encoding="utf-8") as f:
        f.write("    quote: {speaker: Pat Sample, text: brought cycling into the mainstream}\n")
    assert verify(example)[0] == 0  # as the source has it
    replace_in(outlook, '"brought cycling into the mainstream"', '"brought cycling to the mainstream"')
    replace_in(outlook, "text: brought cycling into the mainstream", "text: brought cycling to the mainstream")
    code, err, _ = verify(example)
    line = line_with(outlook, "text: brought cycling")
    assert code == 1
    assert f"facts/facts/outlook.yaml:{line}: fact out-mayor-target: the quotation is not in the source word for word: 'brought cycling to the mainstream' is not there" in err


def test_quote_in_another_paragraph(example: Path) -> None:
    outlook = example / "facts" / "outlook.yaml"
    replace_in(outlook, "statement: The mayor said the city aims to double cycling by 2030.",
               'statement: The mayor said the lanes had "brought cycling into the mainstream".')
    replace_in(outlook, 'locator: "para. 6"', 'locator: "para. 3"')
    with outlook.open("a", encoding="utf-8") as f:
        f.write("    quote: {speaker: Pat Sample, text: brought cycling into the mainstream}\n")
    _, err, _ = verify(example)
    line = line_with(outlook, "text: brought cycling")
    assert f"facts/facts/outlook.yaml:{line}: fact out-mayor-target: the quotation is not in the cited paragraphs; it is in 'para. 2'" in err


def test_copied_sentence(example: Path) -> None:
    money = example / "facts" / "money.yaml"
    replace_in(money, "The city spent $3.2 million on protected bike lanes in 2023.",
               "Spending reached $3.2 million in 2023, when the first kerb-separated lanes opened on Mill Road.")
    code, err, _ = verify(example)
    line = line_with(money, "Spending reached")
    assert code == 1
    assert f"facts/facts/money.yaml:{line}: fact money-2023-lanes: 13 words in a row are the source's (council-2024, para. 8) outside a quotation: 'spending reached 3 2 million in 2023 when the first kerb separated lanes opened on mill road'; say it in your own words or quote it" in err


def test_copied_words_inside_a_quotation_are_allowed(example: Path) -> None:
    money = example / "facts" / "money.yaml"
    replace_in(money, "The city spent $3.2 million on protected bike lanes in 2023.",
               'The council says "spending reached $3.2 million in 2023, when the first kerb-separated lanes opened".')
    assert verify(example)[0] == 0


def test_names_are_not_copied_prose(example: Path) -> None:
    """Capitalised words inside a sentence are a name's: shared, they do not make a copy."""
    money = example / "facts" / "money.yaml"
    replace_in(money, "The city spent $3.2 million on protected bike lanes in 2023.",
               "The city spent $3.2 million in 2023; the lanes run on Mill Road and Station Street.")
    assert verify(example)[0] == 0


def test_missing_text_file(example: Path) -> None:
    (example / "sources" / "gazette-2024.txt").unlink()
    code, err, _ = verify(example)
    line = line_with(example / "sources.yaml", "text: gazette-2024.txt")
    assert code == 1
    assert f"facts/sources.yaml:{line}: source gazette-2024: text file 'gazette-2024.txt' is not in facts/sources" in err
    assert err[-1].startswith("4 facts verified, 0 with problems, 2 without a source text (1 texts read)")
    # check, asked for no folder, verifies what it has and leaves the rest to `verify`
    assert run_cli("check", "--facts", str(example), cwd=example.parent).code == 0


def test_text_named_outside_the_folder(example: Path) -> None:
    replace_in(example / "sources.yaml", "text: gazette-2024.txt", "text: ../facts/gazette-2024.txt")
    _, err, _ = verify(example)
    line = line_with(example / "sources.yaml", "text: ../facts")
    assert f"facts/sources.yaml:{line}: source gazette-2024: text file '../facts/gazette-2024.txt' is outside facts/sources" in err


def test_check_finds_the_example_texts_itself(example: Path) -> None:
    money = example / "facts" / "money.yaml"
    replace_in(money, 'locator: "chapter 4, para. 2"', 'locator: "chapter 4, para. 1"')
    r = run_cli("check", "--facts", str(example), cwd=example.parent)
    assert r.code == 1
    assert "fact money-2023-lanes: '3.2 million' (3,200,000) is not in chapter 4, para. 1; it is in 'chapter 4, para. 2'" in r.err


def test_source_text_not_utf8(example: Path) -> None:
    (example / "sources" / "gazette-2024.txt").write_bytes(b"Bike lanes\n\nCaf\xe9 owners\n")
    _, err, _ = verify(example)
    assert "facts/sources/gazette-2024.txt:3: the source text is not UTF-8" in err


def test_source_text_too_large(example: Path) -> None:
    (example / "sources" / "gazette-2024.txt").write_bytes(b"word " * 1_100_000)
    code, err, _ = verify(example)
    assert code == 1
    assert "facts/sources/gazette-2024.txt: source text of 5,500,000 bytes is over the limit of 5,000,000" in err


def test_stub_from_source_figures_is_refused_until_rewritten(example: Path) -> None:
    r = run_cli("source", "figures", "council-2024", "--facts", str(example), cwd=example.parent)
    assert r.code == 0, r.err
    assert "locator: \"Chapter 4: Spending, para. 2\"" in r.out
    assert "REWRITE: Spending reached $3.2 million in 2023" in r.out
    (example / "facts" / "stubs.yaml").write_text(r.out, encoding="utf-8")
    r = run_cli("check", "--facts", str(example), cwd=example.parent)
    assert r.code == 1
    stubs = example / "facts" / "stubs.yaml"
    line = line_with(stubs, "- id: council-2024-p8-s1") + 1
    assert (f"facts/facts/stubs.yaml:{line}: fact council-2024-p8-s1: still the stub from `source figures`: put the "
            "sentence in your own words and remove 'REWRITE:'") in r.err.splitlines()


def test_a_fact_with_one_text_of_two_is_checked_in_part(example: Path) -> None:
    money = example / "facts" / "money.yaml"
    replace_in(money, '- {source: council-2024, locator: "chapter 4, para. 2"}',
               '- {source: council-2024, locator: "chapter 4, para. 2"}\n      - {source: gazette-2024, locator: "para. 4"}')
    assert verify(example)[0] == 0
    (example / "sources" / "gazette-2024.txt").unlink()
    _, err, _ = verify(example)
    assert err[-1].startswith("3 facts verified, 0 with problems, 2 without a source text, 1 checked in part (a cited "
                              "source has no text) (1 texts read)")
