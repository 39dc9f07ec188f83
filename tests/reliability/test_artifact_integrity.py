"""Stored artifacts are verified when first read into a process: a truncated or swapped file is a
ToolFailed naming the artifact (the step fails, the run answers), never a 500 or a silent edit;
the memory cache never hands one kind's array to another kind's ref."""

import numpy as np
import pytest

from vitron_agent.core.errors import RefError, ToolFailed
from vitron_agent.core.refs import ImageRef
from vitron_agent.media.synthetic import disc_image, moving_disc
from vitron_agent.runtime.agent import Agent
from vitron_agent.storage.store import ArtifactStore


def fresh(store: ArtifactStore) -> ArtifactStore:
    """The same folder seen by a new process (an empty memory cache)."""
    return ArtifactStore(store.root, store.session)


@pytest.mark.parametrize("damage", ["truncated", "swapped"])
def test_a_damaged_image_is_a_clear_failure(tmp_path, damage):
    store = ArtifactStore(tmp_path, "s")
    ref = store.put_image(disc_image()[0])
    path = store.dir / f"{ref.id}.png"
    if damage == "truncated":
        path.write_bytes(path.read_bytes()[:200])
    else:
        other = store.put_image(np.full((120, 160, 3), 7, np.uint8))
        path.write_bytes((store.dir / f"{other.id}.png").read_bytes())
    with pytest.raises(ToolFailed, match=rf"the stored image {ref.id[:12]} is corrupt"):
        fresh(store).get_image(ref)


def test_a_damaged_mask_and_track_are_clear_failures(tmp_path):
    store = ArtifactStore(tmp_path, "s")
    mask = store.put_mask(disc_image()[1])
    (store.dir / f"{mask.id}.png").write_bytes(b"\x89PNG not really")
    with pytest.raises(ToolFailed, match="mask .* is corrupt: it does not decode"):
        fresh(store).get_mask(mask)
    track = store.put_track([disc_image()[1]] * 3)
    other = store.put_track([~disc_image()[1]] * 3)
    (store.dir / f"{track.id}.npz").write_bytes((store.dir / f"{other.id}.npz").read_bytes())
    with pytest.raises(ToolFailed, match="does not match its id"):
        fresh(store).get_track(track)


def test_an_image_ref_to_a_cached_video_is_refused_not_described(tmp_path):
    store = ArtifactStore(tmp_path, "s")
    video = store.put_video(iter(moving_disc(frames=4)[0]), 4.0)  # short: decoded frames sit in the cache
    forged = ImageRef(id=video.id, session="s", width=video.width, height=video.height)
    with pytest.raises(RefError):
        store.get_image(forged)


def test_a_run_on_a_swapped_input_fails_its_step_and_answers(tmp_path):
    agent = Agent(data_dir=tmp_path)
    first = agent.run("segment the red disc", image=disc_image()[0], session="x")
    ref = first.inputs["input"]["image"]
    store = agent.store_for("x")
    other = store.put_image(np.full((120, 160, 3), 200, np.uint8))
    (store.dir / f"{ref['id']}.png").write_bytes((store.dir / f"{other.id}.png").read_bytes())
    result = Agent(data_dir=tmp_path).run("make it purple", image=ref, session="x")  # a new process's cache
    assert not result.ok and result.steps[0].status == "error" and "is corrupt" in result.steps[0].error
    assert "corrupt" in result.answer
