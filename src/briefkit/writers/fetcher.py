"""The one door through which WeasyPrint reads anything: data: URLs and files inside allowed folders.

A theme's stylesheet is user input. Left to WeasyPrint's default fetcher, `url(file:///etc/passwd)` or
`@import "http://..."` would read local files into the PDF or call the network while building. Every
resource (stylesheets, @import, images, fonts in @font-face, SVG references) goes through `SafeFetcher`,
which allows data: URLs and local files that, after symlinks are resolved, lie inside an allowed folder.
Anything else stops the render with `ResourceRefused`, which `pdf.py` turns into one clear line. Inside an SVG
image WeasyPrint swallows even fatal fetch errors, so every refusal is also kept in `refused` for `pdf.py` to
raise after rendering: an attempt to read outside never passes unreported.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from briefkit.errors import BriefkitError
from briefkit.limits import raster_problem, svg_problem
from briefkit.safefile import read_limited

MAX_RESOURCE_BYTES = 50_000_000  # an image or font bigger than this is a mistake (or a trap), not a resource
_MIME_TYPES = {
    ".css": "text/css", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif",
    ".svg": "image/svg+xml", ".webp": "image/webp", ".ttf": "font/ttf", ".otf": "font/otf",
    ".woff": "font/woff", ".woff2": "font/woff2",
}


class ResourceRefused(FatalURLFetchingError):
    """A resource outside the policy. Fatal (a BaseException in WeasyPrint) so that rendering stops at once:
    WeasyPrint catches ordinary fetch errors and only logs them, which would hide the attempt."""

    def __init__(self, url: str, reason: str, hint: str = "; only data: URLs and files inside the template folder "
                                                          "can be used") -> None:
        self.url = url
        self.reason = reason
        self.hint = hint  # what to do about it, for the message
        super().__init__(f"{_shorten(url)!r}, which {reason}")


class SafeFetcher(URLFetcher):
    """A WeasyPrint URL fetcher that never opens a network connection and never reads outside `allowed`."""

    def __init__(self, allowed: Iterable[Path]) -> None:
        super().__init__(timeout=1, allowed_protocols=("data", "file"), allow_redirects=False, fail_on_errors=True)
        self.allowed = tuple(Path(p).resolve() for p in allowed)
        self.refused: list[ResourceRefused] = []

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        try:
            return self._fetch(url, headers)
        except ResourceRefused as refused:
            self.refused.append(refused)
            raise

    def _fetch(self, url: str, headers: dict[str, str] | None) -> URLFetcherResponse:
        scheme = urlsplit(url).scheme.lower()
        if scheme == "data":
            # urllib's DataHandler decodes in memory; the opener has no other handler that this URL could reach.
            response = super().fetch(url, headers)
            data, kind = response.read(MAX_RESOURCE_BYTES + 1), response.content_type
            response.close()
            if len(data) > MAX_RESOURCE_BYTES:
                raise ResourceRefused(url, f"is larger than {MAX_RESOURCE_BYTES // 1_000_000} MB")
            _check_picture(url, data, kind)
            return URLFetcherResponse(url, data, {"Content-Type": kind})
        if scheme != "file":
            raise ResourceRefused(url, "is not a data: URL or a local file (nothing is fetched from the network)")
        path = self.local_path(url)
        try:
            data = read_limited(path, MAX_RESOURCE_BYTES, BriefkitError)
        except BriefkitError as exc:
            raise ResourceRefused(url, exc.problems[0].message) from None
        _check_picture(url, data, _mime_type(path))
        return URLFetcherResponse(path.as_uri(), data, {"Content-Type": _mime_type(path)})

    def local_path(self, url: str) -> Path:
        """The real file behind a file: URL, if it is inside an allowed folder."""
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost"):
            raise ResourceRefused(url, "names another host")
        path = Path(url2pathname(parts.path)).resolve()
        if not any(path.is_relative_to(folder) for folder in self.allowed):
            raise ResourceRefused(url, "is outside the template folder")
        if not path.is_file():
            raise ResourceRefused(url, "does not exist")
        if path.stat().st_size > MAX_RESOURCE_BYTES:
            raise ResourceRefused(url, f"is larger than {MAX_RESOURCE_BYTES // 1_000_000} MB")
        return path


def _check_picture(url: str, data: bytes, kind: str) -> None:
    """A picture is judged by what it would expand to before WeasyPrint decodes or draws it (`limits`)."""
    if kind == "image/svg+xml" or data.lstrip()[:5] in (b"<svg ", b"<svg>", b"<?xml"):
        reason = svg_problem(data)
    elif kind.startswith("image/"):
        reason = raster_problem(data)
    else:
        return
    if reason:
        raise ResourceRefused(url, reason, "; use a smaller or simpler picture")


def _mime_type(path: Path) -> str:
    return _MIME_TYPES.get(path.suffix.lower(), "application/octet-stream")


def _shorten(url: str, limit: int = 80) -> str:
    """Data URLs can be megabytes long; an error message needs only their start."""
    return url if len(url) <= limit else url[: limit - 3] + "..."
