"""The caches never serve stale output: a rebuild after an edit equals a cold build of the edited inputs, a damaged
cache entry or output file is rebuilt, and only the outputs an edit reaches are written again."""

from __future__ import annotations

import dataclasses
import json
import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from briefkit.cache import Store, digest
from conftest import EXAMPLE, SEEDS, replace_in, run_cli

EPOCH = {"SOURCE_DATE_EPOCH": "1767225600"}  # 2026-01-01
EDITED = ("facts/outlook.yaml", "The mayor said", "The mayor told the council")  # in the brief and the deck


# ---------------------------------------------------------------- the store and its keys


def key(name: str) -> str:
    """A store key as the charts make them: a content hash and the format."""
    return digest(name) + ".svg"


def test_store_gives_back_what_it_was_given(tmp_path: Path) -> None:
    store = Store(tmp_path)
    store.put("charts", key("k1"), {"svg": b"<svg/>", "png": b"\x89PNG..."})
    assert store.get("charts", key("k1")) == {"svg": b"<svg/>", "png": b"\x89PNG..."}
    assert store.get("charts", key("k2")) is None
    assert (store.hits, store.misses) == (1, 1)


@pytest.mark.parametrize("damage", ["truncate", "flip", "header", "empty", "extra"])
def test_a_damaged_entry_is_ignored_and_deleted(tmp_path: Path, damage: str) -> None:
    store = Store(tmp_path)
    store.put("charts", key("k"), {"svg": b"<svg>" + b"x" * 100 + b"</svg>", "png": b"p" * 50})
    path = tmp_path / "charts" / key("k")
    blob = path.read_bytes()
    damaged = {
        "truncate": blob[: len(blob) - 20],
        "flip": blob[:-10] + bytes([blob[-10] ^ 0xFF]) + blob[-9:],
        "header": b"{not json\n" + blob.partition(b"\n")[2],
        "empty": b"",
        "extra": blob + b"trailing",
    }[damage]
    path.write_bytes(damaged)
    assert store.get("charts", key("k")) is None
    assert not path.exists()


def test_a_store_without_a_folder_keeps_nothing() -> None:
    store = Store(None)
    store.put("charts", key("k"), {"svg": b"x"})
    assert store.get("charts", key("k")) is None


def test_prune_drops_the_least_recently_used(tmp_path: Path) -> None:
    store = Store(tmp_path)
    for n, name in enumerate(("old", "middle", "new")):
        store.put("charts", key(name), {"png": b"x" * 1000})
        os.utime(tmp_path / "charts" / key(name), ns=(n * 10**9, n * 10**9))
    store.get("charts", key("old"))  # used now: the most recent
    store.prune(max_bytes=2500)
    assert sorted(p.name for p in (tmp_path / "charts").iterdir()) == sorted([key("new"), key("old")])


def test_the_store_prunes_only_what_it_wrote(tmp_path: Path) -> None:
    """Another program's files beside the entries, even named like them, in the store's folder or in a folder
    of the same name that briefkit did not make, are never deleted, however far over budget the store is."""
    store = Store(tmp_path / "ours")
    store.put("charts", key("a"), {"png": b"x" * 1000})
    assert (tmp_path / "ours" / "CACHEDIR.TAG").read_bytes().startswith(b"Signature: 8a477f597d28d172789f06886806bc55")
    foreign = [tmp_path / "ours" / "charts" / key("theirs"), tmp_path / "ours" / "notes.txt",
               tmp_path / "ours" / "pip" / "wheel.whl"]
    for path in foreign:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"not briefkit's" * 1000)
    store.prune(max_bytes=0)
    assert all(p.exists() for p in foreign)
    assert not (tmp_path / "ours" / "charts" / key("a")).exists()

    theirs = tmp_path / "theirs"  # a folder of the store's name that someone else made and filled
    (theirs / "charts").mkdir(parents=True)
    (theirs / "charts" / key("b")).write_bytes(b"x" * 5000)
    other = Store(theirs)
    other.put("charts", key("c"), {"png": b"y"})  # not claimed: keeps nothing
    other.prune(max_bytes=0)
    assert sorted(p.name for p in (theirs / "charts").iterdir()) == [key("b")]
    assert not (theirs / "CACHEDIR.TAG").exists()


def test_keys_do_not_depend_on_the_hash_seed() -> None:
    code = ("from briefkit.cache import digest; "
            "print(digest(frozenset({'Rahmon', 'Dushanbe', 'Pamir', 'SCO'}), {'b': {1, 2, 3}, 'a': None}))")
    keys = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                           env={**os.environ, "PYTHONHASHSEED": seed}).stdout for seed in ("1", "2", "3")}
    assert len(keys) == 1


def test_keys_follow_every_field_and_file_content(tmp_path: Path) -> None:
    @dataclasses.dataclass(frozen=True)
    class Plot:
        values: tuple[float, ...]
        label: str

    assert digest(Plot((1.0, 2.0), "a")) == digest(Plot((1.0, 2.0), "a"))
    assert digest(Plot((1.0, 2.0), "a")) != digest(Plot((1.0, 2.5), "a"))
    assert digest(Plot((1.0, 2.0), "a")) != digest(Plot((1.0, 2.0), "b"))
    master = tmp_path / "master.pptx"
    master.write_bytes(b"one")
    before = digest(master)
    master.write_bytes(b"two")
    assert digest(master) != before  # a path stands for its content


def test_a_value_without_a_canonical_form_is_refused() -> None:
    with pytest.raises(TypeError):
        digest(object())


@pytest.mark.slow  # a full build
def test_charts_are_drawn_once_and_redrawn_when_damaged_or_changed(tmp_path: Path) -> None:
    from briefkit.charts import build_figure
    from briefkit.factbase import load_factbase
    from briefkit.paths import builtin_templates
    from briefkit.theme.load import load_theme

    fb = load_factbase(SEEDS)
    theme = load_theme(None, builtin_templates() / "default")
    spec = next(c for c in fb.figures.charts if c.family == "bar")
    store = Store(tmp_path)
    drawn = build_figure(spec, fb, theme, store=store)
    assert (store.hits, store.misses) == (0, 0), "nothing is drawn before a writer asks"
    svg, png = drawn.svg, drawn.png
    assert (store.hits, store.misses) == (0, 2)
    assert sorted(p.suffix for p in (tmp_path / "charts").iterdir()) == [".png", ".svg"]
    entry = next((tmp_path / "charts").glob("*.png"))

    again = build_figure(spec, fb, theme, store=store)
    assert (again.svg, again.png, store.hits) == (svg, png, 2)

    entry.write_bytes(entry.read_bytes()[:-100])
    redrawn = build_figure(spec, fb, theme, store=store)
    assert (redrawn.png, store.misses) == (png, 3)
    assert store.get("charts", entry.name) is not None, "the damaged entry was not written again"

    in_another_process = pickle.loads(pickle.dumps(drawn))  # as the PDF's process receives it: same folder
    assert in_another_process.svg == svg and in_another_process.image.store is None

    colours = dataclasses.replace(theme.colours, palette=("#000000", *theme.colours.palette[1:]))
    recoloured = build_figure(spec, fb, dataclasses.replace(theme, colours=colours), store=store)
    assert recoloured.png != png
    # drawn anew, under a new key: its PNG, and the SVG a PNG is always laid out by (kept: the PDF will want it)
    assert len(list((tmp_path / "charts").iterdir())) == 4


def test_a_chart_enters_an_output_key_by_its_drawing_key_alone() -> None:
    from briefkit.charts import Drawing

    first = Drawing("k1", None, None)  # type: ignore[arg-type]
    assert digest(first) == digest(Drawing("k1", "other plot", "other theme"))  # type: ignore[arg-type]
    assert digest(first) != digest(Drawing("k2", None, None))  # type: ignore[arg-type]


# ---------------------------------------------------------------- whole builds


def _build(facts: Path, out: Path, *extra: str) -> str:
    r = run_cli("build", "--facts", str(facts), "--out", str(out), "--no-limits", "--timings", *extra, env=EPOCH)
    assert r.code == 0, r.err
    return r.out + r.err


def _files(folder: Path) -> dict[str, bytes]:
    """The outputs, and what the manifest says of them (less the keys: they hash briefkit's code, which may be
    edited while the tests run)."""
    files = {p.name: p.read_bytes() for p in sorted(folder.iterdir())}
    manifest = json.loads(files["manifest.json"])
    listed = [{k: v for k, v in entry.items() if k != "key"} for entry in manifest["files"]]
    files["manifest.json"] = json.dumps([listed, manifest["measured"]]).encode()
    return files


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[str, bytes]]:
    """A copy of the example fact base (small, so quick to build), built once: (facts, out, the files)."""
    root = tmp_path_factory.mktemp("cache")
    facts = root / "facts"
    shutil.copytree(EXAMPLE, facts)
    out = root / "out"
    _build(facts, out, "--jobs", "2")  # the PDF laid out in the second process, however busy the machine is
    return facts, out, _files(out / "analyst")


@pytest.mark.slow  # a full build
def test_the_pdf_is_the_same_from_one_process(built: tuple[Path, Path, dict[str, bytes]], tmp_path: Path) -> None:
    facts, _, first = built
    _build(facts, tmp_path / "out", "--jobs", "1")
    assert _files(tmp_path / "out" / "analyst") == first


@pytest.mark.slow  # a full build
def test_the_files_are_the_same_with_a_process_for_the_pptx_too(built: tuple[Path, Path, dict[str, bytes]],
                                                                tmp_path: Path) -> None:
    facts, _, first = built
    _build(facts, tmp_path / "out", "--jobs", "3")  # the PDF and the PPTX each in a process of its own
    assert _files(tmp_path / "out" / "analyst") == first


@pytest.mark.slow  # a full build
def test_an_edited_fact_rebuilds_to_exactly_the_cold_build(built: tuple[Path, Path, dict[str, bytes]],
                                                           tmp_path: Path) -> None:
    facts, out, first = built
    edited = tmp_path / "facts"
    shutil.copytree(facts, edited)
    path, old, new = EDITED
    replace_in(edited / path, old, new)
    work = tmp_path / "out"
    shutil.copytree(out, work)  # the first build's outputs and cache
    log = _build(edited, work)
    assert "reuse docx" not in log and "reuse pdf" not in log and "reuse pptx" not in log
    after = _files(work / "analyst")
    for name in ("docx", "pdf", "pptx"):
        changed = next(n for n in after if n.endswith(name))
        assert after[changed] != first[changed], f"the {name} did not change with the fact"
    assert after == _files(_cold(edited, tmp_path / "cold")), "the rebuild differs from a cold build"


def _cold(facts: Path, out: Path) -> Path:
    _build(facts, out)
    return out / "analyst"


@pytest.mark.slow  # a full build
def test_an_output_edited_by_hand_is_rebuilt_past_a_damaged_cache(built: tuple[Path, Path, dict[str, bytes]],
                                                                   tmp_path: Path) -> None:
    facts, out, first = built
    work = tmp_path / "out"
    shutil.copytree(out, work)
    deck = next((work / "analyst").glob("*.pptx"))
    blob = bytearray(deck.read_bytes())
    blob[100] ^= 0xFF  # same size, different content
    deck.write_bytes(bytes(blob))
    entries = sorted((work / ".briefkit-cache" / "charts").iterdir())
    assert entries, "the first build kept no charts"
    for entry in entries:
        entry.write_bytes(entry.read_bytes()[:-100])
    log = _build(facts, work, "--replace-edited")  # without it, the edited deck is refused (tests/robustness)
    assert "up to date" not in log
    assert "reuse" not in log  # the folder is not the one the manifest describes: nothing in it is trusted
    assert _files(work / "analyst") == first


@pytest.mark.slow  # a full build
def test_a_comment_is_not_a_change(built: tuple[Path, Path, dict[str, bytes]], tmp_path: Path) -> None:
    facts, out, first = built
    commented = tmp_path / "facts"
    shutil.copytree(facts, commented)
    with (commented / "facts" / "money.yaml").open("a", encoding="utf-8") as handle:
        handle.write("# checked again on 2 January\n")
    work = tmp_path / "out"
    shutil.copytree(out, work)
    log = _build(commented, work)
    assert "up to date" in log
    assert _files(work / "analyst") == first


@pytest.mark.slow  # a full build
def test_a_stylesheet_edit_rewrites_only_the_pdf(built: tuple[Path, Path, dict[str, bytes]], tmp_path: Path) -> None:
    facts, out, _ = built
    theme = tmp_path / "theme"
    r = run_cli("theme", "export", str(theme))
    assert r.code == 0, r.err
    work = tmp_path / "out"
    shutil.copytree(out, work)
    _build(facts, work, "--theme", str(theme))
    before = _files(work / "analyst")
    with (theme / "brief.css").open("a", encoding="utf-8") as handle:
        handle.write("\nh2 { letter-spacing: 0.02em; }\n")
    log = _build(facts, work, "--theme", str(theme))
    assert "reuse docx" in log and "reuse pptx" in log and "reuse pdf" not in log
    after = _files(work / "analyst")
    for name, data in after.items():
        if name.endswith((".docx", ".pptx")):
            assert data == before[name], name
        if name.endswith(".pdf"):
            assert data != before[name]
    manifest = json.loads((work / "analyst" / "manifest.json").read_text(encoding="utf-8"))
    keys = {f["format"]: f.get("key") for f in manifest["files"]}
    assert set(keys) == {"docx", "pdf", "pptx", "eml", "json"} and keys["eml"] is None and keys["json"] is None
