"""Pronouns across the clauses of one request: "track the dog and tell me when it leaves", "count the cars,
then tell me when the first one appears". A clause's question tool (find, count, describe a thing) whose
target is only a pronoun ("it", "them", "the first one") is asked of the thing an earlier clause of the same
request named; before, find_in_video looked for a thing called "it".
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["bind_pronoun_targets"]

_PRONOUN = re.compile(
    r"^(?:it|its|them|they|he|him|she|her|this|that|these|those|(?:the\s+)?(?:first|last|same|other)?\s*ones?|"
    r"(?:this|that)\s+one)$",
    re.I,
)


def bind_pronoun_targets(steps: list[Any], before: int) -> None:
    """Give the steps a clause added (from ``before``) whose ``target`` is a pronoun the target of the latest
    earlier step that named a thing in words (in place; nothing changes when no earlier step named one)."""
    named = next(
        (
            s.args["target"]
            for s in reversed(steps[:before])
            if isinstance(s.args.get("target"), str) and not _PRONOUN.match(s.args["target"].strip())
        ),
        None,
    )
    if named is None:
        return
    for step in steps[before:]:
        target = step.args.get("target")
        if isinstance(target, str) and _PRONOUN.match(target.strip()):
            step.args["target"] = named
