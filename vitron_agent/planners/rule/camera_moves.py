"""The rule planner's records for a still made into a clip by a camera move, and for swapping two things.

"make a short video zooming into the picture", "turn this photo into a clip that pans to the right": the
``animate`` tool's cv backend films the still with a camera move (zoom in/out, pan left/right/up/down) and
needs no weights. These were read as a crop to a thing called "short video zooming into the picture".

"swap the left and right logos", "switch the cat and the dog": no tool moves a thing and fills the place it
leaves; this was done as a mirror of the whole picture, said done. The answer says so and what can be done.
"make it 5 fps", "change the frame rate to 12": a clip's frame rate (``transform_video`` operation ``fps``, the
length kept); this was asked back as "flip or take a frame?", or took the first frame.

Rules only (order 40).
"""

from __future__ import annotations

from typing import Any

from vitron_agent.toolkit.intents import Intent, register_intent

__all__ = ["CAMERA_CLIP_INTENT", "SWAP_INTENT", "NO_SWAP", "FRAME_RATE_INTENT"]

_CLIP = r"(?:video|clip|movie|film|animation|animated\s+(?:gif|clip)|gif)"
_MOVE = r"(?:zoom\w*|pan(?:s|ning|ned)?|tilt(?:s|ing|ed)?|ken\s+burns|dolly\w*|push(?:es|ing)?\s+in|pull(?:s|ing)?\s+(?:back|out)|camera\s+move\w*)"
NO_SWAP = (
    "I cannot swap two things' places in a picture: no tool here moves a thing and fills the place it leaves. I can "
    "mirror the whole picture ('flip it horizontally'), cut one thing out ('cut out the dog') and put it on another "
    "picture, or remove one ('remove the dog')."
)


def _camera_clip(call: Any) -> None:
    if call.video:
        call.ask("That clip already moves: to follow a thing in it, say 'zoom in on the dog' (a crop that follows it).")
        return
    call.set_output(call.add("animate", image=call.picture, prompt=call.text), "video")


CAMERA_CLIP_INTENT = Intent(
    "camera_clip",
    patterns=(
        # "make a short video zooming into the picture", "turn this photo into a clip that pans right"
        rf"^(?:please\s+)?(?:(?:can|could|would)\s+(?:you|u)\s+)?(?:make|create|turn|render|give\s+me|produce|build)\s+"
        rf"(?:it\s+|this\s+|the\s+(?:picture|image|photo)\s+|this\s+(?:picture|image|photo)\s+)?(?:into\s+)?(?:a|an|me\s+a)\s+"
        rf"(?:[\w-]+\s+){{0,3}}?{_CLIP}\b.*\b{_MOVE}",
        # "zoom slowly into the picture as a video"
        rf"^(?:please\s+)?{_MOVE}\b.*\b(?:as|into)\s+(?:a|an)\s+(?:[\w-]+\s+)?{_CLIP}\b",
    ),
    slots=(),
    help="a still filmed with a camera move (zoom or pan) as a short clip",
    handler=_camera_clip,
    media="image",
    order=40,
)

_SIDE = r"(?:top|bottom|left|right|upper|lower|front|back)(?:\s+(?:half|halves|side|sides|part|parts|end))?"
_SIDES = rf"(?:the\s+)?{_SIDE}"
_COLOURS = r"(?:red|green|blue|yellow|orange|purple|pink|black|white|gr[ae]y|brown|colou?rs?)"


def _swap(call: Any) -> None:
    call.ask(NO_SWAP)


SWAP_INTENT = Intent(
    "swap_places",
    patterns=(
        # "swap the left and right logos", "switch the cat and the dog around", "swap places of the two cups"
        # (not two sides of the picture: "swap the top with the bottom" is a flip, another record)
        rf"^(?:please\s+)?(?:swap|switch|exchange|trade|interchange)\s+(?!{_SIDES}\s+(?:and|with)\s+{_SIDES}\s*[.!]*$)(?:the\s+)?(?:places?|positions?|spots?|sides?)?\s*"
        rf"(?:of\s+)?(?!.*\b(?:background|backdrop|sky|face|{_COLOURS})\b)(?:the\s+)?[\w' -]+?\s+(?:and|with(?=\s+the\b))\s+"
        r"(?:the\s+)?[\w' -]+?(?:\s+(?:around|round|over|places?|positions?))?\s*[.!]*$",
        # ("swap left and right", "switch the left and right sides": the picture mirrored, another record)
        r"^(?:please\s+)?(?:swap|switch)\s+(?:the\s+)?(?:left|right|top|bottom)\s+and\s+(?:the\s+)?(?:left|right|top|bottom)\s+"
        r"(?!(?:sides?|halves|half|parts?|of\b|around\b|round\b)\b)\w+.*$",
    ),
    slots=(),
    help="",
    handler=_swap,
    media="image",
    order=40,
)
_RATE = r"(?P<fps>\d{1,3}(?:\.\d+)?)\s*(?:fps|frames?\s+(?:per|a|each)\s+sec(?:ond)?|f/s|hz)"


def _frame_rate(call: Any) -> None:
    import re

    m = re.search(_RATE, call.text, re.I) or re.search(r"(?P<fps>\d{1,3}(?:\.\d+)?)\s*$", call.text.strip(" .!"))
    fps = float(m.group("fps")) if m else 0.0
    if not call.video:
        call.ask("A picture has no frame rate. For a clip, say e.g. 'make it 12 fps'.")
    elif not 0 < fps <= 120:
        call.ask("Which frame rate? Say e.g. 'make it 12 fps' (1 to 120 frames per second).")
    else:
        call.set_output(call.add("transform_video", video=call.picture, operation="fps", fps=fps), "video")


FRAME_RATE_INTENT = Intent(
    "frame_rate",
    patterns=(
        # "make it 5 fps", "convert the clip to 30fps", "at 12 frames per second please"
        rf"^(?!.*\b(?:interpolat\w*|in-?between|smooth\w*|motion\s+blur|optical\s+flow)\b)(?:please\s+)?(?:make|set|convert|"
        rf"change|turn|put|render|export|save|re-?encode|drop|lower|reduce)\s+(?:it|this|that|the\s+(?:video|clip|footage))?\s*(?:(?:down|up)\s+)?(?:to|at|into|as)?\s*{_RATE}\b",
        # "change the frame rate to 12", "lower the fps to 10", "set the framerate at 24 fps"
        r"^(?!.*\b(?:interpolat\w*|in-?between|smooth\w*)\b)(?:please\s+)?(?:make|set|change|convert|drop|lower|reduce|cut|"
        r"halve)\s+(?:the\s+)?"
        r"(?:(?:video|clip)'?s?\s+)?(?:frame\s*-?rate|fps|frames\s+per\s+second)\s+(?:down\s+|up\s+)?(?:to|at)\s+\d",
    ),
    slots=(),
    help="a clip's frame rate ('make it 12 fps'; the length kept)",
    handler=_frame_rate,
    order=40,
)
register_intent(CAMERA_CLIP_INTENT)
register_intent(SWAP_INTENT)
register_intent(FRAME_RATE_INTENT)
