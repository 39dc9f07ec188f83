"""Several kinds in one count ("how many motorbikes and bottles?", "count the people and the dogs").

A count's target that lists kinds is split into one target per kind, each counted on its own: a
count answered for the last kind only ("I count no bottles") drops the motorbike the user asked
about. A piece is a kind only when its head noun is a thing the models know (a COCO class, an
ImageNet class by WordNet, or a blob-like word); "black and white cats" stays one kind, since
"black" is a colour, not a thing.
"""

from __future__ import annotations

import re

__all__ = ["split_kinds"]

_SEP = re.compile(r"\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or|&|plus|as well as)\s+", re.I)
_LEAD = re.compile(r"^(?:and\s+|or\s+)?(?:how many\s+)?(?:the|all(?: the)?|any|some)?\s*", re.I)


def _a_kind(piece: str, blob_like: re.Pattern) -> bool:
    """Whether ``piece`` names a kind of thing the counter can look for (not a colour or size)."""
    from vitron_agent.perception.colors import normalise_color
    from vitron_agent.perception.detector import named
    from vitron_agent.perception.name_finder import head_noun
    from vitron_agent.perception.wordnet_names import classes_for, wordnet_ready

    if not re.search(r"[a-z]", piece, re.I) or normalise_color(piece) is not None:
        return False
    if blob_like.search(piece) or named(piece) is not None:
        return True
    head = head_noun(piece)
    return bool(head and normalise_color(head) is None and wordnet_ready() and classes_for(head)[1])


def split_kinds(target: str | None, blob_like: re.Pattern) -> list[str]:
    """The kinds a count's target lists, in the user's order ("people and the dogs" -> ["people",
    "dogs"]); [] when it names one kind, or when any piece is not a kind of thing (then the target
    is one phrase: "black and white cats", "salt and pepper shakers")."""
    if not target or not _SEP.search(target):
        return []
    pieces = [_LEAD.sub("", p).strip(" ?.!") for p in _SEP.split(target.strip())]
    pieces = [p for p in pieces if p]
    if len(pieces) < 2 or not all(_a_kind(p, blob_like) for p in pieces):
        return []
    return pieces
