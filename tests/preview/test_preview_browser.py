"""`briefkit preview` end to end in a real headless browser: Debian's Chromium driven by Playwright.

The page loads and shows the brief's title; a fact edited on disk appears without a reload; a broken YAML file
shows its located message in the page (and the same line in the terminal) while the last good brief stays; the
fixed file brings the brief back. Every wait is bounded."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import EXAMPLE, replace_in, run_cli

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
WAIT_MS = 20_000  # a render takes well under a second; the margin is for a busy shared machine

sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright for Python is not installed")
if not CHROMIUM.exists():
    pytest.skip("Chromium is not installed (apt-get install chromium)", allow_module_level=True)


@pytest.fixture
def browser():
    with sync_api.sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True, timeout=WAIT_MS)
        try:
            yield chromium
        finally:
            chromium.close()


def test_the_page_follows_the_files(tmp_path: Path, preview_of, browser) -> None:
    facts = tmp_path / "facts"
    shutil.copytree(EXAMPLE, facts)
    preview = preview_of(facts).start()
    page = browser.new_page()
    page.set_default_timeout(WAIT_MS)
    page.goto(preview.url)

    title = page.locator("#content h1.title")
    title.wait_for()
    assert title.inner_text() == "Cycling in Exampleville"
    assert "The council counted 12,400 cycle trips a day in 2023." in page.locator("#content").inner_text()
    page.evaluate("window.notReloaded = true")  # gone if the page were loaded again

    usage = facts / "facts" / "usage.yaml"
    replace_in(usage, "The council counted 12,400 cycle trips a day in 2023.",
               "The council's counters recorded 12,400 cycle trips a day in 2023.")
    page.get_by_text("The council's counters recorded 12,400 cycle trips a day in 2023.").first.wait_for()
    assert page.evaluate("window.notReloaded") is True
    assert page.locator("#problems").is_hidden()

    good = usage.read_text(encoding="utf-8")
    usage.write_text(good.replace("    weight: 1\n", "    weight: [1\n", 1), encoding="utf-8")
    problems = page.locator("#problems")
    problems.wait_for(state="visible")
    message = problems.inner_text()
    checked = run_cli("check", "--facts", "facts", cwd=tmp_path)
    assert checked.code == 1
    assert [message] == checked.err.splitlines()  # the located line `briefkit check` prints
    assert message.startswith("facts/facts/usage.yaml:") and "YAML syntax" in message
    assert preview.wait_for_line("facts/facts/usage.yaml:", 10) == message  # and the terminal's
    # the last good brief stays under the message
    assert title.inner_text() == "Cycling in Exampleville"
    assert "The council's counters recorded 12,400" in page.locator("#content").inner_text()

    usage.write_text(good.replace("12,400 cycle trips a day in 2023.", "12,400 cycle trips a day in 2023, its highest.",
                                  1), encoding="utf-8")
    problems.wait_for(state="hidden")
    page.get_by_text("12,400 cycle trips a day in 2023, its highest.").first.wait_for()
    assert page.evaluate("window.notReloaded") is True

    page.get_by_role("button", name="Deck").click()
    page.locator("#content section.slide").first.wait_for()
    assert page.locator("#content section.slide h1").first.inner_text() == "Cycling in Exampleville"
    assert preview.stop() == 0
    assert preview.wait_for_line("briefkit preview: stopped", 10)


def test_audience_and_as_of_switch_in_the_page(tmp_path: Path, preview_of, browser) -> None:
    facts = tmp_path / "facts"
    shutil.copytree(EXAMPLE, facts)
    preview = preview_of(facts).start()
    page = browser.new_page()
    page.set_default_timeout(WAIT_MS)
    page.goto(preview.url)
    page.locator("#content h1.title").wait_for()
    assert "Analyst" in page.locator("#content .dateline").inner_text()

    page.select_option("#audience", "executive")
    page.wait_for_function("document.querySelector('#content .dateline').innerText.includes('Executive')")

    page.fill("#as-of", "2024-05")
    page.dispatch_event("#as-of", "change")
    page.wait_for_function("document.querySelector('#content .dateline').innerText.includes('May 2024')")
    # the mayor's figure was published later (June 2024): as of May it is not in the brief
    assert "15,000" not in page.locator("#content").inner_text()

    page.fill("#as-of", "2024-13")
    page.dispatch_event("#as-of", "change")
    page.locator("#problems").wait_for(state="visible")
    assert page.locator("#problems").inner_text() == "as of: '2024-13' is not a valid month"


BUILD_MS = 180_000
DONE = "!document.getElementById('status').innerText.startsWith('building')"


def test_the_full_build_is_one_key_away(tmp_path: Path, preview_of, browser) -> None:
    facts = tmp_path / "facts"
    shutil.copytree(EXAMPLE, facts)
    preview = preview_of(facts, "--no-limits").start()
    page = browser.new_page()
    page.set_default_timeout(WAIT_MS)
    page.goto(preview.url)
    page.locator("#content h1.title").wait_for()
    assert not (tmp_path / "out" / "analyst").exists()  # a reload builds no files
    page.keyboard.press("b")
    page.wait_for_function(DONE, timeout=BUILD_MS)
    assert page.locator("#status").inner_text() == f"built analyst: {tmp_path / 'out' / 'analyst'}"
    built = sorted(p.suffix for p in (tmp_path / "out" / "analyst").iterdir())
    assert built == [".docx", ".eml", ".json", ".json", ".pdf", ".pptx"]
    assert preview.wait_for_line("preview: built analyst", 10)


def test_a_failed_full_build_says_why_in_the_page(tmp_path: Path, preview_of, browser) -> None:
    facts = tmp_path / "facts"
    shutil.copytree(EXAMPLE, facts)
    foreign = tmp_path / "out" / "analyst"
    foreign.mkdir(parents=True)
    (foreign / "notes.txt").write_text("mine", encoding="utf-8")  # a folder the build would replace, not its own
    preview = preview_of(facts).start()
    page = browser.new_page()
    page.set_default_timeout(WAIT_MS)
    page.goto(preview.url)
    page.locator("#content h1.title").wait_for()
    page.get_by_role("button", name="Build DOCX, PDF, PPTX (b)").click()
    page.wait_for_function(DONE, timeout=BUILD_MS)
    status = page.locator("#status").inner_text()
    assert status == ("out/analyst: is not a briefkit output folder (no manifest.json of ours) and a build replaces "
                      "it whole; move it away or choose another --out"), status
    assert preview.wait_for_line("out/analyst: is not a briefkit output folder", 10) == status
    assert (foreign / "notes.txt").read_text(encoding="utf-8") == "mine"
