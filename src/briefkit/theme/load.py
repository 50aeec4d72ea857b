"""Resolving a theme: a user folder overrides the built-in theme file by file (theme.yaml key by key)."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from briefkit.errors import Problem, TemplateError, display_path
from briefkit.factbase.yamlfile import LList, LMap, line_of, load_yaml
from briefkit.theme.model import DEFAULT_LAYOUTS, Colours, FontChoice, Fonts, Theme

_HEX = r"^#[0-9A-Fa-f]{6}$"
_SAFE_NAME = r"^[A-Za-z0-9][A-Za-z0-9._-]*$"  # a file name inside the theme folder, nothing else


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ColoursSpec(_Strict):
    primary: str | None = Field(default=None, pattern=_HEX)
    accent: str | None = Field(default=None, pattern=_HEX)
    text: str | None = Field(default=None, pattern=_HEX)
    muted: str | None = Field(default=None, pattern=_HEX)
    box: str | None = Field(default=None, pattern=_HEX)
    palette: list[str] | None = None


class FontSpec(_Strict):
    family: str = Field(min_length=1)
    office: str | None = None


class FontsSpec(_Strict):
    body: FontSpec | None = None
    heading: FontSpec | None = None
    size_pt: float | None = Field(default=None, ge=7, le=16)


class EmailSpec(_Strict):
    sender: str | None = Field(default=None, alias="from")
    to: list[str] | None = None


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


def _spec(path: Path) -> tuple[ThemeSpec, object]:
    data = load_yaml(path, error=TemplateError)
    try:
        return ThemeSpec.model_validate(data or {}), data
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            line = line_of(data, tuple(err["loc"])) if isinstance(data, (LMap, LList)) else None
            field = ".".join(str(p) for p in err["loc"]) or None
            problems.append(Problem(display_path(path), line, str(err["msg"]).removeprefix("Value error, "), field))
        raise TemplateError(*problems) from None


def theme_file(name: str, user_dir: Path | None, builtin_dir: Path) -> Path | None:
    """The file `name` from the user's theme if it has one, else the built-in one, else None.

    A user file must really be inside the user's folder (no symlink escaping it)."""
    if user_dir is not None:
        candidate = user_dir / name
        if candidate.exists():
            real = candidate.resolve()
            if not real.is_relative_to(user_dir.resolve()) or not real.is_file():
                raise TemplateError(Problem(display_path(candidate), None, "must be a file inside the theme folder"))
            return real
    builtin = builtin_dir / name
    return builtin if builtin.is_file() else None


def load_theme(user_dir: Path | None, builtin_dir: Path) -> Theme:
    """The built-in theme.yaml, with the user's theme.yaml values on top, and files resolved user-first."""
    if user_dir is not None and not user_dir.is_dir():
        raise TemplateError(Problem(display_path(user_dir), None, "theme folder not found"))
    base, _ = _spec(builtin_dir / "theme.yaml")
    user = None
    if user_dir is not None and (user_dir / "theme.yaml").is_file():
        user, _ = _spec(user_dir / "theme.yaml")

    def pick(attr: str, default: object = None) -> object:
        for spec in (user, base):
            value = getattr(spec, attr, None) if spec else None
            if value is not None:
                return value
        return default

    def colour(attr: str) -> str:
        for spec in (user, base):
            value = getattr(spec.colours, attr) if spec else None
            if value is not None:
                return value
        return getattr(Colours(), attr)

    def font(attr: str) -> FontChoice:
        for spec in (user, base):
            f = getattr(spec.fonts, attr) if spec else None
            if f is not None:
                return FontChoice(family=f.family, office=f.office or f.family)
        return FontChoice()

    palette = (user and user.colours.palette) or base.colours.palette or list(Colours().palette)
    size = (user and user.fonts.size_pt) or base.fonts.size_pt or Fonts().size_pt
    layouts = {**DEFAULT_LAYOUTS, **base.layouts, **((user and user.layouts) or {})}
    unknown = sorted(set(layouts) - set(DEFAULT_LAYOUTS))
    if unknown:
        raise TemplateError(Problem(display_path((user_dir or builtin_dir) / "theme.yaml"), None,
                                    f"unknown slide kinds {', '.join(unknown)}; known: {', '.join(DEFAULT_LAYOUTS)}",
                                    "layouts"))

    logo_name = str(pick("logo", "") or "")
    logo_path = theme_file(logo_name, user_dir, builtin_dir) if logo_name else None
    if logo_name and logo_path is None:
        raise TemplateError(Problem(display_path((user_dir or builtin_dir) / "theme.yaml"), None,
                                    f"logo file {logo_name!r} not found in the theme", "logo"))
    logo = logo_path.read_bytes() if logo_path else None
    if logo is not None and not logo.startswith(b"\x89PNG\r\n\x1a\n"):
        raise TemplateError(Problem(display_path(logo_path), None, "the logo must be a PNG image"))

    def optional_file(attr: str) -> Path | None:
        name = pick(attr)
        if not name:
            return None
        path = theme_file(str(name), user_dir, builtin_dir)
        if path is None:
            raise TemplateError(Problem(display_path((user_dir or builtin_dir) / "theme.yaml"), None,
                                        f"file {name!r} not found in the theme", attr))
        return path

    css_path = theme_file("brief.css", user_dir, builtin_dir)
    email = (user and user.email) or base.email
    return Theme(
        name=str(pick("name", "default")),
        organisation=str(pick("organisation", "briefkit")),
        colours=Colours(primary=colour("primary"), accent=colour("accent"), text=colour("text"),
                        muted=colour("muted"), box=colour("box"), palette=tuple(palette)),
        fonts=Fonts(body=font("body"), heading=font("heading"), size_pt=float(size)),
        logo=logo,
        logo_name=logo_name,
        page_size=str(pick("page_size", "A4")),
        reference_docx=optional_file("reference_docx"),
        master_pptx=optional_file("master_pptx"),
        layouts=layouts,
        css=css_path.read_text(encoding="utf-8") if css_path else "",
        email_from=(email.sender if email and email.sender else base.email.sender) or "briefs@example.org",
        email_to=tuple((email.to if email and email.to is not None else base.email.to) or ()),
    )
