"""Requests for things the agent cannot do, read as such: one intent record whose handler refuses
honestly (naming what it can do instead) rather than letting the nearest wrong intent run.

Without it "mute the video" planned a colour desaturate, "add film grain" a denoise (the opposite),
"straighten the horizon" a 90-degree turn and "remove the red eye" erased the eye: wrong results
reported as success. Each entry of ``LIMITS`` is (rule, answer): the rule is a regular expression
searched in the clause (lower case); the first that matches gives the answer, which ends planning
with no steps. The record's patterns are tried before the built-in table (order 50), and its
examples let the matcher send paraphrases here too.
"""

from __future__ import annotations

import re
from typing import Any

from vitron_agent.intents import Intent, register_intent

__all__ = ["LIMITS", "limit_for", "CANNOT_DO"]

_PICTURE = r"(?:it|this|that|the\s+(?:image|picture|photo|pic|video|clip|footage|movie|film))"

# (rule, answer); the answer says what cannot be done and what can be done instead.
LIMITS: tuple[tuple[str, str], ...] = (
    (
        r"\b(?:mute|unmute|sound|audio|volume|louder|quieter|music|soundtrack|voice-?over|narration)\b",
        "I cannot change sound: the video tools work on the pictures only (the audio is kept as it is, "
        "or dropped by some tools). I can trim, speed up, reverse, loop, recolour or blur the video.",
    ),
    (
        r"\bsubtitles?\b|\b(?:add|put|write|type|overlay|stamp)\b.*\b(?:text|words?|caption|title|label|watermark)s?\b"
        r".*\b(?:on|onto|over|to|that says|saying)\b|\bwrite\b.+\b(?:on|onto|across|over)\s+"
        + _PICTURE
        + r"|\bwatermark\b",
        "I cannot draw text, titles or watermarks onto a picture. I can read the text that is in it "
        "('read the sign') or describe it.",
    ),
    (
        r"\bsepia\b",
        "I have no sepia tint. I can make it black and white ('make it grayscale') and then warmer "
        "('then make it warmer'), which comes close; or, with a generative editor configured, "
        "'make it look like an old photo'.",
    ),
    (
        r"\bvignett(?:e|ing)\b",
        "I have no vignette effect. I can darken everything except the main subject "
        "('darken everything around the subject').",
    ),
    (
        r"\b(?:make|render|look)\b.*\bgrain(?:y|ier)\b|^(?:add|put|give|apply)\b(?!.*\b(?:less|no)\b).*\b(?:grain|noise)\b",
        "I cannot add grain or noise, only remove it ('denoise').",
    ),
    (
        r"\bred[- ]?eyes?\b",
        "I have no red-eye fix. I can select the eyes and recolour them ('make the eyes black').",
    ),
    (
        r"\b(?:straighten|level)\b.*\bhorizon\b|\bhorizon\b.*\b(?:straight|level|crooked|tilted|wonky)\b",
        "I cannot find the horizon's tilt by myself. Tell me the angle and I will rotate it "
        "('rotate it 3 degrees clockwise').",
    ),
    (
        r"\b(?:stabili[sz]e|stabili[sz]ation|shaky|shake|jitter|wobbly)\b",
        "I cannot stabilise a video. I can trim it, change its speed, reverse or loop it.",
    ),
    (
        r"\b(?:cut|split|chop|divide)\b.*\b(?:in(?:to)?\s+(?:half|halves|two|2|pieces|parts|segments))\b",
        "I cannot split a video into several clips (a request makes one result). I can keep one part: "
        "'keep the first half' is 'trim it to the first N seconds', or 'from 0:10 to 0:25'.",
    ),
    (
        r"^(?:undo|revert|go back|take (?:that|it) back)\b",
        "I cannot undo: every request starts again from the picture you send. Send the original again.",
    ),
    (
        r"\btranslat(?:e|ion)\b",
        "I cannot translate. I can read the text in the picture ('read the sign').",
    ),
    (
        r"\bstand out\b|\bpop out\b",
        "How should it stand out? I can blur the background ('blur the background'), darken everything "
        "around it ('darken everything except the bus'), or make the rest black and white "
        "('black and white except the bus').",
    ),
    (
        r"\b(?:higher|better|more)\s+(?:resolution|quality|definition)\b|\b(?:4k|hd|1080p)\b",
        "I cannot add detail that is not there. I can resize a picture ('make it twice as big') or sharpen it.",
    ),
)

_RULES = tuple((re.compile(rule), answer) for rule, answer in LIMITS)


def limit_for(clause: str) -> str | None:
    """The refusal for a clause asking for something the agent cannot do, or None."""
    text = clause.lower()
    return next((answer for rule, answer in _RULES if rule.search(text)), None)


def _refuse(call: Any) -> None:
    answer = limit_for(call.text)
    call.ask(answer or f"I cannot do {call.text!r} with the tools I have.")


_EXAMPLES = (
    "mute the video",
    "turn the sound off",
    "take the audio out of the clip",
    "make it louder",
    "turn down the volume",
    "add some music to the video",
    "put a soundtrack on it",
    "add subtitles",
    "write a title on the picture",
    "put a watermark on it",
    "make the photo sepia",
    "give it a sepia tint",
    "add a vignette",
    "add film grain",
    "make it look grainy",
    "fix the red eye",
    "remove red-eye from the photo",
    "straighten the horizon",
    "the horizon is crooked",
    "stabilise the footage",
    "stabilize this shaky video",
    "split the clip in two",
    "cut the video into pieces",
    "undo the last change",
    "translate the sign into spanish",
    "make the cat stand out",
    "make it 4k",
)

CANNOT_DO = Intent(
    "cannot_do",
    (r"^(?=.*(?:" + "|".join(f"(?:{rule})" for rule, _ in LIMITS) + "))",),
    examples=_EXAMPLES,
    slots=(),
    help="",
    handler=_refuse,
    media="any",
    order=50,
)
register_intent(CANNOT_DO)
