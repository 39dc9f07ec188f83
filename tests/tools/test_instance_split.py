"""Where one thing ends and another of its kind begins (perception/instance_split.py): the part of a chosen
mask that lies only in another same-kind thing's box is cut off and said; other kinds, unsure finds and the
same thing found twice are left alone."""

import numpy as np

from vitron_agent.core.refs import Box, Detection
from vitron_agent.perception.instance_split import apart_from_its_kind


def _d(label, score, x1, y1, x2, y2):
    return Detection(label=label, score=score, box=Box(x1=x1, y1=y1, x2=x2, y2=y2))


def _union():
    """Two giraffes' bodies as one mask: the chosen one at x 60-99, the one behind at x 20-69."""
    mask = np.zeros((100, 120), bool)
    mask[20:90, 20:100] = True
    return mask


def test_the_part_in_only_the_other_ones_box_is_cut_and_said():
    right, left = _d("giraffe", 0.99, 60, 10, 100, 95), _d("giraffe", 0.98, 20, 15, 70, 95)
    kept, said = apart_from_its_kind(_union(), [right], [right, left])
    assert not kept[:, :60].any() and kept[20:90, 60:100].all()
    assert (
        said.startswith("it cannot tell where the giraffe ends and the giraffe beside it begins") and ", so it" in said
    )


def test_other_kinds_unsure_finds_and_the_same_thing_twice_are_left():
    right = _d("giraffe", 0.99, 60, 10, 100, 95)
    for other in (
        _d("person", 0.9, 20, 15, 70, 95),  # another kind: without_others' job
        _d("giraffe", 0.3, 20, 15, 70, 95),  # the detector unsure of it
        _d("giraffe", 0.9, 58, 12, 101, 96),  # the same giraffe found twice
    ):
        kept, said = apart_from_its_kind(_union(), [right], [right, other])
        assert kept.sum() == _union().sum() and said == ""
