"""Which record of the intent table a clause means: the rules (patterns), the learned matcher
(example utterances), or both; typo repair first, and "but keep X unchanged" split off."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from vitron_agent.planners.rule.asked import ANSWERING, only_asks, request_in_question
from vitron_agent.planners.rule.cannot_do import REFUSALS
from vitron_agent.planners.rule.complaints import part_complaint, size_complaint, speed_complaint, why_so_fix
from vitron_agent.planners.rule.intent_table import intent_named, parse_clause
from vitron_agent.planners.rule.lexicon import (
    _COLOR_RE,
    _COLOR_WORDS,
    _EXCLUSION,
    _FILLER,
    _SHADES,
    _fix_colours,
    _fix_verb,
)
from vitron_agent.planners.rule.picture_generation import _THEIR_OWN
from vitron_agent.toolkit import slots

MODES = ("rules", "matcher", "both")

_COMPLAINT = re.compile(
    r"^(?:its|(?:it|this|that|the (?:image|picture|photo|shot|snapshot|video|clip|footage|colou?rs))(?:'s|\s+is|\s+are|\s+looks?|\s+seems?|\s+feels?))\s+"
    r"(?:(?:a bit|a little|very|so|rather|quite|kind of|way|really|pretty|rather|overly)\s+)*"
    r"(?P<how>blurry|blurred|soft|fuzzy|out of focus|dark|dim|gloomy|underexposed|bright|overexposed|washed out|cold|"
    r"blue|bluish|warm|orange|yellow|yellowish|grainy|noisy|dull|flat|pale|lifeless|garish|oversaturated|loud)"
    r"(?:\s*[,;]?\s*(?:(?:can|could) you\s+|please\s+)?(?:fix|correct|sort out|improve|repair)\s+(?:it|that|this)(?:\s+please)?)?"
    r"\s*[.!?]?$",
    re.I,
)
_MIND = re.compile(r"^(?:(?:would|do|could)\s+you\s+)?mind\s+([a-z]+ing)\b\s*(.*)$", re.I)


# "make the cheetah stand out by blurring everything else", "make the pagoda pop by desaturating the rest": the
# edit is the means, done to everything but the thing (it blurred the cheetah, said done)
_BY_DOING = re.compile(
    r"^(?:make|get|let|have|help)\s+(?P<x>.+?)\s+(?:stand\s+out|pop(?:\s+out)?|the\s+focus|more\s+(?:visible|noticeable|"
    r"prominent)|catch the eye|jump out)\s+by\s+(?P<doing>[a-z]+ing)\s+(?:(?:the|all the)\s+)?(?:everything\s+else|the\s+rest|"
    r"rest|background|surroundings|everything\s+around\s+(?:it|him|her|them)|all\s+else)(?:\s+(?:of the (?:image|picture|photo)))?\s*$",
    re.I,
)


def _base_form(gerund: str) -> str:
    """'colouring' -> 'colour', 'removing' -> 'remove', 'blurring' -> 'blur': the form the table's
    verbs take (checked against the verbs its examples open with), else the word as it came."""
    from vitron_agent.planners.rule.spelling import verb_vocabulary

    stem = gerund[:-3].lower()
    verbs = verb_vocabulary()
    for cand in (stem, stem + "e", stem[:-1] if len(stem) > 2 and stem[-1] == stem[-2] else stem):
        if cand in verbs:
            return cand
    return gerund


_WISH = re.compile(  # "i want the van in blue", "i'd like the sky to be brighter": a wish is a request to make it so
    r"^(?:i\s*(?:'d|would) (?:(?:quite|really|rather|so|very much)\s+)?(?:like|love|prefer)|i want|i need|i wish|id like)\s+"
    r"(?P<np>(?:the|this|that|my|his|her|their|its|these|those|it)\b.*?)\s+"
    r"(?:to be|to look|to become|to get|to turn|to appear|in)\s+(?P<what>(?:a |an |much |way |slightly |more |less |"
    r"a (?:little )?bit |a little |a lot )*[a-z-]+(?:\s+[a-z-]+)?(?:\s+(?:please|instead|now))?)$",
    re.I,
)
_DONE = {  # "i want the runner tracked": the participle's verb, applied to the thing named
    "tracked": "track",
    "followed": "follow",
    "counted": "count",
    "removed": "remove",
    "erased": "erase",
    "deleted": "delete",
    "blurred": "blur",
    "pixelated": "pixelate",
    "pixellated": "pixelate",
    "outlined": "outline",
    "highlighted": "highlight",
    "selected": "select",
    "segmented": "segment",
    "cropped": "crop",
    "flipped": "flip",
    "mirrored": "flip",
    "rotated": "rotate",
    "reversed": "reverse",
    "trimmed": "trim",
    "looped": "loop",
    "sharpened": "sharpen",
    "brightened": "brighten",
    "darkened": "darken",
    "described": "describe",
    "cut out": "cut out",
    "cropped out": "cut out",
}
_WANT_DONE = re.compile(
    r"^(?:i|we)\s*(?:'d|would)?\s*(?:want|need|like|love)\s+(?P<only>(?:just|only)\s+)?"
    r"(?P<np>(?:the|this|that|my|his|her|their|its|these|those|it|everything|"
    r"them|all)\b.*?)\s+(?P<verb>" + "|".join(_DONE) + r")(?P<tail>(?:\s+(?!please\b)\S+)*?)(?:\s*,?\s*please)?\s*$",
    re.I,
)
_WONDER = re.compile(  # "any idea how many chairs there are", "do you know when the dog appears": the question itself
    r"^(?:any idea|(?:do|would) you (?:know|happen to know)|i (?:wonder|was wondering)|i'?d (?:like|love) to know|"
    r"(?:i|we) (?:want|need) to know|(?:(?:can|could) you )?(?:tell|let) me|let me know|i'?m (?:curious|wondering)(?: about)?|no idea)\s*,?\s+(?=(?:how|what|when|where|which|who|whether|"
    r"if|is|are)\b)",
    re.I,
)
_COLOUR_OF = re.compile(
    r"\b(the\s+colou?rs?)\s+(?:from|of|in)\s+(?:the|this)\s+(?:video|clip|footage|film|image|picture|photo|shot)\b",
    re.I,
)
_ALL_BUT_IN_GREY = re.compile(
    r"^(?:(?:make|turn|put|render)\s+)?(?:everything|all|the rest)\s*,?\s+(?:except(?:\s+for)?|but|apart from|other than|besides)\s+"
    r"(?P<kept>.+?)\s+(?:in\s+)?(?:gr[ae]y(?:scale)?|black\s+and\s+white|b\s*&\s*w|mono(?:chrome)?)\s*$",
    re.I,
)
_DRAIN_BUT = re.compile(
    r"^(?:remove|take|strip|drain|get rid of|suck)\s+(?:all\s+)?(?:the\s+)?colou?rs?\s+(?:out\s+)?(?:(?:from|of|out of|in)\s+)?"
    r"(?:everything|all|the rest|everywhere)?\s*,?\s*(?:except(?:\s+for)?|but(?:\s+not)?|apart from|other than|besides|save)\s+"
    r"(?P<kept>.+)$",
    re.I,
)
_THAT_AREA = re.compile(
    r"\b(?:(?:that|this)\s+(?:same\s+)?(?:area|part|bit|region|spot|section|selection|zone|patch|thing|object)"
    r"|the\s+selected\s+(?:area|part|bit|region|object|thing|one|bits|parts|things|objects)"
    r"|the\s+(?:thing|one|object|part|area)s?\s+(?:that\s+)?(?:you|i)\s+(?:just\s+)?(?:selected|picked|found|masked|segmented)"
    r"|what\s+(?:you|i)\s+(?:just\s+)?(?:selected|picked|found|masked|segmented)"
    r"|(?:all\s+of\s+them|them\s+all|both\s+of\s+them))\b(?!\s+(?:of|where|with|in)\b)",
    re.I,
)
_ITS_COLOUR = re.compile(r"\b(its|their)\s+(colou?rs?|shade|hue)\b", re.I)
_GIVE_IT = re.compile(
    # ("give it a frame" is a border round it, not the verb "frame": it had been cropped to the main object)
    r"^give\s+(?P<pro>it|them|this|that|this one|that one)\s+(?:an?|some|a quick|a light)\s+(?!frame\b)(?P<noun>[a-z]+)\s*$",
    re.I,
)


def _verbs() -> set[str]:
    from vitron_agent.planners.rule.intent_matcher import leading_verbs

    return leading_verbs()


_SAME_BUT = re.compile(r"^(?:the\s+)?same(?:\s+(?:thing|one|again))?\s*,?\s+but\s+(?:make it\s+|in\s+)?(.+)$", re.I)
_SEE_TAIL = re.compile(
    r"^((?:how many|count)\b.+?)\s+(?:(?:that|which)\s+)?(?:(?:can|do|could)\s+)?(?:you|we|i)\s+(?:can\s+)?"
    r"(?:see|spot|find|count|make out)(?:\s+(?:here|there|in (?:it|this|the (?:picture|photo|image|video|clip))))?\s*\??$",
    re.I,
)
_HOW_MANY_ARE = re.compile(
    r"^how many of (?:the|these|those)\s+(?P<things>[a-z]+(?:\s+[a-z]+)?)\s+(?:are|is)\s+(?P<colour>"
    + "|".join(_COLOR_WORDS)
    + r")\s*\??$",
    re.I,
)
_PASSIVE = re.compile(  # "can the sky be made bluer?", "could the car be recoloured green?": a request in the passive
    r"^(?:can|could|would|will|should|may)\s+(?P<np>(?:the|this|that|my|his|her|their|its|it)\b.*?)\s+be\s+"
    r"(?:(?:made|turned|changed(?:\s+to)?|recolou?red|colou?red|painted|rendered)\s+)?(?P<what>(?:"
    + "|".join(_COLOR_WORDS)
    + r")\b[^?]*?)\s*\??$"  # "could the car be red in the whole video": a colour wished for is a recolour
    r"|^(?:can|could|would|will|should|may)\s+(?P<np2>(?:the|this|that|my|his|her|their|its|it)\b.*?)\s+be\s+"
    r"(?:made|turned|changed(?:\s+to)?|recolou?red|colou?red|painted|rendered)\s+(?P<what2>[^?]+?)\s*\??$",
    re.I,
)
_CAUSATIVE = re.compile(  # "could we get the background blurred?", "(let's) have the sky a bit darker"
    r"^(?:(?:can|could|may) (?:we|you|i)\s+)?(?:get|have)\s+(?P<np>(?:the|this|that|my|his|her|their|its|it)\b.*?)\s+"
    r"(?P<what>(?:a |much |way |slightly |a (?:little )?bit |a little |a lot )*(?:[a-z]+(?:ed|er)|"
    + "|".join(_COLOR_WORDS)
    + r"))\s*\??$",
    re.I,
)
_FOR_THING = re.compile(
    r"^(?P<colour>[a-z]+)\s+for\s+(?P<np>(?:the|this|that|my|his|her|their)\s+[^,]+?)\s*(?:,?\s*(?:and\s+)?please)?$",
    re.I,
)
_PARTIAL = re.compile(
    r"\b(?:some of|a bit of|a little of|part of|a touch of|a little|a bit|slightly|somewhat|partly|partially|"
    r"(?<!left )(?<!right )(?<!top )(?<!bottom )(?<!upper )(?<!lower )half|"
    r"some(?=\s+(?:of\s+)?(?:the\s+)?colou?rs?\b))\b",
    re.I,
)
_LESSER = {"grayscale": "desaturate"}  # an intent that takes all of something -> the one that takes some of it
_PREFACE = re.compile(
    r"^(?:i|oh|ugh|hmm+|wow|well|sorry|honestly|hey|hi|so|argh|yikes|meh)\b[^,;]*?(?:[,;]|\s+(?:and|but|because|as)\b)\s*(?P<rest>.+)$",
    re.I,
)
_POLITE_END = re.compile(
    r"(?<=\w)\s*,?\s+(?:and\s+)?(?:please|pls|plz|thanks|thank you|thx|ty|for me|if you can|if possible|cheers)\s*[.!?]*$",
    re.I,
)
_SPELLED = (
    (re.compile(r"\bblack\s*(?:&|\+|n|'n'?)\s*white\b|\bb\s*[&/+]\s*w\b|\bbw\b", re.I), "black and white"),
    (re.compile(r"\bslo+w?[- ]?mo(?:tion)?\b", re.I), "slow motion"),
    (re.compile(r"\b(counter|anti)[- ]+clock[- ]?wise\b", re.I), r"\1clockwise"),
)
_BOOMERANG = re.compile(
    r"^(?:add|stick|put|tack|attach|glue|append|play)\s+(?:on\s+)?(?:a\s+|the\s+|it\s+)?(?:reversed|reverse|backwards?|rewound)\s*"
    r"(?:version|copy|clip|video|one|footage)?\s*(?:of it\s+|of the (?:clip|video)\s+)?(?:on\s+|to\s+|at\s+|onto\s+)?"
    r"(?:the\s+)?(?:end|after(?:wards)?)\b.*$"
    # "turn it into a boomerang loop": the clip (a pronoun or its name) made a boomerang, no picture edit
    r"|^(?:turn|make|convert|change)\s+(?:it|this|that|the (?:video|clip|footage))\s+(?:into\s+|to\s+)?(?:a\s+)?"
    r"boomerang(?:\s+(?:loop|effect|style|version))?\s*$",
    re.I,
)
# a word that turns to the request ("actually make it blue", "no, blur it"): no part of it ("no" only with a comma)
_OPENER = re.compile(
    r"^(?:(?:actually|wait|hmm+|oops|um+|uh+)\b[,!. ]*|(?:well)\s*[,!.]+\s*|(?:no|nah|nope|oh|sorry|right|yes|yeah)\s*[,!.]+\s*)+",
    re.I,
)
# a thing named with "in it" / "in this" after it (the current picture or clip): where, not part of its name
_IN_IT = re.compile(
    r"^((?!(?:put|place|add|insert|paste|drop|stick|write|draw|type)\b).*\b(?:the|all|any|every|each)\s+\w+(?:\s+\w+)?)"
    r"\s+(?:in|on|inside|within)\s+(?:it|this|them|that|there)\s*([?.!]?)\s*$",
    re.I,
)
_SHORT = {"bg": "background", "u": "you", "pls": "please", "plz": "please", "pic": "picture", "img": "image"}
_SHORT |= {"ppl": "people", "r": "are", "ur": "your", "vid": "video", "pics": "pictures", "thru": "through"}
_SHORT |= {"whats": "what's", "wheres": "where's"}  # "whats going on here": no apostrophe typed
_SHORTHAND = re.compile(
    r"\b(?:bg|u|pls|plz|pic|img|ppl|ur|vid|pics|thru|whats|wheres)\b|(?:(?<=s )|(?<=they )|(?<=we )|(?<=you )|(?<=u ))r\b(?= \w)",
    re.I,
)
_ALL_GREY = re.compile(
    r"\b(everything|all|the (?:whole |entire )?(?:image|picture|photo|scene|shot)|it all)\s+gr[ae]y\b(?!\s*scale)", re.I
)
_ADVERB_FIRST = re.compile(
    r"^(heavily|strongly|slightly|gently|lightly|subtly|softly|quickly|completely|fully|carefully|totally|"
    r"really|just|simply|also)\s+(.+)$",
    re.I,
)


@dataclass
class Picked:
    """A clause's reading: ``intent`` (None: not understood), the words its handler reads
    (``rest``), the clause itself (``text``), what it must leave untouched (``kept``), or a
    ``question`` to ask instead of planning (two readings about as likely)."""

    intent: str | None
    rest: str
    text: str
    kept: str | None = None
    question: str | None = None


_SPARE_FIRST = re.compile(
    r"^(?:please\s+)?(?:(?:don't|do not|dont)\s+(?:change|touch|edit|alter|modify)\s+(?P<kept>[^,;.]+?)"
    r"|(?:leave|keep)\s+(?!only\b|just\b)(?P<kept2>[^,;.]+?)\s+(?:alone|as it is|as is|as they are|untouched|unchanged|sharp|in focus|readable|legible|"
    r"crisp|clear|(?:in colou?r|colou?red|red|blue|green|yellow|orange|pink|purple)(?=\s*(?:[,;]|and\b|but\b|then\b))))"
    r"\s*[,;]?\s*(?:but|and|just|only|then)?\s*(?:just\s+|only\s+)?(?P<main>[^,;.]+?)[.!]?$",
    re.I,
)


_TOPIC_FIRST = re.compile(
    r"^(?P<np>(?:the|this|that|these|those|my|his|her|their|our)\s+[a-z][a-z' -]{0,40}?)"
    r"(?P<remark>\s+(?:is|are|looks?|seems?)\s+(?:(?:so|very|really|too|a bit|kinda|pretty|quite)\s+)*[a-z]+)?\s*[,:]\s*"
    r"(?:(?:please|now|just)\s+)?(?P<verb>[a-z]+)\s+(?:it|them)\b(?P<rest>[^,;.]*)$",
    re.I,
)


def topic_first(text: str) -> str:
    """ "the car, make it red" -> "make the car red": a thing named first and then called "it" is the
    clause's target; other text as it is. Runs before clause splitting (the comma would split it)."""
    if m := _TOPIC_FIRST.match(text.strip()):
        if m.group("remark") and re.match(r"^(?:fix|correct|sort|improve|repair)$", m.group("verb"), re.I):
            return text  # "the photo is flat, fix it": the complaint says what to do, not "fix"
        return f"{m.group('verb')} {m.group('np')}{m.group('rest')}"
    return text


# one thing kept and the rest filled with a colour ("keep the cat and black out everything else", "keep just the
# logo, white out the rest", "leave the dog and make everything else black"): the thing kept, on that colour
_ELSE = r"(?:everything\s+else|all\s+else|the\s+rest(?:\s+of\s+(?:it|the\s+(?:image|picture|photo|scene)))?)"
_KEEP_ON_COLOUR = re.compile(
    r"^(?:please\s+)?(?:only\s+|just\s+)?(?:keep|leave)\s+(?:only\s+|just\s+)?(?P<kept>[^,;.]+?)\s*(?:,|;|\band\b|\bbut\b)\s*(?:then\s+)?"
    r"(?:(?P<colour>black|white)[- ]?out\s+"
    + _ELSE
    + r"|(?:make|turn|paint|fill|colou?r)\s+"
    + _ELSE
    + r"\s+(?:in\s+)?"
    r"(?P<colour2>black|white))(?P<tail>\s*(?:[,;.]|\bthen\b).*)?$",
    re.I | re.S,
)


# the room left round a crop, said as a clause of its own (it kept only "bit of room around him")
_ROOM_AROUND = re.compile(
    r"\s*[,;]\s*(?:and\s+|but\s+|just\s+)*(?:leave|leaving|keep|keeping|give\s+it|with)\s+"
    r"(?P<room>(?:a\s+(?:little\s+)?bit\s+of\s+|a\s+little\s+|some\s+|plenty\s+of\s+|lots\s+of\s+|a\s+lot\s+of\s+|more\s+)?"
    r"(?:room|space|margin|breathing\s+room|border))\s+(?:a?round|round)\s+(?:him|her|it|them|the\s+\w+)\s*(?=$|[,;.])",
    re.I,
)
_CAN_YOU_DO_IT = re.compile(
    r"\s*[,;.!]?\s*(?:(?:can|could|would|will)\s+(?:you|u)\s+(?:please\s+)?(?:do|manage)\s+(?:that|this|it)(?:\s+for\s+me)?"
    r"|is\s+that\s+(?:possible|ok(?:ay)?|doable)|if\s+(?:that'?s|that\s+is|it'?s|it\s+is)\s+(?:possible|ok(?:ay)?|doable))"
    r"(?:\s*,?\s*(?:please|thanks|thank you|cheers))?\s*[?.!]*\s*$",
    re.I,
)
# what is not wanted said first, then what is ("not black and white, sepia please", "don't make it black and white,
# just mute the colours", "no blur, just sharpen it"): the request after it (the refused edit had been done too).
# A thing named ("not the dog, the cat") is a correction of a target, left to the follow-up reading.
_NOT_THAT = re.compile(
    r"^(?:no|not|don'?t|dont|do not|never)\s+(?:(?:make|turn|render|do|want|go|need)\s+(?:it\s+|this\s+|that\s+)?)?"
    r"(?!(?:the|this|that|these|those|my|his|her|their|a|an|it|him|them|one)\b)(?P<neg>[^,;]+?)\s*[,;.]\s*"
    r"(?:(?:but|just|only|rather|instead|please)\s*,?\s+)*(?P<rest>[a-z].+)$",
    re.I | re.S,
)

# "no dog please, take it out": a thing not wanted, then its removal (rule/complaints.py reads it); "it" is the dog
_NO_THING = re.compile(
    r"^\s*no\s+[^,;]+?\s*[,;.]\s*(?:(?:just|please|so)\s+)*(?:take|remove|lose|delete|erase|get\s+rid\s+of|ditch|"
    r"drop|bin|cut|clear)\s+(?:it|them)\b",
    re.I,
)


def spare_first(text: str) -> str:
    """ "don't touch the dog, but brighten everything else" -> "brighten everything except the dog";
    "leave the sky alone and darken the rest" -> "darken everything except the sky"; other text as it is.
    Runs before clause splitting (the spared thing comes first, the edit after a comma)."""
    text = _CAN_YOU_DO_IT.sub("", text) or text  # "…, can you do that?": the request was said before it
    text = _ROOM_AROUND.sub(r" with \g<room> around it", text)  # "crop to the dog, leave a bit of room around him"
    if (neg := _NOT_THAT.match(text.strip())) and not _SPARE_FIRST.match(text.strip()) and not _NO_THING.match(text):
        text = neg.group("rest")  # "not black and white, sepia please": what is not wanted, then what is
    if fill := _KEEP_ON_COLOUR.match(text.strip()):  # "keep the cat and black out everything else"
        colour = (fill.group("colour") or fill.group("colour2")).lower()
        return f"keep only {fill.group('kept')} on {colour}{fill.group('tail') or ''}"
    m = _SPARE_FIRST.match(text.strip())
    if not m:
        return text
    kept, main = (m.group("kept") or m.group("kept2")).strip(), m.group("main").strip()
    rest = re.sub(
        r"\s+(?:everything else|the rest(?: of (?:it|the (?:image|picture|photo|scene)))?|all else)$",
        "",
        main,
        flags=re.I,
    )
    if rest != main:
        return f"{rest} everything except {kept}"
    return f"{main} but keep {kept} unchanged"


def _everyday_forms(clause: str) -> str:
    """The clause with everyday forms said plainly (session 10): a limit after "but not", "what colour's",
    the background named with no verb, "black out X"."""
    clause = _NOT_SO.sub(_less_than_that, clause)  # "brighten it but not too much": a little, no thing left out
    clause = _WH_IS.sub(r"\1 is", clause)  # "what colour's that car": "what colour is that car"
    clause = _BARE_BACKGROUND.sub(r"make the background \g<what>", clause)  # "Background: grey", "background in b&w"
    return _blacked_out(clause)  # "black out the face": made black (it kept only the face)


def _everyday_tails(clause: str) -> str:
    """The clause without what follows the request itself (session 10): "? show me", "so I can ...", "by half";
    "the blues", "make X pop", "crop it so it's just X" said plainly."""
    clause = _SHOW_ME_END.sub("?", clause)  # "what would the bike look like in green? show me": the question asks it
    clause = _PURPOSE.sub("", clause) or clause  # "cut the dog out so i can use it elsewhere": why, not what
    clause = _HUES.sub(lambda m: f"the {m.group(1)} colours", clause)  # "make the blues pop": blue colours, no blur
    clause = _BY_HALF.sub("", clause)  # "reduce the saturation by half": how much, not a thing
    if m := _POP.match(clause):  # "make the blues pop": their colour stronger (the matcher heard "blues" as blur)
        clause = f"saturate {m.group('np')}{m.group('more') or ''}"
    if m := _SO_JUST.match(clause):  # "crop it so it's just her face": crop to her face
        clause = f"{m.group('verb') or m.group('verb2')} to {m.group('what') or m.group('what2')}"
    return clause


def _said_plainly(clause: str, video: bool | None, b: Any) -> Picked | None:
    """A reading decided by the words alone, before any rule or the matcher (session 10): a question back or a
    refusal where the nearest reading would do something else; None otherwise."""
    if _RIGHT_WAY_UP.match(clause):  # "turn it round the right way up": which way is not said (it outlined "it")
        return Picked(None, clause, clause, question=RIGHT_WAY_UP)
    if video is False and _SOUND_OF_A_PICTURE.match(clause):  # "blur the sound": it selected "the sound"
        return Picked(None, clause, clause, question=NO_SOUND)
    if (fmt := _FILE_FORMAT.match(clause)) and (said := _format_answer(fmt.group("fmt"), video)):
        return Picked(None, clause, clause, question=said)  # "convert it to a jpeg": it was greyed
    if video is False and _THEIR_OWN.match(clause) and not (getattr(b, "inputs", None) or {}).get("last"):
        return Picked("restyle", clause, clause)  # "add my logo" with no earlier picture it could be: refused
    return None


def choose(clause: str, mode: str, b: Any) -> Picked:
    """The reading of ``clause`` under ``mode`` ("rules", "matcher", "both"); typo notes go to ``b.notes``.
    A question that only asks is answered, whatever operation it names (rule/asked.py); a request put
    as a question ("is there a way to make the cat blue?") is read as the request."""
    if (carried := request_in_question(clause)) is not None:
        clause = carried
    picked = _choose(clause, mode, b)
    fix = why_so_fix(clause) if only_asks(clause) and not picked.question else None
    if (
        (picked.intent is not None or fix)
        and picked.intent not in ANSWERING
        and not picked.question
        and only_asks(clause)
    ):
        if fix:  # "why is it so dark?": answered, and the edit it hints at offered ("why is it so orange?": unread)
            b.notes.append(f"I answered the question and changed nothing; to fix it, say “{fix}”.")
        return Picked("question", rest_for("question", clause), clause)  # "what is rotating?" rotated the clip
    return picked


def _choose(clause: str, mode: str, b: Any) -> Picked:
    notes: list[str] = []
    clause = _fix_colours(clause, notes)
    if m := _MIND.match(clause):  # "would you mind colouring the bench teal" -> "colour the bench teal"
        clause = f"{_base_form(m.group(1))} {m.group(2)}".strip()
    if (fixed := _fix_verb(clause)) is not None:  # a misspelt verb of the table (never a real word)
        notes.append(f"I read {fixed[1]!r} as {fixed[2]!r}.")
        clause = fixed[0]
    clause = _SHORTHAND.sub(lambda m: _SHORT[m.group(0).lower()], clause)  # "blur bg", "can u"
    clause = _FILLER.sub("", _OPENER.sub("", clause)).strip() or clause  # "can u …", "actually, make it blue"
    clause = _everyday_forms(clause)
    clause = _IN_IT.sub(r"\1\2", clause)  # "count the people in it": "in it" says where (the picture), not what
    for pattern, words in _SPELLED:  # "black & white", "slo mo", "counter clockwise": one way of writing each
        clause = pattern.sub(words, clause)
    clause = _POLITE_END.sub("", clause) or clause  # "make this photo black and white please"
    clause = _everyday_tails(clause)
    clause = _WONDER.sub("", clause)
    clause = _THAT_AREA.sub("it", clause)  # "brighten that area": the selection, like "it"
    clause = _ITS_COLOUR.sub(lambda m: f"the {m.group(2)} of {'it' if m.group(1).lower() == 'its' else 'them'}", clause)
    clause = _COLOUR_OF.sub(r"\1", clause)  # "remove the colour from the video except the car": the colour
    if m := _ALL_BUT_IN_GREY.match(clause):  # "everything except the dog in grey": grey outside the dog
        clause = f"make everything black and white except {m.group('kept')}"
    if m := _DRAIN_BUT.match(clause):  # "take the colour out of everything but the bus": grey outside the bus
        clause = f"make everything black and white except {m.group('kept')}"
    if (m := _GIVE_IT.match(clause)) and m.group("noun").lower() in _verbs():  # "give it an outline": outline it
        clause = f"{m.group('noun')} {m.group('pro')}"
    if m := _SAME_BUT.match(clause):  # "the same but blue": the last selection, changed so
        clause = f"make it {m.group(1)}"
    clause = _SEE_TAIL.sub(r"\1", clause)  # "how many horses do you see" -> "how many horses"
    if m := _HOW_MANY_ARE.match(clause):  # "how many of the cups are red" -> "how many red cups"
        clause = f"how many {m.group('colour')} {m.group('things')}"
    if m := _WANT_DONE.match(clause):  # "i want the runner tracked" -> "track the runner"
        clause = f"{_DONE[m.group('verb').lower()]} {m.group('only') or ''}{m.group('np')}{m.group('tail')}"
    elif m := _PASSIVE.match(clause):
        clause = f"make {m.group('np') or m.group('np2')} {m.group('what') or m.group('what2')}"
    elif m := _WISH.match(clause) or _CAUSATIVE.match(clause):
        clause = f"make {m.group('np')} {m.group('what')}"
    if (m := _FOR_THING.match(clause)) and m.group("colour").lower() in _COLOR_WORDS:  # "red for the bike, please"
        clause = f"make {m.group('np')} {m.group('colour')}"
    if m := _BY_DOING.match(clause):  # "make the cheetah stand out by blurring everything else": the means, outside it
        clause = f"{_base_form(m.group('doing'))} everything except {m.group('x')}"
    if _BOOMERANG.match(clause):  # "add the reversed version to the end": the clip, then itself reversed
        clause = "make a boomerang"
    if m := _PREFACE.match(clause):  # "i cant see anything, its so dark": the complaint after a remark
        if _COMPLAINT.match(m.group("rest")):
            clause = m.group("rest")
    if (fixed := part_complaint(clause) or speed_complaint(clause) or size_complaint(clause)) is not None:
        clause = fixed  # "the car looks washed out" -> "saturate the car"; "it's too slow" -> "speed it up"
    if (m := _COMPLAINT.match(clause)) and not re.search(r"\btoo\b", clause, re.I):
        clause = (
            f"it is too {m.group('how')}"  # "it's blurry": a complaint asks for the opposite (the matcher's polarity)
        )
    # "turn everything grey except the door": the whole picture grey is grayscale, not a grey paint
    clause = _ALL_GREY.sub(r"\1 grayscale", clause)
    if m := _ADVERB_FIRST.match(clause):  # "heavily blur the car": the verb first, the adverb kept for the amount
        clause = f"{m.group(2)} {m.group(1)}"
    video = None if b.image is None else b.video_mode
    if video is False:  # "tally the cups": a count (on a clip, clip_questions reads "tally")
        clause = re.sub(r"^tally(?:\s+up)?\b", "count", clause, flags=re.I)
    if video and re.match(r"^(?:crop|cut down|shorten)\b", clause, re.I) and slots.time_range(clause) is not None:
        clause = re.sub(r"^(?:crop|cut down|shorten)", "trim", clause, flags=re.I)  # "crop the video to the first 5 s"
    if (said := _said_plainly(clause, video, b)) is not None:
        b.notes.extend(notes)
        return said
    picked = _by_rules(clause, notes, video) if mode != "matcher" else Picked(None, clause, clause)
    if mode == "both" and picked.intent is not None and picked.kept is None:
        picked = _overrule(clause, picked, video)
    if mode != "rules" and (mode == "matcher" or picked.intent is None):
        picked = _by_matcher(clause, picked, mode, notes, video)
    if picked.intent in _LESSER and _PARTIAL.search(clause):  # "drain some of the colour" is no grayscale
        picked = Picked(_LESSER[picked.intent], picked.rest, picked.text, picked.kept, picked.question)
    b.notes.extend(notes)
    return picked


# verbs that say "a selection" and nothing else (the catch-all selection's other verbs, "show", "get", "find",
# "highlight", also start other requests; "isolate" often means keep only the thing)
_SELECT_VERB = re.compile(r"^(?:segment|select|mask(?!\s+out\b)|pick out|choose)\b", re.I)
OVERRULE = (0.6, 0.2, 0.35)  # the matcher overrules a pattern when this sure (score, lead) and the
# pattern's intent scores under the third figure (the pattern looks off-topic); always for the catch-all selection


def _overrule(clause: str, ruled: Picked, video: bool | None) -> Picked:
    """In "both" mode: a pattern's reading stands unless the matcher is sure of another one and finds
    the pattern's intent off-topic ("smooth out the noise" is no blur; "show me the way it looks
    warmer" is no selection)."""
    from vitron_agent.planners.rule.word_knowledge import match

    if ruled.intent in REFUSALS:  # a refusal's rule is specific; no near match overrules it
        return ruled
    if not intent_named(ruled.intent or "").examples:  # a rules-only record (rule/look_records.py): the
        return ruled  # matcher has no sentence of it to compare with, so it cannot judge the rule off-topic
    if video and (ruled.intent == "track" or intent_named(ruled.intent or "").media == "video"):
        return ruled  # on a clip, a clip's own reading ("snip the last second", "follow the dog") stands

    if ruled.intent == "segment" and _SELECT_VERB.match(clause):
        return ruled  # "select what's on the plate": a selection said so (the matcher heard "plate" as a blur)
    if (
        ruled.intent == "recolor"
        and _ENDS_IN_COLOUR.search(clause)
        and not re.search(r"\bblack\s+and\s+white\b", clause, re.I)
    ):
        return ruled  # "make the license plate black": the colour said last (the matcher heard the plate as a blur)
    verdict = match(plain_colours(clause), video)
    if verdict.intent is None or not verdict.scores or verdict.intent in REFUSALS:
        return ruled  # a reading the rules found is never overruled into a refusal
    mine = intent_named(ruled.intent or "")
    if intent_named(verdict.intent).handler is mine.handler:
        return ruled
    top = verdict.scores[0][0]
    ruled_score = next((sc for sc, n in verdict.scores if n == ruled.intent), 0.0)
    if (
        top >= OVERRULE[0]
        and top - ruled_score >= OVERRULE[1]
        and (ruled.intent == "segment" or ruled_score < OVERRULE[2])
    ):
        return Picked(verdict.intent, rest_for(verdict.intent, clause), clause)
    return ruled


# the background named with what it should be and no verb ("Background: grey, please.", "background in black and
# white", "the background darker"): made so (the colour word alone had greyed the whole picture)
_BARE_BACKGROUND = re.compile(
    r"^(?:the\s+|this\s+|my\s+)?(?:background|backdrop)\s*(?::|-+>|=>|,)?\s*(?:(?:in|to|into|as|should be|must be)\s+)?"
    r"(?P<what>(?:(?:a|an|all|completely|totally|fully|plain|pure|solid|just|a bit|a little|much|way|slightly)\s+)*(?:"
    r"black\s+and\s+white|b\s*&\s*w|mono(?:chrome)?|gr[ae]y\s?scale|"
    + "|".join(_COLOR_WORDS)
    + r"|[a-z]+er|blurr?(?:ed|y)|transparent|out of focus)\b.*)$",
    re.I,
)
# "what colour's the dog", "which kind's best": "'s" after the question's noun is "is" (the thing asked about was lost)
_WH_IS = re.compile(
    r"\b((?:what|which)\s+(?:colou?r|kind|type|sort|size|shape|breed|make|model|brand|species|shade|time|day|number))'s\b",
    re.I,
)
# a limit on the edit, not a thing left out ("brighten it but not too much", "desaturate it but not completely",
# "less intense but not black and white", "warmer but not orange"): it had selected "too much" and edited the rest
_NOT_SO = re.compile(
    r"\s*,?\s*\b(?:but|though|just|only|yet)\s+not\s+(?P<deg>(?:(?:too|so|very|overly|that|super|crazy)\s+)\w+(?:\s+\w+)?"
    r"|completely|entirely|fully|totally|all\s+the\s+way|overboard|over\s+the\s+top|crazy|extreme(?:ly)?|a\s+lot|much|"
    r"black\s+and\s+white|b\s*&\s*w|gr[ae]y\s?scale|mono(?:chrome)?|" + "|".join(_COLOR_WORDS) + r")"
    r"(?:\s*,?\s*(?:please|pls|thanks))?\s*[.!]?$",
    re.I,
)


def _less_than_that(m: re.Match[str]) -> str:
    """ "but not too much" -> " a little" (a limit on how much); "but not black and white" -> "" (what the edit
    must not become, which it does not)."""
    over = re.match(
        r"(?:too|so|very|overly|that|super|crazy|completely|entirely|fully|totally|all|overboard|over|extreme|a lot|much)\b",
        m.group("deg"),
        re.I,
    )
    return " a little" if over else ""


_RIGHT_WAY_UP = re.compile(
    r"^(?:turn|put|get|set|rotate|flip|make)\s+(?:it|this|that|the\s+(?:image|picture|photo|pic|video|clip))\s+"
    r"(?:a?round\s+)?(?:back\s+)?(?:to\s+)?(?:the\s+)?(?:right|correct|proper)\s+way\s+(?:up|round|around)\s*$",
    re.I,
)
RIGHT_WAY_UP = (
    "Which way should it turn to be the right way up: 90 degrees clockwise, 90 degrees counter-clockwise, or 180 "
    "degrees (upside down)? Say 'rotate it 90 degrees clockwise', for example."
)
# the sound of a still picture ("blur the sound", "make the music louder", "mute the audio")
_SOUND_OF_A_PICTURE = re.compile(
    r"^(?:[a-z]+\s+){1,3}(?:the\s+|its\s+|some\s+)?(?:sound|audio|soundtrack|music|volume|voices?)(?:\s+track)?"
    r"(?:\s+(?:up|down|louder|quieter|softer|out|off))?\s*[.!?]*$",
    re.I,
)
NO_SOUND = "A picture has no sound, so there is nothing to change there. I can edit what it shows ('help' lists how)."
# a picture's file format ("convert it to a jpeg", "save this as a webp"): no edit of it (it was made grayscale)
_FILE_FORMAT = re.compile(
    r"^(?:convert|save|export|change|turn|make|output|give\s+me|transcode|render|encode|re-?encode|download)\s+"
    r"(?:it|this|that|the\s+(?:image|picture|photo|pic|file|result|video|clip|movie|footage))?\s*"
    r"(?:(?:in)?to|as|in)\s+(?:an?\s+)?(?P<fmt>jpe?g|gif|webp|pdf|tiff?|bmp|heic|svg|raw|png|webm|mov|mkv|avi|mp4|m4v|"
    r"h\.?26[45]|hevc|vp[89]|av1|wmv|flv|mpe?g|quicktime)\b(?:\s+(?:file|format|image|video|clip|codec))?\s*[.!]*$",
    re.I,
)
FILE_FORMAT = (
    "I cannot convert the file to {fmt}: the pictures I make are saved as PNG (any viewer or editor can save a "
    "copy as {fmt}). I can resize it ('make it 800 pixels wide') if the file should be smaller."
)
ALREADY_PNG = "Nothing to convert: the pictures I make are saved as PNG already (lossless)."
VIDEO_FORMAT = (
    "I cannot convert the video to {fmt}: the clips I make are saved as MP4 (H.264), which plays almost everywhere; "
    "to get {fmt}, convert the result yourself (e.g. `ffmpeg -i result.mp4 result.{ext}`). I can make a GIF of it "
    "('make it a GIF') or make it smaller ('resize it to 720p')."
)
ALREADY_MP4 = "Nothing to convert: the clips I make are saved as MP4 (H.264) already."
_IMAGE_FORMATS = frozenset("jpg jpeg gif webp pdf tif tiff bmp heic svg raw png".split())


def _format_answer(fmt: str, video: bool | None) -> str | None:
    """What "convert it to <fmt>" gets: the format results are saved in, and how to get another; None where the
    words mean a step ("convert the clip to a gif" is a GIF export) or are not about the input's kind."""
    low = fmt.lower()
    if video is False:
        if low == "png":
            return ALREADY_PNG
        return FILE_FORMAT.format(fmt=fmt.upper()) if low in _IMAGE_FORMATS else None
    if video is True and low not in _IMAGE_FORMATS:
        if low in ("mp4", "m4v", "h264", "h.264"):
            return ALREADY_MP4
        ext = {"quicktime": "mov", "hevc": "mp4", "h265": "mp4", "h.265": "mp4", "vp8": "webm", "vp9": "webm"}
        return VIDEO_FORMAT.format(fmt=fmt.upper(), ext=ext.get(low, "mp4" if low == "av1" else low))
    return None


_SHOW_ME_END = re.compile(
    r"\?\s*(?:(?:can you|could you|please|just|go on and)\s+)*(?:show me|let me see|go on)\s*[.!?]*$", re.I
)
# why the user wants it, after the request ("so i can use it somewhere else", "so that we can print it")
_PURPOSE = re.compile(r"\s*,?\s+so\s+(?:that\s+)?(?:i|we|you|they|he|she)\s+(?:can|could|may|might|will)\b.*$", re.I)
# a colour's hue named in the plural ("the reds", "the blues"): those colours in the picture
_HUES = re.compile(r"\bthe\s+(red|blue|green|yellow|orange|purple|pink)s\b(?!\s+(?:team|side|band)\b)", re.I)
_POP = re.compile(
    r"^(?:make|let|have)\s+(?P<np>(?:the|his|her|their|my|these|those)\s+(?!colou?rs?\b)[a-z][a-z ]{0,40}?)\s+pop"
    r"(?:\s+out)?(?P<more>(?:\s+(?:a bit|a little|more|a lot|a touch|slightly))*)\s*$",
    re.I,
)
_BY_HALF = re.compile(r"\s+by\s+(?:(?:a|one)\s+)?(?:half|third|quarter)\b", re.I)
# "crop it so it's just her face", "trim it so that only the boat is in it": a crop to that thing
_SO_JUST = re.compile(
    r"^(?P<verb>crop|trim|cut)\s+(?:it|this|the\s+(?:image|picture|photo))\s+(?:down\s+)?so\s+(?:that\s+)?"
    r"(?:it'?s|it\s+is|there'?s|there\s+is|you\s+(?:only\s+)?see)\s+(?:just|only)\s+(?P<what>.+?)(?:\s+(?:left|in\s+it|showing))?$"
    r"|^(?P<verb2>crop|trim|cut)\s+(?:it|this)\s+so\s+(?:that\s+)?only\s+(?P<what2>.+?)\s+(?:is|are)\s+(?:left|in\s+(?:it|the\s+shot|frame))$",
    re.I,
)
_ENDS_IN_COLOUR = re.compile(
    r"\b(?:" + "|".join(_COLOR_WORDS) + r")\s*(?:,?\s*(?:please|pls|instead|now|for me|thanks|too))*\s*[.!?]*$", re.I
)
_BLACK_OUT = re.compile(r"^(?:(?P<colour>black|white)[- ]?out|(?P<verb>blacken|whiten))\s+(?P<what>.+)$", re.I)
_ALL_BUT = re.compile(
    r"^(?:everything|all|the rest)(?:\s+else|\s+of\s+(?:it|the\s+(?:image|picture|photo|scene)))?\s*(?:,?\s*(?:except(?:\s+for)?"
    r"|but|apart from|other than|besides|save)\s+(?P<kept>.+))?$",
    re.I,
)


def _blacked_out(clause: str) -> str:
    """ "black out the face" -> "make the face black"; "white out everything except the logo" -> "keep only the
    logo on white"; "black out the rest" -> "keep only it on black" (what was named before); other text as it is.
    ("black out X" had kept only X, on white, and "black out everything but the dog" greyed the picture.)"""
    m = _BLACK_OUT.match(clause.strip())
    if m is None:
        return clause
    colour = (m.group("colour") or {"blacken": "black", "whiten": "white"}[m.group("verb").lower()]).lower()
    what = m.group("what").strip()
    if (rest := _ALL_BUT.match(what)) is not None:
        return f"keep only {rest.group('kept') or 'it'} on {colour}"
    if re.match(r"^(?:the\s+)?(?:background|backdrop|surroundings)\b", what, re.I):
        return f"make the background {colour}"
    return f"make {what} {colour}"


_SHADE = re.compile(rf"\b(?:{_SHADES})[ -]+(?=(\w+))", re.I)


def plain_colours(clause: str) -> str:
    """The clause as the matcher reads it: a shade word before a colour dropped ("turn the car bright red"
    is a colour change, and the shade stays in the colour the rules read; the matcher heard "bright" and
    overruled it into a brighten)."""
    return _SHADE.sub(lambda m: "" if _COLOR_RE.fullmatch(m.group(1)) else m.group(0), clause)


def _by_rules(clause: str, notes: list[str], video: bool | None = None) -> Picked:
    parsed = parse_clause(clause, video)
    if parsed.intent is None and (fixed := _fix_verb(parsed.text)) is not None:
        retry = parse_clause(fixed[0], video)
        if retry.intent is not None:
            notes.append(f"I read {fixed[1]!r} as {fixed[2]!r}.")
            parsed = retry
    picked = Picked(parsed.intent, parsed.rest, parsed.text)
    if picked.intent is not None and (ex := _EXCLUSION.match(parsed.text)):
        # "brighten the garage but keep the bike unchanged"
        retry = parse_clause(ex.group("main") or ex.group("main2"), video)
        if retry.intent is not None:
            return Picked(retry.intent, retry.rest, retry.text, kept=ex.group("kept") or ex.group("kept2"))
    return picked


def _by_matcher(clause: str, ruled: Picked, mode: str, notes: list[str], video: bool | None) -> Picked:
    """The matcher's reading; slots still come from the rules: the words after the verb phrase
    (the intent's own pattern when it matches, else the verb phrase the matcher strips)."""
    from vitron_agent.planners.rule.word_knowledge import match

    kept = None
    main = clause
    if ex := _EXCLUSION.match(clause):
        main, kept = ex.group("main") or ex.group("main2"), ex.group("kept") or ex.group("kept2")
    verdict = _refusal_checked(match(plain_colours(main), video), video)
    if verdict.question:
        return Picked(None, main, main, question=verdict.question)
    if verdict.intent is None:
        return ruled if mode == "both" else Picked(None, main, main)
    if ruled.intent is not None and intent_named(ruled.intent).handler is intent_named(verdict.intent).handler:
        return ruled  # the same reading: the rules' slots
    return Picked(verdict.intent, rest_for(verdict.intent, main), main, kept=kept)


LEAD = 0.05  # a refusal by similarity must lead the best reading the agent can do by this much


def _refusal_checked(verdict: Any, video: bool | None) -> Any:
    """The matcher's verdict, with a refusal kept only when it clearly leads (``LEAD``) the best
    reading that can be done; a question between a refusal and such a reading is that reading."""
    from vitron_agent.planners.rule.intent_matcher import WEAK, Verdict

    ranked = verdict.scores
    if not ranked or not (verdict.intent in REFUSALS or (verdict.question and ranked[0][1] in REFUSALS)):
        if verdict.question and len(ranked) > 1 and ranked[1][1] in REFUSALS:
            return Verdict(ranked[0][1], scores=ranked)  # the refusal is the runner-up: the reading stands
        return verdict
    doable = [(sc, n) for sc, n in ranked if n not in REFUSALS]
    if doable and ranked[0][0] - doable[0][0] < LEAD:
        return Verdict(doable[0][1] if doable[0][0] >= WEAK else None, scores=ranked)
    return Verdict(ranked[0][1], scores=ranked)


def rest_for(name: str, clause: str) -> str:
    """The words the handler of ``name`` reads in ``clause``: the whole clause for records that
    read it whole, the words after the record's own pattern when one matches, else the clause
    without its leading verb phrase ("make a mask of the dog" -> "the dog")."""
    record = intent_named(name)
    if record.whole:
        return clause
    for p in record.patterns:
        if m := re.match(p, clause, re.I):
            return clause[m.end() :].strip()
    return strip_verb_phrase(clause)


_LEAD = re.compile(
    r"^(?:(?:please|kindly|just|now|also|can you|could you|would you|will you|i want you to|i'd like you to|"
    r"i would like you to|i want to|i'd like to|help me|let's|go ahead and|try to|"
    r"make|create|produce|give me|get me|show me|give|get|show|do|draw|put|add|apply|run|perform|"
    r"a|an|some|me|us|please)\s+)+"
    r"(?:(?:mask|cut-?out|outline|silhouette|selection|segmentation|box|boxes|count|tally|number|list|"
    r"description|caption|summary|crop|blurred version|version|copy)\s+(?:of|for|around|on)\s+)?",
    re.I,
)


def strip_verb_phrase(clause: str) -> str:
    """The clause without its leading verb phrase: polite openers, a leading verb (any word the
    table's examples start with) and "a mask of" / "a count of" ..."""
    from vitron_agent.planners.rule.intent_matcher import leading_verbs

    rest = _LEAD.sub("", clause.strip())
    words = rest.split(" ", 1)
    if len(words) > 1 and re.match(r"^(?:out|up|off|away|down|over)\s", words[1], re.I) and words[0].isalpha():
        return _LEAD.sub("", words[1].split(" ", 1)[1] if " " in words[1] else "").strip()  # "snip out the teapot"
    if words and words[0].lower() in leading_verbs():
        rest = words[1] if len(words) > 1 else ""
        rest = _LEAD.sub("", rest)
    # "give it an outline", "give them a blur": the pronoun is the target, the noun names the edit
    if m := re.match(
        r"^(it|them|this|that|this one|that one)\s+(?:an?|some|more|less|the)\s+\w+\s*$", rest.strip(), re.I
    ):
        return m.group(1)
    return rest.strip()
