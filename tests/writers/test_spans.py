"""Splitting a column of items (table rows, bullets) into slides: as few as greedy filling needs, evened out,
and in O(n log n) so that long tables cost the same per row (the old linear partition was cubic)."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from briefkit.writers.textfit import balanced_spans


def greedy_count(heights: list[float], gaps: list[float], height: float) -> int:
    count, used = 1, 0.0
    for i, h in enumerate(heights):
        extra = h + (gaps[i] if used else 0.0)
        if used and used + extra > height:
            count, used = count + 1, h
        else:
            used += extra
    return count


def span_height(heights: list[float], gaps: list[float], a: int, b: int) -> float:
    return sum(heights[a:b]) + sum(gaps[a + 1:b])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(1, 60), min_size=1, max_size=40), st.integers(20, 150), st.data())
def test_spans_cover_everything_in_as_few_spans_as_greedy_each_within_the_box(rows: list[int], box: int,
                                                                              data: st.DataObject) -> None:
    gaps = data.draw(st.lists(st.integers(0, 5), min_size=len(rows), max_size=len(rows)))
    heights = [float(r) for r in rows]
    spans = balanced_spans(heights, box, [float(g) for g in gaps])
    assert spans[0][0] == 0 and spans[-1][1] == len(rows)
    assert all(a < b for a, b in spans) and all(x[1] == y[0] for x, y in itertools.pairwise(spans))
    assert len(spans) == greedy_count(heights, [float(g) for g in gaps], box)
    for a, b in spans:
        assert b - a == 1 or span_height(heights, [float(g) for g in gaps], a, b) <= box


def test_equal_items_are_spread_evenly() -> None:
    for n in range(1, 60):
        spans = balanced_spans([10.0] * n, 95)
        sizes = [b - a for a, b in spans]
        assert max(sizes) - min(sizes) <= 1, (n, sizes)


def test_an_item_taller_than_the_box_gets_a_span_of_its_own() -> None:
    assert balanced_spans([50, 10, 10], 35) == [(0, 1), (1, 3)]
