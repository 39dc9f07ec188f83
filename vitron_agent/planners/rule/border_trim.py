"""The rule planner's record for plain borders cut off: "crop the black bars", "remove the white border",
"trim the whitespace", "get rid of the letterbox", "autocrop it". These were read as a thing to select
("the black bars") and the picture cropped to it, the bars kept, or the border painted over as a removal,
said done. A picture gets the edit tool's ``trim`` (its plain borders found and cut off, or a refusal when
it has none: :mod:`vitron_agent.perception.borders`); a clip gets a crop of every frame to what is inside
the borders on all of them. Rules only (order 40); a border added ("add a white border") is another record.
"""

from __future__ import annotations

from typing import Any

from vitron_agent.toolkit.intents import Intent, register_intent

__all__ = ["BORDER_TRIM_INTENT"]

_CUT = (
    r"(?:crop|cut|trim|remove|delete|erase|get\s+rid\s+of|take\s+(?:off|away|out)|chop|lose|strip|kill|ditch|"
    r"drop|clip)"
)
_PLAIN = r"(?:(?:black|white|grey|gray|dark|blank|empty|plain|ugly|extra|thick|thin|annoying|useless)\s+)*"
_BORDER = (
    r"(?:bars?|borders?|letter-?box(?:ing|es)?|pillar-?box(?:ing|es)?|margins?|white-?\s?space|blank\s+(?:space|area)s?|"
    r"black\s+(?:edges|strips|stripes|bands)|white\s+(?:edges|strips|stripes|bands))"
)
_WHERE = (
    r"(?:\s+(?:off|away|out|around\s+(?:it|the\s+(?:picture|image|photo|video|clip))|from\s+(?:it|the\s+\w+)|"
    r"(?:at|on|along)\s+(?:the\s+)?(?:top|bottom|sides?|left|right|edges?)(?:\s+and\s+(?:the\s+)?(?:top|bottom|sides?|left|right))?|"
    r"please|for\s+me))*"
)


def _trim(call: Any) -> None:
    from vitron_agent.perception.borders import BORDER_PART

    if call.video:
        call.set_output(call.add("transform_video", video=call.picture, operation="crop", part=BORDER_PART), "video")
    else:
        call.set_output(call.add("edit", image=call.picture, operation="trim"))


BORDER_TRIM_INTENT = Intent(
    "border_trim",
    patterns=(
        # "crop the black bars", "remove the white border around it", "get rid of the letterboxing"
        rf"^(?:please\s+)?(?:(?:can|could|would)\s+(?:you|u)\s+(?:please\s+)?)?{_CUT}\s+(?:off\s+|out\s+|away\s+)?"
        rf"(?:the\s+|those\s+|these\s+|all\s+(?:the\s+|of\s+the\s+)?|any\s+|its\s+)?{_PLAIN}{_BORDER}\b{_WHERE}\s*[.!?]*$",
        # "autocrop it", "auto-trim the picture"
        r"^(?:please\s+)?auto-?\s?(?:crop|trim)(?:\s+(?:it|this|the\s+(?:picture|image|photo|video|clip)))?\s*[.!]*$",
    ),
    slots=(),
    help="cut plain borders off (black bars, a white margin)",
    handler=_trim,
    order=40,
)
register_intent(BORDER_TRIM_INTENT)
