"""The scope of an edit said in everyday forms, put in the words the clause readers know (session 11).

An edit covers a thing, everything but a thing, or the whole picture; people say which in many ways, and
read word by word several of them came out inside out or lost:

- "blur everything except the background" / "make everything but the background darker": everything but
  the background is the subject (it blurred the background, the opposite);
- "apply the blur to the whole photo except for the sign": the effect named as a noun (it selected "the blur
  to the whole photo");
- "cool it down everywhere but on the fire": the place after "everywhere but" (the fire was cooled);
- "the dog should stay in colour, the rest black and white" / "the cat stays sharp, blur the rest": what is
  spared said first as a state, then the edit of the rest (the whole picture was greyed);
- "brighten it up but not the sky, the sky is fine" (the remark became part of the target); "the car is
  fine, just brighten the background" (the car is spared); "I want only the person in focus" (the rest
  blurred; it sharpened the person);
- "it shouldn't be so dark": the complaint in a negated wish (it was darkened);
- "make it square for insta", "brighten it for my linkedin profile", "I'm putting this on my LinkedIn and …", "…, it's for my dating profile", "so I
  can email it", "for a school project": what the picture is for, never a thing to find (it selected
  "linkedin profile").

And two forms that hid the request's own words: a thing pointed out first ("there's a guy on the left that
ruins it, could you remove him?": the main object was removed) and "turn it round" (a half turn; it outlined
"it round"), "give it a transparent background" (a cut-out; it selected "it a transparent background").

Runs on the whole request before clauses are split (the comma of "X stays, the rest …" would split it).
"""

from __future__ import annotations

import re

__all__ = ["scope_said"]

_I = re.IGNORECASE
_EXCEPT = r"(?:but|except(?:\s+for)?|apart\s+from|other\s+than|besides|save(?:\s+for)?|bar|excluding)"
_WHOLE = r"(?:everything|all|all\s+of\s+it|the\s+whole\s+(?:thing|picture|photo|image|pic)|everywhere)"
_BACKGROUND = r"(?:the\s+)?(?:background|backdrop|surroundings|scenery\s+behind)"
_REST = (
    r"(?:the\s+rest(?:\s+of\s+(?:it|the\s+(?:picture|photo|image|pic)))?|everything\s+else|all\s+else|"
    r"every(?:one|body)\s+else|the\s+others)"
)
_NP = r"(?:the|this|that|these|those|my|his|her|their|our)\s+[a-z][a-z' -]{0,40}?"

_ALL_BUT_BACKGROUND = re.compile(rf"\b{_WHOLE}\s+{_EXCEPT}\s+{_BACKGROUND}\b", _I)
_EVERYWHERE_BUT_ON = re.compile(rf"\beverywhere\s+{_EXCEPT}\s+(?:on|in|at|around|over)\s+", _I)
_IT_EVERYWHERE = re.compile(r"\b(?P<verb>[a-z]+)\s+it(?P<adv>\s+(?:down|up|out|off))?\s+(?=everywhere\b)", _I)

# "apply the blur to …", "add a sharpening effect on …": the effect as a noun, then where it goes
_EFFECTS = {
    "blur": "blur {rest}",
    "blurring": "blur {rest}",
    "sharpening": "sharpen {rest}",
    "pixelation": "pixelate {rest}",
    "pixelate": "pixelate {rest}",
    "pixel": "pixelate {rest}",
    "brightening": "brighten {rest}",
    "darkening": "darken {rest}",
    "black and white": "make {rest} black and white",
    "grayscale": "make {rest} black and white",
    "greyscale": "make {rest} black and white",
    "warm": "warm up {rest}",
    "warming": "warm up {rest}",
    "cool": "cool down {rest}",
    "cooling": "cool down {rest}",
}
_APPLY = re.compile(
    r"^(?:(?:please|can you|could you|would you|pls)\s+)*(?:apply|add|use|put|give)\s+(?:a|an|the|some)\s+(?:(?:slight|strong|"
    r"heavy|light|little|subtle|gentle)\s+)?(?P<effect>"
    + "|".join(sorted(map(re.escape, _EFFECTS), key=len, reverse=True))
    + r")(?:\s+(?:effect|filter|look|tone))?\s+(?:to|on|onto|over|across)\s+(?P<rest>.+)$",
    _I,
)

# "the dog should stay in colour, the rest black and white"; "the cat stays sharp, blur the rest"
_STATE = (
    r"(?:in\s+colou?r|colou?red|sharp|in\s+focus|clear|crisp|as\s+(?:it\s+is|is|they\s+are)|the\s+same|untouched|"
    r"unchanged|alone|intact|bright|normal|original|how\s+it\s+is)"
)
_SPARED_FIRST = re.compile(
    rf"^(?P<kept>{_NP})\s+(?:should|must|can|has\s+to|needs\s+to|is\s+to|will|to)?\s*(?:stays?|remains?|be\s+kept|is\s+kept|"
    rf"keeps?|be\s+left|is\s+left|be)\s+{_STATE}\s*[,;.]\s*(?:and\s+|but\s+|while\s+)?(?:(?P<verb>[a-z]+(?:\s+(?:up|down|out))?)\s+"
    rf"{_REST}(?P<tail>[^,;.]*)|(?:make\s+|turn\s+)?{_REST}\s+(?:in\s+|to\s+)?(?P<state>[^,;.]+))\s*[.!]?$",
    _I,
)

# "it shouldn't be so dark", "the photo isn't supposed to be this blurry": a complaint, said as a negated wish
_SHOULD_NOT = re.compile(
    r"^(?P<np>it|this|that|the\s+(?:photo|picture|image|pic|shot)|the\s+[a-z]+)\s+(?:shouldn'?t|should\s+not|mustn'?t|"
    r"isn'?t\s+supposed\s+to|is\s+not\s+supposed\s+to|doesn'?t\s+have\s+to|does\s+not\s+have\s+to|needn'?t)\s+be\s+"
    r"(?:so|this|that|as|quite\s+so)\s+(?P<how>[a-z]+)\s*[.!]?$",
    _I,
)

# what the picture is for: "for insta", "for my linkedin profile", "for my cv"
_PURPOSE = re.compile(
    r"\s*,?\s*\b(?:for|to\s+(?:post|put|use)\s+(?:it\s+)?on)\s+(?:my\s+|the\s+|a\s+|an\s+|our\s+|her\s+|his\s+)?"
    r"(?:insta(?:gram)?|ig|linked-?in|facebook|fb|twitter|tiktok|snapchat|whatsapp|pinterest|youtube|reddit|cv|resume|résumé|"
    r"profile\s+pic(?:ture)?|dating\s+(?:profile|app)|work\s+profile)"
    r"(?:\s+(?:profile|page|post|story|stories|feed|bio|banner|header|account|grid|pic(?:ture)?|photo|avatar|icon|pfp|"
    r"cover|thumbnail))*\b",
    _I,
)


# what the picture is for, said as a remark of its own: ", it's for my insta profile", ", it's going on my dating
# profile", "so I can email it", "for printing"
_FOR_REMARK = re.compile(
    r"\s*(?:[,;.]\s*(?:it'?s|it\s+is|this\s+is|that'?s|this'?s)\s+(?:for|going\s+(?:on|in|to|into)|to\s+go\s+(?:on|in)|meant\s+for)"
    r"\s+[^,;.]+|\s*,?\s*so\s+(?:that\s+)?(?:i|we)\s+can\s+(?:e-?mail|post|print|send|share|upload|use)\s+it(?:\s+[^,;.]+)?"
    r"|\s*[,;]\s*(?:(?:it'?s|i'?m|we'?re)\s+)?(?:posting|uploading|sharing|putting)\s+(?:it\s+)?(?:to|on|onto|in)\s+[^,;.]+"
    r"|\s*,?\s+(?:before|so\s+(?:that\s+)?|when|then)\s+(?:i|we)\s+(?:can\s+)?(?:send|post|print|share|upload|e-?mail|"
    r"give|show)\s+it\b[^,;.]*"
    r"|\s*,?\s+for\s+(?:printing|print|the\s+web|web|email(?:ing)?|sharing|posting))\s*[.!]?$",
    _I,
)
_PURPOSE_NOUN = re.compile(
    r"\s*,?\s+for\s+(?:my|our|her|his|their|a|an|the)\s+(?:[a-z]+(?:'s)?\s+){0,2}(?:profile|card|project|presentation|"
    r"slides?|website|blog|newsletter|poster|flyer|listing|portfolio|album|headshot|wedding|invitation|report|"
    r"assignment|thesis|shop|store)\b[^,;.]*$",
    _I,
)
# a thing said to be fine: "…, the sky is fine" after the edit says nothing more; before it, it is spared
_FINE = (
    r"(?:is|are|looks?|seems?)\s+(?:fine|ok(?:ay)?|good|great|perfect|alright|all\s+right)(?:\s+as\s+(?:it\s+is|is))?"
)
_FINE_AFTER = re.compile(rf"\s*[,;.]\s*(?:but\s+)?(?:{_NP}|it|that|this)\s+{_FINE}\s*[.!]?$", _I)
_FINE_FIRST = re.compile(
    rf"^(?P<kept>{_NP})(?:'s|'re)?\s+(?:{_FINE}|(?:fine|ok(?:ay)?|good|great|perfect|alright)(?:\s+as\s+(?:it\s+is|is))?)\s*[,;.]\s*"
    r"(?:but\s+|so\s+)?(?:just\s+|only\s+)?(?P<req>.+)$",
    _I,
)
# the thing spared by its verb: "make it sharper, but don't sharpen the background", "brighten it without
# brightening the sky" (the exception was dropped)
_BUT_DONT = re.compile(
    rf"^(?P<req>.+?)(?:\s*,\s*(?:but\s+)?|\s+but\s+)(?:please\s+)?(?:don'?t|do\s+not|never)\s+[a-z]+\s+(?P<kept>{_NP})\s*[.!]?$"
    rf"|^(?P<req2>.+?)\s+without\s+[a-z]+ing\s+(?P<kept2>{_NP})\s*[.!]?$",
    _I,
)
# the thing spared by "keep" alone after an edit of the whole picture: "black and white but keep the red dress",
# "make it black and white, keep the dress" (the dress had been greyed, or the whole picture)
_BUT_KEEP = re.compile(
    rf"^(?P<req>.+?)(?:\s*[,;]\s*(?:but\s+|and\s+|while\s+|just\s+)?|\s+(?:but|while|yet)\s+(?:please\s+)?(?:just\s+)?)"
    # (not "keep the scooter yellow", "keep the scarf in full colour": a thing kept in a colour is read elsewhere)
    rf"(?:keep|leave|spare|save)\s+(?!only\b|just\b)(?!.*\b(?:colou?rs?|colou?red|red|orange|yellow|green|blue|purple|pink|"
    rf"brown|black|white|gr[ae]y)\s*[.!]?$)(?P<kept>{_NP})(?:\s+(?:{_STATE}|readable|legible|visible|recogni[sz]able))?\s*[.!]?$",
    _I,
)
_NAMES_A_THING = re.compile(
    r"\b(?:the|this|that|these|those|my|his|her|their|our)\s+(?!(?:whole\s+|entire\s+)?(?:image|picture|photo|pic|shot|rest)\b)"
    r"[a-z]",
    _I,
)
_WHOLE_WORDS = re.compile(r"\b(?:the\s+(?:whole\s+)?(?:image|picture|photo|pic|shot)|it|this|everything)\b", _I)


def _spare(req: str, kept: str) -> str:
    """``req`` sparing ``kept``: the background spared is the subject edited ("sharpen it but not the background"
    -> "sharpen the main object"); anything else is kept unchanged, as the clause readers say it."""
    if re.fullmatch(_BACKGROUND, kept.strip(), _I):
        if _WHOLE_WORDS.search(req):
            return _WHOLE_WORDS.sub("the main object", req, count=1)
        return req  # "the background's fine, just sharpen the bird": the edit names its own thing
    return f"{req} but keep {kept.strip()} unchanged"


# "only the person in focus": the rest blurred
_ONLY_IN_FOCUS = re.compile(
    r"^(?:i\s+(?:want|need|would\s+like)\s+|i'?d\s+like\s+|(?:make|keep|have|leave)\s+)?(?:only|just)\s+(?P<np>.+?)\s+"
    r"(?:in\s+focus|sharp\s+and\s+the\s+rest\s+blurr?(?:ed|y))\s*(?:,?\s*please)?[.!]?$",
    _I,
)


# what the picture is for, said first as what the user is doing: "I'm putting this on my LinkedIn and the
# background is messy, blur it" (the purpose hid the topic the request's "it" names)
_DOING_FIRST = re.compile(
    r"^(?:(?:ok(?:ay)?|so|well|hey|hi)[,\s]+)*(?:i'?m|i\s+am|we'?re|we\s+are)\s+(?:putting|posting|using|sending|printing|"
    r"uploading|sharing)\s+(?:this|it)\s+(?:on|in|to|for|as)\s+[^,;.]+?(?:\s*[,;.]\s*(?:and\s+|so\s+)?|\s+and\s+(?:so\s+)?)",
    _I,
)
# a thing pointed out first, then called "him" / "her" / "them" / "it": "ok so there's a guy walking past on
# the left that ruins it, could you remove him?" (the main object was removed)
_THERE_IS = re.compile(
    r"^(?:(?:ok(?:ay)?|so|well|hey|hi|and)[,\s]+)*there(?:'s|\s+is|\s+are)\s+(?:a|an|this|that|some|two|three)\s+"
    # the noun phrase up to a place, a clause or a verb in -ing ("a tall guy walking past", "a red car on the left")
    r"(?P<noun>(?:[a-z-]+\s+){0,2}?[a-z-]+?)(?=\s+(?:on|in|at|near|by|that|which|who|behind|next)\b|\s+[a-z]+ing\b|\s*[,;.!])"
    r"(?P<said>[^,;.!?]*)[,;.!]\s*(?P<rest>.*\b(?:him|her|them|it)\b.*)$",
    _I,
)
_PLACE = re.compile(
    r"\b(?:on|in|at)\s+the\s+(?:left|right|top|bottom|middle|centre|center|back|front|background|foreground)\b", _I
)
_PRONOUN = re.compile(
    r"\b(?:him|her|them)\b|\bit\b(?=[^a-z]*$|\s+(?:out|away|off|please|pls|for\s+me)\b|\s+[a-z]+[^a-z]*$)", _I
)
# "give it a transparent background": a cut-out of it (it selected "it a transparent background")
_CLEAR_BACKGROUND = re.compile(
    r"\b(?:give|put)\s+(?P<np>it|him|her|them|the\s+[a-z]+(?:\s+(?!on\b)[a-z]+)?)\s+(?:a|an|on\s+a|on\s+an)\s+(?:transparent|clear|"
    r"see-?through|invisible|empty|alpha)\s+(?:background|backdrop|bg|layer)\b",
    _I,
)
# "turn it round": a half turn (it outlined "it round")
_TURN_ROUND = re.compile(
    r"\bturn\s+(it|this|the\s+(?:photo|picture|image|pic))\s+(?:a)?round\b(?!\s+(?:the|a|an|to)\b)", _I
)


# the whole picture said in other words before an exception: "make all the picture blurry except the baby",
# "the whole thing in black and white except the couple" (the exception was dropped)
_ALL_THE_PICTURE = re.compile(
    r"\b(?:all\s+(?:of\s+)?the|the\s+whole|the\s+entire|the\s+rest\s+of\s+the)\s+(?:picture|photo|image|pic|thing|scene|shot)\b"
    rf"(?=.*\b{_EXCEPT}\s)",
    _I,
)
# the exception said first: "apart from the dog, make it all black and white"
_EXCEPT_FIRST = re.compile(
    r"^(?:(?:but|and)\s+)?(?:apart\s+from|except(?:\s+for)?|other\s+than|besides|excluding|save\s+for)\s+"
    rf"(?P<kept>{_NP})\s*,\s*(?P<req>.+?)\s*[.!]?$",
    _I,
)
# "every part of the photo that isn't the dog", "anything that is not the cat": everything except it
# session 12 (readA): "everything in the picture except X"; "sharpen the whole image, not the face though" /
# "brighten it, though not the windows"; "…, nothing else changes" / "…, nothing more" (the edit names its own
# thing: the remark became a keep-only of "else changes"); "more contrast but only on the mountains"
_EVERYTHING_IN = re.compile(
    rf"\beverything\s+(?:in|on|of)\s+(?:the|this)\s+(?:picture|photo|image|pic|shot|scene)\b(?=.*\b{_EXCEPT}\s)", _I
)
_NOT_THOUGH = re.compile(rf"\s*,\s*(?:though\s+|but\s+)?not\s+(?P<np>{_NP})(?:\s*,?\s*though)?\s*[.!]?$", _I)
_NOTHING_MORE = re.compile(
    r"\s*(?:[,;-]\s*|\s+and\s+)nothing\s+(?:else|more)(?:\s+(?:changes?|should\s+change|please))?\s*[.!]?$", _I
)
_WANTS_ONLY = re.compile(r"^(?:(?:i|we)\b|(?:(?:only|just)\s+)?(?:keep|leave)\b)", _I)
_BUT_ONLY_ON = re.compile(r"^(?P<req>.+?)\s+but\s+only\s+(?P<on>on|in|to|for)\s+(?P<np>.+?)\s*[.!]?$", _I)
# "only recolour the door, make it blue": the colour said in a clause of its own
_COLOUR_AFTER = re.compile(
    rf"^(?P<only>(?:only|just)\s+)?(?:recolou?r|colou?r|paint|dye)\s+(?P<np>{_NP})\s*,\s*(?:and\s+)?(?:make|turn|paint)\s+"
    r"(?:it|them)\s+(?P<colour>[a-z]+)\s*[.!]?$",
    _I,
)


def _said_plainly(out: str) -> str:
    """The session-12 forms above in the words the clause readers know."""
    out = _EVERYTHING_IN.sub("everything", out)
    out = _NOT_THOUGH.sub(lambda m: f" but not {m.group('np')}", out)
    if not _WANTS_ONLY.match(out.strip()):  # "I only want the lighthouse, nothing else": a keep-only
        out = _NOTHING_MORE.sub("", out).strip() or out
    if m := _BUT_ONLY_ON.match(out.strip()):
        out = f"{m.group('req')} {m.group('on')} {m.group('np')} only"
    if m := _COLOUR_AFTER.match(out.strip()):
        out = f"make {m.group('only') or ''}{m.group('np')} {m.group('colour')}"
    return out


_THAT_ISNT = re.compile(
    r"\b(?:every\s+(?:part|bit|area)|all\s+(?:the\s+)?(?:parts?|areas?|bits?)|everything|anything|the\s+(?:parts?|areas?|bits?))"
    r"(?:\s+of\s+(?:the\s+|this\s+)?(?:photo|picture|image|pic|shot))?\s+(?:that|which)\s+(?:isn'?t|is\s+not|aren'?t|are\s+not)\s+",
    _I,
)
_IT_ALL = re.compile(r"\b(?:it\s+all|all\s+of\s+it|everything|the\s+rest|it)\b", _I)


def _except_first(m: re.Match[str]) -> str:
    """ "apart from the dog, make it all black and white" -> "make everything black and white except the dog"."""
    req = _IT_ALL.sub("everything", m.group("req"), count=1)
    return f"{req} except {m.group('kept').strip()}"


def _pointed_out(m: re.Match[str]) -> str:
    """The request with the thing pointed out first put where it calls it by a pronoun."""
    if re.search(r"\b(?:tint|cast|tilt|glare|noise|grain|blur|haze|glow|shadow|reflection)s?$", m.group("noun"), re.I):
        return m.group(0)  # "there's a yellow tint, remove it": a look to fix, read by the complaints
    place = _PLACE.search(m.group("said") or "")
    thing = f"the {m.group('noun')}" + (f" {place.group(0)}" if place else "")
    rest = m.group("rest")
    return _PRONOUN.sub(thing, rest, count=1) if _PRONOUN.search(rest) else m.group(0)


def _spared(m: re.Match[str]) -> str:
    kept = m.group("kept").strip()
    if m.group("verb"):
        return f"{m.group('verb')} everything except {kept}{m.group('tail') or ''}"
    return f"make everything {m.group('state').strip()} except {kept}"


def scope_said(text: str) -> str:
    """The request with the scope of its edit said in the forms the clause readers know (module docstring).
    Words in quotes are the user's own (a caption to write): they are never rewritten ('add the caption "made
    for my instagram"' wrote "made")."""
    from vitron_agent.planners.rule.lexicon import _QUOTED

    quoted: list[str] = []

    def hide(m: re.Match[str]) -> str:
        quoted.append(m.group(0))
        return f'"@q{len(quoted) - 1}@"'

    out = _scope_said(_QUOTED.sub(hide, text))
    return re.sub(r'"@q(\d+)@"', lambda m: quoted[int(m.group(1))], out)


def _scope_said(text: str) -> str:
    out = _DOING_FIRST.sub("", text).strip() or text
    if m := _THERE_IS.match(out.strip()):
        out = _pointed_out(m)
    out = _TURN_ROUND.sub(r"rotate \1 180 degrees", out)
    out = _CLEAR_BACKGROUND.sub(lambda m: f"cut out {m.group('np')}", out)
    out = _said_plainly(_FOR_REMARK.sub("", out).strip() or out)
    out = _PURPOSE_NOUN.sub("", _PURPOSE.sub("", out)).strip() or out
    out = _FINE_AFTER.sub("", out).strip() or out
    if m := _FINE_FIRST.match(out.strip()):
        out = _spare(m.group("req"), m.group("kept"))
    elif (m := _BUT_DONT.match(out.strip())) and not re.match(r"^(?:no|not|don'?t|do\s+not|i|we)\b", out.strip(), _I):
        out = _spare(m.group("req") or m.group("req2"), m.group("kept") or m.group("kept2"))
    elif (m := _BUT_KEEP.match(out.strip())) and not _NAMES_A_THING.search(m.group("req")):
        out = _spare(m.group("req"), m.group("kept"))
    if m := _ONLY_IN_FOCUS.match(out.strip()):
        out = f"blur everything except {m.group('np')}"
    if m := _EXCEPT_FIRST.match(out.strip()):
        out = _except_first(m)
    out = _THAT_ISNT.sub("everything except ", out)
    out = _ALL_THE_PICTURE.sub("everything", out)
    out = _ALL_BUT_BACKGROUND.sub("the main object", out)
    out = _IT_EVERYWHERE.sub(lambda m: f"{m.group('verb')}{m.group('adv') or ''} ", out)
    out = _EVERYWHERE_BUT_ON.sub("everything except ", out)
    if m := _APPLY.match(out.strip()):
        out = _EFFECTS[m.group("effect").lower()].format(rest=m.group("rest"))
    if m := _SPARED_FIRST.match(out.strip()):
        out = _spared(m)
    if m := _SHOULD_NOT.match(out.strip()):
        out = f"{m.group('np')} is too {m.group('how')}"
    return out
