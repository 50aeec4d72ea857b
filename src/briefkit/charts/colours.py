"""Which theme colours the series of a chart get, so that readers with colour-vision deficiencies can tell them
apart, and which text colour reads on a given fill."""

from __future__ import annotations

from functools import cache

# Machado, Oliveira and Fernandes (2009), severity 1.0, applied to linear RGB.
_SIMULATIONS = (
    ((1.0, 0.0, 0.0), (0.0, 1.0, 0.0), (0.0, 0.0, 1.0)),  # normal vision
    ((0.152286, 1.052583, -0.204868), (0.114503, 0.786281, 0.099216), (-0.003882, -0.048116, 1.051998)),
    ((0.367322, 0.860646, -0.227968), (0.280085, 0.672501, 0.047413), (-0.011820, 0.042940, 0.968881)),
    ((1.255528, -0.076749, -0.178779), (-0.078411, 0.930809, 0.147602), (0.004733, 0.691367, 0.303900)),
)
Lab = tuple[float, float, float]


def series_colours(palette: tuple[str, ...], count: int) -> list[str]:
    """`count` colours from `palette`: the first is the palette's first (the house colour); each next one is the
    colour that stays most distinct from those already taken (above all from the one before it) for normal,
    protan, deutan and tritan vision; greys come last.
    A theme's palette order is then only a preference, never a trap (red next to green)."""
    if count <= 0 or not palette:
        return []
    chosen = [palette[0]]
    left = [c for c in dict.fromkeys(palette[1:]) if not is_grey(c)]
    greys = [c for c in dict.fromkeys(palette[1:]) if is_grey(c)]  # kept for "Other" and for last resort
    while len(chosen) < count and (left or greys):
        pool = left or greys
        best = max(pool, key=lambda c: _score(c, chosen))
        chosen.append(best)
        pool.remove(best)
    return [chosen[i % len(chosen)] for i in range(count)]


def _score(colour: str, chosen: list[str]) -> float:
    """How distinct `colour` is from those taken; from the last one taken it must differ twice as much, since
    neighbours in the order touch in stacked bars and sit side by side in legends."""
    return min(min(_difference(colour, c) for c in chosen), _difference(colour, chosen[-1]) / 2)


def is_grey(colour: str) -> bool:
    """A colour without hue (chroma under 0.03 in OKLab): a theme's neutral, not a series colour."""
    _, a, b = _views(colour)[0]
    return (a * a + b * b) ** 0.5 < 0.03


def text_on(fill: str, dark: str, light: str = "#FFFFFF") -> str:
    """The label colour that reads on `fill`: light on dark fills, `dark` on light ones."""
    r, g, b = _linear(fill)
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return dark if luminance > 0.3 else light


def _difference(a: str, b: str) -> float:
    """The smallest perceptual (OKLab) distance between two colours over the four kinds of vision."""
    return min(_distance(_views(a)[i], _views(b)[i]) for i in range(len(_SIMULATIONS)))


@cache
def _views(colour: str) -> tuple[Lab, ...]:
    rgb = _linear(colour)
    return tuple(_oklab(_apply(m, rgb)) for m in _SIMULATIONS)


def _linear(colour: str) -> tuple[float, float, float]:
    text = colour.lstrip("#")
    channels = [int(text[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return lin[0], lin[1], lin[2]


def _apply(matrix: tuple[tuple[float, ...], ...], rgb: tuple[float, float, float]) -> tuple[float, float, float]:
    out = [min(1.0, max(0.0, sum(row[i] * rgb[i] for i in range(3)))) for row in matrix]
    return out[0], out[1], out[2]


def _oklab(rgb: tuple[float, float, float]) -> Lab:
    r, g, b = rgb
    lms = (
        0.4122214708 * r + 0.5363325363 * g + 0.0514459929 * b,
        0.2119034982 * r + 0.6806995451 * g + 0.1073969566 * b,
        0.0883024619 * r + 0.2817188376 * g + 0.6299787005 * b,
    )
    l_, m_, s_ = (v ** (1 / 3) for v in lms)
    return (
        0.2104542553 * l_ + 0.7936177850 * m_ - 0.0040720468 * s_,
        1.9779984951 * l_ - 2.4285922050 * m_ + 0.4505937099 * s_,
        0.0259040371 * l_ + 0.7827717662 * m_ - 0.8086757660 * s_,
    )


def _distance(a: Lab, b: Lab) -> float:
    return sum((x - y) ** 2 for x, y in zip(a, b, strict=True)) ** 0.5
