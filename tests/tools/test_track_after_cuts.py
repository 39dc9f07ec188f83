"""A thing followed through a clip is looked for again after a shot cut (perception/track_sparse.after_cuts).

No track crosses a cut, so 'blur the dog in the video' stopped at the first cut and said the dog was 'not
found in the rest of the clip' while it came back two shots later, unblurred. In each later shot the one of
its kind seen longest is taken as the same thing (every one of them when several are there), said as an
assumption."""

import numpy as np

from graphs.policy import _assumed
from vitron_agent.perception.track_boxes import BoxTracker, Track
from vitron_agent.perception.track_sparse import after_cuts


def _track(i, frames):
    return Track(id=i, seen={f: np.array([0, 0, 10, 10], float) for f in frames})


def _tracker(tracks, cuts):
    t = BoxTracker(max_gap=8)
    t.tracks, t.cuts = tracks, cuts
    return t


def test_the_one_of_its_kind_in_each_later_shot_is_taken_and_said():
    tracks = [_track(0, [0, 8, 16]), _track(1, [60, 64]), _track(2, [40, 44])]
    ids, said = after_cuts(_tracker(tracks, [20, 40, 60]), 0, "dog", 10.0)
    assert ids == [2, 1]  # the shot from 2.0 s has no dog; then the one at 4.0 s and the one at 6.0 s
    record = {"status": "ok", "tool": "track", "args": {}, "outputs": {"method": {"value": said}}}
    assert _assumed(record)[0] == "cannot tell" and "after the cuts at 4.0 s, 6.0 s" in said


def test_several_of_a_kind_in_a_later_shot_are_all_taken():
    tracks = [_track(0, [0, 8]), _track(1, [30, 38]), _track(2, [32])]
    ids, said = after_cuts(_tracker(tracks, [20]), 0, "dog", 10.0)
    assert sorted(ids) == [1, 2] and "(all 2 there)" in said and "after the cut at 2.0 s" in said


def test_no_cut_after_the_thing_changes_nothing():
    ids, said = after_cuts(_tracker([_track(0, [30, 38]), _track(1, [0, 8])], [20]), 0, "dog", 10.0)
    assert ids == [] and said == ""
