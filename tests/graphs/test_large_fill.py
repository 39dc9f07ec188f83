"""A removal that fills a large share of the picture says so first ("erase the grass": a third of the picture
smeared into streaks, said done)."""

from __future__ import annotations

from vitron_agent.graphs.policy import LARGE_FILL, large_fill, turn_warnings
from vitron_agent.toolkit.plan import Plan, Step


def _turn(area: float, operation: str = "remove"):
    plan = Plan(
        steps=[
            Step(id="s1", tool="segment", args={"image": "$input.image", "target": "the grass"}),
            Step(id="s2", tool="edit", args={"image": "$input.image", "mask": "$s1.mask", "operation": operation}),
        ]
    )
    mask = {"kind": "mask", "value": {"type": "mask", "id": "m1", "area": area}}
    records = {
        "s1": {"status": "ok", "tool": "segment", "args": plan.steps[0].args, "outputs": {"mask": mask}},
        "s2": {"status": "ok", "tool": "edit", "args": plan.steps[1].args, "outputs": {}},
    }
    return plan, records


def test_a_large_removal_is_said():
    plan, records = _turn(0.33)
    assert large_fill(plan.steps[1], records) == 0.33
    assert any("covers 33% of the picture" in w for w in turn_warnings(plan, records))


def test_a_small_removal_or_another_edit_is_not():
    plan, records = _turn(LARGE_FILL / 2)
    assert large_fill(plan.steps[1], records) is None
    plan, records = _turn(0.5, operation="blur")
    assert large_fill(plan.steps[1], records) is None


def test_large_fill_and_tiny_mask_read_one_area():
    """Both read the selecting step's mask or track area through one lookup (graphs.policy._mask_area):
    a track's area counts as a mask's does, and a step with no mask output has none."""
    from vitron_agent.graphs.policy import tiny_mask

    plan, records = _turn(0.4)
    records["s1"]["outputs"] = {"track": {"kind": "track", "value": {"type": "track", "id": "t1", "area": 0.4}}}
    assert large_fill(plan.steps[1], records) == 0.4
    records["s1"]["outputs"]["track"]["value"]["area"] = 0.001
    assert tiny_mask(records["s1"]) == ("the grass", 0.001)
    records["s1"]["outputs"] = {"method": {"kind": "text", "value": "colour"}}
    assert large_fill(plan.steps[1], records) is None and tiny_mask(records["s1"]) is None
