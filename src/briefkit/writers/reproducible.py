"""Byte-identical outputs: the same inputs and SOURCE_DATE_EPOCH give the same bytes.

Office files are zip packages whose entries carry the time of writing; we rewrite them with a fixed time,
a fixed order and fixed compression. Written once here so that DOCX and PPTX cannot differ in how.
"""

from __future__ import annotations

import io
import os
import time
import zipfile
from pathlib import Path

from briefkit.errors import UsageError

# The zip format cannot store times before 1980.
_ZIP_EPOCH = 315532800


# The last second a zip entry (DOCX, PPTX) can be dated: its year is stored as an offset from 1980 in 7 bits.
MAX_TIMESTAMP = 4354819199  # 2107-12-31 23:59:59 UTC


def source_date_epoch() -> int | None:
    """SOURCE_DATE_EPOCH as the reproducible-builds specification defines it (ASCII digits, seconds since
    1970-01-01 UTC), or None when unset; a malformed value is a usage error, never silently ignored."""
    raw = os.environ.get("SOURCE_DATE_EPOCH")
    if raw is None or not raw.strip():
        return None
    value = raw.strip()
    if not value.isascii() or not value.isdigit() or len(value) > 12:
        raise UsageError.at("SOURCE_DATE_EPOCH", f"{raw[:40]!r} is not a whole number of seconds since 1970-01-01 "
                                                 "UTC; set it to one (git log -1 --format=%ct) or unset it")
    if int(value) > MAX_TIMESTAMP:
        raise UsageError.at("SOURCE_DATE_EPOCH", f"{value} is after 2107-12-31, the last date a DOCX or PPTX "
                                                 "file can record")
    return int(value)


def build_timestamp(default: int | None = None) -> int:
    """SOURCE_DATE_EPOCH when set (reproducible builds), else `default`, else now."""
    epoch = source_date_epoch()
    if epoch is not None:
        return epoch
    return default if default is not None else int(time.time())


def normalize_zip(data: bytes, timestamp: int) -> bytes:
    """Rewrite a zip package with every entry dated `timestamp`, in a stable order, deflated at level 9.

    `[Content_Types].xml` stays first, as Office expects; the rest keep the order the library wrote them in,
    which is deterministic for python-docx and python-pptx.
    """
    when = time.gmtime(max(timestamp, _ZIP_EPOCH))[:6]
    src = zipfile.ZipFile(io.BytesIO(data))
    names = src.namelist()
    names.sort(key=lambda n: n != "[Content_Types].xml")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as dst:
        for name in names:
            info = zipfile.ZipInfo(name, date_time=when)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 0
            dst.writestr(info, src.read(name), compresslevel=9)
    return out.getvalue()


def write_bytes(path: Path, data: bytes) -> None:
    """Write a finished file (the build step makes the folder atomic; this only writes)."""
    path.write_bytes(data)
