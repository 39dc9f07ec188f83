"""The turn set-up every surface shares (vitron_agent/runtime/turns.py): refs from outside are ids,
and a follow-up turn with a new image never reuses the last image's mask."""

import base64
import io

import numpy as np
import pytest
from PIL import Image

from vitron_agent.core.errors import RefError
from vitron_agent.media.synthetic import disc_image, moving_disc
from vitron_agent.runtime.agent import Agent


def data_url(arr) -> str:
    buf = io.BytesIO()
    Image.fromarray(arr).save(buf, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode()


def test_client_ref_metadata_is_ignored_and_rebuilt_from_the_store(tmp_path):
    agent = Agent(data_dir=tmp_path)
    clip = np.stack(moving_disc(frames=6)[0])
    first = agent.run("describe the video", video=clip, session="v")
    real = first.inputs["input"]["video"]
    forged = {**real, "frames": 20_000_000, "fps": 0.001, "width": 9, "height": 9}
    again = agent.run("describe the video", video=forged, session="v")
    assert again.ok and again.inputs["input"]["video"] == real  # the store's frame count, size and rate
    assert again.answer == first.answer
    image = agent.run("describe it", image=disc_image()[0], session="v").inputs["input"]["image"]
    with pytest.raises(RefError, match="no stored image"):
        agent.run(
            "describe it",
            image={"type": "image", "id": real["id"], "session": "v", "width": 5, "height": 5},
            session="v",
        )  # a video's id sent as an image
    with pytest.raises(RefError, match="another session"):
        agent.run("describe it", image={**image, "session": "other"}, session="v")


def test_langgraph_app_follow_up_with_a_new_image_does_not_reuse_the_old_mask(tmp_path):
    from langgraph.checkpoint.memory import InMemorySaver

    from vitron_agent.server.langgraph_app import build_app_graph

    agent = Agent(data_dir=tmp_path, checkpointer=False)
    graph = build_app_graph(agent, checkpointer=InMemorySaver())
    config = {"configurable": {"thread_id": "t1"}}
    one = graph.invoke({"request": "segment the red disc", "image": data_url(disc_image()[0])}, config)
    assert [r["status"] for r in one["records"].values()] == ["ok"]
    other = np.full((100, 200, 3), 90, np.uint8)  # another size: the old mask cannot apply
    two = graph.invoke({"request": "make it brighter", "image": data_url(other)}, config)
    records = list(two["records"].values())
    assert [r["status"] for r in records] == ["ok"], [r.get("error") for r in records]
    assert "mask" not in records[0]["args"] and two["inputs"]["input"]["image"]["width"] == 200
    follow = graph.invoke({"request": "make it darker"}, config)  # no new image: "it" is the brighter one
    assert [r["status"] for r in follow["records"].values()] == ["ok"]
