"""Fresh image requests for readA (session 10), written and labelled before any was planned.

Writes tune.jsonl (the half tuned on) and test.jsonl (the held-out half) beside this file: within each
family, cases alternate between the halves in the order written.
"""

import json
from pathlib import Path

HERE = Path(__file__).resolve().parent


def S(target, **kw):
    return {"tool": "segment", "args": {"target": target, **kw}}


def E(op, **kw):
    return {"tool": "edit", "args": {"operation": op, **kw}}


MAIN = "main object"
D = {"tool": "describe", "args": {}}
R = {"tool": "read_text", "args": {}}


def C(t):
    return {"tool": "count", "args": {"target": t}}


def DET(t=None):
    return {"tool": "detect", "args": {"target": t} if t else {}}


CASES = [
    # tone: brighten / darken / contrast
    ("brighten", "its way too dark in here, can u lighten it up", [E("brighten")]),
    ("brighten", "Could you brighten the photo ever so slightly?", [E("brighten", amount="low")]),
    ("brighten", "brighten her face a touch", [S("face"), E("brighten", amount="low")]),
    ("brighten", "lift the shadows a bit, it's all murky", [E("brighten", amount="low")]),
    ("brighten", "brighten everything but not the sky", [S("sky"), E("brighten", where="outside")]),
    ("brighten", "make it loads brighter", [E("brighten", amount="high")]),
    ("brighten", "the dog is too dark, brighten him up", [S("dog"), E("brighten")]),
    ("brighten", "increase the exposure", [E("brighten")]),
    ("darken", "knock the brightness down a little", [E("darken", amount="low")]),
    ("darken", "the sky is blown out, can you darken it", [S("sky"), E("darken")]),
    ("darken", "make the whole thing way darker", [E("darken", amount="high")]),
    ("darken", "darken the background, not the girl", [S("girl"), E("darken", where="outside")]),
    ("darken", "it's too bright, my eyes hurt lol", [E("darken")]),
    ("darken", "could you dim the lamp a bit", [S("lamp"), E("darken", amount="low")]),
    ("contrast", "add some punch, more contrast", [E("contrast")]),
    ("contrast", "way more contrast please", [E("contrast", amount="high")]),
    ("contrast", "bump up the contrast a tad", [E("contrast", amount="low")]),
    ("contrast", "it looks washed out and flat, increase contrast", [E("contrast")]),
    ("contrast", "more contrast on the mountains only", [S("mountains"), E("contrast")]),
    ("contrast", "incrase contrast abit", [E("contrast", amount="low")]),
    # colour tone
    ("warmer", "give it a warmer, golden-hour feel", [E("warmer")]),
    ("warmer", "warm it up just a little bit", [E("warmer", amount="low")]),
    ("warmer", "the skin looks too blue, warm the faces up", [S("faces"), E("warmer")]),
    ("warmer", "make it feel cosier and warmer, but leave the sky alone", [S("sky"), E("warmer", where="outside")]),
    ("cooler", "make it feel colder, more wintry", [E("cooler")]),
    ("cooler", "its too yellow, can you fix the colour so it's cooler", [E("cooler")]),
    ("cooler", "cool down the tones a smidge", [E("cooler", amount="low")]),
    ("cooler", "give the water a cooler tint", [S("water"), E("cooler")]),
    ("saturate", "i want the colours to really pop", [E("saturate")]),
    ("saturate", "boost the saturation massively", [E("saturate", amount="high")]),
    ("saturate", "make the flowers more vivid", [S("flowers"), E("saturate")]),
    ("saturate", "more colourful please, it's a bit drab", [E("saturate")]),
    ("desaturate", "tone the colours down a bit, they're garish", [E("desaturate", amount="low")]),
    ("desaturate", "don't make it black and white, just mute the colors a little", [E("desaturate", amount="low")]),
    ("desaturate", "less saturated please", [E("desaturate")]),
    ("desaturate", "the jacket is too bright a red, desaturate it", [S("jacket"), E("desaturate")]),
    ("grayscale", "turn this into a black & white photo", [E("grayscale")]),
    ("grayscale", "monochrome please", [E("grayscale")]),
    (
        "grayscale",
        "make the background greyscale but keep the dog in colour",
        [S("dog"), E("grayscale", where="outside")],
    ),
    ("grayscale", "can u do it in b&w", [E("grayscale")]),
    ("grayscale", "remove all colour from the picture", [E("grayscale")]),
    ("grayscale", "grayscale the car", [S("car"), E("grayscale")]),
    # colour of things
    ("recolor", "turn the car bright red", [S("car"), E("recolor", color="bright red")]),
    ("recolor", "make her dress pink instead of blue", [S("dress"), E("recolor", color="pink")]),
    ("recolor", "i want the door to be yellow", [S("door"), E("recolor", color="yellow")]),
    (
        "recolor",
        "could you change the colour of the umbrella to purple please",
        [S("umbrella"), E("recolor", color="purple")],
    ),
    ("recolor", "recolour the walls grey", [S("walls"), E("recolor", color="gray")]),
    ("recolor", "what would the bike look like in green? show me", [S("bike"), E("recolor", color="green")]),
    ("recolor", "paint the fence white but not the gate", [S("fence"), E("recolor", color="white")]),
    ("recolor", "the sofa should be orange", [S("sofa"), E("recolor", color="orange")]),
    ("recolor", "change the shirt to black", [S("shirt"), E("recolor", color="black")]),
    ("recolor", "make the sky purple", [S("sky"), E("recolor", color="purple")]),
    # geometry
    ("crop", "square crop pls", [E("crop", aspect="1:1")]),
    ("crop", "crop in on the bird, tight", [S("bird"), E("crop", margin="<0.05")]),
    ("crop", "crop this to widescreen 16:9", [E("crop", aspect="16:9")]),
    ("crop", "trim the picture down to just the man", [S("man"), E("crop")]),
    ("crop", "can you crop so only the boat is in the shot", [S("boat"), E("crop")]),
    ("crop", "crop to the dog please, leave a bit of room around him", [S("dog"), E("crop", margin=">0.05")]),
    ("crop", "chop off the bottom half", [E("crop")]),
    ("crop", "crop it 4:5 for instagram", [E("crop", aspect="4:5")]),
    ("resize", "make the image half as big", [E("resize", scale=0.5)]),
    ("resize", "resize it so it's 800 pixels wide", [E("resize", width=800)]),
    ("resize", "can you make it smaller", [E("resize", scale="<1")]),
    ("resize", "double its size please", [E("resize", scale=2.0)]),
    ("resize", "scale it down to a quarter of the size", [E("resize", scale=0.25)]),
    ("resize", "resize to 1024x768", [E("resize", width=1024, height=768)]),
    ("rotate", "rotate it 90 degrees to the left", [E("rotate", angle=-90)]),
    ("rotate", "turn it upside down, it was shot the wrong way", [E("rotate", angle=180)]),
    ("rotate", "rotate clockwise", [E("rotate", angle=90)]),
    ("rotate", "its sideways, rotate it anticlockwise", [E("rotate", angle=-90)]),
    ("rotate", "spin it 180", [E("rotate", angle=180)]),
    ("rotate", "tilt it 15 degrees to the right", [E("rotate", angle=15)]),
    ("flip", "mirror the image", [E("flip", direction="horizontal")]),
    ("flip", "flip the image vertically", [E("flip", direction="vertical")]),
    ("flip", "flip the photo from left to right", [E("flip", direction="horizontal")]),
    ("flip", "can you do a mirror image of this", [E("flip", direction="horizontal")]),
    ("flip", "flip upside-down", [E("flip", direction="vertical")]),
    # blur / sharpen / denoise
    ("blur", "blur out everybody's faces", [S("faces"), E("blur")]),
    ("blur", "hide the number plate on the van", [S("number plate on the van"), E("blur")]),
    ("blur", "pixelate the kids faces", [S("kids faces"), E("pixelate")]),
    ("blur", "make the whole picture a bit blurry", [E("blur", amount="low")]),
    ("blur", "blur everything other than the bride", [S("bride"), E("blur", where="outside")]),
    ("blur", "soften the picture slightly", [E("blur", amount="low")]),
    ("blur", "blurr the screen of the laptop", [S("screen of the laptop"), E("blur")]),
    ("blur", "heavily blur the address on the letter", [S("address on the letter"), E("blur", amount="high")]),
    ("sharpen", "sharpen it up a bit", [E("sharpen", amount="low")]),
    ("sharpen", "it's kinda fuzzy, can you make it crisper", [E("sharpen")]),
    ("sharpen", "make the text on the sign sharper", [S("text on the sign"), E("sharpen")]),
    ("sharpen", "sharpen the eyes", [S("eyes"), E("sharpen")]),
    ("sharpen", "add loads of sharpness", [E("sharpen", amount="high")]),
    ("sharpen", "more detail please, it's soft", [E("sharpen")]),
    ("denoise", "get rid of the grain", [E("denoise")]),
    ("denoise", "it's really noisy, clean it up", [E("denoise")]),
    ("denoise", "reduce noise a little", [E("denoise", amount="low")]),
    ("denoise", "smooth out the speckles in the night sky", [S("night sky"), E("denoise")]),
    # background
    ("background", "blur the background a little", [S(MAIN), E("blur_background", amount="low")]),
    ("background", "make the background white", [S(MAIN), E("replace_background", color="white")]),
    ("background", "remove the background behind him", [S(MAIN), E("cutout")]),
    ("background", "put her on a plain black background", [S(MAIN), E("replace_background", color="black")]),
    ("background", "can the background be blurry so the dog stands out", [S(MAIN), E("blur_background")]),
    ("background", "darken the background", [S(MAIN), E("darken", where="outside")]),
    ("background", "background in black and white, subject stays colour", [S(MAIN), E("grayscale", where="outside")]),
    ("background", "i need a transparent background", [S(MAIN), E("cutout")]),
    ("background", "blurrier background pls", [S(MAIN), E("blur_background")]),
    ("background", "swap the background for a solid blue", [S(MAIN), E("replace_background", color="blue")]),
    # remove / replace / keep only / cutout / outline
    ("remove", "get rid of the bin on the right", [S("bin on the right"), E("remove")]),
    ("remove", "remove the man walking past in the back", [S("man walking past in the back"), E("remove")]),
    ("remove", "can you erase the wires", [S("wires"), E("remove")]),
    ("remove", "delete the cup from the table", [S("cup"), E("remove")]),
    ("remove", "take out the text in the corner", [S("text in the corner"), E("remove")]),
    ("remove", "i don't want the chair in the photo", [S("chair"), E("remove")]),
    ("remove", "remove the photobomber on the left", [S("photobomber on the left"), E("remove")]),
    ("remove", "make the pole disappear", [S("pole"), E("remove")]),
    ("replace", "swap the dog out for a cat", [S("dog"), E("inpaint", prompt="a cat")]),
    ("replace", "replace the car with a bicycle", [S("car"), E("inpaint", prompt="a bicycle")]),
    ("replace", "change the apple into a pear", [S("apple"), E("inpaint", prompt="a pear")]),
    ("keep_only", "keep the cat and black out everything else", [S("cat"), E("keep_only", color="black")]),
    ("keep_only", "i only want the flower, nothing else", [S("flower"), E("keep_only")]),
    ("keep_only", "remove everything apart from the car", [S("car"), E("keep_only")]),
    ("keep_only", "white out everything except the logo", [S("logo"), E("keep_only", color="white")]),
    ("cutout", "cut out the dog for me", [S("dog"), E("cutout")]),
    ("cutout", "can I get the person as a png with no background", [S("person"), E("cutout")]),
    ("cutout", "extract the bottle", [S("bottle"), E("cutout")]),
    ("cutout", "make a sticker out of the cat", [S("cat"), E("cutout")]),
    ("cutout", "clip out the guitar", [S("guitar"), E("cutout")]),
    ("outline", "draw a red line around the dog", [S("dog"), E("outline", color="red")]),
    ("outline", "outline the person in yellow", [S("person"), E("outline", color="yellow")]),
    ("outline", "highlight the ball with a circle", [S("ball"), E("outline")]),
    ("outline", "trace the edge of the building in white", [S("building"), E("outline", color="white")]),
    # restyle / generate
    ("restyle", "make it look like an oil painting", [E("instruct", prompt="oil painting")]),
    ("restyle", "turn it into a cartoon", [E("instruct", prompt="cartoon")]),
    ("restyle", "make the photo look like a comic book", [E("instruct", prompt="comic book")]),
    ("generate", "draw me a kitten in a top hat", [{"tool": "generate", "args": {"prompt": "a kitten in a top hat"}}]),
    (
        "generate",
        "can you make a picture of a castle on a hill",
        [{"tool": "generate", "args": {"prompt": "a castle on a hill"}}],
    ),
    (
        "generate",
        "generate a mountain lake at dawn",
        [{"tool": "generate", "args": {"prompt": "a mountain lake at dawn"}}],
    ),
    # look: segment / detect / count / describe / read / questions
    ("segment", "select the dog", [S("dog")]),
    ("segment", "give me a mask of the car", [S("car")]),
    ("segment", "segment all the people", [S("people")]),
    ("segment", "highlight the sky", [S("sky")]),
    ("segment", "which part of the image is the road?", [S("road")]),
    ("segment", "mask out the tree on the left", [S("tree on the left")]),
    ("segment", "segmnet the horse", [S("horse")]),
    ("segment", "pick out the bicycle for me", [S("bicycle")]),
    ("detect", "find every car", [DET("cars")]),
    ("detect", "put boxes around each person", [DET("person")]),
    ("detect", "what objects are in this image? draw boxes", [DET()]),
    ("detect", "detect the dogs", [DET("dogs")]),
    ("detect", "locate every bottle in the picture", [DET("bottles")]),
    ("detect", "spot the birds and mark them", [DET("birds")]),
    ("count", "how many people r there", [C("people")]),
    ("count", "count the sheep", [C("sheep")]),
    ("count", "can you tell me how many cars are parked here?", [C("cars")]),
    ("count", "number of birds in the photo?", [C("birds")]),
    ("count", "how many cups on the table", [C("cups")]),
    ("count", "hw many dogs", [C("dogs")]),
    ("describe", "what's in this picture?", [D]),
    ("describe", "describe this for me please", [D]),
    ("describe", "what am I looking at here", [D]),
    ("describe", "give me a caption for this photo", [D]),
    ("describe", "tell me what you see", [D]),
    ("describe", "explain what's going on in this image", [D]),
    ("read", "what does the sign say?", [R]),
    ("read", "read the text out for me", [R]),
    ("read", "can you tell me what's written on the board", [R]),
    ("read", "extract the text from this screenshot", [R]),
    ("read", "ocr this please", [R]),
    ("read", "what does the label on the bottle say", [R]),
    ("question", "what colour's that car?", [S("car"), D]),
    ("question", "is the dog sitting or standing?", [S("dog"), D]),
    ("question", "what is the woman holding?", [S("woman"), D]),
    ("question", "is it daytime or night in this photo?", [D]),
    ("question", "what kind of bird is that", [S("bird"), D]),
    ("question", "is there a cat in this picture?", [D]),
    # chains
    ("chain", "cut out the cat and then make it black and white", [S("cat"), E("cutout"), E("grayscale")]),
    ("chain", "crop to the dog and brighten it a bit", [S("dog"), E("crop"), E("brighten", amount="low")]),
    ("chain", "make it black and white and then rotate it 90 degrees", [E("grayscale"), E("rotate", angle=90)]),
    ("chain", "blur the faces, then flip the photo", [S("faces"), E("blur"), E("flip", direction="horizontal")]),
    # can't do
    ("cannot", "add a drop shadow behind the cat", []),
    ("cannot", "make the moon bigger", []),
    ("cannot", "move the dog to the left a bit", []),
    ("cannot", "rotate just the car by 10 degrees", []),
    ("cannot", "duplicate the bird so there are two", []),
    ("cannot", "give it rounded corners", []),
    ("cannot", "add my logo in the bottom corner", []),
    ("cannot", "turn it into ascii art", []),
    ("cannot", "apply a duotone effect in pink and blue", []),
    ("cannot", "add a neon glow around the sign", []),
    ("cannot", "emboss the picture", []),
    ("cannot", "posterize it", []),
    ("cannot", "what camera was this taken with?", []),
    ("cannot", "how far away is the mountain in km", []),
    ("cannot", "measure the table's width in centimetres", []),
    ("cannot", "how many calories are on this plate", []),
    ("cannot", "slim her waist a bit", []),
    ("cannot", "make the dog's fur fluffier", []),
    ("cannot", "change the font on the sign", []),
    ("cannot", "put a heart sticker on her cheek", []),
    ("cannot", "not black and white, sepia please", []),
    ("cannot", "add a gradient overlay from top to bottom", []),
    ("cannot", "stitch these photos into a collage", []),
    ("cannot", "reduce the file size to under 1mb", []),
    ("cannot", "make the two people hug", []),
    ("cannot", "remove the glare off his glasses", []),
    ("cannot", "give the photo a pixel art look with 8 colours", []),
    ("cannot", "what's the dog's name?", []),
    ("cannot", "add falling snow", []),
    ("cannot", "blur the sound", []),
    ("cannot", "swap the faces of the two men", []),
    ("chain", "brighten the photo by 2 stops and add a vignette", [E("brighten")]),
]


def I(prompt=None):  # noqa: E743 (the labels' shorthand: E for edit, I for instruct)
    return [{"tool": "edit", "args": {"operation": "instruct", **({"prompt": prompt} if prompt else {})}}]


# Labels widened after the first run, each to a reading the project's labels already accept (not to
# what the planner gave): a shade word kept with its colour ("dark blue"), "find / locate / spot X"
# as detect or segment, "what kind of X" described with or without X selected, and a change of the
# picture's look or content that the cv tools lack but a generative instruct editor may attempt.
ALTERNATIVES = {
    "turn the car bright red": [[S("car"), E("recolor", color="red")]],
    "find every car": [[S("cars")]],
    "locate every bottle in the picture": [[S("bottles")]],
    "spot the birds and mark them": [[S("birds")]],
    "what kind of bird is that": [[D]],
    "add a drop shadow behind the cat": [I("shadow")],
    "duplicate the bird so there are two": [I("bird")],
    "apply a duotone effect in pink and blue": [I("duotone")],
    "emboss the picture": [I("emboss")],
    "slim her waist a bit": [I("slim")],
    "not black and white, sepia please": [I("sepia")],
    "make the two people hug": [I("hug")],
    "give the photo a pixel art look with 8 colours": [I("pixel art")],
    "add falling snow": [I("snow")],
    "turn it into ascii art": [I("ascii art")],
    "add a neon glow around the sign": [I("neon glow")],
    "posterize it": [I("posterize")],
    "make the dog's fur fluffier": [I("fluffier")],
    "put a heart sticker on her cheek": [I("heart")],
    "add a gradient overlay from top to bottom": [I("gradient")],
    "remove the glare off his glasses": [I("glare")],
    # a strip off an edge, as the project labels it (lead's d8c819d): the rest selected by its share, then cropped
    "chop off the bottom half": [[S("top 50%"), E("crop")]],
}
# Widened once the looks without a model landed (4e4f3b4, another engineer's work during this session): what was
# impossible when the cases were written is now an edit the agent has.
ALTERNATIVES_LOOKS = {
    "emboss the picture": [[E("emboss")]],
    "posterize it": [[E("posterize")]],
    "not black and white, sepia please": [[E("sepia")]],
    "brighten the photo by 2 stops and add a vignette": [[E("brighten"), E("vignette")]],
    "turn it into a cartoon": [[E("cartoon")]],
    "make the photo look like a comic book": [[E("cartoon")]],
    "make it look like an oil painting": [],
}


def main() -> None:
    halves = {"tune": [], "test": []}
    counts: dict[str, int] = {}
    for family, request, plan in CASES:
        k = counts.get(family, 0)
        counts[family] = k + 1
        half = "tune" if k % 2 == 0 else "test"
        case = {
            "id": f"reading8-{family}-{k:03d}",
            "request": request,
            "input": "image",
            "intent": family,
            "plan": plan,
        }
        alternatives = ALTERNATIVES.get(request, []) + ALTERNATIVES_LOOKS.get(request, [])
        if alternatives:
            case["alternatives"] = alternatives
        halves[half].append(case)
    for half, cases in halves.items():
        with open(HERE / f"{half}.jsonl", "w") as f:
            for c in cases:
                f.write(json.dumps(c) + "\n")
        print(half, len(cases))


if __name__ == "__main__":
    main()
