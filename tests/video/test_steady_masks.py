"""Masks of a tracked thing made steady in time (perception.steady_masks), so a tracked edit does not
flicker: dropouts filled, blips dropped, a noisy outline of a still thing held, a moving thing followed
without lag, a real change of size followed."""

import numpy as np

from vitron_agent.perception.steady_masks import steady_masks


def _disc(cx: float, cy: float, r: float, h: int = 64, w: int = 96) -> np.ndarray:
    ys, xs = np.mgrid[:h, :w]
    return (xs - cx) ** 2 + (ys - cy) ** 2 <= r * r


def _iou(a, b) -> float:
    return float((a & b).sum() / max(1, (a | b).sum()))


def test_a_one_frame_dropout_is_filled_and_a_blip_dropped():
    masks = [_disc(40, 30, 10) for _ in range(9)]
    masks[4] = np.zeros_like(masks[0])  # missed on one frame
    masks[6] = masks[6] & _disc(40, 30, 4)  # a far smaller mask: a miss too
    out = list(steady_masks(masks, 2))
    assert len(out) == 9 and _iou(out[4], masks[0]) > 0.95 and _iou(out[6], masks[0]) > 0.95
    blip = [np.zeros_like(masks[0]) for _ in range(7)]
    blip[3] = _disc(20, 20, 5)  # a stray blob on one frame
    assert not any(m.any() for m in steady_masks(blip, 2))


def test_a_still_thing_with_a_noisy_outline_keeps_one_outline():
    rng = np.random.default_rng(0)
    raw = [_disc(48 + rng.uniform(-0.8, 0.8), 32 + rng.uniform(-0.8, 0.8), 14 + rng.uniform(-1, 1)) for _ in range(30)]
    before = np.mean([_iou(a, b) for a, b in zip(raw, raw[1:], strict=False)])
    out = list(steady_masks(raw, 2))
    after = np.mean([_iou(a, b) for a, b in zip(out, out[1:], strict=False)])
    assert after > 0.98 > before, (before, after)
    assert all(_iou(m, _disc(48, 32, 14)) > 0.85 for m in out)  # held, not shrunk or bloated


def test_a_moving_thing_is_followed_without_lag_and_a_change_of_size_at_once():
    truth = [_disc(20 + 3 * t, 32, 10) for t in range(20)]
    out = list(steady_masks(truth, 2))
    assert min(_iou(a, b) for a, b in zip(out, truth, strict=True)) > 0.9
    grow = [_disc(48, 32, 8)] * 10 + [_disc(48, 32, 14)] * 10  # it comes closer at once
    out = list(steady_masks(grow, 2))
    assert _iou(out[11], grow[11]) > 0.9 and _iou(out[8], grow[8]) > 0.9


def test_radius_zero_gives_the_masks_back():
    masks = [_disc(40, 30, 10), np.zeros((64, 96), bool), _disc(40, 30, 10)]
    assert [m.sum() for m in steady_masks(masks, 0)] == [m.sum() for m in masks]
