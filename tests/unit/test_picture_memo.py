"""Work done on a picture once however many tools ask for it (vitron_agent.perception.picture_memo), and the
rule planner's verb table counted once per version of the intent table."""

import gc

import numpy as np
import pytest

from vitron_agent.perception.picture_memo import MAX_HASHED_BYTES, per_picture, picture_key


def counting():
    calls = []

    @per_picture(maxsize=8)
    def mean_colour(picture, scale=1):
        calls.append(1)
        return np.asarray(picture, np.float64).reshape(-1, 3).mean(0) * scale

    return mean_colour, calls


def frozen(arr):
    arr = arr.copy()
    arr.flags.writeable = False
    return arr


def test_a_read_only_picture_and_its_crops_are_computed_once_each():
    fn, calls = counting()
    pic = frozen(np.random.default_rng(0).integers(0, 255, (40, 50, 3), dtype=np.uint8))
    first = fn(pic)
    assert np.array_equal(fn(pic), first) and len(calls) == 1
    crop = fn(pic[5:20, 10:30])
    assert len(calls) == 2 and np.allclose(crop, pic[5:20, 10:30].reshape(-1, 3).mean(0))
    fn(pic[5:20, 10:30])  # another view object of the same window: remembered
    assert len(calls) == 2
    fn(pic, scale=2)  # other arguments: another entry
    assert len(calls) == 3
    assert fn.memo_stats() == (2, 3)


def test_results_cannot_be_changed_by_one_caller_for_the_next():
    fn, _ = counting()
    pic = frozen(np.zeros((4, 4, 3), np.uint8))
    out = fn(pic)
    with pytest.raises(ValueError):
        out[0] = 5

    @per_picture()
    def names(picture):
        return [("red", 1.0)]

    got = names(pic)
    got.append(("blue", 0.0))
    assert names(pic) == [("red", 1.0)]


def test_a_writable_array_is_keyed_by_its_content():
    fn, calls = counting()
    px = np.full((100, 3), 10, np.uint8)
    assert np.allclose(fn(px), 10)
    assert np.allclose(fn(px.copy()), 10) and len(calls) == 1  # same pixels gathered again: remembered
    px[:] = 200  # changed in place: computed again, never the stale answer
    assert np.allclose(fn(px), 200) and len(calls) == 2


def test_an_argument_that_cannot_be_a_key_is_computed_not_remembered():
    fn, calls = counting()
    pic = frozen(np.ones((4, 4, 3), np.uint8))
    assert np.allclose(fn(pic, scale=np.array([1.0, 2.0, 3.0])), [1, 2, 3])
    fn(pic, scale=np.array([1.0, 2.0, 3.0]))
    assert len(calls) == 2


def test_a_large_writable_array_is_not_remembered():
    fn, calls = counting()
    big = np.zeros((MAX_HASHED_BYTES // 3 + 10, 3), np.uint8)
    assert picture_key(big) is None
    fn(big)
    fn(big)
    assert len(calls) == 2


def test_a_picture_that_is_gone_is_never_matched_by_a_new_one():
    fn, _ = counting()
    for value in range(0, 250, 10):  # new pictures, often at a freed picture's address
        pic = frozen(np.full((8, 8, 3), value, np.uint8))
        assert np.allclose(fn(pic), value)
        del pic
        gc.collect()


def test_a_view_of_memory_someone_may_write_is_keyed_by_content():
    base = np.zeros((10, 10, 3), np.uint8)
    view = base[2:5]
    view.flags.writeable = False  # read-only view, but base can still be written
    assert picture_key(view)[0][0] == "content"
    assert picture_key(frozen(base)[2:5])[0][0] == "id"


def test_describing_a_picture_runs_the_classifier_once_per_input(monkeypatch, tmp_path):
    """describe's caption and its second opinion both classify the picture: the ONNX graph runs
    once for each distinct input, and the light is measured once per picture."""
    from vitron_agent.loading.weights import embedded_available

    if not embedded_available("efficientnet_lite2"):
        pytest.skip("the embedded classifier is not installed")
    import vitron_agent.perception.classifier as classifier
    import vitron_agent.perception.colors as colors
    from vitron_agent.runtime.agent import Agent

    runs, surfaces = [], []
    session = classifier._session

    def spying_session(size):
        real = session(size)

        class Spy:
            def run(self, names, feeds):
                runs.append((size, feeds["image"].tobytes()))
                return real.run(names, feeds)

        return Spy()

    real_surfaces = colors._surfaces
    monkeypatch.setattr(classifier, "_session", spying_session)
    monkeypatch.setattr(colors, "_surfaces", lambda px: surfaces.append(px.tobytes()) or real_surfaces(px))
    classifier._run.memo_clear()
    colors.light_gains.memo_clear()
    img = np.full((300, 300, 3), (30, 60, 200), np.uint8)
    yy, xx = np.ogrid[:300, :300]
    img[(xx - 150) ** 2 + (yy - 150) ** 2 <= 75**2] = (220, 30, 30)
    with Agent(checkpointer=False, data_dir=tmp_path) as agent:
        result = agent.run("segment the red disc, then make it green, then describe it", image=img)
    assert [s.status for s in result.steps] == ["ok"] * 3
    assert runs, "the classifier never ran: the test no longer looks at what it means to"
    assert len(runs) == len(set(runs)), "the classifier ran twice on the same input in one turn"
    assert len(surfaces) == len(set(surfaces)), "the light was measured twice on the same picture"


def test_the_verb_table_is_counted_once_per_table_version():
    from vitron_agent.planners.rule import spelling
    from vitron_agent.toolkit.intents import table_version

    first = spelling.verb_vocabulary()
    assert spelling.verb_vocabulary() is first  # not counted again
    assert spelling._STATE["verb_counts"][0] == table_version()
    spelling._STATE["verb_counts"] = (table_version() - 1, {"stale": 1})  # the table changed since
    again = spelling.verb_vocabulary()
    assert again == first and "stale" not in again
