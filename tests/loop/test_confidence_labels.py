"""The words a judgment's confidence is stated in follow the brief's language (locale files' `judgment_*`)."""

from __future__ import annotations

from briefkit.confidence import stated
from briefkit.factbase.schema import Judgment
from briefkit.labels import load_labels, using
from briefkit.paths import builtin_templates

JUDGMENT = Judgment.model_validate({
    "id": "kj-test", "text": "A judgment to state.", "facts": ["f"], "likelihood": "likely",
    "assumptions": ["Nothing changes at all"],
    "confidence": {"level": "moderate", "reason": "Two sources agree."},
})


def test_the_labels_follow_the_language() -> None:
    for language, words in (("en", ["Likelihood", "Confidence", "Assumes"]),
                            ("ru", ["Вероятность", "Уверенность", "Допущения"]),
                            ("zh", ["可能性", "置信度", "假设"])):
        with using(load_labels(language, None, builtin_templates() / "default")):
            assert [label for label, _ in stated(JUDGMENT)] == words
