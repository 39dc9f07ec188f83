"""The rule planner's record for "save it", "keep it", "download this", "save the picture as it is": the user
accepts the result. These were read as a cut-out ("save the child as a cutout" is an example of one) or a
keep-only of the main object, and the picture came back transparent, said done. Every result is already
kept, so the plan has no step: the answer says where the result is. A size ("save it as 256x256") is a
resize and a thing named ("save the cat as a cut-out") is a cut-out: those words keep their own readings.
"""

from __future__ import annotations

import re
from typing import Any

from vitron_agent.toolkit.intents import Intent, register_intent

__all__ = ["SAVE_INTENT", "SAVED"]

SAVED = (
    "Nothing to change: every result is already kept. The command line writes it to its --out folder "
    "(report.html links each file); a session lists its results with `vitron-agent sessions show ID`; the web UI "
    "has a download link under each picture; in Python, `agent.load(result.step(ID).output('image'))` gives each "
    "one. To change the picture, say what to change."
)
_IT = r"(?:it|this|that|them|these|the (?:picture|image|photo|pic|result|results|edit|edits|changes|file|video|clip|gif|version|one)|(?:this|that) (?:one|version|picture|image|photo|result))"
_TAIL = r"(?:\s+(?:as it is|as is|like (?:this|that)|for me|now|please|thanks|thank you|as an? (?:png|jpe?g|file|image|picture|copy)|to (?:my|the) (?:disk|computer|folder|desktop)))*"


def _saved(call: Any) -> None:
    last = call.builder.inputs.get("last", {})
    held = call.mask or ("$last.mask" if "mask" in last else None)
    if (
        held
        and not call.video
        and re.match(r"^(?:please\s+)?keep\s+(?:it|them|these|those|that|this)\b", call.clause.strip(), re.I)
    ):
        # a selection the last turn left is what "keep them" means: keep only it (as before this record)
        call.set_output(call.add("edit", image=call.picture, mask=held, operation="keep_only"))
        return
    call.ask(SAVED)


SAVE_INTENT = Intent(
    "save",
    patterns=(
        rf"^(?:(?:ok(?:ay)?|great|perfect|nice|good|done|thanks|cool)[,.!]?\s+)*(?:please\s+)?(?:save|keep|download|store|export)"
        rf"(?:\s+{_IT})?{_TAIL}\s*[.!]*$",
        r"^(?:that(?:'s| is)\s+(?:good|great|perfect|fine)|looks (?:good|great))[,.!]?\s*(?:(?:please\s+)?(?:save|keep)\s+it)?[.!]*$",
    ),
    slots=(),
    help="save / keep the result (it is already kept: says where)",
    handler=_saved,
    order=40,
)
register_intent(SAVE_INTENT)
