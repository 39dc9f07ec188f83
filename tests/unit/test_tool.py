import json

import pytest
from pydantic import BaseModel, Field

from vitron_agent.core.errors import ToolArgumentError, ToolFailed
from vitron_agent.core.refs import ImageRef
from vitron_agent.toolkit.registry import default_backends
from vitron_agent.toolkit.tool import Toolbox, ToolContext, VisionTool, field_kinds
from vitron_agent.tools import default_tools


def test_schemas_come_from_the_pydantic_models():
    box = Toolbox(default_tools())
    schemas = {s["name"]: s for s in box.schemas()}
    configured = [t for t, b in default_backends().items() if b != "none"]  # the registry says which
    assert sorted(schemas) == sorted(configured)  # (registration order follows import order)
    assert {"segment", "edit", "track", "edit_video", "describe", "read_text"} <= set(schemas)
    assert schemas["track"]["outputs"]["track"] == "track" and schemas["edit_video"]["outputs"] == {
        "video": "video",
        "edited": "text",
    }
    seg = schemas["segment"]
    assert seg["input_schema"]["required"] == ["image"]
    assert "colour of the target" in seg["input_schema"]["properties"]["color"]["description"]
    assert seg["outputs"] == {"mask": "mask", "box": "box", "area": "number", "method": "text"}
    ops = schemas["edit"]["input_schema"]["properties"]["operation"]["enum"]
    assert "recolor" in ops and "remove" in ops
    json.dumps(schemas)  # JSON-serialisable for planners


def test_field_kinds():
    from vitron_agent.core.refs import MaskRef

    assert field_kinds(MaskRef | None) == {"mask"}
    assert field_kinds(ImageRef) == {"image"}
    assert field_kinds(float) == {"number"}


def test_toolbox_rejects_duplicates_and_names_unknown_tools():
    tools = default_tools()
    with pytest.raises(ValueError, match="two tools are named 'segment'"):
        Toolbox([tools[0], tools[0]])
    with pytest.raises(KeyError, match="valid tools: segment, edit"):
        Toolbox(tools).get("paint")


class _BadTool(VisionTool):
    name = "bad"
    description = "returns the wrong type"

    class Input(BaseModel):
        n: int = Field(ge=0, description="a count")

    class Output(BaseModel):
        value: int

    def check_inputs(self, inp, ctx):
        if inp.n == 13:
            raise ValueError("n must not be 13; pick another number")

    def run(self, inp, ctx):
        return {"value": inp.n}


def test_direct_call_maps_errors_to_kinds(store):
    tool = _BadTool()
    ctx = ToolContext(store=store)
    with pytest.raises(ToolArgumentError, match="argument .n. = -1 is invalid: it takes a whole number from 0 to"):
        tool(ctx, n=-1)
    with pytest.raises(ToolArgumentError, match="must not be 13"):
        tool(ctx, n=13)
    with pytest.raises(ToolFailed, match="returned dict, expected Output"):
        tool(ctx, n=2)


def test_langchain_tools_invoke_directly(store, disc):
    img, _ = disc
    ref = store.put_image(img)
    lc = {t.name: t for t in Toolbox(default_tools()).as_langchain_tools(store)}
    from langchain_core.tools import StructuredTool

    assert all(isinstance(t, StructuredTool) for t in lc.values())
    out = lc["segment"].invoke({"image": ref.model_dump(), "color": "red"})
    assert out["mask"]["type"] == "mask" and 0.1 < out["area"] < 0.2
    edited = lc["edit"].invoke(
        {"image": ref.model_dump(), "mask": out["mask"], "operation": "recolor", "color": "green"}
    )
    assert edited["image"]["id"] != ref.id
    text = lc["describe"].invoke({"image": edited["image"], "mask": out["mask"]})["text"]
    assert "green" in text
    # An argument error comes back as a message the calling model can act on, not an exception.
    msg = lc["edit"].invoke({"image": ref.model_dump(), "operation": "recolor"})
    assert isinstance(msg, str) and "needs a mask" in msg
    assert "image" in lc["segment"].args


def test_langchain_tool_reports_foreign_session_refs(tmp_path, disc):
    from vitron_agent.storage.store import ArtifactStore

    alice = ArtifactStore(tmp_path, "alice")
    ref = alice.put_image(disc[0])
    bob_tools = {t.name: t for t in Toolbox(default_tools()).as_langchain_tools(alice.for_session("bob"))}
    msg = bob_tools["describe"].invoke({"image": ref.model_dump()})
    assert isinstance(msg, str) and "belongs to session 'alice'" in msg
