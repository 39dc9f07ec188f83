"""A tool that declares what the hold policy must know of it (docs/how-to/add-a-tool.md).

``erase`` blanks the pixels under a mask: what it erases cannot be got back from the result, so it
declares that operation destructive. The policy then holds it, like the built-in edits, when its
mask came from a step that could not recognise its target ("erase the flag" on a picture the
detector knows no flag in). Nothing else names this tool: graphs/policy.py reads the declaration,
and the answer says its step by its ``phrase`` ("I selected the red flag and dimmed it.").

VITRON_TOOL_MODULES=examples/erase_tool.py vitron-agent tools
"""

from typing import Literal

import numpy as np
from pydantic import BaseModel, Field

from vitron_agent.core.refs import ImageRef, MaskRef
from vitron_agent.toolkit.registry import Backend, StepWords, Traits, declare, register
from vitron_agent.toolkit.tool import ToolContext, VisionTool


class EraseInput(BaseModel):
    image: ImageRef = Field(description="the image to change")
    mask: MaskRef = Field(description="what to change (from a segment step)")
    operation: Literal["erase", "dim"] = Field(default="erase", description="erase (to white) or dim (halve)")


class EraseOutput(BaseModel):
    image: ImageRef = Field(description="the changed image")


class EraseTool(VisionTool):
    name = "erase"
    description = "Erase (to white) or dim what a mask selects."
    Input = EraseInput
    Output = EraseOutput

    def run(self, inp: EraseInput, ctx: ToolContext) -> EraseOutput:
        image = ctx.store.get_image(inp.image).copy()
        mask = ctx.store.get_mask(inp.mask).astype(bool)
        image[mask] = 255 if inp.operation == "erase" else image[mask] // 2
        return EraseOutput(image=ctx.store.put_image(np.ascontiguousarray(image), producer=ctx.step_id))


def erase_phrase(step: StepWords) -> str:
    """How the answer says the step: "erased the flag", "dimmed it" (``step.it()`` is what its mask
    selects; ``step.verb`` picks "erased" for what it did, "erase" for "I did not erase it")."""
    done, todo = ("erased", "erase") if step.args.get("operation", "erase") == "erase" else ("dimmed", "dim")
    return f"{step.verb(done, todo)} {step.it()}"


register(Backend("erase", "cv", EraseTool, default=True))
# What the policy and the answer builder read: it edits what its mask selects; "erase" destroys
# (held on an assumed mask), "dim" does not (it runs, with the warning); how its step is said.
declare(Traits("erase", role="edit", destructive={"erase": "erase"}, phrase=erase_phrase))
