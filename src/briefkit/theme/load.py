"""Resolving a theme: a user folder overrides the built-in theme file by file (theme.yaml key by key).

`load_theme` gives the `Theme` the writers receive; `try_theme` also tries the files of the theme it can try
itself (templates, fonts) so that a broken theme is reported once, all of it, before any work starts. The files
only a writer reads (reference.docx, master.pptx) are tried by the writers (`writers.formats.theme_file_problems`):
nothing here calls into the writers, which depend on this package and not the other way round.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, field_validator

from briefkit.errors import BriefkitError, Problem, TemplateError, display_path
from briefkit.factbase.yamlfile import LList, LMap, line_of, load_yaml
from briefkit.limits import raster_problem, zip_problem
from briefkit.safefile import read_limited
from briefkit.theme.model import DEFAULT_LAYOUTS, FALLBACK_SCRIPTS, Colours, FontChoice, Fonts, Theme

_HEX = re.compile(r"^#[0-9A-Fa-f]{6}$")
_SAFE_NAME = r"^$|^[A-Za-z0-9][A-Za-z0-9._-]*$"  # a file name inside the theme folder ("" = none), nothing else
COLOUR_NAMES = ("primary", "accent", "text", "muted", "box")


def _colour(value: str | None) -> str | None:
    if value is not None and not _HEX.match(value):
        raise ValueError(f"{value!r} is not a colour; write it as #RRGGBB, e.g. \"#1F3A5F\" (quoted in YAML)")
    return value


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ColoursSpec(_Strict):
    primary: str | None = None
    accent: str | None = None
    text: str | None = None
    muted: str | None = None
    box: str | None = None
    palette: list[str] | None = Field(default=None, min_length=1)

    _hex = field_validator(*COLOUR_NAMES)(_colour)

    @field_validator("palette")
    @classmethod
    def _palette(cls, value: list[str] | None) -> list[str] | None:
        """Chart colours: #RRGGBB, or the name of a colour above, so charts follow it when it changes."""
        for item in value or []:
            if item not in COLOUR_NAMES and not _HEX.match(item):
                raise ValueError(f"{item!r} is neither #RRGGBB nor one of {', '.join(COLOUR_NAMES)}")
        return value


class FontSpec(_Strict):
    family: str = Field(min_length=1)
    office: str | None = None


class FontsSpec(_Strict):
    body: FontSpec | None = None
    heading: FontSpec | None = None
    size_pt: float | None = Field(default=None, ge=7, le=16)
    fallback: dict[str, list[FontSpec | str]] | None = None

    @field_validator("fallback")
    @classmethod
    def _scripts(cls, value: dict[str, list[FontSpec | str]] | None) -> dict[str, list[FontSpec | str]] | None:
        unknown = sorted(set(value or {}) - set(FALLBACK_SCRIPTS))
        if unknown:
            raise ValueError(f"unknown scripts {', '.join(unknown)}; known: {', '.join(FALLBACK_SCRIPTS)}")
        return value


def _address(value: str) -> str:
    """Addresses go into the draft email's headers, where a line break would add headers of its own."""
    from briefkit.addresses import parse_address

    try:
        return parse_address(value)
    except ValueError as exc:
        raise ValueError(f"{value!r} is not one email address: {exc} (list each recipient on its own line)"
                         ) from None


Address = Annotated[str, AfterValidator(_address)]


class EmailSpec(_Strict):
    sender: Address | None = Field(default=None, alias="from")
    to: list[Address] | None = None


class ThemeSpec(_Strict):
    name: str | None = None
    organisation: str | None = None
    colours: ColoursSpec = ColoursSpec()
    fonts: FontsSpec = FontsSpec()
    logo: str | None = Field(default=None, pattern=_SAFE_NAME)
    page_size: str | None = Field(default=None, pattern=r"^(A4|Letter)$")
    reference_docx: str | None = Field(default=None, pattern=_SAFE_NAME)
    master_pptx: str | None = Field(default=None, pattern=_SAFE_NAME)
    layouts: dict[str, str] = {}
    email: EmailSpec = EmailSpec()


class _Source:
    """One theme.yaml: its values and the line of each, for errors that point at the key to fix."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.data: Any = load_yaml(path, error=TemplateError, inside=path.parent)  # no symlink out of the theme
        try:
            self.spec = ThemeSpec.model_validate(self.data or {})
        except ValidationError as exc:
            problems = []
            for err in exc.errors():
                loc = tuple(err["loc"])
                field = ".".join(str(p) for p in loc) or None
                message = str(err["msg"]).removeprefix("Value error, ")
                if err["type"] == "string_pattern_mismatch" and loc and loc[0] in ("logo", "reference_docx",
                                                                                  "master_pptx"):
                    message = f"{err['input']!r} must be a file name inside the theme folder (no folders)"
                elif err["type"] == "extra_forbidden":
                    message = f"unknown key; known here: {', '.join(_keys_at(ThemeSpec, loc[:-1]))}"
                problems.append(Problem(display_path(path), self.line(*loc), message, field))
            raise TemplateError(*sorted(problems, key=lambda p: p.line or 0)) from None

    def line(self, *loc: str | int) -> int | None:
        return line_of(self.data, tuple(loc)) if isinstance(self.data, (LMap, LList)) else None

    def problem(self, message: str, *loc: str) -> Problem:
        return Problem(display_path(self.path), self.line(*loc), message, ".".join(loc) or None)


def _keys_at(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """The keys theme.yaml allows at `loc` (the mapping an unknown key was found in)."""
    for key in loc:
        field = model.model_fields.get(str(key))
        inner = getattr(field, "annotation", None) if field else None
        inner = next((a for a in getattr(inner, "__args__", (inner,)) if isinstance(a, type)
                      and issubclass(a, BaseModel)), None)
        if inner is None:
            return []
        model = inner
    return [f.alias or name for name, f in model.model_fields.items()]


def theme_file(name: str, user_dir: Path | None, builtin_dir: Path) -> Path | None:
    """The file `name` from the user's theme if it has one, else the built-in one, else None.

    A user file must really be inside the user's folder (no symlink escaping it)."""
    if user_dir is not None:
        candidate = user_dir / name
        if candidate.exists() or candidate.is_symlink():
            real = candidate.resolve()
            if not real.is_relative_to(user_dir.resolve()) or not real.is_file():
                raise TemplateError(Problem(display_path(candidate), None, "must be a file inside the theme folder"))
            return real
    builtin = builtin_dir / name
    return builtin if builtin.is_file() else None


def load_theme(user_dir: Path | None, builtin_dir: Path) -> Theme:
    """The built-in theme.yaml, with the user's theme.yaml values on top, and files resolved user-first."""
    theme, problems = _resolve(user_dir, builtin_dir)
    if problems:
        raise TemplateError(*problems)
    return theme


def _resolve(user_dir: Path | None, builtin_dir: Path) -> tuple[Theme, list[Problem]]:
    """The theme, and the problems with the files it names (each such file left out), so that a check can go
    on to try the rest; a theme.yaml that does not validate stops here."""
    if user_dir is not None and not user_dir.is_dir():
        raise TemplateError(Problem(display_path(user_dir), None, "theme folder not found"))
    base = _Source(builtin_dir / "theme.yaml")
    user = _Source(user_dir / "theme.yaml") if user_dir is not None and (user_dir / "theme.yaml").is_file() else None
    sources = [s for s in (user, base) if s is not None]
    problems: list[Problem] = []

    def pick(attr: str, default: Any = None) -> tuple[Any, _Source]:
        """The first value set, user's theme.yaml first, and the file it came from."""
        for source in sources:
            value = getattr(source.spec, attr)
            if value is not None:
                return value, source
        return default, base

    def colour(attr: str) -> str:
        for source in sources:
            value = getattr(source.spec.colours, attr)
            if value is not None:
                return value.upper()
        return getattr(Colours(), attr)

    def font(attr: str) -> FontChoice:
        for source in sources:
            f = getattr(source.spec.fonts, attr)
            if f is not None:
                return FontChoice(family=f.family, office=f.office or f.family)
        return FontChoice()

    def fallback() -> tuple[tuple[str, tuple[FontChoice, ...]], ...]:
        """Script by script, the user's chain replaces the built-in one."""
        chains: dict[str, tuple[FontChoice, ...]] = {}
        for source in reversed(sources):
            for script, fonts in (source.spec.fonts.fallback or {}).items():
                chains[script] = tuple(FontChoice(family=f, office=f) if isinstance(f, str)
                                       else FontChoice(family=f.family, office=f.office or f.family) for f in fonts)
        return tuple((s, chains[s]) for s in FALLBACK_SCRIPTS if s in chains)

    named = {name: colour(name) for name in COLOUR_NAMES}
    palette_spec = next((s.spec.colours.palette for s in sources if s.spec.colours.palette), None)
    palette = tuple(named.get(c, c.upper()) for c in palette_spec) if palette_spec else Colours().palette
    size = next((s.spec.fonts.size_pt for s in sources if s.spec.fonts.size_pt), None) or Fonts().size_pt
    layouts = {**DEFAULT_LAYOUTS, **base.spec.layouts, **(user.spec.layouts if user else {})}
    unknown = sorted(set(layouts) - set(DEFAULT_LAYOUTS))
    if unknown:
        source = user if user and set(user.spec.layouts) - set(DEFAULT_LAYOUTS) else base
        problems.append(source.problem(f"unknown slide kinds {', '.join(unknown)}; known: "
                                       f"{', '.join(DEFAULT_LAYOUTS)}", "layouts"))

    logo_name, logo_source = pick("logo", "")
    logo = None
    if logo_name:
        logo_path = theme_file(logo_name, user_dir, builtin_dir)
        if logo_path is None:
            problems.append(logo_source.problem(f"logo file {logo_name!r} not found in the theme folder", "logo"))
        else:
            logo = _read(logo_path, MAX_LOGO_BYTES, problems)
            if logo is not None and not logo.startswith(b"\x89PNG\r\n\x1a\n"):
                problems.append(Problem(display_path(logo_path), None, "the logo must be a PNG image"))
                logo = None
            elif logo is not None and user_dir is not None and logo_path.is_relative_to(user_dir.resolve()) \
                    and (reason := raster_problem(logo)):  # the built-in logo is briefkit's own
                problems.append(Problem(display_path(logo_path), None, f"the logo {reason}"))
                logo = None

    def optional_file(attr: str) -> Path | None:
        name, source = pick(attr)
        if not name:
            return None
        path = theme_file(str(name), user_dir, builtin_dir)
        if path is None:
            builtin = "styles" if attr == "reference_docx" else "master"
            problems.append(source.problem(f"file {name!r} not found in the theme folder; put it there, or delete "
                                           f"this line to use the built-in {builtin}", attr))
            return None
        data = _read(path, MAX_OFFICE_BYTES, problems)
        reason = zip_problem(data) if data is not None else None
        if reason:
            problems.append(Problem(display_path(path), None, f"{reason}; is this a real {path.suffix[1:]} file?"))
        return path if data is not None and not reason else None

    reference_docx, master_pptx = optional_file("reference_docx"), optional_file("master_pptx")
    heading_font = font("heading")
    notes: list[str] = []
    if reference_docx is not None and user_dir is not None and reference_docx.parent == user_dir:
        heading_font, named["primary"], notes = _carry_reference(reference_docx, user, heading_font,
                                                                 named["primary"])
    css_path = theme_file("brief.css", user_dir, builtin_dir)
    email = (user and user.spec.email) or base.spec.email
    theme = Theme(
        name=str(pick("name", "default")[0]),
        organisation=str(pick("organisation", "briefkit")[0]),
        colours=Colours(palette=palette, **named),
        fonts=Fonts(body=font("body"), heading=heading_font, size_pt=float(size), fallback=fallback()),
        logo=logo,
        logo_name=logo_name,
        page_size=str(pick("page_size", "A4")[0]),
        reference_docx=reference_docx,
        master_pptx=master_pptx,
        layouts=layouts,
        css=_text(css_path, problems) if css_path else "",
        email_from=(email.sender if email and email.sender else base.spec.email.sender) or "briefs@example.org",
        email_to=tuple((email.to if email and email.to is not None else base.spec.email.to) or ()),
        notes=tuple(notes),
    )
    return theme, problems


def _carry_reference(path: Path, user: _Source | None, font: FontChoice, primary: str
                     ) -> tuple[FontChoice, str, list[str]]:
    """Heading 1's font and colour in the user's reference.docx, carried to the PDF and the deck where theme.yaml
    does not set them itself and the font is installed; one note says what carried and what did not."""
    from briefkit.theme.reference_styles import heading_style

    style = heading_style(path)
    shown = display_path(path)
    notes = []
    set_font = user is not None and user.spec.fonts.heading is not None
    set_colour = user is not None and user.spec.colours.primary is not None
    carried = []
    if style.colour and style.colour != primary:
        if set_colour:
            notes.append(f"headings are {style.colour} in the DOCX but colours.primary ({primary}) in the "
                         "PDF and deck, as theme.yaml sets it")
        else:
            primary = style.colour
            carried.append(style.colour)
    if style.font and style.font.lower() not in (font.family.lower(), font.office.lower()):
        if set_font:
            notes.append(f"headings are in {style.font} in the DOCX but {font.family} in the PDF and deck, "
                         "as theme.yaml's fonts.heading sets it")
        elif style.font.lower() in installed_families()[0]:
            font = FontChoice(family=style.font, office=style.font)
            carried.append(style.font)
        else:
            notes.append(f"headings are in {style.font} in the DOCX only; it is not installed here, so the "
                         f"PDF and deck keep {font.family} (install it, or set fonts.heading in theme.yaml)")
    if carried:
        notes.insert(0, f"its heading style ({', '.join(carried)}) is used in the PDF and deck too")
    notes = [f"{shown}: {'; '.join(notes)}"] if notes else []  # one line, whatever carried and what did not
    return font, primary, notes


MAX_LOGO_BYTES = 10_000_000
MAX_OFFICE_BYTES = 50_000_000  # a reference.docx or master.pptx: styles and a few pictures
MAX_TEXT_BYTES = 2_000_000  # a stylesheet or a template


def _read(path: Path, limit: int, problems: list[Problem]) -> bytes | None:
    """A theme file's bytes, or None with the problem noted (not a regular file, too large, unreadable)."""
    try:
        return read_limited(path, limit, TemplateError)
    except TemplateError as exc:
        problems.extend(exc.problems)
        return None


def decode_text(data: bytes, shown: str) -> str:
    """A theme's text file as UTF-8, or a TemplateError at the line of the first byte that is not."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise TemplateError(Problem(shown, line, f"not UTF-8 text (byte 0x{data[exc.start]:02x}); save the file as "
                                                 "UTF-8")) from None


def _text(path: Path, problems: list[Problem]) -> str:
    data = _read(path, MAX_TEXT_BYTES, problems)
    if data is None:
        return ""
    try:
        return decode_text(data, display_path(path))
    except TemplateError as exc:
        problems.extend(exc.problems)
        return ""


def try_theme(user_dir: Path | None, builtin_dir: Path) -> tuple[Theme, list[Problem]]:
    """The theme, and every problem found by trying its templates and fonts as the build will use them."""
    from briefkit.render import make_environment

    theme, problems = _resolve(user_dir, builtin_dir)
    problems += _font_problems(theme, user_dir, builtin_dir)
    problems += _label_problems(user_dir, builtin_dir)
    env = make_environment(user_dir, builtin_dir)
    for name in ("brief.md.j2", "deck.md.j2"):
        problems += _problems_of(lambda name=name: env.get_template(name), name)
    return theme, problems


def _label_problems(user_dir: Path | None, builtin_dir: Path) -> list[Problem]:
    """Every locale file of the theme, checked against English's labels (`briefkit.labels`)."""
    from briefkit.labels import check_locale_files

    return check_locale_files(user_dir, builtin_dir)


def _problems_of(job: Any, name: str) -> list[Problem]:
    import jinja2

    try:
        job()
    except BriefkitError as exc:
        return list(exc.problems)
    except jinja2.TemplateSyntaxError as exc:
        return [Problem(display_path(exc.filename or name), exc.lineno, exc.message or "syntax error")]
    return []


def _font_problems(theme: Theme, user_dir: Path | None, builtin_dir: Path) -> list[Problem]:
    """A font the PDF and the charts cannot find would silently become Carlito, and one the deck cannot measure
    would stop the build: say so instead."""
    usable, listed = installed_families()
    problems = []
    folders = [d for d in (user_dir, builtin_dir) if d is not None and (d / "theme.yaml").is_file()]
    sources = [_Source(d / "theme.yaml") for d in folders]
    named: list[tuple[str, tuple[str, ...], _Source]] = []
    for role in ("body", "heading"):
        source = next((s for s in sources if getattr(s.spec.fonts, role) is not None), sources[0])
        named.append((getattr(theme.fonts, role).family, ("fonts", role, "family"), source))
    for script, chain in theme.fonts.fallback:
        source = next((s for s in sources if script in (s.spec.fonts.fallback or {})), sources[0])
        named += [(f.family, ("fonts", "fallback", script), source) for f in chain]
    for family, loc, source in named:
        if family.lower() in usable:
            continue
        if family.lower() in listed:
            message = (f"font {family!r} is installed only as a bitmap or Type 1 font, which the PDF, the charts "
                       "and the deck cannot use; install its TrueType or OpenType version or choose another")
        else:
            message = (f"font {family!r} is not installed on this machine, so the PDF and the charts cannot use "
                       "it; install it (fc-list lists those installed) or choose another")
        problems.append(source.problem(message, *loc))
    return problems


# Font files every part of a build can use: TrueType, and OpenType with CFF outlines. Pango (the PDF) no longer
# renders Type 1 or bitmap fonts, matplotlib (the charts) never did, and the deck's text fitting reads TrueType
# and OpenType tables (`writers/sfnt.py`).
USABLE_FONT_FORMATS = ("TrueType", "CFF")


def installed_families() -> tuple[set[str], set[str]]:
    """Font families installed on this machine, lower-cased: those in a format every writer can use, and every
    one fontconfig (which the PDF's Pango uses) lists. A few milliseconds, where asking matplotlib would first
    import it (a quarter of a second before any work can start); matplotlib scans the same folders."""
    import subprocess

    try:
        out = subprocess.run(["fc-list", "--format", "%{fontformat}\t%{family}\n"], capture_output=True,
                             text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        from matplotlib import font_manager

        known = {f.name.lower() for f in font_manager.fontManager.ttflist}
        return known, known
    usable: set[str] = set()
    listed: set[str] = set()
    for line in out.splitlines():
        fmt, _, names = line.partition("\t")
        families = {name.strip().lower() for name in names.split(",") if name.strip()}
        listed |= families
        if fmt in USABLE_FONT_FORMATS:
            usable |= families
    return usable, listed
