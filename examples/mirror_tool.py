"""Add a tool and the sentence that calls it, in one module (README: "Add a tool").

VITRON_TOOL_MODULES=examples/mirror_tool.py vitron-agent plan --input image "mirror it"
VITRON_TOOL_MODULES=examples/mirror_tool.py vitron-agent run --image photo.jpg "mirror it, then describe it"
"""

import numpy as np
from pydantic import BaseModel, Field

from vitron_agent.core.refs import ImageRef
from vitron_agent.toolkit.intents import Intent, register_intent
from vitron_agent.toolkit.registry import Backend, register
from vitron_agent.toolkit.tool import ToolContext, VisionTool


class MirrorInput(BaseModel):
    image: ImageRef = Field(description="the image to mirror")


class MirrorOutput(BaseModel):
    image: ImageRef = Field(description="the mirrored image")


class MirrorTool(VisionTool):
    name = "mirror"
    description = "Mirror an image (left-right by default)."
    Input = MirrorInput
    Output = MirrorOutput

    def __init__(self, axis: str = "horizontal"):
        if axis not in ("horizontal", "vertical"):
            raise ValueError(f"axis must be horizontal or vertical, got {axis!r}")
        self.axis = axis

    def run(self, inp: MirrorInput, ctx: ToolContext) -> MirrorOutput:
        image = ctx.store.get_image(inp.image)
        flipped = image[:, ::-1] if self.axis == "horizontal" else image[::-1]
        return MirrorOutput(image=ctx.store.put_image(np.ascontiguousarray(flipped), producer=ctx.step_id))


register(Backend("mirror", "cv", MirrorTool, default=True))
# The sentence that calls it: one record of the intent table. ``patterns`` are optional rules;
# ``examples`` teach the learned matcher the ways people ask for it.
register_intent(
    Intent(
        "mirror",
        patterns=(r"^mirror\b",),
        tool="mirror",
        help="mirror it (examples/mirror_tool.py)",
        examples=(
            "mirror it",
            "mirror the picture",
            "make a mirror image of this",
            "show me its mirror image",
            "give me the mirrored version",
            "mirror the photo please",
        ),
    )
)
