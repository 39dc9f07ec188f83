"""Session 12's fresh image reading cases (readA), written before any of them was planned, for the classes the
brief names: "them" after an answer that named several things (one edit on all of them), "it" after a
question about one thing, purposes that carry a size, a thing kept in frame as a constraint on a crop,
metadata requests, words that look like ordinals ("second-hand") and invisible characters, "his" / "her"
kept with the part they own, and scope words. Writes ``fresh_s12.jsonl``. The split rule is fixed: within
each group, even positions are ``tune`` and odd ones ``heldout`` (only tune misses are read). Plans in the
shorthand of ``fresh_s11_cases.py`` (``|`` separates alternatives; ``-`` is an empty plan: a question back, a
refusal or an answer with no steps). History items ``Q => A`` are earlier turns; the answers are written in
the forms the embedded tools give ("Yes: I see ...", "I see no X, though ...", "I count 2 cats.") and a few
in a VLM's free form ("There are two cats on a sofa."). One label was widened after the first run to the
project's convention ("make the background white" is a keep-only on white, tune.jsonl): "make the background grey
but not the person" may be the person kept on grey.

    .venv/bin/python benchmarks/reading/fresh_s12_cases.py && \
    .venv/bin/python benchmarks/reading/fresh_s11.py --data benchmarks/reading/fresh_s12.jsonl
"""

from __future__ import annotations

import json
from pathlib import Path

from fresh_s11_cases import parse_plan

HERE = Path(__file__).resolve().parent
M = "segment(target=main object)"

DOG_CAT = "what's in this picture? => I see a brown dog on the left; a cat on the right."
MAN_WOMAN = "who is in the photo? => I see a man in the middle; a woman on the right."
DESK = "what's on the desk? => I see a laptop in the middle; a lamp on the left; a cup on the right."
FARM = "what animals are there? => I see a sheep on the left; a cow in the middle; a horse on the right."
MISS = "though the detector can miss small or partly hidden things"

# 1. "them" after an answer that named several things: one edit on all of them
THEM = [
    ([DOG_CAT], "make them orange", "segment(target=dog and cat) > edit(operation=recolor,color=orange)"),
    ([DOG_CAT], "blur them", "segment(target=dog and cat) > edit(operation=blur)"),
    ([DOG_CAT], "remove them", "segment(target=dog and cat) > edit(operation=remove)"),
    ([DOG_CAT], "cut them out", "segment(target=dog and cat) > edit(operation=cutout)"),
    ([DOG_CAT], "crop to them", "segment(target=dog and cat) > edit(operation=crop)"),
    ([DOG_CAT], "keep only them", "segment(target=dog and cat) > edit(operation=keep_only)"),
    ([DOG_CAT], "make both of them black and white", "segment(target=dog and cat) > edit(operation=grayscale)"),
    ([DOG_CAT], "outline them in red", "segment(target=dog and cat) > edit(operation=outline,color=red)"),
    ([DOG_CAT], "pixelate both", "segment(target=dog and cat) > edit(operation=pixelate)"),
    ([MAN_WOMAN], "blur them", "segment(target=man and woman) > edit(operation=blur)"),
    ([MAN_WOMAN], "cut them both out", "segment(target=man and woman) > edit(operation=cutout)"),
    ([MAN_WOMAN], "make them brighter", "segment(target=man and woman) > edit(operation=brighten)"),
    ([DESK], "remove all three", "segment(target=laptop and lamp and cup) > edit(operation=remove)"),
    ([DESK], "make them all blue", "segment(target=laptop and lamp and cup) > edit(operation=recolor,color=blue)"),
    ([FARM], "make them white", "segment(target=sheep and cow and horse) > edit(operation=recolor,color=white)"),
    ([FARM], "crop to all of them", "segment(target=sheep and cow and horse) > edit(operation=crop)"),
    (
        ["what's in this picture? => There are two cats on a sofa."],
        "make them orange",
        "segment(target=cats) > edit(operation=recolor,color=orange)",
    ),
    (
        ["what do you see? => There are three ducks on the pond."],
        "blur them",
        "segment(target=ducks) > edit(operation=blur)",
    ),
    (
        ["how many cats are there? => I count 2 cats."],
        "make them orange",
        "segment(target=cats) > edit(operation=recolor,color=orange)",
    ),
    (
        ["are there any birds? => Yes: I see a bird at the top-left, a bird at the top-right."],
        "remove them",
        "segment(target=birds) > edit(operation=remove)",
    ),
    (
        ["are there people in it? => Yes: I see a person on the left, a person in the middle."],
        "blur them",
        "segment(target=people) > edit(operation=blur)",
    ),
    (
        ["what's in the picture? => I see a horse in the middle; a dog at the bottom-left."],
        "both should be grey",
        "segment(target=horse and dog) > edit(operation=recolor,color=gray)",
    ),
]

# 2. "it" after a question about one thing: that thing if it was found, else a question back
IT = [
    (
        ["is there a dog? => Yes: I see a black dog at the bottom-right."],
        "blur it",
        "segment(target=dog) > edit(operation=blur)",
    ),
    (
        ["is there a dog? => Yes: I see a black dog at the bottom-right."],
        "pixelate it",
        "segment(target=dog) > edit(operation=pixelate)",
    ),
    (["is there a dog? => I see no dog, " + MISS + "; I recognise a person and a bench."], "blur it", "-"),
    (
        ["is there a cat? => Yes: I see a cat in the middle."],
        "make it orange",
        "segment(target=cat) > edit(operation=recolor,color=orange)",
    ),
    (
        ["is there a car? => Perhaps: I see a car on the left."],
        "pixelate it",
        "segment(target=car) > edit(operation=pixelate)",
    ),
    (
        ["is there a bird? => Yes: I see a bird at the top."],
        "sharpen it",
        "segment(target=bird) > edit(operation=sharpen)",
    ),
    (["is there a horse? => I see no horse, " + MISS + "; I recognise a dog."], "remove it", "-"),
    (
        ["is there a cup on the table? => Yes: I see a cup on the right."],
        "make it red",
        "segment(target=cup) > edit(operation=recolor,color=red)",
    ),
    (
        ["is there a person? => Yes: I see a person in the middle."],
        "blur them",
        "segment(target=person) > edit(operation=blur)",
    ),
    (["what colour is the car? => The car is red."], "blur it", "segment(target=car) > edit(operation=blur)"),
    (
        ["is there a bike? => Yes: I see a bicycle on the left."],
        "blur it out",
        "segment(target=bicycle) > edit(operation=blur)",
    ),
    (["is there a boat? => I see no boat, " + MISS + "; I recognise a bird."], "make it blue", "-"),
    (
        ["can you see a clock? => Yes: I see a clock at the top."],
        "blur it please",
        "segment(target=clock) > edit(operation=blur)",
    ),
    (
        ["is there a sign? => Yes: I see a stop sign on the right."],
        "blur that",
        "segment(target=stop sign) > edit(operation=blur)",
    ),
    (
        ["is there a laptop? => Yes: I see a laptop in the middle."],
        "darken it",
        "segment(target=laptop) > edit(operation=darken)",
    ),
    (
        ["is there a teddy bear? => Perhaps: I see a teddy bear at the bottom."],
        "cut it out",
        "segment(target=teddy bear) > edit(operation=cutout)",
    ),
    (["do you see a cat? => I see no cat, " + MISS + "; I recognise a couch."], "crop to it", "-"),
    (["is there a tv? => Yes: I see a tv on the left."], "blur it", "segment(target=tv) > edit(operation=blur)"),
]

# 3. purposes that carry a size: the crop (and resize) the purpose means
SQ = "edit(operation=crop,aspect=1:1)"
PURPOSE = [
    ("make it a square for instagram", f"{SQ} | {SQ} > edit(operation=resize)"),
    (
        "turn it into a phone wallpaper",
        "edit(operation=crop,aspect=9:16) | edit(operation=crop,aspect=9:16) > edit(operation=resize)",
    ),
    (
        "make a banner for twitter",
        "edit(operation=crop,aspect=3:1) | edit(operation=crop,aspect=3:1) > edit(operation=resize)",
    ),
    (
        "make it passport photo size",
        "edit(operation=crop,aspect=7:9) | segment(target=face) > edit(operation=crop,aspect=7:9) | segment(target=person) > edit(operation=crop,aspect=7:9)",
    ),
    (
        "crop it for an instagram story",
        "edit(operation=crop,aspect=9:16) | edit(operation=crop,aspect=9:16) > edit(operation=resize)",
    ),
    (
        "I want to use it as my desktop wallpaper",
        "edit(operation=crop,aspect=16:9) | edit(operation=crop,aspect=16:9) > edit(operation=resize)",
    ),
    (
        "make it fit a youtube thumbnail",
        "edit(operation=crop,aspect=16:9) | edit(operation=crop,aspect=16:9) > edit(operation=resize)",
    ),
    (
        "make it a linkedin banner",
        "edit(operation=crop,aspect=4:1) | edit(operation=crop,aspect=4:1) > edit(operation=resize)",
    ),
    (
        "crop it as a twitter header",
        "edit(operation=crop,aspect=3:1) | edit(operation=crop,aspect=3:1) > edit(operation=resize)",
    ),
    (
        "make it an instagram portrait post",
        "edit(operation=crop,aspect=4:5) | edit(operation=crop,aspect=4:5) > edit(operation=resize)",
    ),
    ("I need it as a profile picture", f"{SQ} | {SQ} > edit(operation=resize)"),
    ("make it fit a 6x4 print", "edit(operation=crop,aspect=3:2) | edit(operation=crop,aspect=2:3)"),
    (
        "crop it for my phone's lock screen",
        "edit(operation=crop,aspect=9:16) | edit(operation=crop,aspect=9:16) > edit(operation=resize)",
    ),
    (
        "make it widescreen for the tv",
        "edit(operation=crop,aspect=16:9) | edit(operation=crop,aspect=16:9) > edit(operation=resize)",
    ),
    (
        "turn this into a passport photo",
        "edit(operation=crop,aspect=7:9) | segment(target=face) > edit(operation=crop,aspect=7:9) | segment(target=person) > edit(operation=crop,aspect=7:9)",
    ),
    (
        "make it the right size for a tiktok",
        "edit(operation=crop,aspect=9:16) | edit(operation=crop,aspect=9:16) > edit(operation=resize)",
    ),
    ("could you make it square for my insta grid", f"{SQ} | {SQ} > edit(operation=resize)"),
    (
        "crop it to fit a pinterest pin",
        "edit(operation=crop,aspect=2:3) | edit(operation=crop,aspect=2:3) > edit(operation=resize)",
    ),
    (
        "make it a wallpaper for my iphone",
        "edit(operation=crop,aspect=9:16) | edit(operation=crop,aspect=9:16) > edit(operation=resize)",
    ),
    (
        "I want it as a youtube banner",
        "edit(operation=crop,aspect=16:9) | edit(operation=crop,aspect=16:9) > edit(operation=resize)",
    ),
    ("make it an avatar", f"{SQ} | {SQ} > edit(operation=resize)"),
    ("crop it for a facebook post, square please", f"{SQ} | {SQ} > edit(operation=resize)"),
]

# 4. a thing kept in frame: a constraint on the crop, not a target of its own
KEEP_IN = [
    ("crop it to 16:9 without cropping the dog", "segment(target=dog) > edit(operation=crop,aspect=16:9)"),
    ("make it square but keep the dog in frame", "segment(target=dog) > edit(operation=crop,aspect=1:1)"),
    ("crop it square, don't cut off the cat", "segment(target=cat) > edit(operation=crop,aspect=1:1)"),
    ("crop it without cropping the dog", "segment(target=dog) > edit(operation=crop)"),
    ("crop to 4:5, the bride must stay in the shot", "segment(target=bride) > edit(operation=crop,aspect=4:5)"),
    ("make it 16:9 but don't crop out the sun", "segment(target=sun) > edit(operation=crop,aspect=16:9)"),
    ("crop to 3:2 and make sure the house stays in", "segment(target=house) > edit(operation=crop,aspect=3:2)"),
    ("square crop, keep the whole car in the picture", "segment(target=car) > edit(operation=crop,aspect=1:1)"),
    ("crop it tighter but keep the dog in frame", "segment(target=dog) > edit(operation=crop)"),
    ("crop to 9:16 and keep the girl in the frame", "segment(target=girl) > edit(operation=crop,aspect=9:16)"),
    ("crop it to a square without losing the horse", "segment(target=horse) > edit(operation=crop,aspect=1:1)"),
    ("make it 4:3, the boat has to stay in", "segment(target=boat) > edit(operation=crop,aspect=4:3)"),
    (
        "crop for instagram but keep both people in",
        "segment(target=people) > edit(operation=crop,aspect=1:1) | segment(target=people) > edit(operation=crop,aspect=4:5)",
    ),
    ("crop it to 16:9 and don't cut the cat's ears off", "segment(target=cat) > edit(operation=crop,aspect=16:9)"),
]

# 5. metadata: an honest answer, no steps
METADATA = [
    "what camera took this",
    "remove the location data",
    "strip the metadata",
    "what phone was this taken on?",
    "remove the EXIF data before I post it",
    "delete the GPS info from the photo",
    "what ISO was this shot at?",
    "can you wipe the exif",
    "does this photo have location info in it?",
    "clear all the metadata please",
    "what lens was used for this?",
    "remove the camera info from the file",
    "show me the exif details",
    "get rid of the geotag",
]

# 6. words that look like ordinals but are not, and invisible characters (removed, not refused)
WORDS = [
    (
        "make the second-hand shop sign red",
        "segment(target=second-hand shop sign) > edit(operation=recolor,color=red)",
        None,
    ),
    ("blur the first-class seats", "segment(target=first-class seats) > edit(operation=blur)", None),
    ("make the one-way sign yellow", "segment(target=one-way sign) > edit(operation=recolor,color=yellow)", None),
    ("blur the first-aid kit", "segment(target=first-aid kit) > edit(operation=blur)", None),
    (
        "make the second-hand bike red",
        "segment(target=second-hand bike) > edit(operation=recolor,color=red)",
        [DOG_CAT],
    ),
    ("remove the one-off sticker", "segment(target=one-off sticker) > edit(operation=remove)", [DOG_CAT]),
    ("blur the first-class lounge sign", "segment(target=first-class lounge sign) > edit(operation=blur)", [MAN_WOMAN]),
    ("pixelate the third-party logo", "segment(target=third-party logo) > edit(operation=pixelate)", None),
    ("brig\u200bhten it", "edit(operation=brighten)", None),
    ("make the car\u200d blue", "segment(target=car) > edit(operation=recolor,color=blue)", None),
    ("\ufeffrotate it 90 degrees", "edit(operation=rotate,angle=90)", None),
    ("blur the back\u00adground", f"{M} > edit(operation=blur,where=outside)", None),
    ("remove the\u200c cat", "segment(target=cat) > edit(operation=remove)", None),
    ("sharpen\u200e it a bit", "edit(operation=sharpen,amount=low)", None),
    ("make it black and\u2060 white", "edit(operation=grayscale)", None),
    ("crop to the dog\u200b", "segment(target=dog) > edit(operation=crop)", None),
    ("make the sky\u200b\u200b darker", "segment(target=sky) > edit(operation=darken)", None),
    ("flip\u2063 it horizontally", "edit(operation=flip,direction=horizontal)", None),
]

# 7. "his" / "her": the part keeps its owner
OWNER = [
    ("make his coat red", "segment(target=his coat) > edit(operation=recolor,color=red)", None),
    ("make her dress blue", "segment(target=her dress) > edit(operation=recolor,color=blue)", None),
    ("turn his shirt green", "segment(target=his shirt) > edit(operation=recolor,color=green)", None),
    ("make her hair black", "segment(target=her hair) > edit(operation=recolor,color=black)", None),
    ("darken his jacket", "segment(target=his jacket) > edit(operation=darken)", None),
    ("make his trousers grey", "segment(target=his trousers) > edit(operation=recolor,color=gray)", None),
    ("blur her face", "segment(target=her face) > edit(operation=blur)", None),
    ("make her shoes white", "segment(target=her shoes) > edit(operation=recolor,color=white)", None),
    ("can you change his tie to purple", "segment(target=his tie) > edit(operation=recolor,color=purple)", None),
    ("brighten her face a bit", "segment(target=her face) > edit(operation=brighten,amount=low)", None),
    (
        "make his coat red",
        "segment(target=his coat) > edit(operation=recolor,color=red) | segment(target=man's coat) > edit(operation=recolor,color=red)",
        [MAN_WOMAN],
    ),
    (
        "make her scarf yellow",
        "segment(target=her scarf) > edit(operation=recolor,color=yellow) | segment(target=woman's scarf) > edit(operation=recolor,color=yellow)",
        [MAN_WOMAN],
    ),
    (
        "make his hat blue and her bag red",
        "segment(target=his hat) > edit(operation=recolor,color=blue) > segment(target=her bag) > edit(operation=recolor,color=red)",
        None,
    ),
    ("pixelate his face", "segment(target=his face) > edit(operation=pixelate)", None),
]

# 8. scope words
SCOPE = [
    ("make the bus yellow and leave the street alone", "segment(target=bus) > edit(operation=recolor,color=yellow)"),
    ("blur everything except the bride", "segment(target=bride) > edit(operation=blur,where=outside)"),
    ("darken the photo but not the candles", "segment(target=candles) > edit(operation=darken,where=outside)"),
    ("only sharpen the text", "segment(target=text) > edit(operation=sharpen)"),
    (
        "turn everything but the rose grey",
        "segment(target=rose) > edit(operation=grayscale,where=outside) | segment(target=rose) > edit(operation=recolor,color=gray,where=outside)",
    ),
    ("brighten just the faces, nothing else", "segment(target=faces) > edit(operation=brighten)"),
    ("make it warmer except for the snow", "segment(target=snow) > edit(operation=warmer,where=outside)"),
    ("leave the sky as it is and brighten the rest", "segment(target=sky) > edit(operation=brighten,where=outside)"),
    ("recolour the car red, don't touch the wheels", "segment(target=car) > edit(operation=recolor,color=red)"),
    (
        "make all of it black and white apart from the bus",
        "segment(target=bus) > edit(operation=grayscale,where=outside)",
    ),
    ("pixelate everything other than the man", "segment(target=man) > edit(operation=pixelate,where=outside)"),
    ("darken the background only", f"{M} > edit(operation=darken,where=outside)"),
    ("I want just the dog sharpened", "segment(target=dog) > edit(operation=sharpen)"),
    (
        "the flowers stay in colour, everything else goes grey",
        "segment(target=flowers) > edit(operation=grayscale,where=outside)",
    ),
    ("blur the whole photo but keep the sign readable", "segment(target=sign) > edit(operation=blur,where=outside)"),
    ("cool down everything but the fireplace", "segment(target=fireplace) > edit(operation=cooler,where=outside)"),
    ("make the shirt blue, only the shirt", "segment(target=shirt) > edit(operation=recolor,color=blue)"),
    (
        "everything except the lighthouse should be darker",
        "segment(target=lighthouse) > edit(operation=darken,where=outside)",
    ),
    ("increase contrast on the sky alone", "segment(target=sky) > edit(operation=contrast)"),
    (
        "desaturate all but the balloon",
        "segment(target=balloon) > edit(operation=desaturate,where=outside) | segment(target=balloon) > edit(operation=grayscale,where=outside)",
    ),
    ("keep the cat as is and blur the rest", "segment(target=cat) > edit(operation=blur,where=outside)"),
    (
        "brighten the room without touching the window",
        "segment(target=window) > edit(operation=brighten,where=outside)",
    ),
    (
        "make the grass greener but leave the trees",
        "segment(target=grass) > edit(operation=saturate) | segment(target=grass) > edit(operation=recolor,color=green)",
    ),
    ("warm up only the face", "segment(target=face) > edit(operation=warmer)"),
    (
        "grayscale the whole image save for the red door",
        "segment(target=red door) > edit(operation=grayscale,where=outside)",
    ),
    (
        "black and white everywhere except her dress",
        "segment(target=her dress) > edit(operation=grayscale,where=outside) | segment(target=dress) > edit(operation=grayscale,where=outside)",
    ),
    (
        "can you blur all the people except the kid",
        "segment(target=kid) > edit(operation=blur,where=outside) | segment(target=people) > edit(operation=blur)",
    ),
    ("sharpen the image but leave the sky soft", "segment(target=sky) > edit(operation=sharpen,where=outside)"),
    (
        "just make the lemons more yellow",
        "segment(target=lemons) > edit(operation=saturate) | segment(target=lemons) > edit(operation=recolor,color=yellow)",
    ),
    (
        "darken the edges but not the middle",
        "segment(target=middle) > edit(operation=darken,where=outside) | segment(target=center) > edit(operation=darken,where=outside)",
    ),
    ("everything but the moon in black and white", "segment(target=moon) > edit(operation=grayscale,where=outside)"),
    ("leave the kids alone and blur the crowd", "segment(target=crowd) > edit(operation=blur)"),
]


# A second batch (ids s12-scope2-, s12-refer2-), written after the first batch's fixes and before planning any of
# it: more scope words (the weakest class of session 11) and more answers to refer back to.
SCOPE2 = [
    ("brighten the photo apart from the windows", "segment(target=windows) > edit(operation=brighten,where=outside)"),
    ("sharpen it all except the sky", "segment(target=sky) > edit(operation=sharpen,where=outside)"),
    ("make only the roof red", "segment(target=roof) > edit(operation=recolor,color=red)"),
    ("just the bird in black and white please", "segment(target=bird) > edit(operation=grayscale)"),
    ("blur all of it other than the sign", "segment(target=sign) > edit(operation=blur,where=outside)"),
    ("warm up everything, leave the sea alone", "segment(target=sea) > edit(operation=warmer,where=outside)"),
    ("darken the sky and nothing else", "segment(target=sky) > edit(operation=darken)"),
    ("I only want the car blurred", "segment(target=car) > edit(operation=blur)"),
    (
        "make the background grey but not the person",
        f"{M} > edit(operation=grayscale,where=outside) | segment(target=person) > edit(operation=grayscale,where=outside) | {M} > edit(operation=recolor,color=gray,where=outside) | segment(target=person) > edit(operation=keep_only,color=gray)",
    ),
    (
        "everything except the two dogs in black and white",
        "segment(target=two dogs) > edit(operation=grayscale,where=outside) | segment(target=dogs) > edit(operation=grayscale,where=outside)",
    ),
    ("the bride stays sharp, blur everyone else", "segment(target=bride) > edit(operation=blur,where=outside)"),
    ("keep the logo crisp and blur the rest", "segment(target=logo) > edit(operation=blur,where=outside)"),
    ("brighten the faces only", "segment(target=faces) > edit(operation=brighten)"),
    ("pixelate all the faces except hers", "- | segment(target=faces) > edit(operation=pixelate)"),
    ("make the whole thing cooler apart from the lamp", "segment(target=lamp) > edit(operation=cooler,where=outside)"),
    (
        "don't change the sky, just make the hills greener",
        "segment(target=hills) > edit(operation=saturate) | segment(target=hills) > edit(operation=recolor,color=green)",
    ),
    ("can you grey out everything around the cup", "segment(target=cup) > edit(operation=grayscale,where=outside)"),
    (
        "sharpen only the text on the sign",
        "segment(target=text on the sign) > edit(operation=sharpen) | segment(target=text) > edit(operation=sharpen)",
    ),
    ("make everything darker but leave the moon bright", "segment(target=moon) > edit(operation=darken,where=outside)"),
    ("blur the rest, keep the dog sharp", "segment(target=dog) > edit(operation=blur,where=outside)"),
    (
        "apart from the people, desaturate it",
        "segment(target=people) > edit(operation=desaturate,where=outside) | segment(target=people) > edit(operation=grayscale,where=outside)",
    ),
    (
        "increase the contrast everywhere except the face",
        "segment(target=face) > edit(operation=contrast,where=outside)",
    ),
    ("only the flowers should be brighter", "segment(target=flowers) > edit(operation=brighten)"),
    (
        "make the car green and leave everything else untouched",
        "segment(target=car) > edit(operation=recolor,color=green)",
    ),
    (
        "can you blur out all but the front runner",
        "segment(target=front runner) > edit(operation=blur,where=outside) | segment(target=runner) > edit(operation=blur,where=outside)",
    ),
    (
        "turn all of it black and white except the red dress",
        "segment(target=red dress) > edit(operation=grayscale,where=outside)",
    ),
    (
        "warm only the skin tones",
        "segment(target=skin) > edit(operation=warmer) | segment(target=skin tones) > edit(operation=warmer)",
    ),
    ("everything in grey, the bus stays red", "segment(target=bus) > edit(operation=grayscale,where=outside)"),
    ("leave the background alone and brighten the girl", "segment(target=girl) > edit(operation=brighten)"),
    ("darken everywhere but the stage", "segment(target=stage) > edit(operation=darken,where=outside)"),
]
REFER2 = [
    (
        ["what's in this picture? => There is a dog and a cat on the sofa."],
        "blur them",
        "segment(target=dog and cat) > edit(operation=blur)",
    ),
    (
        ["what's in this picture? => I see a bus on the left; a car on the right."],
        "remove both of them",
        "segment(target=bus and car) > edit(operation=remove)",
    ),
    (
        ["is there a cat? => Yes: I see a cat at the top-left."],
        "make it grey",
        "segment(target=cat) > edit(operation=recolor,color=gray)",
    ),
    (["is there a car? => I see no car, " + MISS + "; I recognise a truck."], "blur it", "-"),
    (
        ["is there a bottle? => Yes: I see a bottle in the middle."],
        "crop to it",
        "segment(target=bottle) > edit(operation=crop)",
    ),
    (
        ["is there a person? => Yes: I see a person on the right."],
        "brighten them a bit",
        "segment(target=person) > edit(operation=brighten,amount=low)",
    ),
    (["how many dogs? => I count 3 dogs."], "keep only them", "segment(target=dogs) > edit(operation=keep_only)"),
    (
        ["what's on the table? => I see a bowl on the left; a cup on the right."],
        "cut both out",
        "segment(target=bowl and cup) > edit(operation=cutout)",
    ),
    (
        ["who is in the photo? => I see a man on the left; a woman on the right."],
        "make his shirt blue",
        "segment(target=his shirt) > edit(operation=recolor,color=blue) | segment(target=man's shirt) > edit(operation=recolor,color=blue)",
    ),
    (["is there a dog? => Yes: I see a dog in the middle."], "rotate it 90 degrees", "edit(operation=rotate,angle=90)"),
]


# A third batch (ids s12-scope3-), scope words only, written after the second batch's fixes and before planning it.
SCOPE3 = [
    (
        "blur everything in the picture except for the little girl",
        "segment(target=little girl) > edit(operation=blur,where=outside) | segment(target=girl) > edit(operation=blur,where=outside)",
    ),
    ("only make the curtains darker", "segment(target=curtains) > edit(operation=darken)"),
    (
        "the grass is fine, just make the sky bluer",
        "segment(target=sky) > edit(operation=cooler) | segment(target=sky) > edit(operation=saturate) | segment(target=sky) > edit(operation=recolor,color=blue)",
    ),
    (
        "turn everything black and white but the umbrella",
        "segment(target=umbrella) > edit(operation=grayscale,where=outside)",
    ),
    ("sharpen the whole image, not the face though", "segment(target=face) > edit(operation=sharpen,where=outside)"),
    (
        "could you brighten only the left side",
        "segment(target=left side) > edit(operation=brighten) | edit(operation=brighten,part=left half)",
    ),
    (
        "blur the background and leave the couple as they are",
        f"{M} > edit(operation=blur,where=outside) | segment(target=couple) > edit(operation=blur,where=outside)",
    ),
    ("apply warmth to everything except the snow", "segment(target=snow) > edit(operation=warmer,where=outside)"),
    ("make the tree orange, nothing else changes", "segment(target=tree) > edit(operation=recolor,color=orange)"),
    (
        "desaturate the picture except the yellow taxi",
        "segment(target=yellow taxi) > edit(operation=desaturate,where=outside) | segment(target=yellow taxi) > edit(operation=grayscale,where=outside)",
    ),
    ("I'd like everything blurred except the baby", "segment(target=baby) > edit(operation=blur,where=outside)"),
    ("darken it but don't darken the faces", "segment(target=faces) > edit(operation=darken,where=outside)"),
    ("just pixelate the licence plates, nothing more", "segment(target=licence plates) > edit(operation=pixelate)"),
    (
        "keep the sunflower in colour and make the rest grey",
        "segment(target=sunflower) > edit(operation=grayscale,where=outside)",
    ),
    ("make all the picture warmer except the water", "segment(target=water) > edit(operation=warmer,where=outside)"),
    (
        "everything but the candles should be black and white",
        "segment(target=candles) > edit(operation=grayscale,where=outside)",
    ),
    (
        "can you make it brighter, though not the windows",
        "segment(target=windows) > edit(operation=brighten,where=outside)",
    ),
    (
        "the child should stay sharp, blur the background",
        f"{M} > edit(operation=blur,where=outside) | segment(target=child) > edit(operation=blur,where=outside)",
    ),
    ("only recolour the door, make it blue", "segment(target=door) > edit(operation=recolor,color=blue)"),
    (
        "leave the horse untouched and darken everything else",
        "segment(target=horse) > edit(operation=darken,where=outside)",
    ),
    ("more contrast but only on the mountains", "segment(target=mountains) > edit(operation=contrast)"),
    ("blur every face but mine", "- | segment(target=faces) > edit(operation=blur)"),
    (
        "cool down the whole picture except the campfire",
        "segment(target=campfire) > edit(operation=cooler,where=outside)",
    ),
    ("grayscale everything that isn't the flag", "segment(target=flag) > edit(operation=grayscale,where=outside)"),
    (
        "brighten the shadows but leave the sky",
        "segment(target=shadows) > edit(operation=brighten) | segment(target=sky) > edit(operation=brighten,where=outside)",
    ),
    ("sharpen the eyes only", "segment(target=eyes) > edit(operation=sharpen)"),
    (
        "make the scene darker while keeping the street lamp bright",
        "segment(target=street lamp) > edit(operation=darken,where=outside)",
    ),
    ("don't touch the cake but blur everything around it", "segment(target=cake) > edit(operation=blur,where=outside)"),
]


def case(group: str, family: str, n: int, request: str, plans: str, history: list[str] | None) -> dict:
    """One case; even positions in the group are tune, odd ones held out (the fixed split rule)."""
    first, *more = [parse_plan(p) for p in plans.split(" | ")]
    out = {"id": f"s12-{group}-{n:03d}", "request": request, "input": "image", "intent": family, "plan": first}
    if more:
        out["alternatives"] = more
    if history:
        out["history"] = [dict(zip(("request", "answer"), h.split(" => ", 1), strict=False)) for h in history]
    out["half"] = "tune" if n % 2 == 0 else "heldout"
    return out


def all_cases() -> list[dict]:
    groups = {
        "them": [("pronoun", r, p, h) for h, r, p in THEM],
        "it": [("pronoun", r, p, h) for h, r, p in IT],
        "purpose": [("crop", r, p, None) for r, p in PURPOSE],
        "keepin": [("crop", r, p, None) for r, p in KEEP_IN],
        "meta": [("cannot", r, "-", None) for r in METADATA],
        "words": [("real_word", r, p, h) for r, p, h in WORDS],
        "owner": [("recolor", r, p, h) for r, p, h in OWNER],
        "scope": [("scope", r, p, None) for r, p in SCOPE],
        "scope2": [("scope", r, p, None) for r, p in SCOPE2],
        "refer2": [("pronoun", r, p, h) for h, r, p in REFER2],
        "scope3": [("scope", r, p, None) for r, p in SCOPE3],
    }
    return [case(g, f, n, r, p, h) for g, rows in groups.items() for n, (f, r, p, h) in enumerate(rows)]


if __name__ == "__main__":
    cases = all_cases()
    (HERE / "fresh_s12.jsonl").write_text("".join(json.dumps(c) + "\n" for c in cases))
    print(len(cases), "cases,", sum(c["half"] == "heldout" for c in cases), "held out")
