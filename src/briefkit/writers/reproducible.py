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

# The zip format cannot store times before 1980.
_ZIP_EPOCH = 315532800


def build_timestamp(default: int | None = None) -> int:
    """SOURCE_DATE_EPOCH when set (reproducible builds), else `default`, else now."""
    env = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if env.isdigit():
        return int(env)
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
