"""The names people use for COCO's 80 classes: the class list, the words that name each ("the
people", "her", "bike": bicycle or motorcycle) and :func:`named`, which reads what a target
phrase names ("the red motorbike on the left" → motorcycle, one; "the people" → person, all).
The detector that finds them is :mod:`vitron_agent.perception.detector`."""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["COCO80", "ALIASES", "Named", "named", "one_of", "singular_forms"]

COCO80 = (
    "person",
    "bicycle",
    "car",
    "motorcycle",
    "airplane",
    "bus",
    "train",
    "truck",
    "boat",
    "traffic light",
    "fire hydrant",
    "stop sign",
    "parking meter",
    "bench",
    "bird",
    "cat",
    "dog",
    "horse",
    "sheep",
    "cow",
    "elephant",
    "bear",
    "zebra",
    "giraffe",
    "backpack",
    "umbrella",
    "handbag",
    "tie",
    "suitcase",
    "frisbee",
    "skis",
    "snowboard",
    "sports ball",
    "kite",
    "baseball bat",
    "baseball glove",
    "skateboard",
    "surfboard",
    "tennis racket",
    "bottle",
    "wine glass",
    "cup",
    "fork",
    "knife",
    "spoon",
    "bowl",
    "banana",
    "apple",
    "sandwich",
    "orange",
    "broccoli",
    "carrot",
    "hot dog",
    "pizza",
    "donut",
    "cake",
    "chair",
    "couch",
    "potted plant",
    "bed",
    "dining table",
    "toilet",
    "tv",
    "laptop",
    "mouse",
    "remote",
    "keyboard",
    "cell phone",
    "microwave",
    "oven",
    "toaster",
    "sink",
    "refrigerator",
    "book",
    "clock",
    "vase",
    "scissors",
    "teddy bear",
    "hair drier",
    "toothbrush",
)
_PERSON = ("person",)
# What people call the COCO classes. A word may name several classes ("bike": bicycle or motorcycle).
ALIASES: dict[str, tuple[str, ...]] = {
    **{
        w: _PERSON
        for w in (
            "people",
            "persons",
            "human",
            "humans",
            "man",
            "men",
            "woman",
            "women",
            "guy",
            "guys",
            "girl",
            "girls",
            "boy",
            "boys",
            "child",
            "children",
            "kid",
            "kids",
            "baby",
            "lady",
            "ladies",
            "gentleman",
            "someone",
            "somebody",
            "astronaut",
            "her",
            "him",
            "she",
            "he",
            "player",
            "players",
            "rider",
            "cameraman",
            "photographer",
            "worker",
            "pedestrian",
            "pedestrians",
            "individual",
            "figure",
            "adult",
            "adults",
            "toddler",
            "teenager",
            "skier",
            "surfer",
            "biker",
            "cyclist",
            "driver",
            "soldier",
            "athlete",
            "crowd",
        )
    },
    "bike": ("bicycle", "motorcycle"),
    "bikes": ("bicycle", "motorcycle"),
    "cycle": ("bicycle",),
    "motorbike": ("motorcycle",),
    "motorbikes": ("motorcycle",),
    "scooter": ("motorcycle",),
    "moped": ("motorcycle",),
    "kitty": ("cat",),
    "kitten": ("cat",),
    "kittens": ("cat",),
    "puppy": ("dog",),
    "puppies": ("dog",),
    "doggy": ("dog",),
    "pup": ("dog",),
    "mug": ("cup",),
    "mugs": ("cup",),
    "teacup": ("cup",),
    "coffee": ("cup",),
    "sofa": ("couch",),
    "settee": ("couch",),
    "television": ("tv",),
    "telly": ("tv",),
    "monitor": ("tv",),
    "phone": ("cell phone",),
    "smartphone": ("cell phone",),
    "mobile": ("cell phone",),
    "cellphone": ("cell phone",),
    "plane": ("airplane",),
    "aeroplane": ("airplane",),
    "jet": ("airplane",),
    "aircraft": ("airplane",),
    "ship": ("boat",),
    "yacht": ("boat",),
    "canoe": ("boat",),
    "automobile": ("car",),
    "taxi": ("car",),
    "cab": ("car",),
    "suv": ("car",),
    "lorry": ("truck",),
    "pickup": ("truck",),
    "table": ("dining table",),
    "desk": ("dining table",),
    "plant": ("potted plant",),
    "houseplant": ("potted plant",),
    "ball": ("sports ball",),
    "football": ("sports ball",),
    "soccer": ("sports ball",),
    "glass": ("wine glass", "cup"),
    "bag": ("handbag", "backpack", "suitcase"),
    "purse": ("handbag",),
    "rucksack": ("backpack",),
    "luggage": ("suitcase",),
    "doughnut": ("donut",),
    "hotdog": ("hot dog",),
    "computer": ("laptop",),
    "notebook": ("laptop", "book"),
    "fridge": ("refrigerator",),
    "hydrant": ("fire hydrant",),
    "teddy": ("teddy bear",),
    "hairdryer": ("hair drier",),
    "pony": ("horse",),
    "lamb": ("sheep",),
    "cattle": ("cow",),
    "calf": ("cow",),
    "bull": ("cow",),
    "racket": ("tennis racket",),
    "racquet": ("tennis racket",),
    "seat": ("chair", "couch", "bench"),
    "armchair": ("chair", "couch"),
    "stool": ("chair",),
    "lamppost": ("traffic light",),
    "tablet": ("laptop", "cell phone"),
    "screen": ("tv", "laptop"),
    "birdie": ("bird",),
    "parrot": ("bird",),
    "duck": ("bird",),
    "pigeon": ("bird",),
    "seagull": ("bird",),
    "animal": ("cat", "dog", "horse", "sheep", "cow", "elephant", "bear", "zebra", "giraffe", "bird"),
    "animals": ("cat", "dog", "horse", "sheep", "cow", "elephant", "bear", "zebra", "giraffe", "bird"),
    "pet": ("cat", "dog"),
    "pets": ("cat", "dog"),
    "vehicle": ("car", "truck", "bus", "motorcycle", "bicycle"),
    "vehicles": ("car", "truck", "bus", "motorcycle", "bicycle"),
    "fruit": ("banana", "apple", "orange"),
    "food": ("sandwich", "pizza", "donut", "cake", "hot dog", "banana", "apple", "orange", "broccoli", "carrot"),
}
_IRREGULAR = {
    "mice": "mouse",
    "knives": "knife",
    "sheep": "sheep",
    "skis": "skis",
    "geese": "bird",
    "buses": "bus",
    "glasses": "glass",
    "couches": "couch",
    "benches": "bench",
    "sandwiches": "sandwich",
    "dishes": "bowl",
    "boxes": "box",
    "scissors": "scissors",
    "remotes": "remote",
}
_MULTI = sorted((c for c in COCO80 if " " in c), key=len, reverse=True)


@dataclass(frozen=True)
class Named:
    """What a phrase names: the COCO labels it may mean, the word that said so, and whether it
    asks for every one ("the people", "all the cups") or one."""

    labels: tuple[str, ...]
    word: str
    plural: bool


def _singular(word: str) -> str:
    """The singular of a plural noun; of the forms a plural may come from ("horses": "hors" or "horse";
    "buses": "bus"), the one that is a COCO class or an alias when one is ("horses" was read as "hors", so
    "how many horses are in this video?" was refused as not a COCO kind)."""
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    forms = singular_forms(word)
    known = [f for f in forms if f in COCO80 or f in ALIASES]
    return (known or forms or [word])[0]


_ONE_OF_THEM = {"people": "person", "men": "man", "women": "woman", "children": "child", "ladies": "lady"}


def one_of(word: str) -> str:
    """The word for one of the things a plural names, for a sentence ("I counted 1 distinct child", "a lady
    from other people"): the people words' own singulars, else :func:`_singular`."""
    return _ONE_OF_THEM.get(word) or _singular(word)


def singular_forms(word: str) -> list[str]:
    """The singulars a plural noun may have by its regular endings, in this order: "-ies" less "-ies" plus
    "-y", "-ses" / "-xes" / "-ches" / "-shes" / "-zes" less "-es", "-s" less "-s" ("horses": "hors",
    "horse"); none for a word with none of these endings. The caller picks the one it knows."""
    forms = []
    if word.endswith("ies") and len(word) > 4:
        forms.append(word[:-3] + "y")
    if word.endswith(("ses", "xes", "ches", "shes", "zes")):
        forms.append(word[:-2])
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        forms.append(word[:-1])
    return forms


def named(phrase: str | None) -> Named | None:
    """The COCO labels ``phrase`` names, or None when it names none ("the sky", "the flag").
    The head noun counts: "the man's hat" names no COCO class, "her" alone is a person."""
    if not phrase:
        return None
    text = re.sub(r"'s\b", "", phrase.lower())
    text = (
        re.sub(
            r"\b(?:on|in|at|near|with|behind|under|above|below|beside|next to|by|from|of|inside|over|"
            r"holding|wearing|that|which|who)\b.*$",
            "",
            text,
        ).strip()
        or text
    )
    plural_hint = bool(re.search(r"\b(?:all|every|each|both|the two|several|many|any)\b", text))
    for multi in _MULTI:
        if re.search(rf"\b{multi}s?\b", text):
            return Named((multi,), multi, plural_hint or bool(re.search(rf"\b{multi}s\b", text)))
    words = re.findall(r"[a-z]+", text)
    for word in reversed(words):
        single = _singular(word)
        plural = (
            plural_hint
            or (single != word and word not in ("glass",))
            or word
            in ("people", "men", "women", "children", "kids", "crowd", "cattle", "animals", "pets", "vehicles", "food")
        )
        if word in ALIASES:
            return Named(ALIASES[word], word, plural)
        if single in COCO80:
            return Named((single,), word, plural)
        if single in ALIASES:
            return Named(ALIASES[single], word, plural)
        if word in _NOT_HEAD:
            continue
        return None  # the head noun is something else ("her face", "the flag")
    return None


# Words that are not the head noun of a target (colours, sizes, positions, articles, pronouns ...)
_NOT_HEAD = set(
    """the a an this that these those my your his its our their all every each both some any one two
three four five several many few more most other another only just same whole entire left right top bottom center
centre middle upper lower leftmost rightmost topmost bottommost front back far near big bigger biggest large larger
largest small smaller smallest tiny little huge tall short long wide main first second last nearest closest red
orange yellow green blue purple pink brown black white gray grey dark light pale deep bright navy teal gold beige
olive maroon cyan magenta violet silver striped old young new wooden metal shiny is are there do you see
image picture photo photograph scene""".split()
)
