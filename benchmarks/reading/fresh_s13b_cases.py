"""Session 13's fresh single-turn picture requests (readB), written before any of them was planned: every
picture tool and edit operation asked the way different people ask (short, indirect complaints, wordy, British
and American spellings, slang, typos, negations, questions and requests, a thing and a place, amounts).
Writes ``fresh_s13b.jsonl``; run with ``fresh_s13c.py --data fresh_s13b.jsonl``. The split rule is fixed:
within each group, even positions are ``tune`` and odd ones ``heldout`` (only tune misses are read).

Plans in the shorthand of ``fresh_s11_cases.py`` (``|`` separates alternatives; ``-`` is an empty plan).
Two labels were widened after the first run, before any fix: "delete the photobomber in the background" may
select the photobomber with its place, "dim the lights a bit" may darken lights in the picture. Conventions are
the benchmark's (``README.md``): ``amount`` only as ``low`` / ``high``; a size change with
no number by its direction (``<1``, ``>1``); a question about the picture is a ``describe`` (a ``segment``
first where it names a thing) and is not carried out as an edit.

    .venv/bin/python benchmarks/reading/fresh_s13b_cases.py && \
    .venv/bin/python benchmarks/reading/fresh_s13c.py --data benchmarks/reading/fresh_s13b.jsonl
"""

from __future__ import annotations

import json
from pathlib import Path

from fresh_s11_cases import parse_plan

HERE = Path(__file__).resolve().parent
M = "segment(target=main object)"


def E(op: str, **kw: object) -> str:
    """One whole-picture edit in shorthand."""
    args = ",".join([f"operation={op}"] + [f"{k}={v}" for k, v in kw.items()])
    return f"edit({args})"


def S(target: str, op: str, **kw: object) -> str:
    """A selection and an edit of it."""
    return f"segment(target={target}) > {E(op, **kw)}"


def LOOK(op: str, words: str) -> str:
    """A look: its own operation, or an instruct edit naming it."""
    return f"{E(op)} | {E('instruct', prompt=words)}"


GROUPS: dict[str, list[tuple[str, str]]] = {
    "brighten": [
        ("brighter", E("brighten")),
        ("it's way too dark", E("brighten")),
        ("can u lighten this pic up", E("brighten")),
        ("the photo is underexposed, please fix the exposure", E("brighten")),
        ("brighten it just a touch", E("brighten", amount="low")),
        ("make it much much brighter", E("brighten", amount="high")),
        ("bump up the exposure a tad", E("brighten", amount="low")),
        ("i can barely see anything, it's so dim", E("brighten")),
        ("lighten up the dog on the left", S("dog on the left", "brighten")),
        ("the face is too dark", S("face", "brighten")),
        ("brigten it", E("brighten")),
        ("could you make the picture a little lighter?", E("brighten", amount="low")),
    ],
    "darken": [
        ("darker", E("darken")),
        ("it's too bright", E("darken")),
        ("the whole thing is blown out, tone it down", E("darken")),
        ("darken the sky a lot", S("sky", "darken", amount="high")),
        ("make the picture slightly darker", E("darken", amount="low")),
        ("reduce the brightness", E("darken")),
        ("the background is too bright", S("main object", "darken", where="outside")),
        ("make it moodier and darker", E("darken")),
        ("dim the lights a bit", E("darken", amount="low") + " | " + S("lights", "darken", amount="low")),
        ("lower the exposure please", E("darken")),
    ],
    "contrast": [
        ("more contrast", E("contrast")),
        ("it looks flat and dull", f"{E('contrast')} | {E('saturate')}"),
        ("add some punch to the photo", f"{E('contrast')} | {E('saturate')}"),
        ("crank up the contrast a lot", E("contrast", amount="high")),
        ("increase contrast slightly", E("contrast", amount="low")),
        ("make the darks darker and the lights lighter", E("contrast")),
        ("boost the contrast of the building", S("building", "contrast")),
        ("give it more contrast pls", E("contrast")),
    ],
    "warmer": [
        ("warmer", E("warmer")),
        ("it looks too cold", E("warmer")),
        ("give it a warm golden glow", E("warmer")),
        ("make the colours a bit warmer", E("warmer", amount="low")),
        ("the photo feels icy and blue, fix it", E("warmer")),
        ("warm up the skin tones", S("skin", "warmer") + " | " + S("face", "warmer")),
        ("add a sunset warmth to it", E("warmer")),
        ("make it way warmer", E("warmer", amount="high")),
        ("can you warm the colors up?", E("warmer")),
        ("too blue, make it warmer", E("warmer")),
    ],
    "cooler": [
        ("cooler", E("cooler")),
        ("it's too yellow", E("cooler")),
        ("everything looks orange, cool it down", E("cooler")),
        ("give it a cold, wintry tone", E("cooler")),
        ("make it slightly cooler", E("cooler", amount="low")),
        ("cool down the colours on the water", S("water", "cooler")),
        ("the lighting is too warm", E("cooler")),
        ("add a blue tint to the picture", f"{E('cooler')} | {E('recolor', color='blue')}"),
        ("make it feel colder", E("cooler")),
        ("cooller please", E("cooler")),
    ],
    "saturate": [
        ("more vivid", E("saturate")),
        ("the colours look washed out", E("saturate")),
        ("make the colors pop", E("saturate")),
        ("boost the saturation a lot", E("saturate", amount="high")),
        ("make the flowers more colourful", S("flowers", "saturate")),
        ("it's so dull, liven up the colours", E("saturate")),
        ("increase saturation a little", E("saturate", amount="low")),
        ("richer colours please", E("saturate")),
    ],
    "desaturate": [
        ("less saturated", E("desaturate")),
        ("the colours are too strong", E("desaturate")),
        ("tone down the colours a bit", E("desaturate", amount="low")),
        ("don't make it black and white, just less colourful", E("desaturate")),
        ("make it look faded and muted", E("desaturate")),
        ("the red shirt is way too saturated", S("red shirt", "desaturate")),
        ("reduce the colour intensity", E("desaturate")),
        ("desaturate the background", S("main object", "desaturate", where="outside")),
    ],
    "grayscale": [
        ("b&w", E("grayscale")),
        ("make it monochrome", E("grayscale")),
        ("convert the photo to greyscale", E("grayscale")),
        ("remove all the colour", E("grayscale")),
        ("I'd like a black and white version of this", E("grayscale")),
        ("make everything grey except the red car", S("red car", "grayscale", where="outside")),
        ("turn the background black & white", S("main object", "grayscale", where="outside")),
        ("blak and white plz", E("grayscale")),
        ("can it be in black and white?", E("grayscale")),
        ("drain the colour out of the sky", S("sky", "grayscale") + " | " + S("sky", "desaturate")),
    ],
    "sharpen": [
        ("sharper", E("sharpen")),
        ("it's a bit blurry", E("sharpen")),
        ("the picture is out of focus, can you fix it", E("sharpen")),
        ("sharpen the text on the sign", S("sign", "sharpen")),
        ("make the details crisper", E("sharpen")),
        ("sharpen it a lot", E("sharpen", amount="high")),
        ("enhance the details of the face", S("face", "sharpen")),
        ("it's soft, crisp it up slightly", E("sharpen", amount="low")),
        ("shapren the photo", E("sharpen")),
        ("why so fuzzy? sharpen it", E("sharpen")),
    ],
    "denoise": [
        ("denoise", E("denoise")),
        ("it's really grainy, clean it up", E("denoise")),
        ("get rid of the noise in the shadows", E("denoise") + " | " + S("shadows", "denoise")),
        ("remove the speckles", E("denoise")),
        ("the photo is noisy from the high ISO", E("denoise")),
        ("smooth out the grain a little", E("denoise", amount="low")),
        ("reduce noise", E("denoise")),
        ("de-noise the night sky", S("night sky", "denoise")),
    ],
    "blur": [
        ("blur the face", S("face", "blur")),
        ("make the licence plate unreadable", S("licence plate", "blur") + " | " + S("licence plate", "pixelate")),
        ("soften the whole photo a bit", E("blur", amount="low")),
        ("blur the kid on the right", S("kid on the right", "blur")),
        ("hide the faces with a blur", S("faces", "blur")),
        ("give the background a nice bokeh", S("main object", "blur", where="outside")),
        ("blur out the background heavily", S("main object", "blur", where="outside", amount="high")),
        ("make the background blurry but keep the dog sharp", S("dog", "blur", where="outside")),
        ("put the background out of focus", S("main object", "blur", where="outside")),
        ("bluring the backround pls", S("main object", "blur", where="outside")),
        ("can you blur the car on the left?", S("car on the left", "blur")),
        ("blur everything except the woman", S("woman", "blur", where="outside")),
    ],
    "pixelate": [
        ("pixelate the face", S("face", "pixelate")),
        ("censor the license plate with pixels", S("license plate", "pixelate")),
        ("mosaic the screen on the laptop", S("screen", "pixelate") + " | " + S("laptop screen", "pixelate")),
        ("make the kid's face all pixelly", S("kid's face", "pixelate") + " | " + S("face", "pixelate")),
        ("pixellate the phone number", S("phone number", "pixelate")),
        ("blocky pixels over the man on the left", S("man on the left", "pixelate")),
    ],
    "remove": [
        ("remove the car", S("car", "remove")),
        ("get rid of that ugly bin", S("bin", "remove")),
        ("erase the person on the right", S("person on the right", "remove")),
        ("can you take the cup off the table?", S("cup", "remove")),
        (
            "delete the photobomber in the background",
            S("photobomber", "remove")
            + " | "
            + S("person", "remove")
            + " | "
            + S("photobomber in the background", "remove"),
        ),
        ("I don't want the lamp in the shot", S("lamp", "remove")),
        ("wipe out the wires", S("wires", "remove")),
        ("remvoe the bottle", S("bottle", "remove")),
        ("lose the sign on the left", S("sign on the left", "remove")),
        ("make the bird disappear", S("bird", "remove")),
        ("no dog please, take it out", S("dog", "remove")),
        ("clean up the trash on the ground", S("trash", "remove")),
    ],
    "recolor": [
        ("make the car blue", S("car", "recolor", color="blue")),
        ("paint the front door red", S("front door", "recolor", color="red")),
        ("change the colour of her dress to purple", S("dress", "recolor", color="purple")),
        ("I want the shirt in green", S("shirt", "recolor", color="green")),
        ("turn the left dog grey", S("left dog", "recolor", color="gray")),
        ("recolour the umbrella yellow", S("umbrella", "recolor", color="yellow")),
        ("what would the bus look like in pink? make it pink", S("bus", "recolor", color="pink")),
        ("the sofa should be orange", S("sofa", "recolor", color="orange")),
        ("colour the cat black", S("cat", "recolor", color="black")),
        ("make the shoes white instead of brown", S("shoes", "recolor", color="white")),
        ("don't crop it, just make the bag red", S("bag", "recolor", color="red")),
        ("could the jacket be navy blue?", S("jacket", "recolor", color="blue")),
        ("bleu car please", S("car", "recolor", color="blue")),
        ("dye her hair pink", S("hair", "recolor", color="pink")),
    ],
    "colour_two": [
        (
            "make the car red and the truck blue",
            f"{S('car', 'recolor', color='red')} > {S('truck', 'recolor', color='blue')}",
        ),
        ("brighten it and make it warmer", f"{E('brighten')} > {E('warmer')}"),
        ("make it warmer and more saturated", f"{E('warmer')} > {E('saturate')}"),
        ("sharpen it and add some contrast", f"{E('sharpen')} > {E('contrast')}"),
        ("darker and cooler", f"{E('darken')} > {E('cooler')}"),
        ("a bit brighter and a lot sharper", f"{E('brighten', amount='low')} > {E('sharpen', amount='high')}"),
        (
            "make the sky bluer and the grass greener",
            f"{S('sky', 'saturate')} > {S('grass', 'saturate')} | {S('sky', 'cooler')} > {S('grass', 'saturate')} | {S('sky', 'recolor', color='blue')} > {S('grass', 'recolor', color='green')} | {S('sky', 'saturate')} > {S('grass', 'recolor', color='green')}",
        ),
        (
            "paint the door green and the walls white",
            f"{S('door', 'recolor', color='green')} > {S('walls', 'recolor', color='white')}",
        ),
    ],
    "outline": [
        ("outline the dog", S("dog", "outline")),
        ("draw a red line around the car", S("car", "outline", color="red")),
        ("circle the man in the hat", S("man in the hat", "outline")),
        ("highlight the bottle with a border", S("bottle", "outline")),
        ("trace the edges of the cat in yellow", S("cat", "outline", color="yellow")),
        ("put a green outline round the tree on the right", S("tree on the right", "outline", color="green")),
    ],
    "cutout": [
        ("cut out the dog", S("dog", "cutout")),
        ("make a transparent png of the bottle", S("bottle", "cutout")),
        ("remove the background", S("main object", "cutout") + " | " + S("main object", "keep_only")),
        ("get the cat on its own with no background", S("cat", "cutout") + " | " + S("cat", "keep_only")),
        ("i need a sticker of the person", S("person", "cutout")),
        ("isolate the car from the background", S("car", "cutout") + " | " + S("car", "keep_only")),
        ("extract the guitar", S("guitar", "cutout")),
        ("transparent background please", S("main object", "cutout")),
    ],
    "background": [
        ("put the dog on a white background", S("dog", "replace_background", color="white")),
        ("make the background black", S("main object", "replace_background", color="black")),
        ("swap the background for a beach", S("main object", "inpaint", prompt="beach", where="outside")),
        ("change the backdrop to plain grey", S("main object", "replace_background", color="gray")),
        ("replace the sky with a sunset", S("sky", "inpaint", prompt="sunset")),
        (
            "put him in front of a blue wall",
            S("main object", "replace_background", color="blue")
            + " | "
            + S("person", "replace_background", color="blue")
            + " | "
            + S("main object", "inpaint", prompt="blue wall", where="outside"),
        ),
        ("i want a snowy mountain behind the car", S("car", "inpaint", prompt="snowy mountain", where="outside")),
        ("background should be pure white for the shop", S("main object", "replace_background", color="white")),
    ],
    "inpaint": [
        ("replace the dog with a cat", S("dog", "inpaint", prompt="cat")),
        ("swap the cup for a glass of wine", S("cup", "inpaint", prompt="glass of wine")),
        ("turn the car into a horse", S("car", "inpaint", prompt="horse")),
        ("put a hat on the man", E("instruct", prompt="hat man")),
        (
            "change the apple to an orange",
            S("apple", "inpaint", prompt="orange") + " | " + S("apple", "recolor", color="orange"),
        ),
        (
            "fill the empty chair with a teddy bear",
            S("empty chair", "inpaint", prompt="teddy bear") + " | " + S("chair", "inpaint", prompt="teddy bear"),
        ),
    ],
    "keep_only": [
        ("keep only the dog", S("dog", "keep_only")),
        ("show just the people, nothing else", S("people", "keep_only")),
        ("blank out everything but the car", S("car", "keep_only")),
        ("only the flower should remain", S("flower", "keep_only")),
        ("hide everything apart from the cake", S("cake", "keep_only")),
        ("leave only the woman on the right", S("woman on the right", "keep_only")),
    ],
    "crop": [
        ("crop to the dog", S("dog", "crop")),
        ("zoom in on the face", S("face", "crop")),
        ("crop it square", E("crop", aspect="1:1")),
        ("make it 16:9", E("crop", aspect="16:9")),
        ("cut away everything except the car", S("car", "crop") + " | " + S("car", "keep_only")),
        ("tighter crop around the cat please", S("cat", "crop")),
        ("crop to a 4:5 portrait", E("crop", aspect="4:5")),
        ("can you frame it closer on the baby", S("baby", "crop")),
        ("crop it to the left half", S("left half", "crop") + " | " + S("left", "crop")),
        ("croop to the bird", S("bird", "crop")),
    ],
    "flip": [
        ("flip", E("flip", direction="horizontal")),
        ("mirror it", E("flip", direction="horizontal")),
        ("flip it vertically", E("flip", direction="vertical")),
        ("make a mirror image of the photo", E("flip", direction="horizontal")),
        ("flip it left to right", E("flip", direction="horizontal")),
        ("flip it top to bottom", E("flip", direction="vertical")),
        ("it's back to front, flip it", E("flip", direction="horizontal")),
        ("horizontally flip the picture", E("flip", direction="horizontal")),
    ],
    "rotate": [
        ("rotate it", E("rotate", angle=90)),
        ("turn it 90 degrees to the left", E("rotate", angle=-90)),
        ("it's sideways, rotate it clockwise", E("rotate", angle=90)),
        ("rotate 180", E("rotate", angle=180)),
        ("tilt it 15 degrees", E("rotate", angle=15) + " | " + E("rotate", angle=-15)),
        ("spin it a quarter turn anticlockwise", E("rotate", angle=-90)),
        ("rotate by 45°", E("rotate", angle=45)),
        ("rotate it counterclockwise", E("rotate", angle=-90)),
    ],
    "resize": [
        ("smaller", E("resize", scale="<1")),
        ("make it half the size", E("resize", scale=0.5)),
        ("double the size", E("resize", scale=2)),
        ("resize to 800 pixels wide", E("resize", width=800)),
        ("shrink it by 20%", E("resize", scale=0.8)),
        ("scale it up a bit", E("resize", scale=">1")),
        ("it's too big to email, make it smaller", E("resize", scale="<1")),
        ("resize it to 1080 tall", E("resize", height=1080)),
        ("make it bigger", E("resize", scale=">1")),
        ("upscale it 3x", E("resize", scale=3)),
    ],
    "text": [
        ("write hello on it", E("text", text="hello")),
        ("add the caption 'summer 2024'", E("text", text="summer 2024")),
        ("put happy birthday at the top", E("text", text="happy birthday", place="top")),
        ("add text saying SALE", E("text", text="sale")),
        ("caption it: best day ever", E("text", text="best day ever")),
        ("stamp 'draft' across the picture", E("text", text="draft")),
    ],
    "looks": [
        ("add a vignette", E("vignette")),
        ("make it look old, sepia style", LOOK("sepia", "sepia")),
        ("add film grain", E("grain")),
        ("invert the colours", E("invert")),
        ("turn it into a pencil sketch", LOOK("sketch", "pencil sketch")),
        ("cartoonify it", LOOK("cartoon", "cartoon")),
        ("give it a posterised look", E("posterize")),
        ("make it look like a negative", E("invert")),
        ("darken the corners", E("vignette")),
        ("emboss it", E("emboss")),
        ("add a white border", E("border")),
        ("make it look like a comic", LOOK("cartoon", "comic")),
    ],
    "segment": [
        ("segment the dog", "segment(target=dog)"),
        ("select the person on the left", "segment(target=person on the left)"),
        ("mask the sky", "segment(target=sky)"),
        ("show me where the car is", "segment(target=car) | segment(target=car) > describe()"),
        ("highlight the cat", "segment(target=cat) | segment(target=cat) > edit(operation=outline)"),
        ("give me a mask of the trees", "segment(target=trees)"),
        ("pick out the red umbrella", "segment(target=red umbrella)"),
        ("find the biggest bottle and select it", "segment(target=biggest bottle) | segment(target=largest bottle)"),
    ],
    "detect": [
        ("detect objects", "detect()"),
        ("what objects can you find? draw boxes", "detect()"),
        ("put boxes around the cars", "detect(target=cars)"),
        ("find every person in the photo", "detect(target=person) | count(target=person)"),
        ("label everything you see with boxes", "detect()"),
        ("locate the dogs", "detect(target=dogs) | segment(target=dogs)"),
        ("bounding boxes for all the bikes pls", "detect(target=bikes)"),
        ("detect the birds", "detect(target=birds)"),
    ],
    "count": [
        ("how many people?", "count(target=people)"),
        ("count the cars", "count(target=cars)"),
        ("how many dogs are in this photo", "count(target=dogs)"),
        ("number of birds?", "count(target=birds)"),
        ("can you tell me how many apples there are", "count(target=apples)"),
        ("count the people on the left", "count(target=people,place=left) | count(target=people on the left)"),
        ("how many red cars are there?", "count(target=red cars) | count(target=cars,color=red)"),
        ("hw many cats r there", "count(target=cats)"),
    ],
    "describe": [
        ("what's this?", "describe()"),
        ("describe the photo", "describe()"),
        ("what's going on in this picture?", "describe()"),
        ("tell me about the dog", "segment(target=dog) > describe()"),
        ("what colour is the car?", "segment(target=car) > describe() | describe()"),
        ("caption this", "describe()"),
        ("is the photo too dark?", "describe()"),
        ("why is it so dark?", "describe()"),
        ("why does it look so blurry?", "describe()"),
        ("what is the man on the left wearing?", "segment(target=man on the left) > describe() | describe()"),
        ("is there a cat in it?", "describe() | count(target=cat) | detect(target=cat)"),
        ("what's in the background?", "describe() | segment(target=main object) > describe()"),
        ("why are the colours so washed out?", "describe()"),
        ("is it in focus?", "describe()"),
    ],
    "read_text": [
        ("read the text", "read_text()"),
        ("what does the sign say?", "read_text()"),
        ("transcribe the writing on the board", "read_text()"),
        ("OCR this", "read_text()"),
        ("what's written on the label?", "read_text()"),
        ("can you read the menu for me", "read_text()"),
    ],
    "animate": [
        ("animate it", "animate()"),
        ("make the photo move", "animate()"),
        ("turn this picture into a short video", "animate()"),
        ("add a slow zoom in effect as a clip", "animate()"),
        ("bring the photo to life", "animate()"),
        ("make a ken burns pan of it", "animate()"),
    ],
}


def build() -> list[dict]:
    out = []
    for family, items in GROUPS.items():
        for k, (request, plans) in enumerate(items):
            first, *more = [parse_plan(p) for p in plans.split(" | ")]
            case = {"id": f"s13b-{family}-{k:03d}", "request": request, "input": "image", "intent": family}
            case["plan"] = first
            if more:
                case["alternatives"] = more
            case["half"] = "tune" if k % 2 == 0 else "heldout"
            out.append(case)
    return out


def main() -> int:
    cases = build()
    (HERE / "fresh_s13b.jsonl").write_text("".join(json.dumps(c) + "\n" for c in cases))
    halves = {h: sum(c["half"] == h for c in cases) for h in ("tune", "heldout")}
    print(f"{len(cases)} cases: {halves}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
