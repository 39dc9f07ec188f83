"""Issue 44 item 4: a picture is decoded once per turn however many tools read it. A 3-step turn
(segment, recolour, describe: every step reads the uploaded picture or the one made from it) on a
store whose in-memory cache was emptied (a restarted server, an evicted picture) decodes each
picture from its file at most once; a second turn decodes nothing."""

from collections import Counter

import numpy as np

import vitron_agent.storage.store as store_module
from vitron_agent.runtime.agent import Agent
from vitron_agent.runtime.turns import TurnRequest

REQUEST = "segment the red disc, then make it green, then describe it"


def _picture(side: int = 96) -> np.ndarray:
    img = np.full((side, side, 3), (30, 60, 200), np.uint8)
    yy, xx = np.ogrid[:side, :side]
    img[(xx - side // 2) ** 2 + (yy - side // 2) ** 2 <= (side // 4) ** 2] = (220, 30, 30)
    return img


def test_each_picture_is_decoded_at_most_once_a_turn(tmp_path, monkeypatch):
    decodes: Counter = Counter()
    real = store_module._decode_image

    def counting(path, *args, **kwargs):
        decodes[str(path)] += 1
        return real(path, *args, **kwargs)

    monkeypatch.setattr(store_module, "_decode_image", counting)
    with Agent(db=tmp_path / "s.sqlite") as agent:
        session = agent.session("once")
        ref = session.store.put_image(_picture(), producer="input").model_dump(mode="json")
        agent.store.cache._items.clear()  # as after a restart: every picture must come from its file
        result = agent.run_turn(TurnRequest(REQUEST, image=ref), session)
        assert [s.status for s in result.steps] == ["ok"] * 3, result.answer
        assert sum(decodes.values()) >= 1  # the uploaded picture was read from its file this turn
        assert max(decodes.values()) == 1, decodes  # and no picture more than once
        decodes.clear()
        again = agent.run_turn(TurnRequest(REQUEST, image=ref), session)
        assert again.ok and sum(decodes.values()) == 0, decodes  # kept decoded between turns
