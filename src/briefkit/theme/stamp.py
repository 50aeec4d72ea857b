"""Keeping an exported reference.docx or master.pptx in step with theme.yaml, without undoing a user's edits.

`briefkit theme export` writes both files in the theme's colours and fonts and records, in a custom document
property, the values it used (`stamp`). When a build later opens such a file (`follow_theme`), every colour and
font still at its recorded value takes the value theme.yaml has now; a value the user changed in Word or
PowerPoint no longer matches and stays as they made it. So a colour changed in theme.yaml reaches all three
formats, and a style edited in Word is honoured. A file without the stamp (a corporate template) is used as
it is. Values are compared, not bytes, so the files may be re-saved by any Office program.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Iterable
from typing import Any

from lxml import etree

from briefkit.theme.model import Theme

PROPERTY = "briefkit-theme"
_CUSTOM_PART = "docProps/custom.xml"
_CUSTOM_TYPE = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
_CUSTOM_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"
_PROPS_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
_VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
_PKG_RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"  # the one format id Office uses for user-defined properties
_HEX6 = re.compile(r"^[0-9A-Fa-f]{6}$")
_COLOUR_FIELDS = ("primary", "accent", "text", "muted", "box")
# Elements whose attribute holds a colour: run colour, DrawingML colour, shading, and paragraph/table borders.
_COLOUR_ATTRS = {
    f"{_W}color": (f"{_W}val",), f"{_A}srgbClr": ("val",), f"{_W}shd": (f"{_W}fill", f"{_W}color"),
    **{f"{_W}{side}": (f"{_W}color",) for side in ("top", "bottom", "left", "right", "between", "insideH",
                                                   "insideV", "start", "end")},
}
_FONT_ATTRS = (f"{_W}ascii", f"{_W}hAnsi", f"{_W}eastAsia", f"{_W}cs")


def theme_values(theme: Theme, heading_styles: Iterable[str] = ()) -> dict[str, Any]:
    """What a file made from `theme` records: its colours, its Office font names, and (for a reference.docx)
    the ids of the styles set in the heading font, since body and heading may share a font when exported."""
    c = theme.colours
    return {
        "colours": {**{f: getattr(c, f).upper() for f in _COLOUR_FIELDS}, "palette": [p.upper() for p in c.palette]},
        "fonts": {"heading": theme.fonts.heading.office, "body": theme.fonts.body.office},
        "heading_styles": sorted(heading_styles),
    }


def stamp(package: bytes, values: dict[str, Any]) -> bytes:
    """The package with `values` recorded as a custom document property (added to any the file has)."""
    parts = _read(package)
    custom = parts.get(_CUSTOM_PART)
    # lxml-stubs allows only str keys in an nsmap; lxml takes None for the default namespace, as here.
    nsmap = {None: _PROPS_NS, "vt": _VT_NS}
    root = etree.fromstring(custom) if custom else etree.Element(f"{{{_PROPS_NS}}}Properties",
                                                                 nsmap=nsmap)  # type: ignore[arg-type]
    for old in root.findall(f"{{{_PROPS_NS}}}property[@name='{PROPERTY}']"):
        root.remove(old)
    pid = max([int(p.get("pid", "1")) for p in root] + [1]) + 1
    prop = etree.SubElement(root, f"{{{_PROPS_NS}}}property", fmtid=_FMTID, pid=str(pid), name=PROPERTY)
    etree.SubElement(prop, f"{{{_VT_NS}}}lpwstr").text = json.dumps(values, sort_keys=True)
    parts[_CUSTOM_PART] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    if custom is None:
        parts["[Content_Types].xml"] = _add_override(parts["[Content_Types].xml"])
        parts["_rels/.rels"] = _add_package_rel(parts["_rels/.rels"])
    return _write(parts)


def recorded(package: bytes) -> dict[str, Any] | None:
    """The values a stamped file was made with; None for any other file (or one that is not a package)."""
    try:
        with zipfile.ZipFile(io.BytesIO(package)) as z:
            custom = z.read(_CUSTOM_PART) if _CUSTOM_PART in z.namelist() else None
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    if not custom:
        return None
    try:
        root = etree.fromstring(custom)
        text = root.findtext(f"{{{_PROPS_NS}}}property[@name='{PROPERTY}']/{{{_VT_NS}}}lpwstr")
        values = json.loads(text) if text else None
    except (etree.XMLSyntaxError, ValueError):
        return None
    return values if isinstance(values, dict) else None


def follow_theme(package: bytes, theme: Theme) -> bytes:
    """A stamped reference.docx or master.pptx with the values still at their recorded ones changed to the
    theme's, and the stamp itself removed (the brief and deck made from it do not carry it); any other file
    unchanged."""
    old = recorded(package)
    if old is None:
        return package
    new = theme_values(theme)
    colours = _colour_map(old.get("colours", {}), new["colours"])
    fonts = {role: (old.get("fonts", {}).get(role), new["fonts"][role]) for role in ("heading", "body")}
    fonts = {role: pair for role, pair in fonts.items() if pair[0] and pair[0] != pair[1]}
    heading_styles = set(old.get("heading_styles", []))
    parts = _read(package)
    for name, data in parts.items():
        if not name.endswith(".xml") or not name.startswith(("word/", "ppt/")):
            continue
        try:
            root = etree.fromstring(data)
        except etree.XMLSyntaxError:
            return package  # a damaged file: opening it as it is gives the writer's own clear error
        if _recolour(root, colours) | _refont(root, fonts, heading_styles):
            parts[name] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    _unstamp(parts)
    return _write(parts)


def _unstamp(parts: dict[str, bytes]) -> None:
    """Drop our property; drop the custom-properties part too when nothing else is in it."""
    root = etree.fromstring(parts[_CUSTOM_PART])
    for prop in root.findall(f"{{{_PROPS_NS}}}property[@name='{PROPERTY}']"):
        root.remove(prop)
    if len(root):
        parts[_CUSTOM_PART] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
        return
    del parts[_CUSTOM_PART]
    types = etree.fromstring(parts["[Content_Types].xml"])
    for override in [o for o in types if o.get("PartName") == "/" + _CUSTOM_PART]:
        types.remove(override)
    parts["[Content_Types].xml"] = etree.tostring(types, xml_declaration=True, encoding="UTF-8", standalone=True)
    rels = etree.fromstring(parts["_rels/.rels"])
    for rel in [r for r in rels if r.get("Type") == _CUSTOM_REL]:
        rels.remove(rel)
    parts["_rels/.rels"] = etree.tostring(rels, xml_declaration=True, encoding="UTF-8", standalone=True)


def _colour_map(old: dict[str, Any], new: dict[str, Any]) -> dict[str, str]:
    """Recorded colour -> current colour ('1F3A5F' -> '0B6E4F'), named colours first, then the palette slot
    by slot; a value recorded twice (the primary is also the first chart colour) follows the first."""
    pairs = [(old.get(f), new[f]) for f in _COLOUR_FIELDS]
    pairs += list(zip(old.get("palette", []), new["palette"], strict=False))
    mapping: dict[str, str] = {}
    for before, after in pairs:
        if isinstance(before, str) and _HEX6.match(before.lstrip("#")):
            mapping.setdefault(before.lstrip("#").upper(), after.lstrip("#").upper())
    return {k: v for k, v in mapping.items() if k != v}


def _recolour(root: etree._Element, colours: dict[str, str]) -> bool:
    changed = False
    if not colours:
        return changed
    for element in root.iter(*_COLOUR_ATTRS):
        for attr in _COLOUR_ATTRS[element.tag]:
            value = element.get(attr)
            if value and value.upper() in colours:
                element.set(attr, colours[value.upper()])
                changed = True
    return changed


def _refont(root: etree._Element, fonts: dict[str, tuple[str, str]], heading_styles: set[str]) -> bool:
    """Office font names still at their recorded values become the theme's: by role in a DrawingML font scheme
    (major = heading, minor = body) and in Word styles (the recorded heading styles; the rest are body)."""
    changed = False
    if not fonts:
        return changed
    for scheme, role in ((f"{_A}majorFont", "heading"), (f"{_A}minorFont", "body")):
        if role not in fonts:
            continue
        before, after = fonts[role]
        for font in root.iter(scheme):
            latin = font.find(f"{_A}latin")
            if latin is not None and latin.get("typeface") == before:
                latin.set("typeface", after)
                changed = True
    for rfonts in root.iter(f"{_W}rFonts"):
        style = next((a for a in rfonts.iterancestors(f"{_W}style")), None)
        role = "heading" if style is not None and style.get(f"{_W}styleId") in heading_styles else "body"
        if role not in fonts:
            continue
        before, after = fonts[role]
        for attr in _FONT_ATTRS:
            if rfonts.get(attr) == before:
                rfonts.set(attr, after)
                changed = True
    return changed


def _read(package: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(package)) as z:
        return {name: z.read(name) for name in z.namelist()}


def _write(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)
    return out.getvalue()


def _add_override(content_types: bytes) -> bytes:
    root = etree.fromstring(content_types)
    if not any(o.get("PartName") == "/" + _CUSTOM_PART for o in root):
        etree.SubElement(root, f"{{{_CT_NS}}}Override", PartName="/" + _CUSTOM_PART, ContentType=_CUSTOM_TYPE)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _add_package_rel(rels: bytes) -> bytes:
    root = etree.fromstring(rels)
    taken = {r.get("Id") for r in root}
    rid = next(f"rId{n}" for n in range(1, len(taken) + 2) if f"rId{n}" not in taken)
    etree.SubElement(root, f"{{{_PKG_RELS_NS}}}Relationship", Id=rid, Type=_CUSTOM_REL, Target=_CUSTOM_PART)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
