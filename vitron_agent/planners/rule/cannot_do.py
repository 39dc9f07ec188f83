"""Requests for things the agent cannot do, read as such: two intent records (any picture; video
only) whose handler refuses honestly (naming what it can do instead) rather than letting the
nearest wrong intent run.

Without them "mute the video" planned a colour desaturate, "add film grain" a denoise (the opposite),
"straighten the horizon" a 90-degree turn and "remove the red eye" erased the eye: wrong results
reported as success.

Each limit is declared once in ``DECLARED``: the answer (what cannot be done, what can be done
instead) and example utterances. The examples are the records' examples, scored by the same
matcher as every other intent (``intent_matcher``), so paraphrases no rule names are refused
too ("take the soundtrack out as an mp3", "turn the photo into a 3d model"); a near match never
refuses a request the agent can do: the planner takes a refusal from the matcher only when no
rule read the clause and the refusal leads the best reading it can do by ``LEAD``
(``intent_choice``). ``LIMITS`` keeps a regular expression only where the words decide by
themselves (a sound word as the thing acted on, "sepia", "subtitles", a horizon without an angle),
searched in the clause; the first that matches gives the answer. The records' rules are tried
before the built-in table (order 50) and the matcher never overrules them.

In a chain, a refused clause refuses only itself: the possible steps run and the answer's first
line says what was not done and why (``PART_REFUSED``).
"""

from __future__ import annotations

import re
from typing import Any

from vitron_agent.toolkit.intents import Intent, register_intent

__all__ = [
    *("LIMITS", "EXAMPLES", "VIDEO_ONLY", "REFUSALS", "limit_for", "CANNOT_DO", "CANNOT_DO_VIDEO"),
    "PART_REFUSED",
]

# A chain with one impossible clause ("make it black and white and add film grain"): the possible
# steps run, and this line leads the answer, so it never reads as if everything was done.
PART_REFUSED = "I did not do {clause!r}: {why}"

_PICTURE = r"(?:it|this|that|the\s+(?:image|picture|photo|pic|video|clip|footage|movie|film))"

# (rule, answer); the answer says what cannot be done and what can be done instead.
LIMITS: tuple[tuple[str, str], ...] = (
    (
        # a graphic drawn onto the picture: "draw an arrow pointing at the dog" (it generated a new picture of
        # an arrow), "give it a polaroid border" (it outlined "it a polaroid border"), "put a frame around the
        # photo" (it cropped). A line round a thing is an outline ("put a yellow border round the dog"), and
        # boxes round things are detections: those stay theirs.
        r"^(?:(?:please|can you|could you|would you|i'd like you to|i want you to)\s+)?"
        r"(?:add|put|draw|place|stick|insert|overlay|paint|slap|pop|give\s+(?:it|this|that|the\s+(?:photo|picture|image|pic|shot)))\s+"
        r"(?:(?:a|an|some|two|three|little|small|big|large|nice|cute|thin|thick|fancy|simple|white|black|red|gold|golden|"
        r"wooden|polaroid|decorative|rounded|curved|hand-?drawn|[a-z]+-?style)\s+)*"
        r"(?:(?:arrows?|speech\s+bubbles?|thought\s+bubbles?|bubbles?|emojis?|smiley(?:\s+faces?)?|stars?|hearts?|doodles?|"
        r"scribbles?|crosshairs?|check\s*marks?|ticks?|crosses|x\s+marks?|pointers?|callouts?|stickers?|confetti)\b)",
        "I cannot draw graphics onto a picture (arrows, speech bubbles, stickers). I can put a border round it "
        "('add a white border'), write text on it ('add the caption \"...\" at the bottom'), outline a thing in a "
        "colour ('outline the dog in red') or box what I find ('detect the dogs').",
    ),
    (
        r"\b(?:mute|unmute)\s+(?:(?:the|this|that|my)\s+)?(?:video|clip|footage|film|movie|sound|audio|it)\b|^(?:un)?mute\b\s*$"
        r"|\b(?:louder|quieter|silence)\b|\b(?:turn|switch)\s+(?:(?:the|it|down|up|off|on)\s+)*(?:sound|audio|volume|music)\b"
        # a sound word as the thing acted on ("remove the audio", "add some music"), not a side remark
        # ("make a gif without sound": a gif)
        r"|^(?!.*\b(?:without|no|silent|ignore|ignoring|keep|keeping)\b)(?:.*\b(?:remove|delete|strip|drop|take|get rid of|"
        r"lower|raise|increase|decrease|reduce|boost|adjust|change|fix|add|put|replace|edit|normali[sz]e|clean up|"
        r"cut|kill|swap|dub|enhance|amplify|extract|export|save|rip|pull|isolate|separate|get)\b.*\b(?:sound|audio|volume|music|soundtrack|voice-?over|voices?|narration|speech|dialogue|laugh[- ]?track|laughter|sound[- ]?effect|sfx)s?\b)",
        "I cannot change sound beyond removing it ('mute it'): the other video tools work on the pictures "
        "(the audio is kept with them). I can trim, speed up, reverse, loop, recolour or blur the video.",
    ),
    (
        # sound named outright ("mute the video", "turn the volume down") is sound on any input: on a
        # still picture it must not fall through to the colour reading of "mute"
        r"\b(?:mute|unmute)\s+(?:(?:the|this|that|my)\s+)?(?:video|clip|footage|film|movie|sound|audio)\b"
        r"|\b(?:louder|quieter)\b|\b(?:turn|switch)\s+(?:(?:the|it|down|up|off|on)\s+)*(?:sound|audio|volume|music)\b"
        r"|^(?!.*\b(?:without|no|silent|ignore|ignoring|keep|keeping)\b)(?:.*\b(?:remove|delete|strip|drop|take|get rid of|"
        r"lower|raise|increase|decrease|reduce|boost|adjust|change|fix|add|put|replace|edit|normali[sz]e|clean up|"
        r"cut|kill|swap|dub|enhance|amplify|extract|export|save|rip|pull|isolate|separate|get)\b.*\b(?:sound|audio|volume|music|soundtrack|voice-?over|voices?|narration|speech|dialogue|laugh[- ]?track|laughter|sound[- ]?effect|sfx)s?\b)",
        "I cannot work on sound: the tools change pictures only (a video's audio is kept as it is, or "
        "dropped by some tools, and a still picture has none). I can recolour, blur, trim or speed up a video.",
    ),
    (
        # subtitles are what is said, written out: that needs speech recognition (text given is written: rule/look_records.py)
        r"\bsubtitles?\b|\bclosed[- ]captions?\b|\btranscri(?:be|pt)\w*\b.*\b(?:speech|audio|sound|what (?:they|he|she|people) says?|dialogue|voices?)\b",
        "I cannot make subtitles: that needs speech recognition, which I do not have. I can write a line of "
        "text you give me on the picture or video ('add the caption \"Summer 2026\" at the bottom').",
    ),
    (
        # "fix the white balance": a photographic term, not a white background (it read as keep_only,
        # which erases the background: a wrong result reported as done)
        # (a direction said in the clause is read as that tone edit instead)
        r"^(?!.*\b(?:warm|warmer|cool|cooler|cold|colder|blue|bluer|yellow|yellower|orange)\b)"
        r".*?(?:\bwhite[\s-]*balanc(?:e|ed|ing)\b|\bcolou?r[\s-]*balance\b)",
        "I have no automatic white balance. I can make the picture warmer (if it looks too blue) or "
        "cooler (if it looks too yellow or orange): say which, e.g. 'it's too blue' or 'make it warmer'.",
    ),
    (
        # a green or magenta cast: the temperature edits move along blue-yellow only
        r"\b(?:green|greenish|magenta|purple|purplish)\s+(?:colou?r\s+)?(?:cast|tinge)\b",
        "I cannot correct a green or magenta cast: my colour-temperature edits only make the picture "
        "warmer (against a blue cast) or cooler (against a yellow, orange or red one).",
    ),
    (
        r"\b(?:fix|remove|correct|reduce|get rid of|eliminate|take out)\b.*\bred[- ]?eyes?\b(?!\s+(?:black|brown|blue|green|grey|gray))"
        r"|\bred[- ]?eye\s+(?:removal|correction|fix|reduction)\b",
        "I have no red-eye fix. I can select the eyes and recolour them ('make the eyes black').",
    ),
    (
        r"^(?!.*(?:\d|\bdegrees?\b))(?:.*\b(?:straighten|level)\b.*\bhorizon\b|.*\bhorizon\b.*\b(?:straight|level|crooked|tilted|wonky)\b)",
        "I cannot find the horizon's tilt by myself. Tell me the angle and I will rotate it "
        "('rotate it 3 degrees clockwise').",
    ),
    (
        r"\b(?:stabili[sz]e|stabili[sz]ation|de-?shake|camera shake)\b|\b(?:shaky|wobbly|jittery)\s+(?:video|clip|footage)\b"
        r"|^(?:the\s+)?(?:video|clip|footage|it)(?:'s|\s+is)\s+(?:(?:so|too|very|really|a bit)\s+)?(?:shaky|wobbly|jittery)\b",
        "I cannot stabilise a video. I can trim it, change its speed, reverse or loop it.",
    ),
    (
        r"\b(?:cut|split|chop|divide)\s+(?:the|this)\s+(?:video|clip|footage|film|movie)\s+"
        r"in(?:to)?\s+(?:half|halves|two|2|(?:\w+\s+)?(?:pieces|parts|segments|clips|scenes))\b",
        "I cannot split a video into several clips (a request makes one result). I can keep one part: "
        "'keep the first half' is 'trim it to the first N seconds', or 'from 0:10 to 0:25'.",
    ),
    (
        r"^(?:undo|revert)\b|^go back to (?:the\s+)?(?:original|previous|last version|way it was|how it was|before)\b"
        r"|^take (?:that|it) back\b|^(?:restore|reset) (?:it|that|this|the (?:original|picture|photo|image))(?: back)?"
        r"(?: to (?:the )?(?:original|how it was|before|normal))?\s*[.!?]*$"
        r"|^(?:change|bring|turn|set|make) (?:it|that|this) back\b|^make it (?:like|as it was) before\b",
        "I cannot undo: a session keeps only the latest result, and a request without a new picture works on it. "
        "Send the original again to start from it.",
    ),
    (
        r"^(?:turn|switch|put)\s+(?:(?:off|on|out)\s+)?(?:the|all the)\s+lights?\b(?:\s+(?:off|on|out))?",
        "I cannot relight a scene. I can darken or brighten the picture, or a part of it ('darken the room').",
    ),
    (
        r"\btranslat(?:e|ion)\b",
        "I cannot translate. I can read the text in the picture ('read the sign').",
    ),
    (
        # "make it 60 fps by interpolating frames": no in-between frames (it took the first frame, said done)
        r"\binterpolat\w*\b|\b(?:optical\s+flow|frame\s+blending|motion\s+smoothing)\b"
        r"|^(?!.*\bgif\b).*\b(?:48|50|60|90|120|240)\s*(?:fps|frames (?:per|a) second)\b"
        r"|^(?!.*\bgif\b).*\b(?:increase|raise|boost|double|higher|smoother)\b.*\b(?:frame[- ]?rate|fps)\b",
        "I cannot make in-between frames (no frame-interpolation model), so I cannot raise a video's frame rate. "
        "I can slow it down ('half speed': frames repeated) or speed it up, at the clip's own frame rate.",
    ),
    (
        # "who is this person?": no one is named from a face (it described the picture as an answer)
        r"\bwho(?:\s+is|\s+are|\s+was|'s|\u2019s)\s+(?:this|that|these|those|he|she|they|the\s+(?:person|man|woman|guy|girl|boy|lady|kid|child|"
        r"people|men|women|actor|actress|player|celebrity))\b(?!\s+(?:on the|in the)\s+(?:left|right|middle|cent(?:er|re)))"
        r"(?!.*\b(?:wearing|holding|doing|standing|sitting|looking|on the left|on the right)\b)"
        r"|\b(?:identify|recogni[sz]e|name)\s+(?:this|that|the)\s+(?:person|man|woman|guy|girl|boy|face|people|celebrity|actor|player)\b"
        r"|\bwhat(?:'s|\s+is)\s+(?:his|her|their)\s+name\b"
        r"|\bwho\s+(?:(?:this|that|the)\s+(?:person|man|woman|guy|girl|boy|lady)|he|she|this|that)\s+(?:is|was)\s*[?.!]*$",  # "tell me who this person is"
        "I cannot tell who a person is (no one is named from a face). I can say whether there are people, "
        "where, how many, and what they look like ('describe the person on the left').",
    ),
    (
        # "transcribe the dialogue", "what are they saying?": no speech recognition (it read a frame's text)
        r"\btranscri\w+\b(?!.*\b(?:text|writing|written|signs?|documents?|labels?|page|notes?|letters?|receipt|menu)\b)"
        r"|\bwhat\s+(?:are|is|was|were|did|does|do)\s+(?:they|he|she|people|someone|anyone|the\s+(?:man|woman|person|people|guy|girl|boy|kid|child|"
        r"speaker|narrator|presenter|host|reporter|actors?|actress|teacher|crowd|singer|men|women))\s+"
        r"(?:saying|say|said|talking about|singing)\b|\blip[- ]?read\w*\b|\bspeech[- ]to[- ]text\b"
        r"|\b(?:what|which)\s+(?:song|music|tune|piece of music)\b|\b(?:identify|name|recogni[sz]e)\s+the\s+(?:song|music|tune)\b",
        "I cannot hear speech or music (no speech or audio recognition). I can say whether the clip has sound "
        "('does it have sound?') and read text shown on screen ('what text shows up in the video?').",
    ),
    (
        # "what will happen next?": nothing after the clip's last frame is known
        r"\bwhat\s+(?:will|would|is going to|'s going to|might)\s+happen\b|\bpredict\b|\bforecast\b"
        r"|\bwhat\s+happens\s+(?:next|after (?:the|this) (?:video|clip) ends)\s*\??$",
        "I cannot predict what happens after the clip: I can only say what is in it ('what happens in this "
        "video?', 'when does the dog leave?').",
    ),
    (
        r"(?<!details )(?<!detail )(?<!edges )(?<!texture )(?<!textures )(?<!colours )(?<!colors )"
        r"\b(?:stand|pop)\s+out\b(?!.*\b(?:by|with|using)\b)",
        "How should it stand out? I can blur the background ('blur the background'), darken everything "
        "around it ('darken everything except the bus'), or make the rest black and white "
        "('black and white except the bus').",
    ),
    (
        # "colourize it": no colourisation model (it made the picture cooler, said done)
        r"\b(?:colou?ri[sz](?:e|ed|ing|ation)|re-?colou?r\s+(?:the\s+)?(?:old\s+)?(?:black[- ]and[- ]white|b&w|gr[ae]yscale)|"
        r"(?:add|put|bring)\s+(?:back\s+)?(?:the\s+)?colou?rs?\s+(?:back\s+)?(?:in|into|to)\s+(?:it|this|the\s+\w+))\b",
        "I cannot colourise a black-and-white picture (no colourisation model). I can recolour a part of it "
        "('make the car red') or make it warmer.",
    ),
    (
        # "compare it with the original", "compare the left half with the right": no comparison tool (it
        # rotated the picture or raised its contrast, said done)
        r"^(?:(?:please|can you|could you)\s+)?compare\b|\bwhat(?:'s| is) the difference between\b|\bspot the difference",
        "I cannot compare two pictures or two parts of one. I can describe each ('describe the left half', "
        "'what colour is the car?') or answer a question about one.",
    ),
    (
        # "move the horse to the left": a thing moved within the picture (it planned a zoom animation of
        # the whole picture, said as done); a colour or tone shifted ("shift the colours to blue") is not this
        r"^(?:(?:please|can you|could you)\s+)?(?:move|shift|drag|slide|reposition|relocate|nudge|push)\s+"
        r"(?!.*\b(?:colou?rs?|hues?|tones?|tint|temperature|white balance|camera|focus|crop|frame)\b)"
        r"(?:it|them|him|her|this|that|the\s+\w+(?:\s+\w+)?)\s+(?:(?:a\s+(?:bit|little)|slightly|further|more)\s+)?"
        r"(?:to|towards?|over|up|down|left|right|into|closer|away|across)\b",
        "I cannot move a thing within a picture (nothing would fill the place it leaves). I can cut it out "
        "and put it on another picture ('cut out the horse', then 'put it on this picture'), remove it "
        "('remove the horse') or crop around it ('crop to the horse').",
    ),
    (
        r"\bsuper[- ]?res(?:olution|olve|olved)?\b|\bai[- ]upscal\w*\b|\bupscal\w*\b.*\b(?:ai|neural|super)\b",
        "I have no super-resolution model: I cannot add detail that is not there. I can resize it "
        "('make it 4 times bigger', resampled) and sharpen it.",
    ),
    (
        r"^(?:make|turn|convert|render)\s+(?:it|this|that|the\s+(?:image|picture|photo|pic|video|clip))\s+(?:into\s+)?"
        r"(?:an?\s+)?3-?d\b(?!\s+(?:render|style|cartoon|look))",
        "I cannot make a picture 3D (no depth or 3D model tool). I can animate it with a camera move "
        "('animate it with a slow zoom') or describe it.",
    ),
    (
        r"^(?!.*\d)(?!.*\b(?:upscale|enlarge|resize|rescale|scale|bigger|larger|twice|double)\b)"
        r"(?:.*\b(?:higher|better|more)\s+(?:resolution|definition)\b)",
        "I cannot add detail that is not there. I can resize a picture ('make it twice as big') or sharpen it.",
    ),
    (
        # motion blur or camera shake undone: no deblurring model (it segmented "the motion blur" and erased it)
        r"\b(?:remove|undo|fix|correct|reverse|get rid of|take out|eliminate|clean up|reduce|repair|sort out)\b.*"
        r"\b(?:motion[- ]blur\w*|camera[- ]shake|shak(?:e|y|iness)|blur\s+from\s+(?:the\s+)?(?:movement|motion|moving)|"
        r"ghosting)\b",
        "I cannot undo motion blur or camera shake (no deblurring model). 'sharpen it' makes edges crisper, "
        "but it does not bring back detail the movement smeared.",
    ),
    (
        # a named photographic effect the tools lack: "give it a tilt-shift effect" (it rotated the picture by
        # 'tilt'), "apply a fisheye", "a double exposure", "a glitch effect"
        r"\b(?:tilt[- ]?shift|miniature\s+(?:effect|look|style)|fish[- ]?eye|double[- ]exposure|glitch(?:y)?|long[- ]exposure|"
        r"chromatic\s+aberration|light\s+leaks?|halftone|duotone|cross[- ]process\w*|infra-?red|thermal)\b",
        "I have no such effect (tilt-shift, fisheye, double exposure, glitch ...): my edits are colour and tone "
        "(warmer, contrast, black and white), blur and sharpen, and the geometry (crop, rotate, flip, resize).",
    ),
)

LIMITS += (
    (
        # "make the watermark nearly invisible", "half transparent": an opacity, not a removal (it erased the
        # thing, said done, reading 'the watermark nearly' as the thing)
        r"\b(?:almost|nearly|half|semi|barely|partly|partially|somewhat|slightly|a\s+bit|more|less)[\s-]*"
        r"(?:invisible|transparent|see-?through|faded)\b",
        "I cannot make something partly transparent (there is no opacity edit). I can remove it, blur it, make it "
        "paler ('desaturate the logo') or lighter, or cut it out.",
    ),
    (
        # the result sent, posted or printed somewhere (session 11: "send it to instagram" selected a region
        # called "send it to instagram"): nothing here reaches outside the session
        r"^(?:(?:please|can you|could you|would you|pls)\s+)*(?:send|e-?mail|post|upload|share|tweet|whatsapp|forward|"
        r"print)\s+(?:it|this|that|them|the\s+(?:image|picture|photo|pic|result|edit|video|clip)|me\s+(?:it|this|a\s+copy))?"
        r"\s*(?:$|\b(?:to|on|onto|with|via|for|out)\b)|^tag\s+(?:my|me|him|her|them|people|friends|everyone|us)\b"
        r"|^text\s+(?:it|this|that|the\s+\w+)\s+to\b"
        r"|^(?:(?:please|can you|could you|pls)\s+)*(?:delete|erase|wipe)\s+"
        r"(?:it|this|that|(?:the|this|that|my)\s+(?:photo|picture|image|pic|file|video|clip|original))\s+(?:from|to|on|onto|off|in|into)\s+"
        r"(?:my|the|our)\s+(?:phone|computer|laptop|pc|mac|camera|drive|desktop|gallery|camera\s+roll|cloud|icloud|"
        r"google\s+photos|dropbox|folder|disk)\b|\b(?:on|to)\s+my\s+(?:story|feed|wall|timeline)\b",
        "I cannot send, post, share or print anything: I only change and read pictures and clips in this session, "
        "and give the result back here (save it from the answer, or with the command line's --out).",
    ),
    (
        # what a thing is worth, where or when a photo was taken, what took it: nothing in the pixels says
        r"\b(?:worth|valuation|apprais\w+|resale\s+value)\b|\bhow\s+much\s+(?:is|are|would|does|do|could|can)\s+"
        r"(?:it|this|that|they|these|those|(?:the|this|that|these|those|my|our)\s+[a-z]+)\s+(?:cost|sell|go\s+for|fetch)\b"
        r"|\bexact\s+(?:location|address|coordinates)\b"
        r"|\bwhen\s+was\b.*\b(?:taken|shot|filmed)\b|\b(?:metadata|exif|geotag\w*|gps)\b",
        "I cannot tell what something is worth, the exact place or the date a photo was taken: I see only the "
        "pixels (no prices, no map, no file metadata). I can describe what is in it, and what kind of place it "
        "looks like ('describe the picture').",
    ),
    (
        # more than the frame holds: another viewpoint, zoomed out, un-cropped (it cropped to "so we see more")
        # (an animation's zoom out is a camera move on the picture: "animate it with a slow zoom out")
        r"^(?!.*\b(?:animat\w*|ken\s+burns|video|clip|gif|movie)\b).*?\bzoom(?:ed|ing)?\s+(?:it\s+|this\s+)?out\b|\bun-?crop\b|\b(?:from|at)\s+(?:another|a\s+different|a\s+new|the\s+other|"
        r"a\s+(?:higher|lower|side))\s+(?:angle|side|viewpoint|point\s+of\s+view|perspective|view)\b"
        # ("crop so we see the back of the car" is a crop; "make it look lit from above" a relight)
        r"|\b(?:show\s+me|i\s+(?:want|would\s+like|'d\s+like)\s+to\s+see|let\s+me\s+see)\b.*\b(?:the\s+)?(?:back|other\s+side|underside|far\s+side|rear)\s+of\b"
        r"|\b(?:show|see)\w*\b(?!.*\b(?:lit|light|lighting|shadows?|sun)\b).*\bfrom\s+(?:the\s+)?(?:front|back|side|above|below|behind|top|underneath|left|right)\s*[?.!]?$"
        r"|\b(?:outside|beyond)\s+(?:of\s+)?the\s+(?:frame|edges?|picture|photo)\b|\bextend\s+the\s+(?:picture|photo|image|canvas)\b",
        "I cannot show more than the picture holds (no other viewpoint, no painting beyond its edges). I can crop, "
        "resize or rotate it, or generate a new picture from a description.",
    ),
)

_RULES = tuple((re.compile(rule), answer) for rule, answer in LIMITS)


def limit_for(clause: str) -> str | None:
    """The refusal for a clause asking for something the agent cannot do, or None."""
    text = clause.lower()
    return next((answer for rule, answer in _RULES if rule.search(text)), None)


def _refuse(call: Any) -> None:
    if GENERATIVE.search(call.text.lower()) and _can_instruct(call):
        from vitron_agent.planners.rule.intent_table import intent_named

        intent_named("restyle").handler(call)  # a look the generative editor can give (an instruction edit)
        return
    answer = limit_for(call.text) or nearest_answer(call.text)
    call.ask(answer or f"I cannot do {call.text!r} with the tools I have.")


def nearest_answer(clause: str) -> str | None:
    """The answer of the declared limit whose examples are closest to ``clause`` (the matcher sent
    it here; no rule named the limit)."""
    from vitron_agent.planners.rule.intent_matcher import embedder

    texts = [ex for _, examples, _ in DECLARED for ex in examples]
    answers = [answer for answer, examples, _ in DECLARED for _ in examples]
    sims = embedder().embed(texts, norm=True) @ embedder().embed([clause.lower()], norm=True)[0]
    return answers[int(sims.argmax())] if len(texts) else None


# Limits a configured generative (instruction) editor lifts: the request goes to it as said.
GENERATIVE = re.compile(r"\bsepia\b")


def _can_instruct(call: Any) -> bool:
    b = getattr(call, "builder", None)
    return b is not None and b.toolbox.supports(b.tool("edit"), "instruct")


def _answer(opening: str) -> str:
    return next(answer for _, answer in LIMITS if answer.startswith(opening))


THREE_D = (
    "I cannot make a picture 3D (no depth or 3D model tool). I can animate it with a camera move "
    "('animate it with a slow zoom') or describe it."
)
SUPER_RES = (
    "I have no super-resolution model: I cannot add detail that is not there. I can resize it "
    "('make it 4 times bigger', resampled) and sharpen it."
)

# (answer, example utterances, video only): the limits the matcher scores, as people say them
DECLARED: tuple[tuple[str, tuple[str, ...], bool], ...] = (
    (
        _answer("I cannot send, post"),
        ("email the photo to my friend", "post this on facebook", "upload it to my drive", "print two copies"),
        False,
    ),
    (
        _answer("I cannot tell what something is worth"),
        ("how much is this car worth", "when was this picture taken", "what are its gps coordinates", "read the exif"),
        False,
    ),
    (
        _answer("I cannot show more than the picture holds"),
        (
            "zoom out to show more of the room",
            "show what's outside the frame",
            "the same scene from a different angle",
            "uncrop it",
        ),
        False,
    ),
    (
        _answer("I cannot change sound"),
        (
            "make the music quieter",
            "turn the volume up",
            "replace the soundtrack",
            "make it louder",
            "lower the volume",
            "add some background music",
            "put a song over the clip",
            "extract the audio",
            "save the soundtrack as an mp3",
            "convert the video to mp3",
            "remove the voices",
            "add a voice-over",
            "make a slideshow with music",
            "boost the bass",
            "sync the audio",
            "add sound effects",
            "get the audio track out",
        ),
        True,
    ),
    (
        _answer("I cannot make subtitles"),
        (
            "add subtitles",
            "add closed captions to the video",
            "write out what they say as subtitles",
            "transcribe the speech",
        ),
        False,
    ),
    (
        _answer("I cannot colourise"),
        ("colourize this old photo", "colorise it", "add colour back into the black and white picture"),
        False,
    ),
    (
        _answer("I cannot compare"),
        (
            "compare it with the original",
            "compare the left half with the right half",
            "what is the difference between them",
        ),
        False,
    ),
    (
        _answer("I cannot move a thing"),
        (
            "move the dog to the left",
            "shift the car a bit to the right",
            "drag the person into the middle",
            "put the cat further up",
            "reposition the bottle in the corner",
        ),
        False,
    ),
    (
        _answer("I have no red-eye"),
        ("fix the red eye", "remove red-eye from the photo", "correct the red eyes from the flash"),
        False,
    ),
    (
        _answer("I cannot find the horizon"),
        ("straighten the horizon", "level the horizon", "the horizon is crooked, fix it", "auto-straighten the photo"),
        False,
    ),
    (
        _answer("I cannot stabilise"),
        ("stabilise the footage", "remove the camera shake", "make the shaky video smooth", "steady the shaky clip"),
        True,
    ),
    (
        _answer("I cannot split"),
        ("split the clip into two", "cut the video into three parts", "divide the video into scenes"),
        True,
    ),
    (
        _answer("I cannot undo"),
        ("undo", "undo the last change", "go back to the original", "revert it", "restore it", "change it back"),
        False,
    ),
    (_answer("I cannot translate"), ("translate the sign", "translate the text into french"), False),
    (
        SUPER_RES,
        (
            "give it a higher resolution",
            "upscale it with ai super resolution",
            "super-resolve the photo",
            "enhance the resolution and recover the detail",
            "recover the lost detail at a higher resolution",
        ),
        False,
    ),
    (
        THREE_D,
        (
            "make it 3d",
            "turn it into a 3d model",
            "make a 3d version of the photo",
            "make it stereoscopic",
            "turn the picture into a 3d scene",
            "give it depth like a 3d photo",
        ),
        False,
    ),
    (
        _answer("I cannot draw graphics"),
        (
            "draw a circle on the picture",
            "stick an emoji on his face",
            "add some hearts and stars",
            "put a speech bubble next to her",
            "draw an arrow to the exit",
            "doodle on it",
        ),
        False,
    ),
    (
        _answer("I cannot undo motion blur"),
        (
            "remove the motion blur",
            "fix the camera shake",
            "undo the shake",
            "the car is smeared from moving, correct it",
        ),
        False,
    ),
    (
        _answer("I have no such effect"),
        (
            "give it a tilt shift effect",
            "make it look like a miniature model",
            "apply a fisheye lens effect",
            "double exposure with the sky",
            "add a glitch effect",
            "add light leaks",
            "make it look like a long exposure",
            "halftone it",
        ),
        False,
    ),
)

EXAMPLES = (
    "mute the video",
    "turn the sound off",
    "take the audio out of the clip",
    "make it louder",
    "turn down the volume",
    "add some music to the video",
    "put a soundtrack on it",
    "add subtitles",
    "fix the red eye",
    "remove red-eye from the photo",
    "straighten the horizon",
    "the horizon is crooked",
    "stabilise the footage",
    "stabilize this shaky video",
    "split the clip into two",
    "cut the video into pieces",
    "undo the last change",
    "translate the sign into spanish",
    "make the cat stand out",
    "turn the lights off",
    "give the video a higher resolution",
)

# Limits that only a video has (sound, shaking, several clips): on a still picture these words mean
# something else ("mute it" is a desaturate), so their rules are skipped there.
VIDEO_ONLY = ("I cannot change sound", "I cannot stabilise", "I cannot split")


def _record(name: str, media: str, limits: list[tuple[str, str]]) -> Intent:
    return Intent(
        name,
        (r"^(?=.*(?:" + "|".join(f"(?:{rule})" for rule, _ in limits) + "))",),
        examples=tuple(
            ex for answer, examples, video_only in DECLARED if video_only == (media == "video") for ex in examples
        ),
        slots=(),
        help="",
        handler=_refuse,
        media=media,
        order=50,
    )


CANNOT_DO = _record("cannot_do", "any", [lim for lim in LIMITS if not lim[1].startswith(VIDEO_ONLY)])
CANNOT_DO_VIDEO = _record("cannot_do_video", "video", [lim for lim in LIMITS if lim[1].startswith(VIDEO_ONLY)])
REFUSALS = frozenset({CANNOT_DO.name, CANNOT_DO_VIDEO.name})
register_intent(CANNOT_DO)
register_intent(CANNOT_DO_VIDEO)
