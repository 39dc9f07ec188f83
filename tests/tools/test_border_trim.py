"""Plain borders cut off: "crop the black bars", "remove the white border", "trim the whitespace" had selected
"the black bars" as a thing and cropped the picture to them (the bars kept), or painted the border over as a
removal, said done. Now the borders are found (:mod:`vitron_agent.perception.borders`) and cut off, on a
picture and on every frame of a clip; a picture with no border is refused in words, nothing cut."""

from __future__ import annotations

import numpy as np
import pytest
import skimage.data as skdata

from vitron_agent import Agent
from vitron_agent.perception.borders import border_words, content_box

CAT = skdata.chelsea()


def _letterboxed(image: np.ndarray, bar: int = 40) -> np.ndarray:
    out = np.zeros((image.shape[0] + 2 * bar, image.shape[1], 3), np.uint8)
    out[bar:-bar] = image
    return out


def test_bars_and_margins_are_found():
    assert content_box([_letterboxed(CAT)]) == (0, 40, CAT.shape[1], CAT.shape[0] + 40)
    framed = np.full((CAT.shape[0] + 30, CAT.shape[1] + 30, 3), 250, np.uint8)
    framed[15:-15, 15:-15] = CAT
    box = content_box([framed])
    assert box == (15, 15, CAT.shape[1] + 15, CAT.shape[0] + 15)
    assert border_words(box, framed.shape[1], framed.shape[0]).startswith("15 px at the top")


@pytest.mark.parametrize("name", ["chelsea", "astronaut", "coffee", "camera", "rocket", "page", "text", "moon"])
def test_photos_without_a_border_have_none(name):
    """camera: a flat grey sky along the top is picture (it ends where a head rises into it, not in a step);
    a clear blue sky is coloured, so never a border."""
    image = getattr(skdata, name)()
    image = np.repeat(image[..., None], 3, 2) if image.ndim == 2 else image[..., :3]
    assert content_box([image]) is None


def test_a_clip_keeps_what_any_frame_shows():
    a, b = _letterboxed(CAT), _letterboxed(CAT)
    b[20:40] = 200  # a caption strip shown in the bar on one frame: kept
    assert content_box([a, b]) == (0, 20, CAT.shape[1], CAT.shape[0] + 40)
    assert content_box([np.zeros_like(a), a]) == content_box([a])  # a black frame (a fade) is skipped


def test_the_agent_cuts_them_off_a_picture_and_a_clip(tmp_path):
    from vitron_agent.media.video import write_video

    with Agent(data_dir=tmp_path / "store") as agent:
        r = agent.run("crop the black bars", image=_letterboxed(CAT))
        assert r.ok and [s.tool for s in r.steps] == ["edit"], r.answer
        out = agent.load(r.steps[-1].output("image"))
        assert out.shape == CAT.shape and "borders" in r.answer
        none = agent.run("remove the white border", image=CAT)
        assert not none.ok and "no plain border" in none.answer, none.answer
        frames = [np.ascontiguousarray(_letterboxed(np.roll(CAT[:, :448], 8 * i, axis=1))) for i in range(6)]
        write_video(frames, tmp_path / "lb.mp4", 6.0)
        clip = agent.run("get rid of the letterboxing", video=str(tmp_path / "lb.mp4"))
        assert clip.ok and [s.tool for s in clip.steps] == ["transform_video"], clip.answer
        assert f"to 448x{CAT.shape[0]}" in clip.answer and "40 px at the top" in clip.answer, clip.answer


def test_the_centre_named_alone_is_the_place(tmp_path):
    """ "crop the center" had taken "the region unlike the border furthest to the centre": a 0.06 % speck on a
    drawing (newcomer s13); a bare centre is the middle half each way, as on a clip."""
    with Agent(data_dir=tmp_path / "store") as agent:
        r = agent.run("crop the center", image=CAT)
        out = agent.load(r.steps[-1].output("image"))
        h, w = CAT.shape[:2]  # the middle half each way, with the crop's own margin round it
        assert r.ok and 0.5 * h <= out.shape[0] <= 0.62 * h and 0.5 * w <= out.shape[1] <= 0.62 * w, out.shape
