"""What changed: the record each build keeps (said.json), `briefkit diff` between two real builds, and
`build --since` a bundle and a date, read back from the DOCX, PDF, PPTX and email."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import replace_in, run_cli
from loop.readers import docx_lines, email_text, pdf_text, slides
from loop.test_confidence import EPOCH, with_confidence

NEW_FACT = '''  - id: use-2023-collisions
    statement: The police counted 41 bicycle collisions in 2023.
    date: "2023"
    topic: usage
    kind: figure
    weight: 1
    sources:
      - {source: council-2024, locator: "chapter 3, para. 1"}
    values:
      - {value: 41, unit: collisions}
'''


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example built; then one fact added, one changed, one judgment's confidence raised, and built again
    with --since the first bundle."""
    work = tmp_path_factory.mktemp("since")
    facts = with_confidence(work)
    r = run_cli("build", "--facts", "facts", "--out", "old", "--no-limits", cwd=work, env=EPOCH)
    assert r.code == 0, r.err
    replace_in(facts / "facts" / "usage.yaml", "facts:\n", "facts:\n" + NEW_FACT)  # checked against the text
    replace_in(facts / "facts" / "usage.yaml", "In 2020 the council counted 8,100 cycle trips a day.",
               "In 2020 the council's counters recorded 8,100 cycle trips a day.")
    replace_in(facts / "analysis.yaml", "level: moderate", "level: high")
    r = run_cli("build", "--facts", "facts", "--out", "new", "--since", "old/analyst", "--no-limits", cwd=work,
                env=EPOCH)
    assert r.code == 0, r.err
    return work


def test_each_bundle_records_what_it_said(two_builds: Path) -> None:
    old = json.loads((two_builds / "old" / "analyst" / "said.json").read_text())
    assert [f["id"] for f in old["facts"]] == ["money-2023-lanes", "money-2020-lanes", "out-mayor-target",
                                               "use-2023-daily-trips", "use-2023-daily-trips-mayor",
                                               "use-2020-daily-trips"]
    money = next(j for j in old["judgments"] if j["id"] == "kj-money")
    assert money["confidence"] == "moderate" and money["likelihood"] == "very likely"
    assert all(len(item["digest"]) == 16 for kind in ("facts", "judgments", "conflicts") for item in old[kind])
    manifest = json.loads((two_builds / "old" / "analyst" / "manifest.json").read_text())
    assert "said.json" in [f["path"] for f in manifest["files"]]


def test_diff_as_text(two_builds: Path) -> None:
    r = run_cli("diff", "old/analyst", "new/analyst/manifest.json", cwd=two_builds)
    assert r.code == 0, r.err
    assert r.out.splitlines() == [
        "old: analyst brief of 2026-01-01",
        "new: analyst brief of 2026-01-01",
        "",
        "Facts: 1 added, 1 changed, 0 removed",
        "  + use-2023-collisions: The police counted 41 bicycle collisions in 2023.",
        "  ~ use-2020-daily-trips: In 2020 the council's counters recorded 8,100 cycle trips a day.",
        '      statement: "In 2020 the council counted 8,100 cycle trips a day." -> '
        '"In 2020 the council\'s counters recorded 8,100 cycle trips a day."',
        "",
        "Judgments: 0 added, 2 changed, 0 removed",
        "  ~ kj-money: Spending rose from $1.1 million to $3.2 million a year.",
        "      confidence: moderate -> high",
        "  ~ kj-target: Doubling cycling by 2030 would need faster growth than so far.",
        "      support: use-2020-daily-trips changed",
        "",
        "Conflicts: 0 added, 0 changed, 0 removed",
    ]


def test_diff_as_json(two_builds: Path) -> None:
    r = run_cli("diff", "old/analyst", "new/analyst", "--format", "json", cwd=two_builds)
    assert r.code == 0, r.err
    data = json.loads(r.out)
    assert [c["id"] for c in data["facts"]["added"]] == ["use-2023-collisions"]
    assert data["facts"]["changed"][0]["id"] == "use-2020-daily-trips"
    assert data["facts"]["changed"][0]["old"]["statement"] == "In 2020 the council counted 8,100 cycle trips a day."
    assert data["facts"]["removed"] == []
    money = next(c for c in data["judgments"]["changed"] if c["id"] == "kj-money")
    assert money["changes"] == ["confidence: moderate -> high"]
    assert (money["old"]["confidence"], money["new"]["confidence"]) == ("moderate", "high")
    assert data["old"]["audience"] == "analyst"


def test_diff_the_other_way_reports_removals(two_builds: Path) -> None:
    r = run_cli("diff", "new/analyst", "old/analyst", cwd=two_builds)
    assert "Facts: 0 added, 1 changed, 1 removed" in r.out
    assert "  - use-2023-collisions: The police counted 41 bicycle collisions in 2023." in r.out
    assert "      confidence: high -> moderate" in r.out


MARK = "Changed since the analyst brief of 1 January 2026: confidence moderate → high."


def test_since_a_bundle_in_the_brief(two_builds: Path) -> None:
    lines = docx_lines(two_builds / "new" / "analyst")
    start = lines.index("New since the analyst brief of 1 January 2026")
    assert lines[start + 1] == ("Since the analyst brief of 1 January 2026: 1 new fact; 1 fact revised; "
                                "2 key judgments changed.")
    section = lines[start + 2:start + 6]
    assert "Judgment changed: “Spending rose from $1.1 million to $3.2 million…”: confidence moderate → high" \
        in section
    assert any(s.startswith("New: The police counted 41 bicycle collisions in 2023.") for s in section)
    assert any(s.startswith("Revised: In 2020 the council's counters recorded 8,100 cycle trips a day.")
               for s in section)
    # the changed judgment is marked where it stands
    money = next(n for n, line in enumerate(lines) if line.startswith("Spending rose from $1.1 million"))
    assert MARK in lines[money + 1:money + 6]
    target = next(n for n, line in enumerate(lines) if line.startswith("Doubling cycling by 2030"))
    assert lines[target + 1] == "Changed since the analyst brief of 1 January 2026: support revised."
    counts = next(n for n, line in enumerate(lines) if line.startswith("The council's count of 12,400"))
    assert not lines[counts + 1].startswith("Changed since")
    pdf = pdf_text(two_builds / "new" / "analyst")
    assert "New since the analyst brief of 1 January 2026" in pdf
    assert MARK in pdf


def test_since_a_bundle_in_the_deck_and_the_email(two_builds: Path) -> None:
    deck = slides(two_builds / "new" / "analyst")
    news = next(s for s in deck if s and s[0] == "New since the analyst brief of 1 January 2026")
    assert "Judgment changed: “Spending rose from $1.1 million to $3.2 million…”: confidence moderate → high" in news
    judgments = next(s for s in deck if s and s[0] == "Key judgments")
    i = judgments.index("Spending rose from $1.1 million to $3.2 million a year.")
    assert judgments[i + 2] == "Changed since the analyst brief of 1 January 2026."
    body = email_text(two_builds / "new" / "analyst")
    assert ("Since the analyst brief of 1 January 2026: 1 new fact; 1 fact revised; 2 key judgments changed. "
            "Judgment changed: “Spending rose from $1.1 million to $3.2 million…”: confidence moderate → high") \
        in " ".join(body.split())


def test_the_old_bundle_says_nothing_new(two_builds: Path) -> None:
    assert not any(line.startswith("New since") for line in docx_lines(two_builds / "old" / "analyst"))


def test_since_a_date(tmp_path: Path) -> None:
    facts = with_confidence(tmp_path)
    r = run_cli("build", "--facts", "facts", "--out", "out", "--since", "2024-05", "--no-limits", cwd=tmp_path,
                env=EPOCH)
    assert r.code == 0, r.err
    lines = docx_lines(tmp_path / "out" / "analyst")
    start = lines.index("New since May 2024")
    assert lines[start + 1] == ("Since May 2024: 2 new facts; 2 new key judgments; "
                                "1 new disagreement between sources.")
    section = lines[start + 2:start + 6]
    assert any(s.startswith("New: The mayor put daily cycle trips in 2023 at about 15,000.") for s in section)
    counts = next(n for n, line in enumerate(lines) if line.startswith("The council's count of 12,400"))
    assert lines[counts + 1] == "New since May 2024."
    assert "New since May 2024" in pdf_text(tmp_path / "out" / "analyst")
    assert any(s and s[0] == "New since May 2024" for s in slides(tmp_path / "out" / "analyst"))
    assert "Since May 2024: 2 new facts" in email_text(tmp_path / "out" / "analyst")
    assert facts.is_dir()


def test_a_rebuild_with_another_since_is_not_taken_as_current(two_builds: Path, tmp_path: Path) -> None:
    work = tmp_path / "w"
    shutil.copytree(two_builds, work)
    r = run_cli("build", "--facts", "facts", "--out", "new", "--since", "old/analyst", "--no-limits",
                "--timings", cwd=work, env=EPOCH)
    assert r.code == 0, r.err
    assert "reused" in r.out.lower() or "up to date" in (r.out + r.err).lower()
    r = run_cli("build", "--facts", "facts", "--out", "new", "--since", "2024-05", "--no-limits", cwd=work,
                env=EPOCH)
    assert r.code == 0, r.err
    assert "New since May 2024" in docx_lines(work / "new" / "analyst")


@pytest.mark.parametrize(("args", "message"), [
    (("--since", "nowhere"), "--since: nowhere: not found; give a bundle folder (OUT/AUDIENCE) or its manifest.json"),
    (("--since", "2024-13"), "--since: '2024-13' is not a valid month"),
    (("--since", "2024-06", "--as-of", "2024-05"), "--since: 2024-06 is after the brief's as-of date 2024-05; give "
                                                   "an earlier date"),
])
def test_since_mistakes_are_one_line(tmp_path: Path, args: tuple[str, ...], message: str) -> None:
    with_confidence(tmp_path)
    r = run_cli("build", "--facts", "facts", "--out", "out", "--format", "docx", *args, cwd=tmp_path, env=EPOCH)
    assert r.code in (1, 2)
    assert r.err.splitlines() == [message]


def test_diff_of_a_folder_that_is_no_bundle(tmp_path: Path) -> None:
    (tmp_path / "plain").mkdir()
    r = run_cli("diff", "plain", "plain", cwd=tmp_path)
    assert r.code == 2
    assert r.err.splitlines() == ["plain: has no said.json: it was built by an older briefkit, or is not a bundle; "
                                  "build it again"]
    (tmp_path / "plain" / "said.json").write_text("{not json", encoding="utf-8")
    r = run_cli("diff", "plain", "plain", cwd=tmp_path)
    assert r.code == 2
    assert r.err.splitlines()[0].startswith("plain: said.json cannot be read: ")
