"""Several things named in one target are each found, and the mask is their union: "make them orange" after
"I see a cup at the right; a cat at the left" selects "the cup and the cat" (readA s12). The segment tool took
the last kind alone ("the cat and the cup" was the cup), so one edit on both recoloured one."""

import numpy as np
import pytest


@pytest.fixture(scope="module")
def cat_and_cup():
    from skimage import data
    from skimage.transform import resize

    cup = (resize(data.coffee(), (300, 450), anti_aliasing=True) * 255).astype(np.uint8)
    return np.concatenate([data.chelsea(), cup], axis=1)  # 300x901: the cat left of x=451, the cup right


def _mask(agent, picture, text):
    result = agent.run(text, image=picture)
    assert result.ok, result.answer
    seg = next(s for s in result.steps if s.tool == "segment")
    return agent.store_for(result.session).get_mask(seg.output("mask")), seg


def test_two_kinds_named_are_both_selected(tmp_path, cat_and_cup):
    from vitron_agent import Agent

    agent = Agent(data_dir=tmp_path)
    both, seg = _mask(agent, cat_and_cup, "select the cat and the cup")
    assert both[:, :451].mean() > 0.3 and both[:, 451:].mean() > 0.15, seg.output("method")
    cat, _ = _mask(agent, cat_and_cup, "select the cat")
    assert cat[:, 451:].mean() < 0.05  # one kind alone stays that kind


def test_one_thing_with_and_in_its_name_is_not_split():
    from vitron_agent.tools.segment import SegmentInput
    from vitron_agent.tools.segment_embedded import _kinds_named

    def kinds(target):
        return _kinds_named(SegmentInput(image={"id": "x", "session": "s", "width": 8, "height": 8}, target=target))

    assert kinds("the black and white cat") == []
    assert kinds("the cup between the cat and the dog") == []
    assert kinds("the dog or the cat") == []
    assert kinds("the dog and the cat") == ["dog", "cat"]
