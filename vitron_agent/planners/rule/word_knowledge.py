"""What the intent table knows of a word: every word of its records' examples, the colours the tools
paint and people's colour words, the names of things, small function words, and the polarity
lexicon's words where they stand. The matcher (:mod:`intent_matcher`) holds a reading that hinges on
a word outside this knowledge (dropping it changes the intent) as a question, never a silent edit."""

from __future__ import annotations

import re
from typing import Any

from vitron_agent.planners.rule.intent_matcher import (
    _ANTONYMS,
    _OVER,
    _WORD,
    LOOK_ONLY,
    UNSURE,
    Verdict,
    _match,
    _reading,
    _same_reading,
    _things,
)
from vitron_agent.toolkit.intents import registered_intents, table_version

__all__ = ["known_words", "match", "unknown_words"]

_KNOWN_STATE: dict[str, Any] = {}
_ALWAYS_KNOWN = frozenset(
    "the a an it its this that these those them they their his her him she he my our your me us we you i "
    "and or but with without from into onto over under behind near next left right top bottom middle centre center "
    "please pls thanks now just also too very bit little lot some all any every each more less not no nor so as than "
    "then there here what which who how why when where is are was were be been do does did has have had can could "
    "would should will shall may might must out off up down again still even ever never yes okay don't dont isn't "
    "doesn't can't cannot won't seem seems seemed appear appears looked felt me".split()
)


def known_words() -> frozenset[str]:
    """Words the table understands: every word of every record's examples (refusals' too), the
    colours the tools paint and people's colour words, the names of things, and small function words."""
    version = table_version()
    if _KNOWN_STATE.get("known", (None,))[0] != version:
        from vitron_agent.perception.colors import SHADES, SYNONYMS
        from vitron_agent.planners.rule.lexicon import _COLOR_WORDS, FOLK_COLOURS

        words = {w for r in registered_intents() for ex in r.examples for w in _WORD.findall(ex.lower())}
        words |= {w for c in (*_COLOR_WORDS, *SHADES, *SYNONYMS, *FOLK_COLOURS) for w in c.split()}
        _KNOWN_STATE["known"] = (version, frozenset(words | _things() | _ALWAYS_KNOWN))
    return _KNOWN_STATE["known"][1]


def unknown_words(clause: str) -> list[str]:
    """The clause's words of three letters or more that the table does not know, in order. Known:
    :func:`known_words`, the polarity lexicon's words where they stand ("wash out", "paler",
    "oversaturated"), a known word with an ending ("selection", "fuzzier"), and a known word's typo
    ("giff": one letter off)."""
    from vitron_agent.planners.rule.spelling import is_word, nearest

    known, out, low = known_words(), [], clause.lower()
    lexical = [m.span() for words in _lexicon_words() for m in re.finditer(rf"\b(?:{words})\b", low)]
    for m in _WORD.finditer(low):
        base = m.group(0).removesuffix("'s").strip("'")
        if len(base) < 3 or base.isdigit() or base in out or base in known or _stem_known(base, known):
            continue
        if any(a <= m.start() < b for a, b in lexical) and is_word(base):  # "blurple" is no form of "blur"
            continue
        if len(base) >= 4 and nearest(base, _known_counts(), "known words", long=99) is not None:
            continue
        out.append(base)
    return out


_ENDINGS = (
    "s",
    "es",
    "ed",
    "d",
    "ing",
    "er",
    "est",
    "ier",
    "iest",
    "ion",
    "tion",
    "ness",
    "ly",
    "y",
    "ish",
    "ful",
    "ness",
)


def _stem_known(word: str, known: frozenset[str]) -> bool:
    """``word`` is a known word of four letters or more with an ending ("paler", "selection", "sharpish")."""
    for end in _ENDINGS:
        stem = word[: -len(end)] if word.endswith(end) else ""
        if len(stem) >= 4 and (stem in known or stem + "e" in known or stem + "y" in known or stem[:-1] in known):
            return True
    if any(word.endswith(k) or word.startswith(k) for k in _long_known() if len(word) - len(k) >= 3):
        return True  # a compound of a known word: "headcount", "backdrops"
    return word.startswith(("over", "under", "de", "un")) and any(
        word[len(p) :] in known for p in ("over", "under", "de", "un") if word.startswith(p)
    )


def _long_known() -> tuple[str, ...]:
    """The known words of five letters or more (the parts a compound is read by)."""
    version = table_version()
    if _KNOWN_STATE.get("long_known", (None,))[0] != version:
        _KNOWN_STATE["long_known"] = (version, tuple(w for w in known_words() if len(w) >= 5 and w.isalpha()))
    return _KNOWN_STATE["long_known"][1]


def _known_counts() -> dict[str, int]:
    """The known words of three letters or more, as a vocabulary for the typo test."""
    version = table_version()
    if _KNOWN_STATE.get("known_counts", (None,))[0] != version:
        _KNOWN_STATE["known_counts"] = (version, {w: 1 for w in known_words() if len(w) >= 3 and w.isalpha()})
    return _KNOWN_STATE["known_counts"][1]


def _lexicon_words() -> list[str]:
    """The polarity lexicon's word patterns (both sides of every antonym pair), and "over-" words."""
    return [side for pair in _ANTONYMS for side in pair[2:]] + [_OVER.pattern.removeprefix("\\b")]


_MAX_UNKNOWN = 3  # the words tried per clause (each costs one more embedding)


def match(clause: str, video: bool | None = None) -> Verdict:
    """:func:`~vitron_agent.planners.rule.intent_matcher.match`, and a reading that hinges on a word
    the table does not know is no reading: when dropping such a word (one in no record's examples, no
    colour or thing name) changes the intent, the static embedding decided on the spelling of a word it
    cannot understand ("turn her hair chartreuse" read as a blur, "chartreuse" sits near "blur"), so
    the verdict is a question naming the word and the reading, never a silent edit."""
    verdict = _match(clause, video)
    if verdict.intent is None or verdict.question or verdict.intent in LOOK_ONLY:
        return verdict
    if (word := _decisive_unknown(clause, verdict.intent, video)) is not None:
        return Verdict(None, question=UNSURE.format(word=word, reading=_reading(verdict.intent)), scores=verdict.scores)
    return verdict


def _decisive_unknown(clause: str, intent: str, video: bool | None) -> str | None:
    """The first unknown word whose removal changes the clause's reading away from ``intent`` (to
    another intent, to a question, or to nothing), or None: the reading does not hinge on one."""
    same = _same_reading(intent)
    for word in unknown_words(clause)[:_MAX_UNKNOWN]:
        rest = re.sub(rf"\b{re.escape(word)}(?:'s)?\b", " ", clause, flags=re.I)
        rest = re.sub(r"\s+", " ", rest).strip()
        if _match(rest, video).intent not in same:
            return word
    return None
