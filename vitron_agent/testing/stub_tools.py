"""Small tools for tests, benchmarks and examples: an image in (plus any fields), an image out
(plus any fields). One helper instead of the same three classes in every test file.

    noop = stub_tool("noop", lambda inp, ctx: {"image": inp.image})
    slow = stub_tool("slow", lambda inp, ctx: time.sleep(inp.seconds) or {"image": inp.image},
                     inputs={"seconds": (float, 1.0)})

``run(inp, ctx)`` returns a dict of the outputs (or the Output model itself). They are real
tools: they go through validation, the step runner, the store and the checkpoints like any other.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic import BaseModel, Field, create_model

from vitron_agent.core.refs import ImageRef
from vitron_agent.toolkit.tool import ToolContext, VisionTool

__all__ = ["ImageIn", "ImageOut", "stub_tool"]


class ImageIn(BaseModel):
    image: ImageRef = Field(description="the picture")


class ImageOut(BaseModel):
    image: ImageRef


def stub_tool(
    name: str,
    run: Callable[[Any, ToolContext], dict[str, Any] | BaseModel],
    *,
    inputs: dict[str, Any] | None = None,
    outputs: dict[str, Any] | None = None,
    description: str = "test tool",
    timeout: float | None = None,
) -> VisionTool:
    """A tool named ``name`` whose Input is ``image`` plus ``inputs`` and whose Output is ``image``
    plus ``outputs`` (pydantic field definitions: ``{"n": (int, ...)}``); ``run`` does the work."""
    model_in = create_model(f"{name.title()}In", __base__=ImageIn, **(inputs or {}))
    model_out = create_model(f"{name.title()}Out", __base__=ImageOut, **(outputs or {}))

    def call(self: VisionTool, inp: BaseModel, ctx: ToolContext) -> BaseModel:
        out = run(inp, ctx)
        return out if isinstance(out, BaseModel) else model_out(**out)

    attrs = {
        "name": name,
        "description": description,
        "Input": model_in,
        "Output": model_out,
        "timeout": timeout,
        "run": call,
        "__doc__": description,
    }
    return type(f"Stub{name.title().replace('_', '')}", (VisionTool,), attrs)()
