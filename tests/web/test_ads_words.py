"""How the review page cuts an ad's text around the words of its indicators: pieces
that put the text back together, overlapping spans, spans outside the text."""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from nitka.web.ui.ads_words import Piece, marked


def test_overlapping_spans_name_every_indicator_that_covers_a_piece() -> None:
    pieces = marked("cash only, no experience", [(0, 9, "cash_only"), (5, 24, "messenger_only"),
                                                (11, 24, "no_requirements")])  # fmt: skip
    assert pieces == [
        Piece("cash ", ("cash_only",)),
        Piece("only", ("cash_only", "messenger_only")),
        Piece(", ", ("messenger_only",)),
        Piece("no experience", ("messenger_only", "no_requirements")),
    ]


def test_spans_outside_the_text_are_clipped_and_empty_ones_dropped() -> None:
    assert marked("<b>hi</b>", [(3, 5, "x"), (7, 99, "y"), (4, 4, "z"), (-5, 1, "w")]) == [
        Piece("<", ("w",)), Piece("b>"), Piece("hi", ("x",)), Piece("</"), Piece("b>", ("y",)),
    ]  # fmt: skip
    assert marked("", [(0, 3, "x")]) == []


@given(
    st.text(max_size=60),
    st.lists(
        st.tuples(st.integers(-5, 70), st.integers(-5, 70), st.sampled_from(["a", "b"])), max_size=6
    ),
)
def test_the_pieces_put_the_text_back_together(
    text: str, spans: list[tuple[int, int, str]]
) -> None:
    pieces = marked(text, spans)
    assert "".join(p.text for p in pieces) == text
    assert all(p.text for p in pieces)
    assert all(a.codes != b.codes for a, b in itertools.pairwise(pieces))
