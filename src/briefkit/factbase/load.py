"""Loading a fact-base folder: every file parsed, validated against the schema, then cross-checked.

All problems of a run are collected (up to a cap) and raised together as one FactbaseError.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from briefkit import collector
from briefkit.errors import BriefkitError, FactbaseError, Problem, display_path
from briefkit.factbase.checks import Origins, check_factbase
from briefkit.factbase.model import FactBase, content_digest
from briefkit.factbase.schema import (
    Analysis,
    Conflict,
    Dataset,
    Fact,
    FactbaseInfo,
    FactFile,
    Figures,
    Source,
)
from briefkit.factbase.survey import unread_files
from briefkit.factbase.yamlfile import LList, LMap, line_of, load_yaml

MAX_PROBLEMS = 50
M = TypeVar("M", bound=BaseModel)


class _Collector:
    def __init__(self, root: Path, reader: Callable[..., Any] = load_yaml) -> None:
        self.root = root  # every file read must really be inside it (no symlink out of the fact base)
        self.reader = reader  # load_yaml, or the preview's, which keeps unchanged files as parsed
        self.problems: list[Problem] = []
        self.origins = Origins()
        self.unreadable = False  # a file did not parse: cross-file checks would only echo that
        self.warnings: list[Problem] = []  # what does not stop a build but its author should know

    def read(self, path: Path, needs: str | None = None) -> Any:
        """The file's data. An empty file (or one of comments only) is an error where the file is required
        (`needs` says what it must hold) and a warning elsewhere: it holds nothing briefkit can use."""
        try:
            data = self.reader(path, inside=self.root)
        except BriefkitError as exc:
            self.problems.extend(exc.problems)
            self.unreadable = True
            return None
        if data is None:
            if needs:
                self.problems.append(Problem(display_path(path), 1, f"the file is empty; it needs {needs}"))
                self.unreadable = True
            else:
                self.warnings.append(Problem(display_path(path), 1, "warning: the file is empty; nothing in it is "
                                                                     "read (delete it, or fill it)"))
        return data

    def model(self, cls: type[M], data: Any, path: Path, loc: tuple[Any, ...] = ()) -> M | None:
        """Validate `data` as `cls`; on failure record each pydantic error at its own line."""
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            for err in exc.errors():
                where = err["loc"]
                field = ".".join(str(p) for p in where if not isinstance(p, int)) or None
                container = _dig(data, ())
                line = line_of(container, tuple(where)) if isinstance(container, (LMap, LList)) else None
                self.problems.append(Problem(display_path(path), line, _message(err), field))
            return None


def _dig(data: Any, loc: tuple[Any, ...]) -> Any:
    for k in loc:
        data = data[k]
    return data


def _message(err: Mapping[str, Any]) -> str:
    kind = err.get("type", "")
    if kind == "missing":
        return "is required"
    if kind == "extra_forbidden":
        return "is not a known key (check its spelling)"
    if kind == "literal_error":
        expected = err.get("ctx", {}).get("expected", "")
        return f"{err.get('input')!r} is not one of {expected}"
    if kind == "string_pattern_mismatch":
        return f"{err.get('input')!r} does not have the expected form (lowercase letters, digits, hyphens)"
    msg = str(err.get("msg", "invalid"))
    return msg.removeprefix("Value error, ")


def load_factbase(root: Path, sources: Path | None = None, report: Any = None,
                  reader: Callable[..., Any] = load_yaml) -> FactBase:
    """Load and check the fact base in `root`; raise FactbaseError listing every problem found.

    Facts are checked against the source texts in `sources` (given: every text must be there), else in
    `root/sources` when that folder exists (texts absent are skipped); `report` (a sources.verify.Report)
    receives the counts for a summary. `reader` reads each YAML file (the preview's keeps unchanged ones parsed).

    The cyclic garbage collector is paused meanwhile: loading makes millions of small objects that all live on,
    and each collection would walk them all again, so that loading cost more per fact the more facts there are
    (measured: 15 times the time for 10 times the facts; 10 times with the pause). Garbage is collected after."""
    with collector.paused():
        return _load(Path(root), sources, report, reader)


def _load(root: Path, sources_dir: Path | None = None, report: Any = None,
          reader: Callable[..., Any] = load_yaml) -> FactBase:
    if not root.is_dir():
        raise FactbaseError(Problem(display_path(root), None, "fact base folder not found"))
    c = _Collector(root, reader)

    info_path = root / "factbase.yaml"
    info = None
    if _exists(c, info_path):
        data = c.read(info_path, "subject:, short_name:, topics: and sections: (see docs/factbase.md)")
        info = c.model(FactbaseInfo, data, info_path) if data is not None else None

    sources: dict[str, Source] = {}
    src_path = root / "sources.yaml"
    if _exists(c, src_path):
        data = c.read(src_path, "a list of sources under 'sources:'")
        for _i, item in enumerate(_items(c, data, "sources", src_path)):
            s = c.model(Source, item, src_path)
            if s is not None:
                c.origins.add("source", s.id, src_path, item, c.problems)
                sources.setdefault(s.id, s)

    facts: dict[str, Fact] = {}
    conflicts: list[Conflict] = []
    fact_files = sorted((root / "facts").glob("*.yaml")) if (root / "facts").is_dir() else []
    if not fact_files:
        c.problems.append(Problem(display_path(root / "facts"), None, "no facts/*.yaml files"))
    for path in fact_files:
        data = c.read(path)
        if data is None:
            continue
        if not isinstance(data, LMap):
            line = getattr(data, "line", 1)
            c.problems.append(Problem(display_path(path), line, "expected keys facts: and conflicts:"))
            continue
        extra = set(data) - set(FactFile.model_fields)
        for key in sorted(extra):
            message = "is not a known key (facts, conflicts)"
            c.problems.append(Problem(display_path(path), data.key_lines[key], message, key))
        for item in _items(c, data, "facts", path, required=False):
            f = c.model(Fact, item, path)
            if f is not None:
                c.origins.add("fact", f.id, path, item, c.problems)
                facts.setdefault(f.id, f)
        for item in _items(c, data, "conflicts", path, required=False):
            k = c.model(Conflict, item, path)
            if k is not None:
                c.origins.add("conflict", k.id, path, item, c.problems)
                conflicts.append(k)

    datasets: dict[str, Dataset] = {}
    ds_dir = root / "datasets"
    for path in sorted(ds_dir.glob("*.yaml")) if ds_dir.is_dir() else []:
        data = c.read(path)
        d = c.model(Dataset, data, path) if data is not None else None
        if d is not None:
            c.origins.add("dataset", d.dataset, path, data, c.problems)
            datasets.setdefault(d.dataset, d)

    fig_path = root / "figures.yaml"
    figures = Figures()
    if fig_path.exists():
        data = c.read(fig_path)
        figures = (c.model(Figures, data, fig_path) if data is not None else None) or Figures()
        if isinstance(data, LMap):
            for kind in ("charts", "tables"):
                for item in data.get(kind) or []:
                    if isinstance(item, LMap) and isinstance(item.get("id"), str):
                        c.origins.add(kind[:-1], item["id"], fig_path, item, c.problems)

    an_path = root / "analysis.yaml"
    analysis = None
    if _exists(c, an_path):
        data = c.read(an_path, "title:, bottom_line: and judgments: (see docs/factbase.md)")
        analysis = c.model(Analysis, data, an_path) if data is not None else None
        if isinstance(data, LMap):
            c.origins.add("analysis", "analysis", an_path, data, c.problems)

    if info is not None and not c.unreadable:
        # Cross-file rules run even when analysis.yaml is missing or broken, so one run reports everything.
        checked = analysis or Analysis.model_construct(
            title="", bottom_line=[], judgments=[], talking_points=[], indicators=[], section_leads={}
        )
        fb = FactBase(root, info, sources, facts, conflicts, datasets, figures, checked)
        c.problems.extend(check_factbase(fb, c.origins))
        from briefkit.sources.verify import check_provenance, default_sources_dir

        folder = sources_dir if sources_dir is not None else default_sources_dir(root)
        c.problems.extend(check_provenance(fb, c.origins, folder, sources_dir is not None, report))
    if c.problems:
        raise FactbaseError(*_capped(c.problems))
    warnings = tuple([*c.warnings, *unread_files(root)])
    fb = FactBase(root, info, sources, facts, conflicts, datasets, figures, analysis)  # type: ignore[arg-type]
    return FactBase(**{**fb.__dict__, "digest": content_digest(fb), "warnings": warnings})


def _exists(c: _Collector, path: Path) -> bool:
    if path.is_file():
        return True
    c.problems.append(Problem(display_path(path), None, "file not found"))
    return False


def _items(c: _Collector, data: Any, key: str, path: Path, required: bool = True) -> list[Any]:
    if data is None:
        return []
    if not isinstance(data, LMap) or (required and key not in data):
        c.problems.append(Problem(display_path(path), getattr(data, "line", 1), f"expected a list under '{key}:'"))
        return []
    items = data.get(key)
    if items is None:
        return []
    if not isinstance(items, LList):
        c.problems.append(Problem(display_path(path), data.key_lines[key], "expected a list", key))
        return []
    return list(items)


def _capped(problems: list[Problem]) -> list[Problem]:
    unique = list(dict.fromkeys(problems))
    unique.sort(key=lambda p: (p.path, p.line or 0))
    if len(unique) <= MAX_PROBLEMS:
        return unique
    rest = len(unique) - MAX_PROBLEMS
    return [*unique[:MAX_PROBLEMS], Problem(unique[MAX_PROBLEMS].path, None, f"... and {rest} more problems")]
