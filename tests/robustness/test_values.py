"""Values a user types or inherits (addresses, SOURCE_DATE_EPOCH, dates): refused where they enter, before any
work, with one line saying what is wrong; never an internal error at the end of a build."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import EXAMPLE, Run, run_cli
from tests.robustness.conftest import EPOCH, FAST, Case, assert_user_error, facts_copy, run_all

pytestmark = pytest.mark.slow  # dozens of CLI runs: `make test-fast` leaves it out

BUILD = ("build", "--facts", str(EXAMPLE), *FAST)

ADDRESSES = {
    "no-domain": ("a@", "needs the form name@domain"),
    "open-literal": ("a@[1.2.3", "is not a closed domain literal"),
    "bad-literal": ("a@[1.2.3]", "does not hold an IP address"),
    "comment-only": ("(a@b", "before the @ is not a mailbox name"),
    "space": ("a b@example.org", "before the @ is not a mailbox name"),
    "hyphen-label": ("a@-example.org", "is not a valid domain name"),
    "empty-label": ("a@example..org", "is not a valid domain name"),
    "two": ("a@example.org; b@example.org", "holds a list separator"),
    "name-specials": ("Desk (night) <a@example.org>", "the name before <...> may not hold"),
    "too-long": ("a@" + "b" * 60 + "." + ("c" * 60 + ".") * 4 + "org", "is not a valid domain name"),
}

EPOCHS = {
    "word": ("yesterday", "is not a whole number of seconds since 1970-01-01 UTC"),
    "superscript": ("1767225600²", "is not a whole number of seconds"),
    "arabic-indic": ("١٧٦٧٢٢٥٦٠٠", "is not a whole number of seconds"),
    "negative": ("-1", "is not a whole number of seconds"),
    "fraction": ("1767225600.5", "is not a whole number of seconds"),
    "past-2107": ("4354819200", "is after 2107-12-31, the last date a DOCX or PPTX file can record"),
    "huge": ("9" * 40, "is not a whole number of seconds"),
}


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Run]:
    work = tmp_path_factory.mktemp("values")
    cases = {f"to-{k}": Case((*BUILD, "--out", "out", "--to", v), work) for k, (v, _) in ADDRESSES.items()}
    cases |= {f"from-{k}": Case((*BUILD, "--out", "out", "--from", v), work) for k, (v, _) in ADDRESSES.items()
              if k in ("no-domain", "comment-only")}
    cases |= {f"epoch-{k}": Case((*BUILD, "--out", "out"), work, {"SOURCE_DATE_EPOCH": v})
              for k, (v, _) in EPOCHS.items()}
    return run_all(cases)


@pytest.mark.parametrize("name", sorted(ADDRESSES))
def test_an_invalid_address_is_a_usage_error_before_any_work(runs: dict[str, Run], name: str) -> None:
    _value, reason = ADDRESSES[name]
    line = assert_user_error(runs[f"to-{name}"], "--to", reason, code=2)
    assert "is not one email address" in line
    assert "composing" not in runs[f"to-{name}"].err


def test_an_invalid_sender_is_a_usage_error(runs: dict[str, Run]) -> None:
    assert_user_error(runs["from-no-domain"], "--from", "needs the form name@domain", code=2)
    assert_user_error(runs["from-comment-only"], "--from", "is not a mailbox name", code=2)


@pytest.mark.parametrize("name", sorted(EPOCHS))
def test_a_malformed_source_date_epoch_is_a_usage_error(runs: dict[str, Run], name: str) -> None:
    _, reason = EPOCHS[name]
    assert_user_error(runs[f"epoch-{name}"], "SOURCE_DATE_EPOCH", reason, code=2)


def test_valid_unusual_addresses_build(tmp_path: Path) -> None:
    """An internationalised domain goes into the headers in its ASCII form; a display name and a domain
    literal are kept."""
    import email
    from email import policy

    out = tmp_path / "out"
    r = run_cli(*BUILD, "--out", str(out), "--format", "docx", "--to", "a@exämple.org", "--to", "b@[192.0.2.1]",
                "--from", "Briefs Desk <briefs@example.org>", env=EPOCH)
    assert r.code == 0, r.err
    eml = next(out.rglob("*.eml"))
    msg = email.message_from_bytes(eml.read_bytes(), policy=policy.default)
    assert msg["To"] == "a@xn--exmple-cua.org, b@[192.0.2.1]"
    assert msg["From"] == "Briefs Desk <briefs@example.org>"


def test_the_last_recordable_epoch_builds(tmp_path: Path) -> None:
    r = run_cli(*BUILD, "--out", str(tmp_path / "out"), "--format", "docx,pptx",
                env={"SOURCE_DATE_EPOCH": "4354819199"})
    assert r.code == 0, r.err


@pytest.mark.parametrize(("date", "reason"), [
    ("0000", "is not a valid year; years run from 0001 to 9999"),
    ("２０２０", "is not a date"),
    ("2020-13", "is not a valid month"),
    ("2021-02-29", "is not a valid day"),
])
def test_an_impossible_as_of_date_is_a_usage_error(tmp_path: Path, date: str, reason: str) -> None:
    r = run_cli(*BUILD, "--out", str(tmp_path / "out"), "--as-of", date, env=EPOCH)
    assert_user_error(r, "--as-of", reason, code=2)


def test_the_edges_of_the_calendar_do_not_crash(tmp_path: Path) -> None:
    """A fact dated 0000 is a located error in `check`; year 1 and 9999-12 are real dates, and an as-of of
    9999-12 keeps everything."""
    facts = facts_copy(tmp_path / "facts")
    usage = facts / "facts" / "usage.yaml"
    text = usage.read_text(encoding="utf-8")
    first_date = next(line for line in text.splitlines() if line.strip().startswith("date:"))
    usage.write_text(text.replace(first_date, first_date.split("date:")[0] + 'date: "0000"', 1), encoding="utf-8")
    r = run_cli("check", "--facts", str(facts), cwd=tmp_path)
    at = text.splitlines().index(first_date) + 1
    assert_user_error(r, "facts/facts/usage.yaml", "date: '0000' is not a valid year", line=at)
    usage.write_text(text, encoding="utf-8")
    r = run_cli("build", "--facts", str(facts), *FAST, "--out", str(tmp_path / "out"), "--as-of", "9999-12",
                "--format", "docx", cwd=tmp_path, env=EPOCH)
    assert r.code == 0, r.err


@pytest.mark.parametrize("number", ["9223372036854775807", "-2e16", "1.5e300"])
def test_a_number_no_chart_can_show_is_refused_at_its_line(tmp_path: Path, number: str) -> None:
    """2^63-1 used to pass `check` and then break matplotlib at the end of a build."""
    facts = facts_copy(tmp_path / "facts")
    trips = facts / "datasets" / "trips.yaml"
    text = trips.read_text(encoding="utf-8")
    first = next(line for line in text.splitlines() if "12400" in line)
    trips.write_text(text.replace(first, first.replace("12400", number), 1), encoding="utf-8")
    r = run_cli("check", "--facts", str(facts), cwd=tmp_path)
    assert_user_error(r, "facts/datasets/trips.yaml", "is too large; numbers run to ±1,000,000,000,000,000",
                      line=text.splitlines().index(first) + 1)
