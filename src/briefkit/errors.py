"""The errors a user can cause; the CLI prints each as one line, `path:line: field: message`."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Self


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input file, located as precisely as we can."""

    path: str
    line: int | None
    message: str
    field: str | None = None

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


class BriefkitError(Exception):
    """An error the user can fix; carries one or more located problems."""

    exit_code = 1

    def __init__(self, *problems: Problem) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in problems))

    def __reduce__(self) -> tuple[object, ...]:
        """Rebuild with the same problems when a worker process sends the error back to the build."""
        return (self.__class__, tuple(self.problems))

    @classmethod
    def at(cls, path: str | Path, message: str, line: int | None = None, field: str | None = None) -> Self:
        return cls(Problem(display_path(path), line, message, field))


class FactbaseError(BriefkitError):
    """The fact base does not load or does not pass its checks."""


class TemplateError(BriefkitError):
    """A template, theme or audience profile is wrong."""


class BuildError(BriefkitError):
    """The build could not finish (size budget, lock held, limits broken)."""


class UsageError(BriefkitError):
    """The command line itself is wrong."""

    exit_code = 2


def display_path(path: str | Path) -> str:
    """Paths relative to the working directory when inside it: shorter, and what the user typed.

    Symlinks are not followed: a file that links elsewhere is shown where the user put it."""
    p = Path(path)
    try:
        return str(Path(os.path.abspath(p)).relative_to(os.getcwd()))
    except (ValueError, OSError):
        return str(p)
