"""The rule planner's record for a picture's file metadata: "strip the metadata", "remove the location data",
"delete the GPS info", "does this photo have location info in it?", "show me the exif details".

These were refused as "I cannot tell what something is worth, the exact place or the date a photo was taken"
(an answer to another question), or read as an edit: "remove the location data" erased the salient object as
"the location data", said done. What is true: the agent reads a picture as pixels only, and every picture it
keeps or returns (the input as the session keeps it, each result) is a PNG written from the pixels
(``storage.codecs``), with no EXIF, GPS location, camera or date data (tests/planners/test_rule_refs_s12.py
checks a JPEG's EXIF is gone from both). So stripping is already done on everything it gives back, and reading
the metadata is not possible: the answer says both, and that the user's own file is not changed. Rules only
(order 30: before the refusals, which would answer another question); no steps.
"""

from __future__ import annotations

import re
from typing import Any

from vitron_agent.toolkit.intents import Intent, register_intent

__all__ = ["METADATA_INTENT", "STRIPPED", "NOT_READ"]

STRIPPED = (
    "Nothing to strip in what I give back: I read your picture as pixels only, and every picture I keep or "
    "return (the picture as this session keeps it, and each result) is a new PNG written from the pixels, with "
    "no EXIF, GPS location, camera or date data. So any result you download from me carries no metadata. Your "
    "original file is not changed (I cannot edit files on your device)."
)
NOT_READ = (
    "I cannot read a picture's metadata (EXIF: camera, lens, settings, date, GPS location): I receive its pixels "
    "only (turned upright by its orientation tag, the one tag I apply). What I keep and return has none of it (each result is a PNG written from the pixels). I can describe "
    "what is in the picture ('describe the picture')."
)

# "gps" alone is the file's data only where nothing follows it, or "from/in/off" the picture itself: "remove the
# gps from the dashboard" and "is there a gps on the dashboard?" are about a thing in the picture (review s12, F10).
_PICTURE = r"(?:it|this|that|(?:the|this|that|my)\s+(?:photo|picture|image|file|pic|shot|jpe?g|png))"
_GPS_ALONE = rf"(?=\s*(?:$|[.,;!?)]|\s(?:from|in|off|out\s+of)\s+{_PICTURE}\b|\s(?:please|before|so|for)\b))"
_DATA = (
    r"(?:(?:the|all|any|its|this|that|my|of\s+the)\s+)*(?:photo'?s\s+|picture'?s\s+|image'?s\s+|file'?s\s+)?"
    r"(?:meta-?data|exif(?:\s+(?:data|info|information|details|tags?))?|gps(?:\s+(?:data|info|information|"
    r"coordinates|tags?)|{_GPS_ALONE})|geo-?tags?|geo-?location(?:\s+(?:data|info))?|geo-?data|location\s+(?:data|info|"
    r"information|details|tags?|metadata)|camera\s+(?:info|information|data|details|metadata)|"
    r"date\s+and\s+location\s+(?:data|info))"
).replace("{_GPS_ALONE}", _GPS_ALONE)
_DROP = r"(?:strip|remove|delete|erase|wipe|clear|scrub|drop|get\s+rid\s+of|take\s+out|take\s+off|clean|kill)"
_CAN = r"^(?:please\s+)?(?:(?:can|could|would|will)\s+(?:you|u)\s+(?:please\s+)?)?(?:just\s+)?"


def _metadata(call: Any) -> None:
    if re.search(rf"\b{_DROP}\b", call.clause, re.I):
        call.ask(STRIPPED)
    else:
        call.ask(NOT_READ)


METADATA_INTENT = Intent(
    "metadata",
    patterns=(
        # "strip the metadata", "remove the EXIF data before I post it", "get rid of the geotag"
        rf"{_CAN}{_DROP}\s+{_DATA}\b",
        # "does this photo have location info in it?", "is there any gps data in it?"
        # (the subject is the picture itself: "does the sign show any location info?" is about a thing in it, F10)
        rf"^(?:does|do|did|is|are|has)\s+(?:there|{_PICTURE})\b.*\b"
        rf"(?:meta-?data|exif|gps(?:\s+(?:data|info|information|coordinates|tags?)|{_GPS_ALONE})|geo-?tags?|"
        r"geo-?location|location\s+(?:data|info|information|tags?))\b",
        # "show me the exif details", "read the metadata", "what are the exif tags"
        rf"{_CAN}(?:show|read|tell|give|list|display|print|check|look\s+at|see|what\s+(?:is|are|'s))\s+(?:me\s+)?(?:what\s+)?{_DATA}",
    ),
    slots=(),
    help="",
    handler=_metadata,
    order=30,
)
register_intent(METADATA_INTENT)
