"""The words of a target: what a clause names as the thing to select, segment, count or track,
with the words around it dropped: question tails ("are there?"), the picture named as the place
("in the photo", "throughout the clip"), what the edit makes of it ("the cat grayscale"), request
wrappers ("how many", "a mask of", "just"), trailing adverbs, and what the thing does ("dogs show up",
"people crossing the street"). Text in, text out, no plans: :func:`clean_target` for a phrase,
:func:`target_words` for a phrase that may also carry a "when / how long" question head and a verb."""

from __future__ import annotations

import re

from vitron_agent.perception.colors import COLORS

__all__ = [
    "clean_target",
    "target_words",
    "bare_subject",
    "split_exclusion",
    "part_of_whole",
    "one_of_kind",
    "named_kind",
    "ONE_OF_A_KIND",
    "one_unnamed",
]

_I = re.I
_PICTURE = r"(?:image|picture|photo|scene)"
_MEDIUM = r"(?:video|clip|footage|movie|film|image|picture|photo|snapshot|shot|scene|frame)"

THROUGHOUT = re.compile(
    r"\s+(?:throughout|across|through|in|over|from|on)\s+(?:the\s+|this\s+|every\s+|all\s+|each\s+)?(?:whole\s+|entire\s+)?"
    r"(?:video|clip|footage|movie|frames?)$",
    _I,
)

# (pattern, replacement) in the order they run; each stage is one concept.
_PLACE = (  # the picture itself named as the place, and question tails ("are there", "do you see")
    (re.compile(r"^(?:out\s+)?(?:all\s+)?", _I), ""),
    # a purpose that names the thing: "(trim) the edges so only the house is left" -> "the house"
    (
        re.compile(
            r"^.*?\bso\s+(?:that\s+)?(?:only|just)\s+(?P<thing>.+?)\s+(?:is|are|remains?|stays?)\s+"
            r"(?:left|visible|showing|kept|in (?:the )?(?:frame|shot|picture))?\s*$",
            _I,
        ),
        r"\g<thing>",
    ),
    # why it is wanted is no part of the thing: "the person out so i can use them elsewhere"
    (
        re.compile(
            r"\s+(?:so(?:\s+that)?|because|since)\s+(?:i|we|you|it|they|he|she|nobody|no one|no-one|noone|nothing|"
            r"people|everyone|everybody|someone|somebody|anyone|anybody)\b.*$",
            _I,
        ),
        "",
    ),
    # a question's modal before the thing: "could the surroundings (be blurred)", "can i get a mask of the bike"
    (
        re.compile(r"^(?:can|could|would|should|will|may)\s+(?=(?:the|this|that|these|those|his|her|their|my)\b)", _I),
        "",
    ),
    (re.compile(r"^(?:can|could|may)\s+(?:i|we)\s+(?:get|have|see)\s+", _I), ""),
    (re.compile(rf"\s+(?:in|from|of)\s+(?:the|this)\s+{_PICTURE}$", _I), ""),
    (
        re.compile(
            rf"\s+(?:are there|is there|do you see|can you see|are in the {_PICTURE}|in the {_PICTURE})\s*\??$", _I
        ),
        "",
    ),
    (
        re.compile(
            r"(?:\s+(?:are|is|were|was|there|here|exist|visible|present|shown|"
            r"(?:do|can|could) (?:you|i|we) (?:see|find|spot|count|make out|notice)|you can see|i can see|do i have|"
            r"are there|is there))+\s*\??$",
            _I,
        ),
        "",
    ),
    (
        re.compile(r"\s+(?:does|do|did)\s+(?:the|this|that|it|they)\b.*\bhave\s*\??$", _I),
        "",
    ),  # "windows does the house have"
    (re.compile(r"^(?:are|is|were|was)(?:\s+there)?\b\s*", _I), ""),
    (re.compile(r"^(?:can|could|do)\s+(?:you|i|we)\s+(?:see|find|spot|detect|make out|notice)\s*\??$", _I), ""),
    (re.compile(r"^(?:of|for)\s+(?=\w)", _I), ""),  # "(number) of bikes"
    (THROUGHOUT, ""),
    (
        re.compile(
            r"\s+(?:(?:should|must|could|would|will|shall|can|may|needs? to|has to|have to|ought to)\s+)?"
            r"(?:feel|feels|look|looks|seem|seems|appear|appears|be|become|get|gets)\b.*$",
            _I,
        ),
        "",
    ),
    (
        re.compile(
            rf"\s+(?:from|in|of|on|out of|across|within)\s+(?:the|this|that|my)\s+{_MEDIUM}\b"
            r"(?:\s+(?:white|black|gr[ae]y|" + "|".join(COLORS) + r"))?\s*$",
            _I,
        ),
        "",
    ),
)

_RESULT = (  # what the edit makes of the thing is not its name: "the cat grayscale", "... should remain"
    (re.compile(r"\s*,?\s+(?:and|or)$", _I), ""),  # a joiner left where a rider was taken off ("... and (as a png)")
    # the file it should become, or the layer it goes on: "the sneaker ... as a png", "the scooter onto a clear layer"
    (
        re.compile(
            r"(?:\s*,?\s+(?:and\s+)?(?:as|in)\s+(?:a|an)\s+(?:transparent\s+)?(?:png|sticker|file|cut-?out|layer)|"
            r"\s+(?:onto|on|into|to)\s+(?:a|an|its own)\s+(?:(?:transparent|clear|new|separate|empty|blank)\s+)+"
            r"(?:layer|canvas|background|png|image))+$",
            _I,
        ),
        "",
    ),
    # "make the panda pop": popping is the edit (stand out), not part of the name
    (re.compile(r"\s+(?:pop|pop out|stand out|stick out|come forward|shine)$", _I), ""),
    (re.compile(r"\s+(?:but|and)\s+not\s+the\s+rest$|\s+(?:only|alone|out)$", _I), ""),
    (
        re.compile(
            r"\s+(?:gr[ae]yscale|black and white|b&w|monochrome|sepia|blurr?(?:ed|y)|sharp(?:er)?|transparent|fuzzy|hazy|"
            r"unreadable|illegible|unrecogni[sz]able|anonymous|"
            r"invisible|out of focus|in focus)$|\s+(?:on|against|over)\s+(?:a|an|the)\s+(?:\w+\s+){0,3}(?:background|backdrop)$|"
            r"(?:\s+(?:on (?:its|his|her|their) own|by (?:itself|himself|herself|themselves)|on (?:a\s+)?transparen\w+|"
            r"with(?:out)?\s+(?:no|any|a|the)?\s*(?:background|backdrop)|with nothing (?:around|behind) (?:it|them)))+$|"
            r"\s+(?:on|against)\s+(?:plain\s+|pure\s+|solid\s+)?(?:white|black|gr[ae]y|transparent)$|"
            r"\s+(?:selected|masked|segmented|highlighted|picked out)$|"
            r"\s+(?:should|must|shall|will|has to|have to|needs? to|is to|are to)\s+(?:remain|stay|be kept|be left|"
            r"survive|be visible|be there)\b.*$",
            _I,
        ),
        "",
    ),
    (re.compile(r"^but\s+(?=\w)", _I), ""),  # "(nothing) but the lamp"
    # a colour it should have instead of another: "(make) the it green instead of (pink)"
    (
        re.compile(
            r"\s+(?:" + "|".join(COLORS) + r"|gr[ae]y|colou?red)?\s*(?:instead of|rather than|not)(?:\s+\w+)?$", _I
        ),
        "",
    ),
    # a second request after the thing: "(count) the meerkats and tell me which one is tallest"
    (
        re.compile(
            r"\s*,?\s+(?:and|then|and then)\s+(?:tell|show|say|let|give|point|find|mark|circle|outline|describe|"
            r"name|list|explain|see|check|work out|figure out|which|what|where|who|how)\b.*$",
            _I,
        ),
        "",
    ),
    # how the thing is lying or standing is no part of its name: "the foal lying down", "the dog sitting up"
    (
        re.compile(
            r"\s+(?:(?:that|which|who)(?:'s|\s+is|\s+are)\s+)?(?:lying|laying|sitting|standing|sleeping|resting|"
            r"curled|crouching|kneeling|rolling)(?:\s+(?:down|up|still|around|about|asleep))?$",
            _I,
        ),
        "",
    ),
    # what should happen to the thing: "(everything but) the teapot should go", "the sign has to disappear"
    (
        re.compile(
            r"\s+(?:should|must|can|has to|have to|needs? to|is to|are to)\s+(?:go|disappear|vanish|be removed|be gone|"
            r"be deleted|be erased)\b.*$",
            _I,
        ),
        "",
    ),
    # "the bird and white out the rest", "the horse, nothing else": what happens to the rest is no part of the thing
    (
        re.compile(
            r"\s*,?\s+(?:and\s+)?(?:nothing else|(?:(?:white|blank|black|gr[ae]y|wipe|clear|erase|remove|delete|drop|hide|"
            r"lose|ditch|get rid of|make)\s+(?:out\s+)?(?:the rest|everything else|all else)\b.*))$",
            _I,
        ),
        "",
    ),
)

_WRAPPER = (  # "how many boats", "the number of windows", "a mask of the parrot", "just the dog"
    (
        re.compile(
            r"^(?:how many|the number of|number of|(?:i'd |i would )?like (?:a |an )?(?:cut-?out|sticker|png|mask|copy) of|"
            r"(?:i need|i want|i'd like|i would like|give me|get me|make me) (?:a |an )?(?:mask|cut-?out|sticker|png|copy|"
            r"selection|outline) (?:of|for)|"
            r"(?:an?\s+)?(?:mask|cut-?out|sticker|png|selection|segmentation|outline) (?:of|for|around)|me)\s+",
            _I,
        ),
        "",
    ),
    # "i only want the baby", "all i need is the dog": a wish names the thing
    (
        re.compile(
            r"^(?:i\s*(?:only\s+|just\s+|really\s+)?(?:want|need|'d like|d like|would like)|id like|all i (?:want|need) is)\s+"
            r"(?=(?:the|this|that|his|her|my|their|just|only)\b)",
            _I,
        ),
        "",
    ),
    # "segmentation of the laptop", "the pixels that are the dog", "(which) part is the road"
    (
        re.compile(
            r"^(?:(?:the|a|an)\s+)?(?:segmentation|selection|mask|cut-?out|outline)\s+(?:of|for)\s+(?=\w)"
            r"|^(?:which\s+|what\s+|the\s+)?(?:pixels?|parts?|areas?|regions?|bits?|one|ones)\s+(?:(?:that|which)\s+)?(?:is|are|make up|belong to|"
            r"cover|covers|show|shows)\s+(?=(?:the|this|that|his|her|my)\b)",
            _I,
        ),
        "",
    ),
    (re.compile(r"^(?:just|only|simply|solely)\s+(?=\w)", _I), ""),
    # "everything that is the road", "whatever is the sky": the thing itself
    (
        re.compile(
            r"^(?:everything|all|anything|whatever|the bits?|the parts?)\s+(?:that|which)?\s*(?:is|are)\s+(?=(?:the|this|that|his|her|my)\b)",
            _I,
        ),
        "",
    ),
    # the thing's edge named instead of the thing: "the edges of the horse", "the outline of the tree"
    (
        re.compile(
            r"^(?:the\s+|its\s+)?(?:edges?|outlines?|contours?|silhouette|shape|borders?|perimeter|outer edge|region|pixels|"
            r"mask|selection)\s+"
            r"(?:of|around|round)\s+(?=\w)",
            _I,
        ),
        "",
    ),
    (re.compile(r"\s+(?:colou?r|colou?rs|holding|wearing|doing|disappear|vanish|go away|gone|invisible)$", _I), ""),
    (re.compile(r"\s+(?:are|is)(?=\s+(?:on|in|at|near|under|behind|by|next to)\b)", _I), ""),
    (re.compile(r"\?.*$"), ""),  # "the horse? show me"
)

_TAIL = (  # possessives, "out of it", what the thing is doing, and trailing adverbs
    (re.compile(r"(?<=\w)'s$"), ""),  # "(what's) the van's (colour)"
    (re.compile(r"\s+(?:out of|from|off)\s+(?:it|this|that|them|there)$", _I), ""),  # "the cat out of it"
    # where the thing is taken out of is not the thing: "the wires out of the sky", "the bin from the yard"
    (re.compile(r"\s+(?:out of|from|off of|off)\s+(?:the|this|that|my|our|his|her|their)\s+\w+(?:\s+\w+)?$", _I), ""),
    # how it is done is no part of the thing: "(censor) the screen with pixels", "(blur) the plate using a mosaic"
    (
        re.compile(
            r"\s+(?:with|using|in|by)\s+(?:(?:big|large|small|chunky|coarse|fine)\s+)?(?:pixels|blocks|squares|a\s+mosaic|mosaic|"
            r"a\s+blur|blur|pixelation)$",
            _I,
        ),
        "",
    ),
    (re.compile(r"\s+(?:are|is)\s+[a-z]+ing\b.*$", _I), ""),  # "ducks are swimming"
    (re.compile(r"^(?:where|which)\s+(.+?)(?:\s+(?:are|is))?$", _I), r"\1"),  # "where the keys are"
    (re.compile(r"\s+as\s+(?:a|an)\s+(?:sticker|png|cut-?out|image|picture|file|mask)$", _I), ""),
    # "the front door a (deep green)", "the bench a nice (green)"
    (
        re.compile(
            r"\s+(?:a|an|the)(?:\s+(?:nice|lovely|pretty|beautiful|deep|bright|pale|light|dark|rich|soft))*$", _I
        ),
        "",
    ),
    # how tight a frame is: "(frame) the woman tighter", "(crop) the boat closer"
    (re.compile(r"\s+(?:more\s+)?(?:tighter|tightly|closer|closely|in close|up close)$", _I), ""),
    (
        re.compile(
            r"(?:\s+(?:now|again|too|as well|instead|then|strongly|heavily|gently|lightly|subtly|a lot|a little|a bit|"
            r"slightly|somewhat|a touch|a tad|thanks|thank you|completely|entirely|fully|totally|massively|hugely|"
            r"dramatically|significantly|considerably|loads|tons|heaps|a ton|big time|to the max|way more|slowly|"
            r"gradually|quickly|smoothly|steadily|progressively|gently|fast|further|more))+$",
            _I,
        ),
        "",
    ),
    (
        re.compile(
            r"\s+(?:in (?:one|a single|a few|two|three) (?:sentences?|words?|lines?)|briefly|in detail|for me|please)$",
            _I,
        ),
        "",
    ),
)


def _run(stage: tuple, phrase: str) -> str:
    for pattern, replacement in stage:
        phrase = pattern.sub(replacement, phrase.strip())
    return phrase


# a thing named with what it leaves out: "the big swans but not the babies", "the dogs except the puppy",
# "the people without the child". The whole picture before the exception ("everything but the bus") is a
# complement, read elsewhere; a background after "without" is a cut-out ("the cat without the background").
_LEFT_OUT = re.compile(
    r"^(?P<head>.+?)\s*,?\s+(?:but\s+not|except(?:\s+for)?|excluding|apart\s+from|other\s+than|minus|without|"
    r"leaving\s+out|not\s+including)\s+(?P<out>(?:the|a|an|any|his|her|their|its|my|those|these|that|this)\s+.+)$",
    _I,
)
_WHOLE_HEAD = re.compile(
    r"^(?:(?:make|turn|put)\s+)?(?:the\s+|this\s+|all\s+)?(?:whole\s+|entire\s+)?(?:everything|everyone|everybody|all|"
    r"anything|nothing|rest|image|picture|photo|scene|frame|video|clip|background|surroundings|thing)(?:\s+else)?$|"
    r"^(?:all|the whole|the entirety|the rest)\s+of\s+(?:it|this|that|them|the (?:image|picture|photo))$|^(?:it|them|this|that)$",
    _I,
)


def split_exclusion(phrase: str) -> tuple[str, str | None]:
    """(what is named, what it leaves out): "the big swans but not the babies" -> ("the big swans",
    "the babies"); (phrase, None) when nothing is left out, when the head is the whole picture
    ("everything but the bus" is a complement) or when what is left out is the background."""
    m = _LEFT_OUT.match(phrase.strip(" ,.?!"))
    if m is None or _WHOLE_HEAD.match(m.group("head").strip()):
        return phrase, None
    out = m.group("out").strip()
    if re.search(r"\b(?:background|backdrop|rest|surroundings)\b", out, _I):
        return phrase, None
    return m.group("head").strip(), out


def clean_target(phrase: str) -> str:
    """The thing ``phrase`` names, its surrounding words dropped ("how many dogs are there?" ->
    "dogs", "the cat grayscale" -> "the cat", "the edges of the horse" -> "the horse", "the wires
    out of the sky" -> "the wires", "my dog" -> "dog": whose it is names no thing the tools can
    find ("her hair" keeps "her": a person's part is found on a person); "the swans but not the babies" -> "the swans": what is left out is no part of the
    thing, see :func:`split_exclusion`); region marks (``@r0@``) removed; "" when nothing is left."""
    phrase = re.sub(r"@r\d+@", " ", phrase)
    phrase = split_exclusion(phrase)[0]
    for stage in (_PLACE, _RESULT, _WRAPPER, _TAIL):
        phrase = _run(stage, phrase)
    if _ONLY_MANNER.fullmatch(
        phrase.strip()
    ):  # "zoom in slowly", "crop in a bit": how, not what ("slowly" was tracked)
        return ""
    phrase = _OWNER.sub("", phrase.strip())
    phrase = _POSTURE.sub(" ", phrase)
    if m := _ONE_OF.match(phrase.strip()):  # "the smaller of the two dogs" -> "the smaller dog"
        phrase = f"the {m.group('which')} {_singular(m.group('kind'))}"
    if (m := _NAMED.match(phrase.strip())) and m.group("noun").lower() in _NAMEABLE:
        phrase = m.group(1)  # "my dog Biscuit": the dog (no tool knows its name)
    phrase = _BOTH.sub("the ", phrase)  # "both bottles": the bottles
    # of two or more, the bigger one is the biggest: the tools read superlatives ("the bigger balloon")
    phrase = _COMPARATIVE.sub(lambda m: _SUPERLATIVE[m.group(0).lower()], phrase)
    return re.sub(r"\s+", " ", phrase).strip(" ,.?")


_ONLY_MANNER = re.compile(
    r"(?:(?:a\s+)?(?:bit|little|lot|touch|tad)|slightly|somewhat|more|less|closer|tighter|further|farther|in|out|"
    r"slowly|gradually|quickly|smoothly|steadily|progressively|gently|fast|now|again|please|too|(?:even\s+)?more|"
    r"some|much|way|lots)(?:\s+(?:a\s+)?(?:bit|little|lot|more|closer|slowly|please|now))*",
    _I,
)
_NAMED = re.compile(r"^((?:(?:the|my|our|his|her|their|this|that)\s+)?(?P<noun>[a-z]+))\s+[A-Z][a-z]+$")
# the kinds of thing people give names to (a capitalised word after another noun is a brand or a place)
_NAMEABLE = frozenset(
    "dog cat horse puppy kitten pup kitty bird parrot rabbit bunny hamster pony cow sheep goat pig duck fish tortoise "
    "turtle boy girl baby son daughter kid child brother sister friend mum mom dad husband wife grandma grandpa "
    "nephew niece cousin teddy doll".split()
)
_BOTH = re.compile(r"^(?:the\s+)?both\s+(?:of\s+(?:the\s+)?)?(?=[a-z]+s\b)", _I)
_SUPERLATIVE = {"bigger": "biggest", "larger": "largest", "smaller": "smallest", "tinier": "tiniest"}
_COMPARATIVE = re.compile(r"\b(?:bigger|larger|smaller|tinier)\b(?!\s+(?:than|one of)\b)", _I)


# a relative clause before where the thing is: "the bird that's sitting on the fence" -> "the bird sitting on
# the fence", "the cup which is on the table" -> "the cup on the table" (the relation reader takes it from there)
_POSTURE = re.compile(
    r"\s+(?:that|which|who)(?:'s|\s+is|\s+are|\s+was|\s+were)?(?=\s+(?:(?:standing|sitting|lying|laying|parked|perched|"
    r"resting|hanging|leaning|sleeping|waiting|placed|located|positioned)\s+)?"
    r"(?:behind|in front of|on top of|on|next to|beside|near|under|underneath|beneath|below|above|to the left of|"
    r"to the right of|left of|right of)\s)",
    _I,
)
# one of a group picked by a comparative: "the smaller of the two dogs", "the biggest of the boats"
_ONE_OF = re.compile(
    r"^(?:the\s+)?(?P<which>(?:small|bigg?|larg|tall|short|dark|light|bright|old|young)(?:er|est)|nearer|nearest|"
    r"further|furthest|farther|farthest|left|right|top|bottom|leftmost|rightmost|front|back)\s+(?:one\s+)?of\s+"
    r"(?:the\s+|these\s+|those\s+)?(?:two|three|four|both|all|\d+)?\s*(?P<kind>[a-z]+)$",
    _I,
)


_US_ES = frozenset(("houses", "blouses", "mouses", "causes", "fuses", "muses"))


def _singular(word: str) -> str:
    """A plural noun's singular, by its regular endings ("dogs" -> "dog", "buses" -> "bus")."""
    low = word.lower()
    if low in ("people", "men", "women", "children"):
        return {"people": "person", "men": "man", "women": "woman", "children": "child"}[low]
    if low.endswith(("sses", "xes", "ches", "shes", "zzes")) or (low.endswith("uses") and low not in _US_ES):
        return word[:-2]
    if low.endswith("ies") and len(low) > 4:
        return word[:-3] + "y"
    if low.endswith("s") and not low.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


# whose the thing is, when the words name no person the tools could find ("my dog", "our car"); "his coat",
# "her hair", "their shoes" keep the owner: a person's part is found on a person, and an ambiguous part word
# (coat, top, legs) is a person's only with an owner (perception.person_parts)
_OWNER = re.compile(r"^(?:my|our|your)\s+(?=[a-z])(?!(?:own|self)\b)", _I)


# words that end the thing's name in "how many dogs show up", "the people crossing the street",
# "when a face is visible": a verb (or any -ing word that is not a noun) starts what it does
_DOING = set(
    "is are was were be can could do does did will would should may might has have had show shows showed turn "
    "turns fly flies flew run runs ran walk walks walked swim swims move moves moved drive drives drove go goes "
    "went pass passes passed cross crosses crossed come comes came appear appears appeared enter enters entered "
    "leave leaves ride rides rode jump jumps jumped play plays sit sits stand stands get gets stay stays "
    "remain remains exist exists visible seen shown present there that who which".split()
)
_ING_NOUNS = set(
    "building buildings painting paintings ceiling king ring rings thing things wing wings string clothing "
    "earring earrings swing swings spring wedding lightning evening morning icing sibling siblings "
    "duckling ducklings seedling railing railings awning".split()
)


def bare_subject(phrase: str) -> str:
    """The thing's name without what it does: "dogs show up in this clip" -> "dogs", "the people
    crossing the street" -> "the people", "a face is" -> "a face". The first word always stays."""
    words = phrase.strip(" ?.!").split()
    for i, w in enumerate(words[1:], 1):
        low = w.lower()
        if low in _DOING or (low.endswith("ing") and len(low) > 5 and low not in _ING_NOUNS):
            return " ".join(words[:i])
    return " ".join(words)


_QUESTION_HEAD = re.compile(
    r"^(?:(?:at |for |in |during )?(?:which|what) (?:times?|moments?|points?|parts?|seconds?|frames?)\s+"
    r"(?:is|are|does|do|did|was|were)?\s*|(?:for )?how long\s+(?:is|are|does|do|can you see|do you see)?\s*|"
    r"how much time\s+(?:is|are|does|do)?\s*|when\s+(?:is|are|does|do|did)?\s*|where\s+(?:is|are)?\s*|"
    r"(?:see|spot|notice)\s+)",
    _I,
)


def target_words(phrase: str) -> str:
    """The thing a phrase names for a video question or count: :func:`clean_target` after the
    question head ("at which times are", "for how long can you see") and before what the thing does
    ("dogs show up in this clip?" -> "dogs", "when a face is visible" -> "a face"). Adds no step."""
    text = _QUESTION_HEAD.sub("", phrase.strip())
    return clean_target(bare_subject(clean_target(text)))


# parts of a thing that no tool here outlines (faces, eyes and hair have their own finder): "the hammer
# handle", "the kitten's tail", "the handle of the mug", "the wheels of the bike"
_PARTS = (
    r"handles?|tails?|legs?|paws?|feet|foot|hooves|hoof|wings?|wheels?|tyres?|tires?|blades?|beaks?|horns?|"
    r"antlers?|manes?|fins?|claws?|spouts?|straps?|laces?|soles?|sleeves?|collars?|petals?|stems?|"
    r"bumpers?|headlights?|handlebars?|pedals?|spokes?|lens|lenses|necks?|bellies|belly"
)
_PART_AFTER = re.compile(
    rf"^(?P<the>the\s+|a\s+|its\s+)?(?P<whole>[a-z]+(?:\s+[a-z]+)?)(?:'s|s')?\s+(?P<part>{_PARTS})$", _I
)
_PART_OF = re.compile(rf"^(?:the\s+|its\s+)?(?P<part>{_PARTS})\s+of\s+(?P<whole>(?:the|this|that|a|an|my)\s+.+)$", _I)
# words before a part that are no thing: "the left handle", "the front wheel", "the red door"
_NO_WHOLE = re.compile(
    r"^(?:left|right|top|bottom|front|back|rear|upper|lower|middle|long|short|big|small|little|main|wooden|metal|"
    r"plastic|inner|outer|side|whole|entire|other|first|second|last|" + "|".join(COLORS) + r")$",
    _I,
)


def part_of_whole(phrase: str) -> tuple[str, str] | None:
    """(the whole, the part) for a part of a named thing that no tool outlines: "the hammer handle" ->
    ("the hammer", "handle"), "the kitten's tail" -> ("the kitten", "tail"), "the handle of the mug" ->
    ("the mug", "handle"); None for a thing named alone ("the door", "the red door") or a face part."""
    text = re.sub(r"\s+", " ", phrase.strip(" ,.?!"))
    if m := _PART_OF.match(text):
        return m.group("whole"), m.group("part").lower()
    m = _PART_AFTER.match(text)
    if m is None:
        return None
    whole = m.group("whole")
    if any(_NO_WHOLE.match(w) or w.lower() in ("the", "a", "an", "its", "this", "that") for w in whole.split()):
        return None
    return f"the {whole}", m.group("part").lower()


# "the brown one", "the big ones", "the one on the left": one of the things named before, picked by a word
_PICKER = (
    r"(?:" + "|".join(COLORS) + r"|gr[ae]y|dark|light|pale|bright|big|small|large|little|tiny|huge|tall|short|long|"
    r"fat|thin|skinny|round|square|old|young|baby|striped|spotted|fluffy|top|bottom|left|middle|front|back|"
    r"left-hand|right-hand|[a-z]+est|[a-z]+ish)"
)
ONE_OF_A_KIND = re.compile(
    rf"\bthe\s+(?:(?P<adj>{_PICKER}(?:\s+{_PICKER})?)\s+(?P<one>ones?)\b(?!\s+of\b)|(?P<bare>one|ones)(?=\s+(?:on|in|at|to|"
    r"near|by|behind|next|furthest|nearest|closest|with|that|which|who)\s+(?:the|a|an|its|his|her|their)\b))",
    _I,
)
_COLOUR_ONE = re.compile(r"^(?:" + "|".join(COLORS) + r"|gr[ae]y)\b", _I)


def _plural(word: str) -> str:
    low = word.lower()
    if low.endswith(("s", "x", "ch", "sh")):
        return word + "es"
    return word[:-1] + "ies" if low.endswith("y") and low[-2:-1] not in "aeiou" else word + "s"


def one_of_kind(text: str, kind: str | None) -> str:
    """``text`` with "the <word> one(s)" read as that kind ("the brown one", "hens" -> "the brown hen";
    "the one on the left" -> "the hen on the left"); unchanged without a kind."""
    if not kind:
        return text
    kind = _singular(re.sub(r"^(?:the|a|an|all|every|some)\s+", "", kind.strip(), flags=_I))
    if not re.fullmatch(r"[a-z]+(?: [a-z]+)?", kind, _I):
        return text

    def sub(m: re.Match[str]) -> str:
        one = m.group("one") or m.group("bare")
        noun = _plural(kind) if one.lower() == "ones" else kind
        return f"the {m.group('adj')} {noun}" if m.group("adj") else f"the {noun}"

    return ONE_OF_A_KIND.sub(sub, text)


def named_kind(history: list[dict] | None) -> str | None:
    """The kind of thing the session's latest turn named as a target (a count, a selection, a
    detection: "how many chickens are in this photo?" -> "chickens"), or None."""
    for turn in reversed(history or []):
        if (said := _counted_in_answer(turn)) is not None:
            return said
        for step in reversed(turn.get("steps") or []):
            args = step.get("args") or {}
            target = (
                args.get("target") if step.get("tool") in ("count", "segment", "detect", "track", "ground") else None
            )
            if isinstance(target, str) and target.strip():
                kind = clean_target(target)
                if kind and not ONE_OF_A_KIND.search(kind) and len(kind.split()) <= 3:
                    return kind.split()[-1] if not kind.lower().startswith("the main") else None
    return None


def _counted_in_answer(turn: dict) -> str | None:
    """The one kind a count, detection or selection turn's answer named, where the turn's steps carry no
    arguments (the agent graph records a turn's steps as tool and status only: "I count 4 chickens." ->
    "chickens"), or None."""
    steps = turn.get("steps") or []
    if not steps or any(step.get("args") for step in steps):
        return None
    if not {str(step.get("tool")) for step in steps} <= {"count", "detect", "segment", "track"}:
        return None
    from vitron_agent.planners.rule.answer_refs import named_in_answer

    names = named_in_answer(str(turn.get("answer") or ""))
    return names[0].split()[-1] if len(names) == 1 else None


def one_unnamed(text: str) -> str | None:
    """The question back for "the brown one" when nothing was named before it, in the session or in the
    request ("make the brown one white" alone: it painted every brown patch), or None. A place or a size
    ("the one on the right", "the big one") picks among the main things found, without a question."""
    m = ONE_OF_A_KIND.search(text)
    if (
        m is None
        or not _COLOUR_ONE.match(m.group("adj") or "")
        or re.search(r"\b(?:the|a|an|all|every|some|how many|count|these|those|them|they)\b", text[: m.start()], _I)
    ):
        return None
    said = m.group(0)
    return (
        f"Which thing is {said!r}? I have nothing named yet to pick it from: name the kind "
        f"(e.g. '{said.replace(m.group('one') or m.group('bare'), 'dog')}'), or count or select the things first."
    )
