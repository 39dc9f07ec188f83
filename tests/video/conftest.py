import numpy as np
import pytest

from vitron_agent.media.synthetic import moving_disc
from vitron_agent.media.video import write_video


@pytest.fixture
def clip():
    """(frames, true masks) of a red disc moving over a texture, 24 frames."""
    return moving_disc()


@pytest.fixture
def clip_file(tmp_path, clip):
    path = tmp_path / "clip.mp4"
    write_video(clip[0], path, 12.0)
    return path


def put_clip(store, frames, fps: float = 12.0):
    return store.put_video(iter(frames), fps, producer="input")


def frames_equal(a, b) -> bool:
    return len(a) == len(b) and all(np.array_equal(x, y) for x, y in zip(a, b, strict=True))
