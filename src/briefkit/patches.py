"""Every place briefkit replaces part of a library, in one table (decision 45).

A patch buys time on a cold build by replacing code inside a library. Each is used only
- with the exact version of the library it was compared against (the locked one); any other takes the stock path;
- when what it replaces is still what it was written against: the source of every function it replaces or relies
  on hashes as it did (`sources`), so an edited or rebuilt library takes the stock path too;
- unless `BRIEFKIT_NO_PATCHES` is set: `1` switches all of them off, a comma-separated list of names only those.

Patched or not, the outputs are the same bytes: each patch's tests compare the two where the patch can be active.
`status()` says which are in use and why not, for the crash log and `briefkit --version`.
"""

from __future__ import annotations

import hashlib
import importlib
import inspect
import os
from dataclasses import dataclass

ENV = "BRIEFKIT_NO_PATCHES"


@dataclass(frozen=True)
class Patch:
    name: str
    library: str  # the module whose __version__ is compared
    version: str  # the one version it was compared against
    module: str  # where it is (briefkit.writers....)
    gain: str  # what it saves, as measured (decision 45)
    sources: tuple[tuple[str, str], ...]  # ("module:Qualified.name", sha256 of its source, first 16 hex digits)


TABLE = (
    Patch("weasyprint-footnote-area", "weasyprint", "70.0", "briefkit.writers.weasy_notes",
          "each note laid out once per page, not once per change of the page's notes",
          (("weasyprint.layout:LayoutContext._update_footnote_area", "2e317e4b066fb80c"),
           ("weasyprint.layout:block_level_layout", "c1301dde9284e245"),
           ("weasyprint.formatting_structure.build:create_anonymous_boxes", "f1e76cc779a89855"))),
    Patch("weasyprint-waiting-notes", "weasyprint", "70.0", "briefkit.writers.weasy_notes",
          "'is this box a waiting note' answered from a count, not by reading the list",
          (("weasyprint.layout:LayoutContext.__init__", "f687f507fee8883e"),)),
    Patch("weasyprint-late-charts", "weasyprint", "70.0", "briefkit.writers.pdf_charts",
          "pages laid out while the charts are drawn",
          (("weasyprint.images:SVGImage.__init__", "823798cb61ee2977"),
           ("weasyprint.document:Page.__init__", "56afceec729bf2c1"),
           ("weasyprint.draw:draw_replacedbox", "7cb1486a51be82ab"))),
    Patch("pydyf-page-references", "pydyf", "0.13.0", "briefkit.writers.pdf_pydyf",
          "the pages' references made once, not once per tagged box",
          (("pydyf:PDF.page_references", "060bf90aad55931b"),)),
)
PATCHES = {patch.name: patch for patch in TABLE}
_WHY_NOT: dict[str, str | None] = {}  # name -> None (usable) or why not, for this process's libraries


def active(name: str) -> bool:
    """Whether patch `name` is to be used now: not switched off, the locked version, and the code it expects."""
    return not switched_off(name) and why_not(name) is None


def switched_off(name: str) -> bool:
    value = os.environ.get(ENV, "").strip()
    if value in ("", "0"):
        return False
    return value == "1" or name in {part.strip() for part in value.split(",")}


def why_not(name: str) -> str | None:
    """None if the installed library is the one patch `name` was written for, else the difference, in words."""
    if name not in _WHY_NOT:
        _WHY_NOT[name] = _differences(PATCHES[name])
    return _WHY_NOT[name]


def status() -> list[str]:
    """One line per patch: in use, or why not."""
    lines = []
    for patch in TABLE:
        reason = "switched off by " + ENV if switched_off(patch.name) else why_not(patch.name)
        lines.append(f"{patch.name}: " + ("in use" if reason is None else f"not used ({reason})"))
    return lines


def source_digest(target: str) -> str:
    """The first 16 hex digits of the sha256 of the source of `module:Qualified.name` (a property's getter)."""
    module_name, _, path = target.partition(":")
    obj: object = importlib.import_module(module_name)
    for part in path.split("."):
        obj = inspect.getattr_static(obj, part)
    if isinstance(obj, property):
        obj = obj.fget
    if isinstance(obj, (classmethod, staticmethod)):
        obj = obj.__func__
    return hashlib.sha256(inspect.getsource(obj).encode()).hexdigest()[:16]  # type: ignore[arg-type]


def _differences(patch: Patch) -> str | None:
    try:
        library = importlib.import_module(patch.library)
    except ImportError:
        return f"{patch.library} is not installed"
    version = getattr(library, "__version__", None)
    if version != patch.version:
        return f"{patch.library} {version} is not {patch.version}"
    for target, expected in patch.sources:
        try:
            found = source_digest(target)
        except (ImportError, AttributeError, OSError, TypeError) as error:
            return f"{target} cannot be read ({type(error).__name__})"
        if found != expected:
            return f"{target} is not the code the patch was written for"
    return None
