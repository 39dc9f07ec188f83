"""A question about the picture is answered, never carried out as an edit; a request put as a question
is carried out.

The rule table and the matcher read a clause by its words, so a question that names an operation
was planned as that operation: "what is rotating?" rotated the clip, "why is the background
blurry?" blurred it, "did you blur the faces?" blurred them (the newcomer of session 12). The
reading of a clause that only asks (:func:`only_asks`: a wh-word or a yes/no question's verb first,
and none of the forms people use to ask for something: "can you …", "why don't you …", "is it
possible to …") keeps its answering intents (describe, count, read, find, …); any other intent
becomes the ``question`` record's, which describes what is asked about. :func:`request_in_question`
turns the polite forms into the request they carry ("is there a way to make the cat blue?" -> "make
the cat blue"), which the ``question`` record had caught by its leading "is".
"""

from __future__ import annotations

import re

__all__ = ["ANSWERING", "only_asks", "request_in_question"]

# intents whose reading of a question answers it (no pixel of the picture is changed); a selection
# ("which pixels are the dog?") and a track ("where does the dog go?") show where a thing is
ANSWERING = frozenset(
    {
        "question",
        "describe",
        "count",
        "count_in_video",
        "detect",
        "find_in_video",
        "read",
        "video_facts",
        "cannot_do",
        "cannot_do_video",
        "sharpest_frame",
        "segment",
        "track",
        "video_part_by_interest",
        "written_orders",
        "save",
    }
)

# a wh-word, or the verb of a yes/no question, first ("when" and "where" only as questions: "when the dog
# shows up, blur it" is a request); "how" except "how about", "how to", "how do i / can you ..."
_ASKS = re.compile(
    r"^(?:(?:so|and|but|ok|okay|hmm+|well|hey|also|um+)\s*,?\s+)?(?:"
    r"what(?:'s|s)?|why(?:'s)?|which|who(?:'s|se)?|"
    r"(?:when|where)(?:'s|\s+(?:is|are|was|were|does|do|did|will|can))|"
    r"how(?!\s+(?:about|to|do\s+(?:i|we)|can\s+(?:i|we|you)|could\s+(?:i|we|you)|would\s+(?:i|we|you)|should\s+(?:i|we)|"
    r"much\s+would|come\s+you\s+(?:didn'?t|did\s+not)))|"
    r"is|are|was|were|isn't|aren't|wasn't|does|did|doesn't|didn't"
    r")\b",
    re.I,
)
# questions that ask for something ("why don't you make it warmer?", "what if you made the cat blue?",
# "is it possible to …", "are you able to …", "what about …" (a reference to an earlier turn))
_ASKS_FOR = re.compile(
    r"^(?:why\s+(?:don'?t|do\s+not|won'?t|not|wouldn'?t)\b|what\s+(?:about|if)\b|how\s+about\b|"
    r"is\s+(?:it|there)\s+(?:possible|any\s*(?:way|chance)|a\s+way|some\s+way)\b|are\s+you\s+able\b|"
    r"(?:what|which|how)\s+would\s+(?:it|this|that|the\s+\w+)\s+look\b|what\s+(?:would\s+)?happens?\s+(?:if|when)\b)",
    re.I,
)
# the polite forms around a request: "is there a way to X", "is it possible to X", "would it be possible to X",
# "any chance you could X", "why not X", "why don't you X" -> X
_POLITE = re.compile(
    r"^(?:is\s+(?:there\s+(?:a|any|some)\s+(?:way|chance)|it\s+possible)|would\s+it\s+be\s+possible|"
    r"(?:is\s+there\s+)?any\s+chance|are\s+you\s+able|would\s+you\s+be\s+able)\s+"
    r"(?:(?:for\s+you\s+)?to|(?:that\s+)?you\s+(?:could|can|might|would))\s+(?P<x>\S.*)$"
    r"|^why\s+(?:not|don'?t\s+you|do\s+you\s+not)\s+(?P<y>\S.*)$",
    re.I,
)


def only_asks(clause: str) -> bool:
    """Whether ``clause`` is a question about the picture and asks for nothing to be done."""
    text = clause.strip()
    if re.search(r"\?+\s*\S", text):  # "is the background too busy? blur it": a request follows the question
        return False
    return bool(_ASKS.match(text)) and not _ASKS_FOR.match(text)


def request_in_question(clause: str) -> str | None:
    """The request a polite question carries ("is there a way to make the cat blue?" -> "make the
    cat blue"); None for any other clause."""
    m = _POLITE.match(clause.strip())
    if m is None:
        return None
    return (m.group("x") or m.group("y")).strip().rstrip("?").strip() or None
