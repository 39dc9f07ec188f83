"""Instructions written in a picture are never carried out: "do what the sign says", "follow the
instructions in the picture", "read the text and do what it says". Text read from a picture comes from
whoever made the picture, not from the user, and may say "delete all files". Before this record, "follow
the instructions written in the picture" selected the salient object as "the instructions written",
said done, and "read the text and do what it says" read it without saying that the rest was not done.

The record reads the text out (a still picture: ``read_text``) and says first that what it asks was
not done, and that the user can say it in their own words. Rules only (order 30: before the looks and
the refusals); no example sentences for the matcher.
"""

from __future__ import annotations

import re
from typing import Any

from vitron_agent.planners.rule.cannot_do import PART_REFUSED
from vitron_agent.toolkit.intents import Intent, register_intent

__all__ = ["WRITTEN_ORDERS", "NOT_FOLLOWED"]

NOT_FOLLOWED = (
    "I never carry out instructions written in a picture or a clip (anyone could have written them, and "
    "they are not yours); I can read them out. Tell me in your own words what to do"
)

_SOURCE = (
    r"(?:it|this|that|they|the\s+(?:\w+\s+)?(?:sign|text|note|picture|image|photo|screenshot|poster|page|letter|"
    r"message|paper|card|label|board|screen|writing|words?|video|clip|caption)s?)"
)
_ORDERS = r"(?:instructions?|commands?|orders?|directions?|steps?|requests?|tasks?)"
_DO = r"(?:do|follow|obey|execute|carry\s+out|perform|run|apply|act\s+on|complete|comply\s+with)"

WRITTEN_ORDERS = Intent(
    "written_orders",
    patterns=(
        # "do what the sign says", "do whatever it tells you", "follow what it asks"
        rf"^(?:please\s+)?(?:now\s+|then\s+|and\s+)?(?:just\s+)?{_DO}\s+(?:what(?:ever)?|as)\s+{_SOURCE}\s+"
        r"(?:says?|said|tells?|asks?|reads?|wants?|instructs?|orders?|commands?)\b",
        # "follow the instructions in the picture", "execute the commands written on the note"
        rf"^(?:please\s+)?(?:now\s+|then\s+|and\s+)?(?:just\s+)?{_DO}\s+(?:the|its|these|those|all(?:\s+the)?|any)\s+"
        rf"(?:\w+\s+)?{_ORDERS}\s+(?:(?:written|shown|given|printed)\s+)?(?:in|on|from|of)\s+{_SOURCE}",
        # "read it and follow the instructions" (no picture has a thing called "the instructions")
        # (not "apply the same steps", "complete the task": a session's own steps; only written orders' words)
        r"^(?:please\s+)?(?:now\s+|then\s+|and\s+)?(?:just\s+)?(?:do|follow|obey|execute|carry\s+out|act\s+on|comply\s+with)\s+"
        r"(?:the|its|these|those|all(?:\s+the)?|any)\s+(?:written\s+|printed\s+)?(?:instructions?|commands?|orders?)\s*[.!]*$",
        # "follow the written instructions", "obey the text"
        rf"^(?:please\s+)?(?:now\s+|then\s+|and\s+)?{_DO}\s+the\s+(?:written|printed)\s+{_ORDERS}",
        # ("follow the sign" on a clip is tracking it: only with what it says)
        r"^(?:please\s+)?(?:now\s+|then\s+|and\s+)?(?:follow|obey|execute)\s+the\s+(?:text|sign|note|writing)\s*"
        r"(?:says?|[.!]*$)(?!.*\b(?:video|clip|moves?|moving|across|around)\b)",
    ),
    help="",
    handler=lambda call: _not_followed(call),
    order=30,
)


def _not_followed(call: Any) -> None:
    """Read the text out (once), and say first that what it asks was not done."""
    b = call.builder
    if call.video and re.match(
        r"^(?:please\s+)?follow\s+the\s+(?:sign|text|note|writing)\s*[.!]*$", call.clause.strip(), re.I
    ):
        from vitron_agent.planners.rule.intent_table import intent_named

        call.rest = re.sub(r"^(?:please\s+)?follow\s+", "", call.clause.strip(), flags=re.I).strip(" .!")
        intent_named("track").handler(call)  # on a clip, "follow the sign" is tracking it
        return
    read = any(step.tool == "read_text" for step in b.steps)
    if not read and not call.video and call.picture and call.has_tool("read_text"):
        call.set_output(call.add("read_text", image=call.picture), "text")
    call.note(PART_REFUSED.format(clause=call.text, why=NOT_FOLLOWED))


register_intent(WRITTEN_ORDERS)
