"""Themes: the look of all three formats (colours, fonts, logo, templates, reference.docx, master.pptx)."""

from briefkit.theme.model import Colours, Fonts, Theme

__all__ = ["Colours", "Fonts", "Theme"]
