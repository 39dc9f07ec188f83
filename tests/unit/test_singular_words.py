"""A plural noun's singular as WordNet knows it: a count said "I count 1 brushe"."""

from __future__ import annotations

import pytest

from vitron_agent.perception.wordnet_names import singular, wordnet_ready

pytestmark = pytest.mark.skipif(not wordnet_ready(), reason="WordNet's files are installed by make install")


@pytest.mark.parametrize(
    ("plural", "one"),
    [
        ("brushes", "brush"),
        ("leaves", "leaf"),
        ("wolves", "wolf"),
        ("butterflies", "butterfly"),
        ("boxes", "box"),
        ("geese", "goose"),
        ("lemons", "lemon"),
        ("cacti", "cactus"),
    ],
)
def test_singular(plural, one):
    assert singular(plural) == one


def test_no_form_is_none():
    assert singular("lemon") is None and singular("xyzzies") is None
