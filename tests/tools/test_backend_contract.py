"""One contract for every registered backend of every tool (cv, and tiny checkpoints in the real
formats for the model backends), in the spirit of diffusers' PipelineTesterMixin: backends stay
interchangeable by test, not by luck."""

import json

import numpy as np
import pytest

from vitron_agent.core.errors import ToolArgumentError
from vitron_agent.media.synthetic import disc_image
from vitron_agent.toolkit.config import ToolConfig, load_config
from vitron_agent.toolkit.registry import backends, build_tool
from vitron_agent.toolkit.tool import ToolContext, invoke

ALL = sorted(backends())


def cv_of(tool: str):
    return backends().get((tool, "cv"))


@pytest.fixture(scope="module")
def make(tiny_dir):
    config = load_config(tiny_dir / "vitron.toml")

    def build(key):
        tool, backend = key
        table = config.tools.get(tool)
        cfg = table if table is not None and table.backend == backend else ToolConfig(backend=backend)
        if backends()[key].checkpoints and (table is None or table.backend != backend):
            pytest.fail(f"make-tiny-checkpoints wrote no [tools.{tool}] table for backend {backend!r}")
        return build_tool(tool, cfg)

    return build


@pytest.fixture
def media(store):
    img, _ = disc_image(h=48, w=64, center=(30, 22), radius=10)
    mask = np.zeros((48, 64), bool)
    mask[12:32, 20:40] = True
    frames = [np.roll(img, 2 * i, axis=1) for i in range(4)]
    return {
        "image": store.put_image(img),
        "mask": store.put_mask(mask),
        "video": store.put_video(iter(frames), 4.0),
        "size": (48, 64),
    }


def sample_args(tool: str, backend: str, m: dict) -> dict:
    """Arguments every backend of ``tool`` takes, plus what exercises a model backend's model."""
    image, video = m["image"], m["video"]
    point = {"x": 30.0, "y": 22.0}
    model = backend != "cv"
    return {
        "segment": {"image": image, "point": point},
        "ground": {"image": image, "target": "the red disc"},
        "edit": {
            "image": image,
            "mask": m["mask"],
            **(
                {"operation": "inpaint", "prompt": "a ball", "steps": 1}
                if model
                else {"operation": "recolor", "color": "blue"}
            ),
        },
        "describe": {"image": image},
        "detect": {"image": image},
        "read_text": {"image": image},
        "count": {"image": image, "color": "red"},
        "generate": {"prompt": "a red ball", "seed": 1},
        "track": {"video": video, "point": point},
        "edit_video": {
            "video": video,
            **({"operation": "instruct", "prompt": "winter", "steps": 2} if model else {"operation": "grayscale"}),
        },
        "describe_video": {"video": video},
        "frame": {"video": video, "index": 1},
        "animate": {"image": image, "prompt": "zoom" if model else None, **({} if model else {"motion": "zoom_in"})},
        "generate_video": {"prompt": "a red ball", "seed": 1},
        "trim_video": {"video": video, "first": 0.5},
        "speed_video": {"video": video, "factor": 2.0},
        "reverse_video": {"video": video},
        "loop_video": {"video": video, "times": 2},
        "mute_video": {"video": video},
        "concat_videos": {"video": video, "other": video},
        "export_gif": {"video": video},
        "find_in_video": {"video": video, "target": "the ball"},
        "count_in_video": {"video": video, "target": "balls"},
        "fade_video": {"video": video, "fade": "out", "seconds": 0.1},
        "freeze_frame": {"video": video, "time": 0.0, "seconds": 0.2},
        "highlight_video": {"video": video, "seconds": 0.2},
        "frame_sheet": {"video": video, "every": 2},
        "sharpest_frame": {"video": video},
        "transform_video": {"video": video, "operation": "rotate", "angle": 90},
        "shot_video": {"video": video, "shot": 1, "keep": True},
    }[tool]


def refs(out) -> dict:
    """The artifact refs of an output (ids are content hashes: equal refs, equal pixels)."""
    dumped = out.model_dump(mode="json")
    return {
        k: v
        for k, v in dumped.items()
        if isinstance(v, dict) and v.get("type") in ("image", "mask", "video", "track", "feature")
    }


@pytest.mark.parametrize("key", ALL, ids=[f"{t}-{b}" for t, b in ALL])
def test_backend_contract(key, make, media, store):
    tool_name, backend = key
    tool = make(key)
    assert tool.name == tool_name and (tool.backend == backend or backend == "cv")
    cv = cv_of(tool_name)
    if cv is not None and backend != "cv":  # a model backend extends the cv backend's models
        assert issubclass(tool.Input, cv.cls.Input), f"{tool.Input.__name__} does not extend {cv.cls.Input.__name__}"
        assert issubclass(tool.Output, cv.cls.Output), (
            f"{tool.Output.__name__} does not extend {cv.cls.Output.__name__}"
        )
    ctx = ToolContext(store=store, step_id="contract")
    with pytest.raises(ToolArgumentError):
        invoke(tool, {}, ctx)  # missing arguments: the planner can fix it
    args = {k: v for k, v in sample_args(tool_name, backend, media).items() if v is not None}
    first = invoke(tool, args, ctx)
    assert isinstance(first, tool.Output)
    h, w = media["size"]
    for name, ref in refs(first).items():
        assert store.exists(store_ref(ref)), f"{name} points at nothing"
        if ref["type"] == "mask" or (ref["type"] == "image" and tool_name in ("edit", "frame")):
            assert (ref["height"], ref["width"]) == (h, w), f"{name} is {ref['width']}x{ref['height']}"
        if ref["type"] in ("track",) or (ref["type"] == "video" and tool_name == "edit_video"):
            assert (ref["frames"], ref["height"], ref["width"]) == (media["video"].frames, h, w)
    state = json.dumps(first.model_dump(mode="json"))
    assert len(state) < 4000, "outputs must be refs and small values, never pixels"
    again = invoke(tool, args, ctx)
    assert refs(again) == refs(first), "the same arguments (and seed) must give the same artifacts"


def store_ref(ref: dict):
    from vitron_agent.core.refs import ref_from_dict

    return ref_from_dict(ref)


def test_every_tool_has_a_default_or_says_none_and_every_model_backend_has_a_tiny_checkpoint():
    by_tool: dict[str, list] = {}
    for (tool, _), b in backends().items():
        by_tool.setdefault(tool, []).append(b)
    for tool, bs in by_tool.items():
        assert sum(b.default for b in bs) <= 1, tool
        for b in bs:
            assert b.cls.name == tool
            if b.checkpoints:
                assert b.tiny is not None, f"{tool}/{b.backend} has no tiny-checkpoint builder"


def test_too_few_denoising_steps_is_an_argument_error_not_a_crash(make, media, store):
    """steps x strength < 1 used to fail deep inside the scheduler (a RuntimeError: a bug)."""
    ctx = ToolContext(store=store, step_id="contract")
    with pytest.raises(ToolArgumentError, match="leaves no denoising step; use steps >= 2"):
        invoke(
            make(("edit_video", "diffusers")),
            {"video": media["video"], "operation": "instruct", "prompt": "winter", "steps": 1},
            ctx,
        )
    with pytest.raises(ToolArgumentError, match="leaves no denoising step"):
        invoke(
            make(("edit", "diffusers")),
            {
                "image": media["image"],
                "mask": media["mask"],
                "operation": "inpaint",
                "prompt": "a ball",
                "steps": 1,
                "strength": 0.5,
            },
            ctx,
        )
