"""Every byte read back from storage is checked against its id before it is used or served (issue
40, object-store defects): a swapped video is refused before any frame is used, a stored clip is
decoded under its own size and length and the upload caps, the artifact download serves only bytes
that match the id, and an AVIF or HEIC still posted as an image is an image, never a video."""

import io

import httpx
import numpy as np
import pytest
from PIL import Image

from tests.server.test_http import TOKEN, Server, png_bytes
from vitron_agent.core.errors import ToolFailed
from vitron_agent.media.synthetic import disc_image, moving_disc
from vitron_agent.runtime.agent import Agent
from vitron_agent.server import ServerSettings
from vitron_agent.storage.store import ArtifactStore


def clip(frames: int, colour=(220, 30, 30)) -> list[np.ndarray]:
    return list(moving_disc(frames=frames, color=colour)[0])


@pytest.mark.parametrize("cache_bytes", [512 * 1024 * 1024, 0], ids=["short-clip-cached", "long-clip-streamed"])
def test_a_swapped_video_is_refused_before_any_frame_is_used(tmp_path, cache_bytes):
    store = ArtifactStore(tmp_path, "s")
    ref = store.put_video(iter(clip(6)), 6.0)
    other = store.put_video(iter(clip(6, (30, 30, 220))), 6.0)  # same size and length, other pixels
    (store.dir / f"{ref.id}.mp4").write_bytes((store.dir / f"{other.id}.mp4").read_bytes())
    fresh = ArtifactStore(tmp_path, "s", cache_bytes=cache_bytes)  # another process: nothing in memory
    with pytest.raises(ToolFailed, match=rf"the stored video {ref.id[:12]} is corrupt: its content does not match"):
        next(iter(fresh.get_video(ref).frames([0])))
    good = ArtifactStore(tmp_path, "s", cache_bytes=cache_bytes).get_video(other)
    assert len(list(good.frames())) == 6 and np.array_equal(good.frame(0), clip(6, (30, 30, 220))[0])


def test_a_stored_clip_decodes_under_its_own_length_and_size(tmp_path):
    store = ArtifactStore(tmp_path, "s")
    ref = store.put_video(iter(clip(4)), 6.0)
    longer = store.put_video(iter(clip(40)), 6.0)
    (store.dir / f"{ref.id}.mp4").write_bytes((store.dir / f"{longer.id}.mp4").read_bytes())
    with pytest.raises(ToolFailed, match="is corrupt: it does not decode .*over the cap of 4 frames"):
        list(ArtifactStore(tmp_path, "s").get_video(ref).frames())
    bigger = store.put_video(iter(np.zeros((2, 200, 300, 3), np.uint8)), 6.0)
    small = store.put_video(iter(np.zeros((2, 20, 30, 3), np.uint8)), 6.0)
    (store.dir / f"{small.id}.mp4").write_bytes((store.dir / f"{bigger.id}.mp4").read_bytes())
    with pytest.raises(ToolFailed, match="is corrupt: it does not decode .*pixel"):
        list(ArtifactStore(tmp_path, "s").get_video(small).frames())


def test_a_run_on_a_swapped_video_fails_its_step_and_answers(tmp_path):
    agent = Agent(data_dir=tmp_path)
    first = agent.run("describe the video", video=np.stack(clip(6)), session="v")
    real = first.inputs["input"]["video"]
    store = agent.store_for("v")
    other = store.put_video(iter(clip(6, (30, 220, 30))), real["fps"])
    (store.dir / f"{real['id']}.mp4").write_bytes((store.dir / f"{other.id}.mp4").read_bytes())
    again = Agent(data_dir=tmp_path).run("describe the video", video=real, session="v")  # a new process
    assert not again.ok and "is corrupt" in again.steps[0].error and "corrupt" in again.answer


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    d = tmp_path_factory.mktemp("verified")
    agent = Agent(db=d / "sessions.sqlite", data_dir=d / "artifacts")
    srv = Server(agent, ServerSettings(token=TOKEN))
    yield srv, agent
    srv.close()
    agent.close()


def _client(srv) -> httpx.Client:
    return httpx.Client(base_url=srv.url, headers={"Authorization": f"Bearer {TOKEN}"}, timeout=120)


def test_the_download_serves_only_bytes_that_match_the_id(served):
    srv, agent = served
    c = _client(srv)
    sid = c.post("/v1/sessions").json()["session"]
    up = c.post(f"/v1/sessions/{sid}/media", content=png_bytes(disc_image()[0]), headers={"Content-Type": "image/png"})
    image = up.json()
    good = c.get(f"/v1/sessions/{sid}/artifacts/{image['id']}")
    assert good.status_code == 200 and np.array_equal(np.asarray(Image.open(io.BytesIO(good.content))), disc_image()[0])
    store = agent.store_for(f"t{__import__('hashlib').sha256(TOKEN.encode()).hexdigest()[:12]}-{sid}")
    other = store.put_image(np.full((120, 160, 3), 7, np.uint8))
    (store.dir / f"{image['id']}.png").write_bytes((store.dir / f"{other.id}.png").read_bytes())
    swapped = c.get(f"/v1/sessions/{sid}/artifacts/{image['id']}")
    assert swapped.status_code == 502 and "does not match its id" in swapped.json()["detail"]
    video = c.post(
        f"/v1/sessions/{sid}/media", content=_mp4(clip(5)), headers={"Content-Type": "video/mp4", "X-Filename": "a.mp4"}
    ).json()
    assert c.get(f"/v1/sessions/{sid}/artifacts/{video['id']}").status_code == 200
    blue = store.put_video(iter(clip(video["frames"], (30, 30, 220))), video["fps"])
    (store.dir / f"{video['id']}.mp4").write_bytes((store.dir / f"{blue.id}.mp4").read_bytes())
    store.cache._items.clear()  # as a fresh server process would start
    assert c.get(f"/v1/sessions/{sid}/artifacts/{video['id']}").status_code == 502


def _mp4(frames) -> bytes:
    from vitron_agent.media.video import VideoWriter

    buf = io.BytesIO()
    w = VideoWriter(buf, 5.0, lossless=False)
    for f in frames:
        w.add(f)
    w.close()
    return buf.getvalue()


def test_an_avif_still_posted_as_an_image_is_an_image(served):
    srv, _ = served
    c = _client(srv)
    sid = c.post("/v1/sessions").json()["session"]
    buf = io.BytesIO()
    Image.fromarray(disc_image()[0]).save(buf, format="AVIF", quality=90)
    for headers in ({"Content-Type": "image/avif"}, {"Content-Type": "application/octet-stream"}):
        r = c.post(f"/v1/sessions/{sid}/media", content=buf.getvalue(), headers=headers)
        assert r.status_code == 200 and r.json()["type"] == "image", r.text
        assert (r.json()["width"], r.json()["height"]) == (160, 120)
    heic = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 64  # no HEIC decoder here
    r = c.post(f"/v1/sessions/{sid}/media", content=heic, headers={"Content-Type": "image/heic"})
    assert r.status_code == 400 and "HEIC" in r.json()["detail"] and "video" not in r.json()["detail"]


def test_a_swapped_picture_is_refused_from_its_header_before_it_decodes(tmp_path):
    store = ArtifactStore(tmp_path, "s")
    ref = store.put_image(disc_image()[0])
    big = store.put_image(np.zeros((3000, 2000, 3), np.uint8))  # compresses to a few KB
    (store.dir / f"{ref.id}.png").write_bytes((store.dir / f"{big.id}.png").read_bytes())
    with pytest.raises(ToolFailed, match="its file is 2000x3000, not the 160x120 stored"):
        ArtifactStore(tmp_path, "s").get_image(ref)
    capped = ArtifactStore(tmp_path, "s")
    capped.max_pixels = 1_000_000  # [store] max_pixels: a stored picture decodes under it too
    with pytest.raises(ToolFailed, match="its file is 2000x3000, over the 1,000,000-pixel cap"):
        capped.get_image(big)
