"""A click on one of several things that make one salient region takes that one thing, not the region.

A herd of horses is one salient region to U²-Netp: a click on the foal took all four horses and 'remove
this' removed them, said done. The detections here are given (the selection logic is under test, not the
detector); the masks are U²-Netp's, on two real photos side by side."""

import numpy as np
import pytest

from vitron_agent.core.refs import Box, Detection
from vitron_agent.toolkit.tool import ToolContext


@pytest.fixture(scope="module")
def pair():
    from skimage import data

    cat = data.chelsea()  # 300x451
    return np.ascontiguousarray(np.concatenate([cat, cat[:, ::-1]], axis=1))  # two cats, touching


def _two(monkeypatch, image):
    import vitron_agent.perception.detector as detector

    w = image.shape[1] // 2
    cats = [
        Detection(label="cat", score=0.9, box=Box(x1=40, y1=20, x2=w - 20, y2=299)),
        Detection(label="cat", score=0.9, box=Box(x1=w + 20, y1=20, x2=2 * w - 40, y2=299)),
    ]
    monkeypatch.setattr(detector, "detect_objects", lambda *a, **k: cats)
    return cats


def test_a_click_on_one_of_two_things_takes_that_one(monkeypatch, pair):
    from vitron_agent.tools.segment_embedded import _one_of_several

    _two(monkeypatch, pair)
    region = np.ones(pair.shape[:2], bool)
    mask, method = _one_of_several(pair, region, 200, 150, ToolContext(store=None))
    w = pair.shape[1] // 2
    assert mask[150, 200] and mask[:, :w].sum() > 0.95 * mask.sum()  # the left cat only
    assert method.startswith("the cat under the point (cat 0.90): the salient object there held 2 things")
    assert "cannot tell" not in method


def test_a_click_in_no_things_box_keeps_the_region_and_says_so(monkeypatch, pair):
    from graphs.policy import _assumed
    from vitron_agent.tools.segment_embedded import _one_of_several

    _two(monkeypatch, pair)
    region = np.ones(pair.shape[:2], bool)
    mask, method = _one_of_several(pair, region, 5, 5, ToolContext(store=None))
    assert mask is region
    record = {"status": "ok", "tool": "segment", "args": {}, "outputs": {"method": {"value": method}}}
    assert _assumed(record)[0] == "cannot tell"  # said first, and a destructive edit on it is held


def test_one_thing_under_the_click_is_left_as_it_was(monkeypatch, pair):
    import vitron_agent.perception.detector as detector
    from vitron_agent.tools.segment_embedded import _one_of_several

    cats = _two(monkeypatch, pair)
    monkeypatch.setattr(detector, "detect_objects", lambda *a, **k: cats[:1])
    assert _one_of_several(pair, np.ones(pair.shape[:2], bool), 200, 150, ToolContext(store=None)) is None
