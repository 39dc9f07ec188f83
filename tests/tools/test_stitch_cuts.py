"""Tracklets are never joined across a shot cut (perception/track_boxes.stitch): the dog that ends at a cut
and the kitten where the next shot starts were joined into one thing, and 'how many different animals appear'
said 2 for 3, sure."""

import numpy as np

from vitron_agent.perception.track_boxes import Track, stitch


def _track(i, frames, x):
    box = np.array([x, 10, x + 20, 40], float)
    look = np.full(8, 1 / 8, np.float32)
    return Track(id=i, seen={f: box for f in frames}, path={f: box for f in frames}, look=look, last=frames[-1])


def test_tracks_either_side_of_a_cut_stay_apart():
    a, b = _track(0, [0, 4, 8], 30), _track(1, [12, 16], 30)
    assert len(stitch([a, b], 10, 100, 100)) == 1  # no cut: one object broken by a bad box, joined
    assert len(stitch([a, b], 10, 100, 100, cuts=[10])) == 2  # a cut between them: two things
