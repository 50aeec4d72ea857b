"""`briefkit check`: each validation rule, met through the CLI as a user meets it (exact path:line messages)."""

from __future__ import annotations

from pathlib import Path

from conftest import SEEDS, line_with, replace_in, run_cli


def check(folder: Path) -> tuple[int, list[str]]:
    r = run_cli("check", "--facts", str(folder), cwd=folder.parent)
    assert "Traceback" not in r.err
    return r.code, r.err.splitlines()


def test_real_seeds_are_clean() -> None:
    r = run_cli("check")
    assert r.code == 0, r.err
    assert "ok:" in r.out


def errors(lines: list[str]) -> list[str]:
    """The lines that are not warnings about key judgments (those are printed but do not fail the check)."""
    return [line for line in lines if ": warning: " not in line]


def test_example_is_clean(example: Path) -> None:
    code, lines = check(example)
    assert (code, errors(lines)) == (0, [])


def test_duplicate_fact_id(example: Path) -> None:
    usage = example / "facts" / "usage.yaml"
    replace_in(usage, "id: use-2020-daily-trips", "id: use-2023-daily-trips")
    code, lines = check(example)
    line = _nth_line(usage, "- id: use-2023-daily-trips", 2)
    assert code == 1
    assert f"facts/facts/usage.yaml:{line}: id: id 'use-2023-daily-trips' is already used in facts/facts/usage.yaml" in lines


def _nth_line(path: Path, needle: str, n: int) -> int:
    hits = [i for i, line in enumerate(path.read_text().splitlines(), start=1) if line.strip() == needle]
    return hits[n - 1]


def test_unknown_source(example: Path) -> None:
    money = example / "facts" / "money.yaml"
    replace_in(money, "{source: council-2024, locator: \"chapter 4, para. 2\"}",
               "{source: council-2042, locator: \"chapter 4, para. 2\"}")
    code, lines = check(example)
    assert code == 1
    line = line_with(money, "council-2042")
    assert f"facts/facts/money.yaml:{line}: sources.source: unknown source 'council-2042'" in lines


def test_invalid_month(example: Path) -> None:
    outlook = example / "facts" / "outlook.yaml"
    replace_in(outlook, 'date: "2024-06"', 'date: "2024-13"')
    code, lines = check(example)
    assert code == 1
    assert f"facts/facts/outlook.yaml:{line_with(outlook, '2024-13')}: date: '2024-13' is not a valid month" in lines


def test_date_after_publication(example: Path) -> None:
    outlook = example / "facts" / "outlook.yaml"
    replace_in(outlook, 'date: "2024-06"', 'date: "2024-09"')
    code, lines = check(example)
    assert code == 1
    line = line_with(outlook, "2024-09")
    assert f"facts/facts/outlook.yaml:{line}: date: 2024-09 is later than the publication of gazette-2024 (2024-06)" in lines


def test_number_without_value(example: Path) -> None:
    usage = example / "facts" / "usage.yaml"
    replace_in(usage, "counted 12,400 cycle trips a day", "counted 12,400 cycle trips a day on 300 days")
    code, lines = check(example)
    assert code == 1
    line = line_with(usage, "on 300 days")
    assert f"facts/facts/usage.yaml:{line}: statement: the number '300' has no matching entry in values" in lines


def test_value_not_in_statement(example: Path) -> None:
    usage = example / "facts" / "usage.yaml"
    replace_in(usage, "{value: 8100, unit: trips a day}", "{value: 8200, unit: trips a day}")
    code, lines = check(example)
    assert code == 1
    assert f"facts/facts/usage.yaml:{line_with(usage, 'value: 8200')}: values: value 8200 does not appear in the statement" in lines
    assert f"facts/facts/usage.yaml:{line_with(usage, 'In 2020 the council')}: statement: the number '8,100' has no matching entry in values" in lines


def test_dataset_number_disagrees_with_fact(example: Path) -> None:
    trips = example / "datasets" / "trips.yaml"
    replace_in(trips, "trips: 12400", "trips: 12500")
    code, lines = check(example)
    assert code == 1
    line = line_with(trips, "trips: 12500")
    assert f"facts/datasets/trips.yaml:{line}: trips: 12500 is not a value of the facts this record cites" in lines


def test_dataset_year_disagrees_with_fact(example: Path) -> None:
    trips = example / "datasets" / "trips.yaml"
    replace_in(trips, "{year: 2020,", "{year: 2021,")
    code, lines = check(example)
    assert code == 1
    line = line_with(trips, "year: 2021")
    assert f"facts/datasets/trips.yaml:{line}: year: 2021 is not the year of a fact this record cites (2020)" in lines


def test_dataset_qualifier_must_be_kept(example: Path) -> None:
    trips = example / "datasets" / "trips.yaml"
    replace_in(trips, "trips: 12400", "trips: 15000")
    replace_in(trips, "facts: [use-2023-daily-trips,", "facts: [use-2023-daily-trips-mayor,")
    _code, lines = check(example)
    line = line_with(trips, "trips: 15000")
    assert f"facts/datasets/trips.yaml:{line}: trips: the fact gives 15000 with qualifier 'about'; write {{value: 15000, qualifier: about}}" in lines


def test_unused_source(example: Path) -> None:
    outlook = example / "facts" / "outlook.yaml"
    replace_in(outlook, "{source: gazette-2024, locator: \"para. 6\"}", "{source: council-2024, locator: \"p. 9\"}")
    usage = example / "facts" / "usage.yaml"
    replace_in(usage, "{source: gazette-2024, locator: \"para. 3\"}", "{source: council-2024, locator: \"p. 3\"}")
    code, lines = check(example)
    assert code == 1
    line = line_with(example / "sources.yaml", "id: gazette-2024")
    assert f"facts/sources.yaml:{line}: id: source 'gazette-2024' is not cited by any fact" in lines


def test_unknown_key_is_reported_with_its_line(example: Path) -> None:
    outlook = example / "facts" / "outlook.yaml"
    replace_in(outlook, "    weight: 1", "    wieght: 1")
    code, lines = check(example)
    assert code == 1
    assert f"facts/facts/outlook.yaml:{line_with(outlook, 'wieght')}: wieght: is not a known key (check its spelling)" in lines


def test_missing_required_field(example: Path) -> None:
    outlook = example / "facts" / "outlook.yaml"
    replace_in(outlook, "    topic: outlook\n", "")
    code, lines = check(example)
    assert code == 1
    assert f"facts/facts/outlook.yaml:{line_with(outlook, 'id: out-mayor-target')}: topic: is required" in lines


def test_unknown_topic(example: Path) -> None:
    outlook = example / "facts" / "outlook.yaml"
    replace_in(outlook, "    topic: outlook", "    topic: weather")
    _code, lines = check(example)
    assert f"facts/facts/outlook.yaml:{line_with(outlook, 'topic: weather')}: topic: 'weather' is not a topic of factbase.yaml" in lines


def test_conflict_with_unknown_fact(example: Path) -> None:
    usage = example / "facts" / "usage.yaml"
    replace_in(usage, "facts: [use-2023-daily-trips, use-2023-daily-trips-mayor]",
               "facts: [use-2023-daily-trips, use-2023-trips-mayor]")
    _code, lines = check(example)
    line = line_with(usage, "use-2023-trips-mayor]")
    assert f"facts/facts/usage.yaml:{line}: facts: unknown fact 'use-2023-trips-mayor'" in lines


def test_more_credible_must_be_in_conflict(example: Path) -> None:
    usage = example / "facts" / "usage.yaml"
    replace_in(usage, "more_credible: use-2023-daily-trips", "more_credible: use-2020-daily-trips")
    _code, lines = check(example)
    line = line_with(usage, "more_credible")
    assert f"facts/facts/usage.yaml:{line}: more_credible: must be one of the conflict's facts" in lines


def test_analysis_number_must_come_from_cited_facts(example: Path) -> None:
    analysis = example / "analysis.yaml"
    replace_in(analysis, "from $1.1 million to $3.2 million", "from $1.1 million to $3.5 million")
    _code, lines = check(example)
    line = line_with(analysis, "$3.5 million")
    assert f"facts/analysis.yaml:{line}: judgments.text: the number '3.5 million' is not a value of the facts cited" in lines


def test_quote_must_match_statement(example: Path) -> None:
    outlook = example / "facts" / "outlook.yaml"
    replace_in(outlook, "statement: The mayor said the city aims to double cycling by 2030.",
               'statement: The mayor said the city aims "to double cycling" by 2030.\n'
               "    quote: {speaker: The mayor, text: to treble cycling}")
    _code, lines = check(example)
    line = line_with(outlook, "quote:")
    assert f"facts/facts/outlook.yaml:{line}: quote.text: the quoted text must appear word for word in the statement" in lines


def test_every_error_of_a_run_is_reported(example: Path) -> None:
    replace_in(example / "facts" / "outlook.yaml", 'date: "2024-06"', 'date: "2024-13"')
    replace_in(example / "datasets" / "trips.yaml", "trips: 12400", "trips: 12500")
    replace_in(example / "facts" / "money.yaml", "$3.2 million", "$3.3 million")
    code, lines = check(example)
    assert code == 1
    assert len(lines) >= 3
    assert all(line.startswith("facts/") and ":" in line for line in lines)


def test_yaml_syntax_error(example: Path) -> None:
    money = example / "facts" / "money.yaml"
    replace_in(money, "    kind: figure\n    weight: 1", "    kind: figure\n   weight: [1")
    code, lines = check(example)
    assert code == 1
    assert len(lines) == 1
    assert lines[0].startswith(f"facts/facts/money.yaml:{line_with(money, 'weight: [1')}: YAML syntax")


def test_non_utf8_bytes(example: Path) -> None:
    outlook = example / "facts" / "outlook.yaml"
    data = outlook.read_bytes().replace(b"double cycling", b"double cycling \xff")
    outlook.write_bytes(data)
    code, lines = check(example)
    assert code == 1
    line = line_with_bytes(outlook, b"\xff")
    assert f"facts/facts/outlook.yaml:{line}: not UTF-8 text (byte 0xff); save the file as UTF-8" in lines


def line_with_bytes(path: Path, needle: bytes) -> int:
    for n, line in enumerate(path.read_bytes().splitlines(), start=1):
        if needle in line:
            return n
    raise AssertionError(needle)


def test_python_tags_are_refused(example: Path) -> None:
    outlook = example / "facts" / "outlook.yaml"
    replace_in(outlook, "    weight: 1", "    weight: !!python/object/apply:os.system ['echo pwned']")
    code, lines = check(example)
    assert code == 1
    line = line_with(outlook, "python/object")
    assert f"facts/facts/outlook.yaml:{line}: tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed; use plain YAML values" in lines


def test_aliases_are_refused(example: Path) -> None:
    outlook = example / "facts" / "outlook.yaml"
    replace_in(outlook, "    tags: []\n" if "tags: []" in outlook.read_text() else "    weight: 1\n",
               "    weight: 1\n    tags: &t [a, b]\n    extra: *t\n")
    code, lines = check(example)
    assert code == 1
    assert any("anchors and aliases (&, *) are not allowed" in line for line in lines)


def test_byte_order_mark_is_fine(example: Path) -> None:
    outlook = example / "facts" / "outlook.yaml"
    outlook.write_bytes(b"\xef\xbb\xbf" + outlook.read_bytes())
    code, lines = check(example)
    assert (code, errors(lines)) == (0, [])


def test_missing_folder_is_one_line(tmp_path: Path) -> None:
    code, lines = check(tmp_path / "nowhere")
    assert code == 1
    assert lines == ["nowhere: fact base folder not found"]


def test_facts_json_shape() -> None:
    import json

    r = run_cli("facts", "--format", "json", "--facts", str(SEEDS))
    assert r.code == 0, r.err
    data = json.loads(r.out)
    assert set(data) >= {"sources", "facts", "conflicts"}
    fact = data["facts"][0]
    assert {"id", "statement", "date", "topic", "tags", "sources", "values"} <= set(fact)
    assert {"id", "topic", "facts", "note"} <= set(data["conflicts"][0])
    assert {"id", "title", "authors", "publisher", "date"} <= set(data["sources"][0])


def test_facts_as_of_drops_later_sources(example: Path) -> None:
    import json

    r = run_cli("facts", "--format", "json", "--facts", str(example), "--as-of", "2024-05")
    data = json.loads(r.out)
    assert [s["id"] for s in data["sources"]] == ["council-2024"]
    assert all(f["sources"][0]["source"] == "council-2024" for f in data["facts"])
    assert data["conflicts"] == []
