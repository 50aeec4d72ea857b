"""WeasyPrint imported without searching for its libraries the slow way.

WeasyPrint (70) opens Pango, HarfBuzz, fontconfig and GObject by trying several names, Windows and macOS ones
first. On Linux each miss makes cffi ask `ctypes.util.find_library`, which runs `ldconfig` and then gcc, with a
temporary file in TMPDIR: 22 searches on every import, 0.18 s, and a file that a build interrupted at that moment
leaves behind. The names that follow (`libpango-1.0.so.0`) open directly, so during the import a miss is simply a
miss; only if WeasyPrint then cannot load is it imported again with the search.
"""

from __future__ import annotations

import ctypes.util
import sys


def import_weasyprint() -> None:
    if "weasyprint" in sys.modules:
        return
    search = ctypes.util.find_library
    ctypes.util.find_library = lambda name: None
    try:
        import weasyprint
    except OSError:  # a system whose libraries only the search finds: forget the half import, search this time
        for name in [m for m in sys.modules if m == "weasyprint" or m.startswith("weasyprint.")]:
            del sys.modules[name]
        ctypes.util.find_library = search
        import weasyprint  # noqa: F401
    finally:
        ctypes.util.find_library = search


import_weasyprint()
