"""The questions asked of a clip ("when does the dog appear?", "for how long is the cat on screen?",
"how many people walk past?"): records of the intent table (:mod:`vitron_agent.toolkit.intents`) whose
handlers answer in text through ``find_in_video`` and ``count_in_video``. The thing asked about is
read by the planner's one reader of target words (``call.target_words``)."""

from __future__ import annotations

import re

from vitron_agent.toolkit.intents import Intent, register_intent
from vitron_agent.tools.video_clip_parts import visible_target
from vitron_agent.tools.video_intents import emit_step, example_lines, video_or_ask

__all__ = ["VIDEO_QUESTIONS"]

_MOTION = r"(?:walk|drive|run|fly|flie|ride|step|come|go|get|move|head)s?\s+"
_WHEN = re.compile(
    r"\b(?:disappear|vanish|leave|leaves|(?<!the )(?<!to )left|gone|go away|exit|"  # not "on the left"
    r"last (?:time|seen|appearance|moment|second|point|frame))|\b" + _MOTION + r"(?:off|out|away)\b",
    re.I,
)
_APPEAR = re.compile(
    r"\b(?:appear|show up|shows up|turns? up|pops? up|come in|comes in|enter|first seen|arriv|first time|"
    r"first (?:see|spot|notice|moment|second|frame)|"
    r"ever\b|at any (?:point|time)|entrance)|\b" + _MOTION + r"(?:in|into|on|onto)\b",
    re.I,
)
_MOVES_OFF = re.compile(r"\b" + _MOTION + r"(?:off|out of|away from)\b", re.I)
# "when is the bottle missing?": the times it is not on screen
_ABSENT = re.compile(
    r"\b(?:missing|absent|off ?screen|out of (?:the )?(?:frame|shot|view|picture)|not (?:there|visible|on screen|seen))\b",
    re.I,
)
_HOW_LONG = re.compile(r"\bhow long\b|\bhow much (?:time|of the)\b|\bhow many seconds\b|\bduration\b", re.I)
_CLIP = r"(?:\s+(?:in|of|during|through) (?:the|this) (?:video|clip|footage|film))?"
_TARGET = re.compile(
    r"^(?:when (?:is|was) the (?:first|last) time (?:we|you|i) (?:see|saw|spot)|(?:does|do|did)(?=\s+(?:an?|the|any)\s)|"
    r"when(?:'s|s)?(?:\s+(?:exactly|precisely|roughly|approximately))?"
    r"(?:\s+(?:is\s+)?the\s+(?:first|last|next)\s+(?:time|moment)(?:\s+(?:that|when))?)?|"
    r"(?:at|in|during) (?:what|which) (?:times?|points?|moments?|parts?|seconds?|frames?)" + _CLIP + "|"
    r"(?:what|which) (?:seconds?|minutes?|moments?|points?|frames?|timestamps?)" + _CLIP + "|"
    r"(?:for\s+)?(?:how long|how much time|how many seconds)|what time|"
    r"(?:(?:find|show me|tell me)(?: out)?\s+)?(?:the\s+)?(?:times?|moments?|points?|seconds?|instants?|timestamps?|"
    r"time ?codes?)(?:\s+(?:when|that|where|of))?|"
    r"(?:which|what) (?:parts?|bits?|sections?|scenes?|moments?) of the (?:video|clip|footage)\s+(?:has|have|shows?|"
    r"contains?|features?)|(?:for\s+)?how much of the (?:video|clip|footage)(?:\s+(?:has|have|shows?|contains?|features?))?|"
    r"what(?:'s| is) the (?:first|last|final) (?:moment|time|second|point|frame)(?: (?:when|that|where|in which))?|"
    r"(?:is|are) there (?:ever|at any (?:point|time))(?:\s+(?:an?|any))?|"
    r"(?:(?:find|show me|tell me|give me)\s+)?(?:the\s+)?(?:first\s+|last\s+)?(?:appearance|entrance|exit) of|"
    r"find (?:out )?(?:(?:the )?(?:times?|moments?|parts?|bits?|scenes?|sections?|frames?) )?(?:when|where|with))\s+"
    r"(?:(?:does|do|did|is|are|was|were|has|have|had|(?:can|do|did|will|could) (?:we|i|you) (?:see|spot|notice)|will)\s+)?"
    r"(?:(?:we|you|i) (?:first\s+|last\s+)?(?:see|spot)\s+)?(?P<what>.+?)\s*"
    r"(?:\b(?:first\s+)?(?:appears?|disappears?|vanish\w*|show(?:s)? up|come(?:s)? in|enter\w*|leave\w*|(?<!the )(?<!to )left|"
    r"exit\w*|go(?:es)? away|gone|turns? up|pops? up|arriv\w*|visible|on screen|"
    r"missing|absent|off ?screen|out of (?:the )?(?:frame|shot|view|picture)|not (?:there|visible|on screen|seen)|"
    r"in (?:the )?(?:frame|shot|video|picture|view)|in (?:them|it|this)|at any (?:point|time)|seen|there|"
    r"(?:is|are) in (?:the )?(?:shot|frame|view|picture)|stay\w*|remain\w*|"
    + _MOTION
    + r"(?:in|into|on|onto|off|out|away|by|past))\b.*)?\??$",
    re.I,
)


_SCENE = re.compile(
    r"\b(?:scenes?|shots?|camera (?:angles?|views?))\s+(?:change|changes|switch\w*|cut\w*|end\w*)\b|"
    r"\b(?:scene|shot) (?:changes?|cuts?|transitions?|switch\w*)\b|\b(?:cuts?|transitions?)\b(?=.*\b(?:video|clip|film)\b)|"
    r"^when\s+(?:are|is)\s+(?:there\s+)?(?:the\s+)?(?:cuts?|edits?|transitions?)\b",
    re.I,
)
# "does anyone wave?", "did the man jump?": an action asked of someone, not whether they are there
_DOES = re.compile(
    r"^(?:does|do|did)\s+(?:any ?one|some ?one|somebody|anybody|he|she|they|the \w+|an? \w+)\s+(?!"
    r"(?:ever\s+)?(?:appear|show|turn|come|enter|leave|exit|disappear|vanish|go|get|stay|remain|pop|arriv)\w*\b)"
    r"(?:\w+)\b",
    re.I,
)
# an event the detector cannot see (only the thing in it): "the ball goes in the hoop", "she scores"
_EVENT = re.compile(
    r"\b(?:go(?:es)?|went|get(?:s)?|fall(?:s)?|drop(?:s)?)\s+(?:in|into|through)\s+(?:the\s+)?"
    r"(?:hoop|basket|net|goal|hole|water|pool)\b|\bscores?\b|\b(?:wins?|loses?|falls? (?:down|over))\b",
    re.I,
)


# "a still of the moment the cat is visible", "grab a frame of when the car is on screen": a picture asked
_STILL = re.compile(
    r"\b(?:stills?|frames?|snapshots?|screen\s*shots?|screen\s*grabs?|screen\s*caps?|pictures?|images?|photos?|"
    r"thumbnails?|freeze[- ]frames?)\b(?!\s+(?:rate|count|number))",
    re.I,
)


def when_handler(call) -> None:
    if not video_or_ask(call, "find_in_video", "Finding when something is on screen"):
        return
    text = call.text.strip()
    in_frame = re.sub(
        r"\b(?:in|into|out\s+of|leaves?|enters?|exits?)\s+(?:the\s+)?(?:frame|picture|shot)\b", " ", text, flags=re.I
    )
    if _STILL.search(in_frame) and call.has_tool("frame") and (what := visible_target(text)) is not None:
        emit_step(call, "frame", output="image", visible=what)  # a still where it is seen, not a time in words
        return
    if asked := re.match(
        r"^(?:is|are) there\s+(.+?)(?:\s+(?:in|during) (?:the|this) (?:video|clip|footage))?"
        r"(?:\s*,)?(?:\s+(?:and|but))?(?:\s+if so)?\s+when\s*\??$",
        text,
        re.I,
    ):
        text = f"when is {asked.group(1)} there"  # "is there a bicycle in the video and when"
    if (_SCENE.search(text) or _DOES.search(text)) and call.has_tool("describe_video"):
        # "when does the scene change?": the shot cuts; "does anyone wave?": no action recognition, said
        emit_step(call, "describe_video", output="text", question=text)
        return
    if event := _EVENT.search(text):  # "when does the ball go in the hoop?": the ball is looked for, said first
        call.note(
            f"I can't see events such as {event.group(0).strip()!r}; I looked for when the thing itself is on screen."
        )
    m = _TARGET.match(text)
    what = (m.group("what") if m else call.rest).strip(" ?.")
    what = re.sub(r"^(?:(?:is|are)\s+)?there\s+(?:(?:is|are)\s+)?", "", what, flags=re.I)  # "… is there a horse"
    what = call.target_words(what)
    if not what:
        call.ask("What should I look for? Say e.g. 'when does the dog appear?'.")
        return
    question = (
        "disappear"
        if _MOVES_OFF.search(text)  # "when does the man walk off screen?": when he leaves, not when he is away
        else "absent"
        if _ABSENT.search(text)
        else "how_long"
        if _HOW_LONG.search(text)
        else "disappear"
        if _WHEN.search(text)
        else "appear"
        if _APPEAR.search(text)
        else "when"
    )
    emit_step(call, "find_in_video", output="text", target=what, question=question)


def count_handler(call) -> None:
    if not video_or_ask(call, "count_in_video", "Counting through a clip"):
        return
    if re.search(r"\b(?:shots?|scenes?|cuts?|camera angles?|edits?)\b", call.text, re.I) and call.has_tool(
        "describe_video"
    ):  # "how many shots are in this video?": the shots describe_video cuts the clip into, not a COCO thing
        emit_step(call, "describe_video", output="text", question=call.text.strip())
        return
    if re.search(r"\bhead ?count\b", call.text, re.I):  # "give me a headcount": people
        emit_step(call, "count_in_video", output="text", target="people")
        return
    m = re.search(
        r"\bhow many\s+(?:different\s+|distinct\s+|separate\s+|unique\s+|individual\s+)?(?P<what>[a-z ]+?)(?:\s+(?:are|is|walk|pass|go|come|drive|appear|cross|can|do|were|in|on|through|there|sail|fly|ride|swim|run|"
        r"roll|float|drift|race|jog|cycle|travel|move|show|enter|leave)\b|\?|$)",
        call.text.lower(),
    )
    what = (
        m.group("what").strip()
        if m
        else re.sub(r"^(?:count|tally|number of|of)\s+(?:up\s+)?(?:the\s+)?", "", call.rest.strip().lower())
    )
    what = re.sub(
        r"^(?:the\s+)?(?:different|distinct|separate|unique|individual)\s+", "", what
    )  # "number of different faces"
    what = re.sub(
        r"\s+(?:that|who|which)\b.*$|\s+(?:in|through|across)\s+(?:the\s+)?(?:video|clip).*$"
        r"|\s+(?:going|passing|driving|walking|coming|crossing|flying|riding|running|moving)\b.*$",
        "",
        what,
    ).strip(" ?.")
    what = call.target_words(what)
    emit_step(call, "count_in_video", output="text", target=what or "people")


def facts_handler(call) -> None:
    """ "how long is the video?", "what's the frame rate?": the clip's own facts, from its metadata."""
    if video_or_ask(call, "find_in_video", "The clip's length and size"):
        emit_step(call, "find_in_video", output="text", target="the video", question="how_long")


_FACTS = r"(?:duration|length|frame ?rate|fps|resolution|size|dimensions?|running time|run ?time|frame count)"
_CLIP_ITSELF = r"(?:it|this|that|the (?:video|clip|footage|gif|film|movie|recording))"

VIDEO_QUESTIONS = (
    Intent(
        "video_facts",
        patterns=(
            r"^(?:what(?:'s| is| are)|tell me|give me)\s+(?:the\s+)?(?:(?:video|clip|footage)(?:'s)?\s+)?"
            + _FACTS
            + r"\b",
            r"^what " + _FACTS + r"\b(?!.*\b(?:should|to|would)\b)",
            r"^how (?:long|big|large|many frames|many seconds)\s+(?:is|are|does|do|has|have|was)\s+"
            + _CLIP_ITSELF
            + r"(?:\s+(?:have|has|got|in total|last|run|long|altogether))*\s*\??$",
        ),
        examples=example_lines("""
            how long is the video?
            what's the duration?
            what is the frame rate?
            what resolution is the clip?
            how many frames does it have?
        """),
        slots=(),
        help="how long is the video; its frames, frame rate and size (from the file's metadata)",
        handler=facts_handler,
        media="video",
    ),
    Intent(
        "find_in_video",
        patterns=(
            r"^(?:when(?:'s|s)?|at what (?:time|point|moment)s?|what time)\b",
            r"^(?:at|in|during)\s+(?:what|which)\s+(?:times?|points?|moments?|parts?|bits?|sections?|seconds?|frames?)\b",
            r"^(?:find|show me|tell me)\s+(?:out\s+)?(?:when\b|(?:the\s+)?(?:moments?|times?|points?|instants?)\s+(?:when\s+)?"
            r"(?=.*\b(?:appear|disappear|vanish|leave|gone|show|turn|come|enter|exit|visible|screen|seen)))",
            r"^find (?:the )?(?:parts?|bits?|scenes?|sections?)\s+(?:with|where|when)\b",
            r"^(?:for\s+)?how many seconds\b|^(?:the\s+)?(?:timestamps?|time ?codes?)\s+(?:where|when|of)\b",
            r"^(?:which|what) (?:parts?|bits?|sections?|scenes?|moments?) of the (?:video|clip|footage)\b"
            r"|^(?:for\s+)?how much of the (?:video|clip|footage)\s+(?:has|have|shows?|contains?|features?|(?:can|do) (?:we|you|i)\b)",
            r"^what(?:'s| is) the (?:first|last|final) (?:moment|time|second|point|frame)\b",
            r"^(?:is|are) there (?:ever|at any (?:point|time))\b"
            r"|^(?:does|do|did)\s+(?:an?|the|any)\s+(?:\w+\s+){1,3}(?:ever\s+)?(?:show up|appear|turn up|come in|enter)\b",
            r"^(?:(?:find|show me|tell me|give me)\s+)?(?:the\s+)?(?:first\s+|last\s+)?(?:appearance|entrance|exit)\s+of\b",
            r"^how (?:long|much time|many seconds)\s+(?:is|are|does|do|did|was|were)\s+(?!the (?:video|clip|footage)\b)",
            r"^find (?:the )?(?:times?|moments?)\b",
            # "what second does the bird fly away", "is there a bicycle in the video and when"
            r"^(?:what|which)\s+(?:second|minute|moment|point|frame|timestamp)\s+(?:does|do|did|is|are|was|were)\b",
            r"^(?:is|are) there\b.*\bwhen\s*\??$",
        ),
        examples=example_lines("""
            when does the dog appear?
            when does the person disappear?
            when is a car visible?
            how long is the cat on screen?
            at what time do we see people?
            when do the people show up?
            at which point does the bus leave the frame
            what time does the bicycle come in
            when can we see a face?
            how long does the man stay in the shot?
            find the moments where a dog is visible
            when does the horse enter the picture
            at what point does the truck go away
            how much time is the person visible
            when is there a car in the video
            tell me when the cat shows up
            when do we first see the bird
            how many seconds is the ball on screen
            when does the woman leave
            find the times when people are in the frame
            at what moment does the motorbike appear
            when are the cars visible?
            when does the dog vanish?
            how long is someone on camera
            when is the boat in view
            find the parts with the dog in them
            show me the bits where the cat is visible
        """),
        slots=("target",),
        help="when does <target> appear / disappear / is visible; how long is <target> on screen",
        handler=when_handler,
        media="video",
    ),
    Intent(
        "count_in_video",
        # rules only where the words speak of a clip (they run on images too): the rest is the matcher's
        patterns=(
            r"^(?:give me\s+)?(?:an?\s+)?head ?count\b",
            r"^(?:how many|count|tally)\b(?!.*\b(?:frames?|seconds?|shots?|scenes?|cuts?|photo|picture|image)\b)"
            r"(?=.*\b(?:walk\w*|pass\w*|cross\w*|go(?:es)? by|drive\w*|come|comes|video|clip|footage|through|"
            r"distinct|different|unique|in total|(?:sail|fly|flie|ride|swim|run|race|cycle|float|drift)s?\s+(?:past|by))\b)",
        ),
        examples=example_lines("""
            how many people walk past?
            count the cars that drive through
            how many different people are in the clip?
            how many dogs appear in the video?
            number of faces in the video
            how many people cross the street
            count everyone who walks by
            how many cars pass in the footage
            count the people in the video
            how many distinct persons show up
            how many bikes go by?
            count how many birds fly through
            how many people are there over the whole clip
            how many pedestrians pass?
            tally the people walking past
            count the number of cars in the video
            how many buses drive by
            how many faces can be seen in the clip
            how many people come in and out
            count all the dogs in the footage
            how many different cars appear
            how many people are in this video in total
            count the walkers
            how many trucks pass through the frame
            how many persons cross the scene
        """),
        slots=("target", "count"),
        help="how many people (cars, dogs ...) pass through the video (distinct, followed over time)",
        handler=count_handler,
        media="video",
    ),
)

for _intent in VIDEO_QUESTIONS:
    register_intent(_intent)
