"""Questions about a clip that the intent table would misread, put into a form it reads right, before
an intent is chosen for the clause:

* a question that names a part of the clip in time ("how many cars in the first 20 seconds", "what
  happens between 0:05 and 0:15?", "is there a person in the last 5 s?"): that part is kept first
  (a ``trim_video`` step), then the question is asked of it, and the answer says so. It once counted
  "cars in the first 20 seconds" over the whole clip, or took a frame at 5 s instead;
* a yes/no question about an action ("does the dog ever run?"): nothing here recognises actions, so
  the clause becomes "when is the dog on screen?" and a note says the action was not judged (it was
  answered "Yes" because the dog was there);
* "any birds in there?", "does a car ever show up?": whether a thing is ever on screen;
* a question about how something was before an edit ("what colour was it before?"): each turn works
  on the latest result, so the earlier state cannot be looked at; said plainly (it described the
  recoloured thing as if it were the old one).
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["clip_question", "earlier_state", "is_clip_question", "EARLIER_STATE"]

# a question (or a count or description) about the clip, as opposed to an edit of a part of it
_QUESTION = re.compile(
    r"^(?:how many|how long|how much|what|what's|whats|which|who|when|where|is|are|was|were|does|do|did|any|"
    r"anyone|anybody|someone|somebody|count|tally|number of|describe|summari[sz]e|sum up|tell me|"
    r"(?:can|could|do|did|will) (?:you|we|i) (?:ever\s+)?(?:see|spot|find)|(?:see|spot)(?=\s+(?:an?|any|the|some)\s))\b",
    re.I,
)
# presence verbs: "does the dog appear?" asks whether it is there, which the find tool answers itself
_PRESENCE = (
    r"appear|appears|show|shows|turn|turns|pop|pops|come|comes|enter|enters|leave|leaves|exit|exits|"
    r"disappear|disappears|vanish|vanishes|get|gets|be|stay|stays|remain|remains"
)
_PASSING = re.compile(
    r"\b(?:walk\w*|pass\w*|past|going|cross\w*|go(?:es|ing)? by|driv\w*|com(?:e|es|ing)|through|distinct|different|unique|in total|"
    r"(?:sail|fly|flie|ride|swim|run|race|cycle|float|drift)s?\s+(?:past|by))\b",
    re.I,
)
_ANYWHERE = re.compile(r"\s+(?:anywhere|at all|somewhere)(?=\s*\??$)", re.I)
_HOW_MANY = re.compile(r"^(?:how many|count|number of)\b", re.I)
_IN_IT = re.compile(r"\s+(?:(?:are|is)\s+)?(?:in|on)\s+(?:it|there|this|that|them|here)\s*\??$", re.I)
# a part of the picture in a count or a "when" over a clip: the clip's counter and finder look at the whole frame
_PLACE = re.compile(
    r"\s+(?:on|in|at|along|across|to)\s+(?:the\s+)?(?:far\s+|very\s+)?(?:left|right|top|bottom|upper|lower|middle|"
    r"centre|center|background|foreground)(?:\s+(?:left|right|hand|side|half|corner|part|edge|third))*"
    r"(?:\s+of\s+(?:the\s+)?(?:video|clip|frame|screen|picture|shot))?",
    re.I,
)
_WHEN_MANY = re.compile(r"^when\s+(?:do|did|are|were)\b", re.I)  # plural things: the finder keeps to no place
PLACE_NOTE = (
    "I read {place!r} as the whole frame: counting or finding through a clip does not keep to a part of the "
    "picture. To look only there, take a frame ('the frame at 0:05') and ask about it."
)
_LENGTH_NOW = re.compile(
    r"^(?:is|was)\s+(?:it|the (?:video|clip))\s+(?:now\s+|still\s+)?(?:any\s+)?(?:shorter|longer)\b", re.I
)
_CAN_YOU_SEE = re.compile(
    r"^(?:(?:can|could|do|did|will) (?:you|we|i) (?:ever\s+)?)?(?:see|spot)\s+(?P<what>(?:an?|any|the|some)\s+[a-z][a-z ]*?)\s*\??$",
    re.I,
)
_SOMEONE_THERE = re.compile(
    r"^(?:(?:is|was)\s+there\s+(?:anyone|anybody|someone|somebody|a person|any people)|"
    r"(?:is|was)\s+(?:anyone|anybody|someone|somebody)\s+(?:there|here|in (?:it|there|the (?:video|clip))|visible|on screen))"
    r"\s*\??$",
    re.I,
)
_GOING = re.compile(
    r"\s+(?:off|away|out|in|into|onto|past|by)\b", re.I
)  # "do any birds fly away": leaving, answered by find
_NO_VERB = r"next|too|also|again|now|first|then|as|with|like|in|on|at|to|for|and|or|please|instead|same"
_ACTIONS = tuple(  # the thing in one word ("does the dog ever run"), else in two ("does the red car stop")
    re.compile(
        r"^(?:(?:does|did)\s+(?P<what>(?:the|a|an|any|that|this)\s+[a-z]+" + two + r"|anyone|anybody|someone|somebody)|"
        r"do\s+(?P<many>(?:the|any|these|those)\s+[a-z]+"
        + two
        + r"s|(?:the\s+|any\s+)?people))"  # "do a boomerang" is a request
        r"\s+(?:ever\s+|at any (?:point|time)\s+)?(?P<verb>(?!(?:" + _PRESENCE + r"|" + _NO_VERB + r")\b)[a-z]+)\b"
        r"(?P<tail>[^?]*)\??$",
        re.I,
    )
    for two in ("", r"\s+(?!(?:ever|" + _PRESENCE + r")\b)[a-z]+")
)
# what the clip's description answers, not the finder: text on screen, sound, cuts
_NOT_SEEN = (
    r"(?:text|writing|words?|letters|captions?|subtitles?|sound|audio|music|noise|voices?|speech|talking|cuts?|"
    r"scenes?|shots?|motion|movement)\b"
)
# "any birds in there?", "any people in it", "anyone in the clip?"
_ANY_THERE = re.compile(
    r"^(?:(?:are|is) there\s+)?(?:any\s+(?P<what>(?!" + _NOT_SEEN + r")[a-z]+(?:\s+[a-z]+)?)|"
    r"(?P<who>anyone|anybody|someone|somebody))\s+(?:in (?:there|here|it|this|the (?:video|clip|footage))|at all)\s*\??$",
    re.I,
)
_THERE_ANY = re.compile(  # "are there any birds" (its time cut off before): whether they are ever there
    r"^(?:are|is) there\s+any\s+(?P<what>(?!" + _NOT_SEEN + r")[a-z]+(?:\s+[a-z]+)?)\s*\??$", re.I
)
_ANY_BARE = re.compile(r"^any\s+(?P<what>[a-z]+s)\s*\??$", re.I)  # "any trucks?": a thing the finder names
_ANY_HEARD = re.compile(
    r"^any\s+(?P<what>" + _NOT_SEEN + r")(?:\s+(?:in (?:there|here|it|this|the (?:video|clip))))?\s*\??$", re.I
)
_EVER_SHOW = re.compile(r"^(?P<lead>(?:does|do|did)\s+.+?)\s+ever\s+(?P<verb>(?:" + _PRESENCE + r")\b.*)$", re.I)
_DOES_COME_GO = re.compile(
    r"^(?:does|did)\s+(?P<what>(?:the|a|an|any|that|this)\s+[a-z][a-z ]*?)\s+(?P<verb>leave|appear|disappear|vanish|exit|"
    r"enter|come back|come in|show up|turn up|pop up|go away)\b(?P<tail>.*)$",
    re.I,
)
_PEOPLE = {"anyone": "person", "anybody": "person", "someone": "person", "somebody": "person"}
SPAN_NOTE = "I read the question over {part} of the clip only (that part kept first){rel}."

EARLIER_STATE = (
    "I can't look at how it was before: each turn works on the latest result, and I don't keep the "
    "earlier picture to compare. Send the original again and ask about it (e.g. 'what colour is the car?')."
)
_EARLIER = re.compile(
    r"^(?:what|which|how)\b.*\b(?:was|were|did)\b(?:.*\b(?:before|at first|to begin with|earlier|previously)\s*\??$|"
    r".*\boriginal(?:ly)?\b)|\b(?:used to be|in the original (?:picture|photo|image|one))\b",
    re.I,
)


def earlier_state(clause: str) -> str | None:
    """The plain answer to a question about how the picture was before an edit, else None."""
    return EARLIER_STATE if _EARLIER.search(clause.strip()) else None


def is_clip_question(text: str) -> bool:
    """Whether ``text`` is a question (or a count or a description) rather than an edit."""
    return bool(_QUESTION.match(text.strip()))


def clip_question(b: Any, clause: str) -> str:
    """``clause`` made readable for the table when it is a question about a clip (module docstring); a
    part of the clip it names is kept first by a ``trim_video`` step added to ``b``. Any other
    clause comes back as it was."""
    from vitron_agent.planners.rule.step_builders import _TIME_WORDS, clause_span

    if not b.video_mode or not _QUESTION.match(clause):
        return clause
    clause = re.sub(r"^(?:tally|count)\s+up\b", "count", clause, flags=re.I)  # "tally up the dogs in the clip"
    if not _PASSING.search(clause):  # "tally the runners" (the clip's own count record reads "tally … going past")
        clause = re.sub(r"^tally\b", "count", clause, flags=re.I)
    span = clause_span(clause, True)
    if span is not None and "trim_video" in b.toolbox:
        rest = re.sub(r"\s{2,}", " ", _TIME_WORDS.sub(" ", clause)).strip(" ,?")  # ("from 0:20 on" whole)
        if rest and rest != clause:
            _keep_part(b, span)
            clause = rest
    clause = _ANYWHERE.sub("", clause)  # "can you see a bike anywhere": where is no part of the thing
    if _HOW_MANY.match(clause):  # "how many people are in it": in the clip (or the part just kept)
        clause = _IN_IT.sub("", clause)
    if (_HOW_MANY.match(clause) or _WHEN_MANY.match(clause)) and (place := _PLACE.search(clause)):
        clause = (clause[: place.start()] + clause[place.end() :]).strip()  # said, not silently dropped
        b.notes.append(PLACE_NOTE.format(place=place.group(0).strip()))
    if _LENGTH_NOW.match(clause):  # "is it shorter now?": the clip's length, from its details
        return "how long is the video"
    if m := _CAN_YOU_SEE.match(clause):  # "can you spot a dog?": whether it is ever on screen
        clause = f"when does {m.group('what')} first appear"
    if m := _SOMEONE_THERE.match(clause):  # "is there anyone …", "is anybody there": a person
        return "when does a person first appear"
    if m := _ANY_HEARD.match(clause):  # "any music in it?": a question about the clip, not a sound edit
        return f"is there any {m.group('what')}"
    if m := _ANY_THERE.match(clause) or _THERE_ANY.match(clause):
        what = m.group("what") or _PEOPLE[m.groupdict()["who"].lower()]
        return f"when does {_article(what)} first appear"
    if (m := _ANY_BARE.match(clause)) and _names_a_thing(m.group("what")):  # "any trucks?"
        return f"when does {m.group('what')} first appear"
    if m := _EVER_SHOW.match(clause):  # "does a car ever show up": whether, and when
        clause = f"{m.group('lead')} {m.group('verb')}"
    if m := _DOES_COME_GO.match(clause):  # "does the red disc leave?": when it leaves (none: said so)
        return f"when does {m.group('what')} {m.group('verb')}{m.group('tail')}"
    if m := _action(clause):
        what = m.group("what") or m.group("many")
        thing = _PEOPLE.get(what.lower(), re.sub(r"^(?:any|that|this)\s+", "the ", what, flags=re.I))
        b.notes.append(
            f"I read {clause.rstrip(' ?')!r} as when {thing} is on screen: nothing here recognises actions, so I "
            "can't tell whether it happens."
        )
        return f"when is {_article(thing)} visible"
    return clause


def _names_a_thing(word: str) -> bool:
    from vitron_agent.perception.coco_names import named

    return named(word) is not None


def _action(clause: str) -> re.Match[str] | None:
    """A yes/no question about what a thing does; a "verb" that names a thing ("car" in "does the red car
    stop") is part of the thing's name."""
    from vitron_agent.perception.coco_names import named

    for pattern in _ACTIONS:
        if (m := pattern.match(clause)) and named(m.group("verb")) is None and not _GOING.match(m.group("tail")):
            if _THE_CLIP.match(m.group("what") or "") or re.search(r"\b" + _NOT_SEEN, m.group("tail"), re.I):
                return None  # "does this video have audio?": about the clip itself, not what a thing does
            return m
    return None


_THE_CLIP = re.compile(r"^(?:the|this|that|a|an)\s+(?:video|clip|footage|film|movie|recording)$", re.I)


def _article(what: str) -> str:
    return what if re.match(r"^(?:the|a|an|some)\s", what, re.I) or what.endswith("s") else f"a {what}"


def _keep_part(b: Any, span: tuple[float, float | None]) -> None:
    """A trim step keeping ``span`` ((-3, None): the last 3 s; (0, 5): the first 5 s) of the current clip,
    which becomes the clip the question is asked of; a note says which part, and that times count from its start."""
    start, end = span
    if start < 0:
        args, part = {"last": -start}, f"the last {-start:g} s"
    elif start == 0 and end is not None:
        args, part = {"first": end}, f"the first {end:g} s"
    else:
        args = {"start": start, "end": end}
        part = f"{start:g} s to {end:g} s" if end is not None else f"{start:g} s to the end"
    sid = b.add("trim_video", video=b.image, **args)
    b.image, b.mask, b.last_output = f"${sid}.video", None, "video"
    rel = "" if start == 0 else "; times in the answer count from the start of that part"
    b.notes.append(SPAN_NOTE.format(part=part, rel=rel))
