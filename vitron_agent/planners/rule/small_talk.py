"""Small talk and questions about the session: "thank you!", "hello", "can you help me?", "who are you?",
"what did you do?", "why?". None of them asks for a tool: each gets a short reply and runs nothing (before
this, each was read as a request and answered with the tools its words came closest to, or a "describe"
of the picture with "what did you do" as the thing to find).

One table (:data:`TALKS`) holds every kind: its name, varied example utterances (tests read every one as
its kind), the phrases that say it, and its reply. A request is small talk only when *every* piece of it
(split at commas, full stops, "!" and "?") is a phrase of some kind: "thanks! now blur the face" is a
request with an aside (read as usual), "thanks, that's perfect" is thanks. The reply is the one of the
first kind in table order among the pieces ("cool, thanks": thanks before acknowledgement).

The session's questions are answered from the history the planner is given (each earlier turn's
request, the answer the user read and its steps with their status): "what did you do?" says the last
request that ran steps, its answer or, without one, its steps (read again from its words for their
arguments) and any step that did not run; "why?" says which request a change came from, or the reason
the last answer gave for doing nothing. Nothing is guessed: with no earlier turn the reply says so.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

__all__ = ["TALKS", "Talk", "small_talk", "talk_kind"]

HINT = "Say what to do next (e.g. 'make the car red', 'trim the clip to 5 seconds'), or 'help' for everything."
IMAGES = (
    "On a picture I can select or cut out a thing you name, recolour, remove, blur or pixelate it, change "
    "brightness, contrast, warmth or colour, crop, rotate, flip and resize, describe it, answer questions, "
    "count things and read text."
)
VIDEOS = (
    "On a video I can trim it or keep the part where a thing is visible, speed it up or slow it down, "
    "reverse or loop it, make a GIF, take a frame, describe it, count or find things over time, and track a "
    "thing to edit it in every frame."
)
EDITS = (
    "Edits I can make: recolour, remove, blur, pixelate, cut out or keep only a thing you name; brighten, "
    "darken, contrast, warmer / cooler, saturate, black and white, sharpen, denoise; crop, rotate, flip, "
    "resize; the background blurred or replaced by a colour."
)


@dataclass(frozen=True)
class Talk:
    """One kind of small talk: ``phrases`` (a regular expression a whole piece must match), ``examples``
    (varied utterances, read as this kind by the tests) and ``reply(history, text, medium, recap)``."""

    name: str
    phrases: str
    examples: tuple[str, ...]
    reply: Callable[..., str]


def _thanks(*_: Any) -> str:
    return f"You're welcome! {HINT}"


def _hello(history: list[dict[str, Any]], text: str, medium: str, recap: Any) -> str:
    return f"Hello! I work on pictures and videos. {HINT}"


def _able(history: list[dict[str, Any]], text: str, medium: str, recap: Any) -> str:
    t = text.lower()
    if re.search(r"\bedit|\bchange|\bkinds?\b|\bsorts?\b", t) and not re.search(r"video|clip", t):
        return f"{EDITS} {HINT}"
    if re.search(r"\bvideos?\b|\bclips?\b|\bfootage\b", t) or (medium == "video" and "picture" not in t):
        return f"Yes. {VIDEOS} {HINT}"
    return f"Yes: I work on pictures and videos. {IMAGES} {VIDEOS} Say 'help' for the full list."


def _who(*_: Any) -> str:
    return (
        "I am vitron-agent, an assistant that plans and runs vision tools (segmenting, editing, describing, "
        f"tracking) on your pictures and videos. {HINT}"
    )


def _ack(history: list[dict[str, Any]], *_: Any) -> str:
    last = history[-1] if history else {}
    ran = bool(last.get("steps")) and all(s.get("status", "ok") in (None, "ok") for s in last["steps"])
    return f"{'Glad it works.' if ran else 'OK.'} {HINT}"  # after a question back or a refusal nothing "works"


def _praise(*_: Any) -> str:
    return f"Thank you! {HINT}"


def _fine(*_: Any) -> str:
    return f"No problem. {HINT}"


def _bye(*_: Any) -> str:
    return "Goodbye!"


def _did(history: list[dict[str, Any]], text: str, medium: str, recap: Any) -> str:
    return recap(history, why=False)


def _why(history: list[dict[str, Any]], text: str, medium: str, recap: Any) -> str:
    said = recap(history, why=True)
    if re.search(r"n't\b|\bnot\b", text, re.I) and said.startswith("Because you asked "):  # "why didn't you blur it?"
        return "I did only what you asked: " + said[len("Because you asked ") :].replace(", so I ", ", and I ", 1)
    return said


_THANKS = (
    r"(?:(?:thank you|thanks|thx|ty|cheers)(?: (?:so|very) much| a lot| a bunch| again| loads)?|many thanks|"
    r"much appreciated|(?:i )?appreciate it)"
)
_HELLO = (
    r"(?:hello|hi|hey|hiya|howdy|greetings|yo|good (?:morning|afternoon|evening|day))(?: there| again)?|"
    r"how are you(?: doing)?(?: today)?|how's it going|what's up|(?:is )?any(?:one|body) (?:there|home)"
)
_PRONOUN = r"(?:you|u)"
_ABLE = (
    rf"(?:can|could|will|would) {_PRONOUN} (?:please )?help(?: me)?(?: (?:please|out|with something))?|"
    r"(?:i )?(?:need|want|would like|'d like) (?:some )?help|help me(?: (?:please|out))?|"
    r"how (?:does|do) (?:this|it|you) work|how (?:do|can|should) i use (?:this|you|it)|"
    r"what (?:should|can|could) i (?:ask|say|try|do)(?: (?:you|here|with (?:this|it|the|my) ?(?:picture|photo|image|video|clip)?))?|"
    rf"what (?:kinds?|sorts?|types?) of (?:edits|changes|things) (?:can|could) {_PRONOUN} (?:do|make)|"
    rf"what (?:edits|changes) (?:can|could) {_PRONOUN} (?:do|make)|"
    rf"(?:can|could|do) {_PRONOUN} (?:also )?(?:edit|work (?:with|on)|handle|do|support|process) "
    r"(?:videos?|clips?|pictures?|photos?|images?)(?: (?:too|as well|also))?|"
    r"what (?:else )?can (?:you|u) do(?: (?:with|for) (?:this|it|me|videos?|pictures?|photos?))?"
)
_WHO = rf"who are {_PRONOUN}|what are {_PRONOUN}|what(?:'s| is) your name|are {_PRONOUN} (?:a bot|an ai|human|a person)"
_ACK = (
    r"(?:ok(?:ay)?|great|nice|cool|perfect|awesome|excellent|wonderful|amazing|brilliant|lovely|sweet|neat|good|wow|"
    r"yay|sounds good|got it|all good|well|oh|ah|hmm+|love it|i (?:love|like) it|beautiful|cool beans|lol|lmao|haha+|hehe)"
    r"(?: (?:job|work|one|stuff))?|"
    r"(?:that|this|it)(?:'s| is| was| looks| look) (?:really |very |so )?(?:great|good|nice|perfect|awesome|"
    r"fine|better|amazing|lovely|excellent|beautiful|all|it)|looks (?:great|good|nice|perfect|better)"
)
_PRAISE = (
    rf"{_PRONOUN}(?:'re| are) (?:so |really |very )?(?:great|awesome|amazing|the best|helpful|brilliant|good|smart|clever)|"
    r"(?:great|good|nice|excellent|awesome) (?:job|work)|well done|(?:i )?love (?:you|this tool)|good (?:bot|boy|girl)"
)
_FINE = r"sorry|my bad|never ?mind|nvm|forget (?:it|that)|no worries|oops"
_BYE = r"(?:good)?bye|bye bye|see (?:you|ya)(?: later)?|good ?night|later|cya|that's all for (?:now|today)"
_DID = (
    rf"what (?:did|have) {_PRONOUN} (?:just |actually |exactly )?(?:do|done|change|changed)"
    r"(?: (?:to (?:it|the (?:picture|photo|image|video|clip))|exactly|just now|there))?|what (?:was|got) changed|"
    r"what changed|what was (?:just )?done|"
    rf"(?:(?:can|could) {_PRONOUN} )?(?:please )?(?:explain|tell me|say|show me) what {_PRONOUN} (?:just )?(?:did|changed|have done)"
)
_WHY = (
    rf"(?:and |but )?(?:why|how come)(?: (?:did|would|have|didn't|haven't) {_PRONOUN}(?: [\w' ]*)?)?"
    r"(?: then)?"
)

TALKS: tuple[Talk, ...] = (
    Talk("did", _DID, ("what did you do?", "what did you just do?", "what have you changed?", "what changed?"), _did),
    Talk("why", _WHY, ("why?", "why did you do that?", "and why?", "how come?"), _why),
    Talk("who", _WHO, ("who are you?", "what are you?", "what's your name?", "are you a bot?"), _who),
    Talk(
        "able",
        _ABLE,
        ("can you help me?", "I need some help", "how does this work?", "what kinds of edits can you do?"),
        _able,
    ),
    Talk("thanks", _THANKS, ("thank you!", "thanks a lot", "cheers", "much appreciated"), _thanks),
    Talk("hello", _HELLO, ("hello", "hi there", "good morning", "hey!"), _hello),
    Talk("bye", _BYE, ("bye", "see you later", "good night", "goodbye!"), _bye),
    Talk("fine", _FINE, ("sorry", "never mind", "forget it", "my bad"), _fine),
    Talk("praise", _PRAISE, ("great job", "you're awesome", "well done", "nice work"), _praise),
    Talk("ack", _ACK, ("ok", "that looks great", "perfect", "cool"), _ack),
)


@cache
def _compiled() -> list[re.Pattern[str]]:
    from vitron_agent.planners.rule.compiled_patterns import compile_patterns

    return compile_patterns([(rf"^(?:{t.phrases})$", re.I) for t in TALKS])


_PIECES = re.compile(r"\s*(?:[,.!?;:]+|\s-+\s|\s(?:and|so)\s(?=thanks?\b|thank\b|bye\b))\s*")
_SMILEY = re.compile(r"(?<!\w)[:;=]-?[()dDpP3/|]+(?!\w)|[\U0001F300-\U0001FAFF\u2600-\u27BF]")
_EXTRA = re.compile(
    r"^(?:(?:oh|ah|so|um+|hmm+|yes|yeah|yep|and|but|really|haha+|hehe|lol|wow)\s+)+|\s+(?:again|then|too)$",
    re.I,
)


def talk_kind(text: str) -> Talk | None:
    """The kind of small talk ``text`` is, when every piece of it is some kind's phrase (module
    docstring); None when any piece asks for something else."""
    said = _SMILEY.sub(" ", text.strip().replace("\u2019", "'"))  # "hello!! :)", "thanks :D"
    pieces = [_EXTRA.sub("", p.strip()) for p in _PIECES.split(said)]
    pieces = [p for p in pieces if re.search(r"[a-z]", p, re.I)]
    if not pieces or len(pieces) > 4:
        return None
    found: list[int] = []
    for piece in pieces:
        k = next((k for k, pattern in enumerate(_compiled()) if pattern.match(piece)), None)
        if k is None:
            return None
        found.append(k)
    return TALKS[min(found)]


def small_talk(planner: Any, request: Any, toolbox: Any, text: str) -> str | None:
    """The reply to ``text`` when it is small talk or a question about the session; None otherwise."""
    kind = talk_kind(text)
    if kind is None:
        return None
    inputs = request.inputs.get("input", {}) or {}
    medium = "video" if "video" in inputs and "image" not in inputs else "image"

    def recap(history: list[dict[str, Any]], why: bool) -> str:
        return _recap(planner, request, toolbox, history, why)

    return kind.reply(list(request.history or []), text, medium, recap)


def _recap(planner: Any, request: Any, toolbox: Any, history: list[dict[str, Any]], why: bool) -> str:
    """What the session's last turn did (or, with ``why``, why), from its record."""
    turns = [t for t in history if t.get("request") and talk_kind(str(t["request"])) is None]
    if not turns:
        return "Nothing yet: this session has no earlier request. " + HINT
    turn = turns[-1]
    asked = str(turn["request"]).strip()
    answer = " ".join(str(turn.get("answer") or "").split())
    steps = list(turn.get("steps") or [])
    if not steps:  # the last turn asked back or refused
        said = f" I answered: {answer[:300]}" if answer else ""
        return f"I changed nothing for {asked!r}: it ran no step.{said}"
    done = _steps_said(planner, request, toolbox, asked, steps)
    if why:
        return f"Because you asked {asked!r}, so I {done}. If that is not what you meant, say what to change."
    said = f" My answer was: {answer[:300]}" if answer else ""
    return f"You asked {asked!r}, and I {done}.{said}"


_PHRASE = {"segment": "selected", "track": "tracked", "edit": "edited", "edit_video": "edited the clip"}


def _steps_said(planner: Any, request: Any, toolbox: Any, asked: str, steps: list[dict[str, Any]]) -> str:
    """The turn's steps in words: each tool with the arguments its request gives it (read again from the
    words: a turn's record keeps no arguments), and any step that did not run ok."""
    try:
        plan = planner.plan(dataclasses.replace(request, text=asked, history=[]), toolbox)
        planned = plan.steps if [s.tool for s in plan.steps] == [s.get("tool") for s in steps] else []
    except Exception:  # a record the planner cannot read again: its tools alone
        planned = []
    parts = []
    for k, step in enumerate(steps):
        args = planned[k].args if planned else {}
        words = [f"{key} {v:g}" if isinstance(v, float) else str(v) for key, v in args.items() if _shown(key, v)]
        tool = str(step.get("tool"))
        said = _PHRASE.get(tool, f"ran {tool}") + (f" ({', '.join(words)})" if words else "")
        status = step.get("status", "ok")
        parts.append(said if status in (None, "ok") else f"{said}, which did not run ({status})")
    return ", then ".join(parts)


def _shown(key: str, value: Any) -> bool:
    """Whether an argument says what was done (not a reference to another step's output)."""
    if isinstance(value, str):
        return bool(value.strip()) and not value.startswith("$") and key != "question" and value != "inside"
    return isinstance(value, (int, float)) and not isinstance(value, bool)
