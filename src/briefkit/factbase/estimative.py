"""The one scale of likelihood a judgment may state, and the levels of confidence: defined here and nowhere else.

The likelihood terms and their ranges are those of ICD 203 (US Intelligence Community Directive 203, Analytic
Standards, 2015), the scale analysts already read. Likelihood says how probable the judged thing is; confidence
says how good the evidence and reasoning behind the judgment are. They answer different questions, so briefkit
prints them apart and never joins them in one phrase ("we assess with high confidence that it is likely").
"""

from __future__ import annotations

from typing import Literal

Confidence = Literal["low", "moderate", "high"]
CONFIDENCE_LEVELS: tuple[str, ...] = ("low", "moderate", "high")

Likelihood = Literal["almost no chance", "very unlikely", "unlikely", "roughly even chance", "likely", "very likely",
                     "almost certain"]
# Each term with its probability range in percent (ICD 203).
LIKELIHOOD_SCALE: dict[str, tuple[int, int]] = {
    "almost no chance": (1, 5),
    "very unlikely": (5, 20),
    "unlikely": (20, 45),
    "roughly even chance": (45, 55),
    "likely": (55, 80),
    "very likely": (80, 95),
    "almost certain": (95, 99),
}


def likelihood_range(term: str) -> str:
    """'55-80%' (with an en dash) for a term of the scale."""
    low, high = LIKELIHOOD_SCALE[term]
    return f"{low}\u2013{high}%"
