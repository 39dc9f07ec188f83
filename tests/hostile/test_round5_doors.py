"""Hostile round 5 at the doors, with the official clients where there is one. Before: a cut mp4 was
"not a recognised video ... [Errno 1094995529] Invalid data found when processing input: '<none>'"
(FFmpeg's errno and no fix), a zero-frame mkv "[Errno 541478725] End of file"; chat completions took
temperature NaN or -5, max_tokens 1e30 and a 40-digit seed without a word, and a 5,000-digit number
was "not JSON (or nests too deeply)"."""

import base64

import httpx
import pytest

from tests.server.test_http import TOKEN, Server
from vitron_agent.core.errors import MediaError
from vitron_agent.media.synthetic import moving_disc
from vitron_agent.media.video import open_video, write_video
from vitron_agent.runtime.agent import Agent
from vitron_agent.server import ServerSettings


@pytest.fixture(scope="module")
def clip_bytes(tmp_path_factory):
    path = tmp_path_factory.mktemp("clip") / "ok.mp4"
    write_video(moving_disc(frames=8)[0], path, 8.0)
    return path.read_bytes()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    agent = Agent(data_dir=tmp_path_factory.mktemp("doors"), checkpointer=False)
    srv = Server(agent, ServerSettings(token=TOKEN))
    yield srv
    srv.close()
    agent.close()


def test_a_cut_video_says_so_in_words(clip_bytes):
    with pytest.raises(MediaError) as err:
        open_video(clip_bytes[: len(clip_bytes) // 3], name="clip.mp4")
    text = str(err.value)
    assert "the mp4 / mov video is truncated or corrupt" in text and "send the whole file" in text
    assert "Errno" not in text and "<none>" not in text


def test_a_video_that_ends_before_its_first_frame(tmp_path):
    import av

    path = tmp_path / "zero.mkv"
    c = av.open(str(path), "w")
    s = c.add_stream("libx264", rate=8)
    s.width, s.height, s.pix_fmt = 32, 32, "yuv420p"
    c.start_encoding()
    c.close()
    with pytest.raises(MediaError) as err:
        open_video(path)
    assert "has no decodable frames: the mkv / webm file ends after its header" in str(err.value)
    assert "Errno" not in str(err.value)


def test_a_cut_video_through_the_openai_client(server, clip_bytes):
    from openai import BadRequestError, OpenAI

    client = OpenAI(base_url=f"{server.url}/v1", api_key=TOKEN, max_retries=0)
    url = "data:video/mp4;base64," + base64.b64encode(clip_bytes[:4000]).decode()
    content = [{"type": "text", "text": "describe it"}, {"type": "video_url", "video_url": {"url": url}}]
    with pytest.raises(BadRequestError) as err:
        client.chat.completions.create(model="vitron-agent", messages=[{"role": "user", "content": content}])
    assert "truncated or corrupt" in str(err.value) and "Errno" not in str(err.value)


@pytest.mark.parametrize(
    ("field", "value", "says"),
    [
        ("temperature", -5, "temperature must be from 0 to 2"),
        ("top_p", 3, "top_p must be from 0 to 1"),
        ("max_tokens", 10**30, "max_tokens must be from 1 to"),
        ("max_tokens", 0, "max_tokens must be from 1 to"),
        ("seed", 10**40, "seed must be from"),
    ],
)
def test_openai_numbers_out_of_openais_range_are_refused(server, field, value, says):
    from openai import BadRequestError, OpenAI

    client = OpenAI(base_url=f"{server.url}/v1", api_key=TOKEN, max_retries=0)
    with pytest.raises(BadRequestError) as err:
        client.chat.completions.create(
            model="vitron-agent", messages=[{"role": "user", "content": "help"}], **{field: value}
        )
    assert says in str(err.value)


@pytest.mark.parametrize(
    ("number", "says"),
    [
        ("NaN", "temperature must be from 0 to 2"),
        ("Infinity", "temperature must be from 0 to 2"),
        ("9" * 5000, "4,300"),
    ],
)
def test_numbers_json_allows_but_no_client_means(server, number, says):
    body = '{"messages":[{"role":"user","content":"help"}],"temperature":' + number + "}"
    r = httpx.post(
        f"{server.url}/v1/chat/completions",
        content=body,
        headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"},
        timeout=60,
    )
    assert r.status_code == 400 and says in r.json()["error"]["message"], r.text


def test_an_unknown_openai_field_is_named_not_ignored(server):
    """OpenAI's own API answers 400 for a field it does not know; this server ignored "temprature"."""
    from openai import BadRequestError, OpenAI

    client = OpenAI(base_url=f"{server.url}/v1", api_key=TOKEN, max_retries=0)
    with pytest.raises(BadRequestError) as err:
        client.chat.completions.create(
            model="vitron-agent", messages=[{"role": "user", "content": "help"}], extra_body={"temprature": 0.2}
        )
    assert "unknown field 'temprature'; did you mean 'temperature'?" in str(err.value)
    ok = client.chat.completions.create(
        model="vitron-agent", messages=[{"role": "user", "content": "help"}], frequency_penalty=0.5, stop=["x"]
    )
    assert ok.choices[0].message.content  # OpenAI's other fields are taken (and change nothing)
