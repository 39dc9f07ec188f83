"""Session 11's fresh image reading cases (readA), written before any of them was planned: scope words,
references after a question, everyday requests and things the agent cannot do. Writes
``fresh_s11.jsonl`` (alternate cases ``tune`` / ``heldout``). Plans in shorthand:
``segment(target=dog) > edit(operation=recolor,color=blue)``; ``|`` separates alternatives; ``-`` is an
empty plan (a refusal or a question back). A history item ``Q => A`` is an earlier turn and its answer. Four labels were
widened after the first run to the project's conventions (tune.jsonl, test_rule_edits): "desaturate everything
apart from X" may be a grayscale outside X, "make the sky bluer" a recolour, "cut out the cat then put it on a
blue background" a keep-only on blue, "where's the cat?" a selection with a description; and where a photo
was taken may be described (``PLACE_DESCRIBED``: the project's test says the place is looked at). Session 12
(readA's brief) relabelled "them" / "both" / "all three" after an answer that named several things: one
selection of all of them and one edit (``_one_edit``), not the edit of each in turn these labels had.

    .venv/bin/python benchmarks/reading/fresh_s11_cases.py && \
    .venv/bin/python benchmarks/reading/fresh_s11.py
"""

from __future__ import annotations

import json
import re
from pathlib import Path

HERE = Path(__file__).resolve().parent
M = "segment(target=main object)"

SCOPE = [
    (
        "make the flower yellow and leave the tower alone",
        "segment(target=flower) > edit(operation=recolor,color=yellow)",
    ),
    ("turn the car red but don't touch the sky", "segment(target=car) > edit(operation=recolor,color=red)"),
    (
        "brighten the picture but keep the face as it is",
        "segment(target=face) > edit(operation=brighten,where=outside)",
    ),
    ("blur only the car, nothing else", "segment(target=car) > edit(operation=blur)"),
    ("make everything but the dog black and white", "segment(target=dog) > edit(operation=grayscale,where=outside)"),
    ("darken everything except the lamp", "segment(target=lamp) > edit(operation=darken,where=outside)"),
    ("sharpen the bird and leave the background as it is", "segment(target=bird) > edit(operation=sharpen)"),
    (
        "blur the background but leave the person sharp",
        f"segment(target=person) > edit(operation=blur,where=outside) | {M} > edit(operation=blur,where=outside)",
    ),
    ("make it warmer, but not the sky", "segment(target=sky) > edit(operation=warmer,where=outside)"),
    (
        "recolour the bus green and don't change anything else",
        "segment(target=bus) > edit(operation=recolor,color=green)",
    ),
    (
        "desaturate everything apart from the red umbrella",
        "segment(target=red umbrella) > edit(operation=desaturate,where=outside) | segment(target=red umbrella) > edit(operation=grayscale,where=outside)",
    ),
    (
        "keep the cat untouched and make the rest grayscale",
        "segment(target=cat) > edit(operation=grayscale,where=outside)",
    ),
    (
        "apply the blur to the whole photo except for the sign",
        "segment(target=sign) > edit(operation=blur,where=outside)",
    ),
    ("only brighten the face", "segment(target=face) > edit(operation=brighten)"),
    (
        "make the sky bluer, leave everything else",
        "segment(target=sky) > edit(operation=cooler) | segment(target=sky) > edit(operation=saturate) | segment(target=sky) > edit(operation=recolor,color=blue)",
    ),
    (
        "I want the whole picture in black and white except the roses",
        "segment(target=roses) > edit(operation=grayscale,where=outside)",
    ),
    ("paint the wall white but not the door", "segment(target=wall) > edit(operation=recolor,color=white)"),
    ("leave the boat alone and blur the rest", "segment(target=boat) > edit(operation=blur,where=outside)"),
    (
        "don't touch the dog, just make the grass greener",
        "segment(target=grass) > edit(operation=saturate) | segment(target=grass) > edit(operation=recolor,color=green)",
    ),
    ("everything except the cake should be darker", "segment(target=cake) > edit(operation=darken,where=outside)"),
    (
        "Could you make only the shirt blue? Nothing else should change.",
        "segment(target=shirt) > edit(operation=recolor,color=blue)",
    ),
    (
        "turn the background black and white, keep the kid in colour",
        f"segment(target=kid) > edit(operation=grayscale,where=outside) | {M} > edit(operation=grayscale,where=outside)",
    ),
    ("make the apple red and keep the rest the same", "segment(target=apple) > edit(operation=recolor,color=red)"),
    ("brighten all of it except the window", "segment(target=window) > edit(operation=brighten,where=outside)"),
    (
        "give the whole photo more contrast apart from the face",
        "segment(target=face) > edit(operation=contrast,where=outside)",
    ),
    (
        "just the hat in purple please, everything else untouched",
        "segment(target=hat) > edit(operation=recolor,color=purple)",
    ),
    ("the tower stays as is, make the flowers pink", "segment(target=flowers) > edit(operation=recolor,color=pink)"),
    ("blur everything, the cat included", "edit(operation=blur)"),
    ("make it all grayscale except the girl", "segment(target=girl) > edit(operation=grayscale,where=outside)"),
    ("warm up the picture but leave the snow white", "segment(target=snow) > edit(operation=warmer,where=outside)"),
    ("cool it down everywhere but on the fire", "segment(target=fire) > edit(operation=cooler,where=outside)"),
    ("remove everything apart from the horse", "segment(target=horse) > edit(operation=keep_only)"),
    ("make the car blue without changing the road", "segment(target=car) > edit(operation=recolor,color=blue)"),
    ("blur the faces, leave the rest", "segment(target=faces) > edit(operation=blur)"),
    (
        "the dog should stay in colour, the rest black and white",
        "segment(target=dog) > edit(operation=grayscale,where=outside)",
    ),
    ("make the jacket red and nothing else", "segment(target=jacket) > edit(operation=recolor,color=red)"),
    ("sharpen everything apart from the background", f"{M} > edit(operation=sharpen)"),
    ("pixelate the whole thing except the logo", "segment(target=logo) > edit(operation=pixelate,where=outside)"),
]

Q_ALL = "what's in this picture?"
REFER = [
    (
        [f"{Q_ALL} => I see a brown dog in the middle; a red ball at the bottom-left."],
        "make them blue",
        "segment(target=dog) > edit(operation=recolor,color=blue) > segment(target=ball) > edit(operation=recolor,color=blue)",
    ),
    (
        [f"{Q_ALL} => I see a brown dog in the middle; a red ball at the bottom-left."],
        "remove it",
        "- | segment(target=ball) > edit(operation=remove)",
    ),
    (
        [f"{Q_ALL} => I see a brown dog in the middle; a red ball at the bottom-left."],
        "the second one, make it yellow",
        "segment(target=ball) > edit(operation=recolor,color=yellow)",
    ),
    (
        [f"{Q_ALL} => I see a brown dog in the middle; a red ball at the bottom-left."],
        "remove both",
        "segment(target=dog) > edit(operation=remove) > segment(target=ball) > edit(operation=remove)",
    ),
    (
        [f"{Q_ALL} => I see a brown dog in the middle; a red ball at the bottom-left."],
        "make the first one black",
        "segment(target=dog) > edit(operation=recolor,color=black)",
    ),
    (
        ["what's this? => I see a grey cat filling the picture."],
        "remove it",
        "segment(target=cat) > edit(operation=remove)",
    ),
    (
        ["what's this? => I see a grey cat filling the picture."],
        "crop to that",
        "segment(target=cat) > edit(operation=crop)",
    ),
    (
        ["what's this? => I see a grey cat filling the picture."],
        "cut it out",
        "segment(target=cat) > edit(operation=cutout)",
    ),
    (
        ["what animal is that? => I see a giraffe in the middle."],
        "make it purple",
        "segment(target=giraffe) > edit(operation=recolor,color=purple)",
    ),
    (
        ["is there a car in the photo? => Yes: a red car on the left."],
        "paint it blue",
        "segment(target=car) > edit(operation=recolor,color=blue)",
    ),
    (
        ["how many birds are there? => I count 3 birds."],
        "remove them",
        "segment(target=birds) > edit(operation=remove)",
    ),
    (
        ["what's on the table? => I see a laptop in the middle; a white cup on the right."],
        "make the second one green",
        "segment(target=cup) > edit(operation=recolor,color=green)",
    ),
    (
        ["what's on the table? => I see a laptop in the middle; a white cup on the right."],
        "blur the other one",
        "- | segment(target=laptop) > edit(operation=blur)",
    ),
    (
        [f"{Q_ALL} => I see a woman in blue in the middle; what may be an umbrella at the top."],
        "remove her",
        "segment(target=woman) > edit(operation=remove)",
    ),
    (
        ["what do you see? => I see a bicycle on the left; a white wall filling the picture."],
        "make the first one red",
        "segment(target=bicycle) > edit(operation=recolor,color=red)",
    ),
    (
        ["what's that on the left? => I see what may be a bicycle on the left."],
        "remove it",
        "segment(target=bicycle) > edit(operation=remove)",
    ),
    (
        ["what colour is the car? => The car is red."],
        "make it blue",
        "segment(target=car) > edit(operation=recolor,color=blue)",
    ),
    (
        ["is there a dog? => Yes: a black dog at the bottom-right."],
        "cut it out",
        "segment(target=dog) > edit(operation=cutout)",
    ),
    (
        [f"{Q_ALL} => I see a cat on the left; a dog on the right."],
        "make the first one grey and the second one white",
        "segment(target=cat) > edit(operation=recolor,color=gray) > segment(target=dog) > edit(operation=recolor,color=white)",
    ),
    (
        [f"{Q_ALL} => I see a cat on the left; a dog on the right."],
        "blur both of them",
        "segment(target=cat) > edit(operation=blur) > segment(target=dog) > edit(operation=blur)",
    ),
    (
        ["what's on the plate? => I see a cake in the middle; a fork on the right."],
        "crop to that cake",
        "segment(target=cake) > edit(operation=crop)",
    ),
    (
        ["what's on the plate? => I see a cake in the middle; a fork on the right."],
        "get rid of the latter",
        "segment(target=fork) > edit(operation=remove)",
    ),
    (["how many people are there? => I count 2 people."], "blur them", "segment(target=people) > edit(operation=blur)"),
    (
        ["what's in the corner? => I see what may be a potted plant at the top-right."],
        "erase that",
        "segment(target=potted plant) > edit(operation=remove)",
    ),
]

EVERYDAY = [
    (
        "recolor",
        "can u make the car bright red pls",
        "segment(target=car) > edit(operation=recolor,color=red) | segment(target=car) > edit(operation=recolor,color=bright red)",
    ),
    ("recolor", "I'd like the jumper in navy, please", "segment(target=jumper) > edit(operation=recolor,color=navy)"),
    ("recolor", "make the bike's colour orange", "segment(target=bike) > edit(operation=recolor,color=orange)"),
    ("recolor", "change the colour of the door to green", "segment(target=door) > edit(operation=recolor,color=green)"),
    (
        "recolor",
        "the tulips should be purple instead of red",
        "segment(target=tulips) > edit(operation=recolor,color=purple)",
    ),
    (
        "recolor",
        "colour the umbrella yellow, thanks!",
        "segment(target=umbrella) > edit(operation=recolor,color=yellow)",
    ),
    ("recolor", "turn her dress from blue to red", "segment(target=dress) > edit(operation=recolor,color=red)"),
    ("recolor", "make the kettle grey", "segment(target=kettle) > edit(operation=recolor,color=gray)"),
    ("tone", "make it a tiny bit brighter", "edit(operation=brighten,amount=low)"),
    ("tone", "way brighter please", "edit(operation=brighten,amount=high)"),
    ("tone", "its too bright, tone it down a little", "edit(operation=darken,amount=low)"),
    ("tone", "could you darken the photo slightly for my linkedin", "edit(operation=darken,amount=low)"),
    ("tone", "more contrast, a lot more", "edit(operation=contrast,amount=high)"),
    ("tone", "bump the saturation way up", "edit(operation=saturate,amount=high)"),
    ("tone", "the colours are a bit too strong, calm them down slightly", "edit(operation=desaturate,amount=low)"),
    ("tone", "make the colours pop", "edit(operation=saturate)"),
    ("tone", "warm it up a touch", "edit(operation=warmer,amount=low)"),
    ("tone", "too warm, cool it down", "edit(operation=cooler)"),
    ("tone", "make it look less yellow", "edit(operation=cooler)"),
    ("tone", "it looks a bit blue, can you warm it up?", "edit(operation=warmer)"),
    ("tone", "sharpen it up a lot", "edit(operation=sharpen,amount=high)"),
    ("tone", "it's blurry, can you make it crisper", "edit(operation=sharpen)"),
    ("tone", "clean up the noise", "edit(operation=denoise)"),
    ("tone", "remove the grain please", "edit(operation=denoise)"),
    ("tone", "make it brighter but only a little", "edit(operation=brighten,amount=low)"),
    ("tone", "black and white please", "edit(operation=grayscale)"),
    ("tone", "convert it to monochrome", "edit(operation=grayscale)"),
    ("tone", "make it greyscale for the newsletter", "edit(operation=grayscale)"),
    ("tone", "take some of the colour out", "edit(operation=desaturate)"),
    ("tone", "could you pls make it less dark", "edit(operation=brighten)"),
    ("tone", "a little less saturated would be nice", "edit(operation=desaturate,amount=low)"),
    ("geometry", "mirror the picture left to right", "edit(operation=flip,direction=horizontal)"),
    ("geometry", "flip it upside down", "edit(operation=flip,direction=vertical)"),
    ("geometry", "turn it 90 degrees anticlockwise", "edit(operation=rotate,angle=-90)"),
    ("geometry", "rotate it clockwise a quarter turn", "edit(operation=rotate,angle=90)"),
    ("geometry", "rotate by 180", "edit(operation=rotate,angle=180)"),
    ("geometry", "it's sideways, rotate it to the right", "edit(operation=rotate,angle=90)"),
    ("geometry", "make it half as big", "edit(operation=resize,scale=0.5)"),
    ("geometry", "resize to 1080 wide for instagram", "edit(operation=resize,width=1080)"),
    ("geometry", "make the image twice as large", "edit(operation=resize,scale=2)"),
    ("geometry", "shrink it down a bit", "edit(operation=resize,scale=<1)"),
    ("geometry", "crop it to a square for my profile picture", "edit(operation=crop,aspect=1:1)"),
    ("geometry", "crop to 16:9", "edit(operation=crop,aspect=16:9)"),
    ("geometry", "crop in on the dog", "segment(target=dog) > edit(operation=crop)"),
    ("geometry", "zoom in on the face", "segment(target=face) > edit(operation=crop)"),
    ("geometry", "crop it tight around the mug", "segment(target=mug) > edit(operation=crop)"),
    ("geometry", "make it square for insta", "edit(operation=crop,aspect=1:1)"),
    ("things", "get rid of the bin on the right", "segment(target=bin on the right) > edit(operation=remove)"),
    ("things", "can you erase the power lines", "segment(target=power lines) > edit(operation=remove)"),
    ("things", "take the person out of the photo", "segment(target=person) > edit(operation=remove)"),
    ("things", "cut out the dog and give it a transparent background", "segment(target=dog) > edit(operation=cutout)"),
    (
        "things",
        "I need the shoe on its own with no background, for my shop",
        "segment(target=shoe) > edit(operation=cutout) | segment(target=shoe) > edit(operation=keep_only)",
    ),
    ("things", "blur the background a lot", f"{M} > edit(operation=blur,where=outside,amount=high)"),
    ("things", "make the background white", f"{M} > edit(operation=keep_only,color=white)"),
    (
        "things",
        "swap the background for a beach at sunset",
        f"{M} > edit(operation=inpaint,prompt=a beach at sunset,where=outside)",
    ),
    ("things", "blur the backdrop so she stands out", f"{M} > edit(operation=blur,where=outside)"),
    ("things", "only keep the bird", "segment(target=bird) > edit(operation=keep_only)"),
    ("things", "select the bike", "segment(target=bike)"),
    ("things", "draw a box around every car", "detect(target=cars)"),
    ("things", "outline the dog in red", "segment(target=dog) > edit(operation=outline,color=red)"),
    ("things", "swap the cat for a rabbit", "segment(target=cat) > edit(operation=inpaint,prompt=a rabbit)"),
    ("things", "pixelate the number plate", "segment(target=number plate) > edit(operation=pixelate)"),
    ("things", "could you please darken the sky a little", "segment(target=sky) > edit(operation=darken,amount=low)"),
    ("ask", "how many ppl are in this pic", "count(target=people)"),
    ("ask", "count the sheep please", "count(target=sheep)"),
    ("ask", "what's going on in this photo?", "describe()"),
    ("ask", "tell me about this image", "describe()"),
    ("ask", "what colour is her coat?", "describe()"),
    ("ask", "what does the sign say", "read_text()"),
    ("ask", "any text in this?", "read_text()"),
    ("ask", "where's the cat?", "segment(target=cat) | detect(target=cat) | segment(target=cat) > describe()"),
    ("ask", "is there a dog in this photo?", "describe() | detect(target=dog) | count(target=dog)"),
    ("make", "make it look like an oil painting", "edit(operation=instruct,prompt=oil painting)"),
    ("make", "draw me a lighthouse on a cliff at night", "generate(prompt=a lighthouse on a cliff at night)"),
    ("make", "generate a picture of two cats playing chess", "generate(prompt=two cats playing chess)"),
    ("make", "bring this photo to life", "animate()"),
    (
        "chain",
        "crop to the dog then make it black and white",
        "segment(target=dog) > edit(operation=crop) > edit(operation=grayscale)",
    ),
    ("chain", "brighten it a bit and then sharpen", "edit(operation=brighten,amount=low) > edit(operation=sharpen)"),
    (
        "chain",
        "remove the car and then describe the picture",
        "segment(target=car) > edit(operation=remove) > describe()",
    ),
    (
        "chain",
        "flip it, then rotate 90 degrees to the left",
        "edit(operation=flip,direction=horizontal) > edit(operation=rotate,angle=-90)",
    ),
    (
        "chain",
        "make it smaller and convert to black and white",
        "edit(operation=resize,scale=<1) > edit(operation=grayscale)",
    ),
    (
        "chain",
        "count the apples and make them red",
        "count(target=apples) > segment(target=apples) > edit(operation=recolor,color=red)",
    ),
    (
        "chain",
        "cut out the cat then put it on a blue background",
        "segment(target=cat) > edit(operation=cutout) > edit(operation=composite,color=blue) | segment(target=cat) > edit(operation=keep_only,color=blue)",
    ),
    (
        "chain",
        "sharpen it, then make it a little warmer",
        "edit(operation=sharpen) > edit(operation=warmer,amount=low)",
    ),
    ("typo", "brigthen the phto", "edit(operation=brighten)"),
    ("typo", "remvoe the dog", "segment(target=dog) > edit(operation=remove)"),
    ("typo", "blurr the backgrund", f"{M} > edit(operation=blur,where=outside)"),
    ("typo", "crop too the car", "segment(target=car) > edit(operation=crop)"),
    ("typo", "make it black adn white", "edit(operation=grayscale)"),
    ("typo", "rotaet it 90", "edit(operation=rotate,angle=90)"),
    ("typo", "colour the hosue blue", "segment(target=house) > edit(operation=recolor,color=blue)"),
    ("typo", "sharpne it a bit", "edit(operation=sharpen,amount=low)"),
    (
        "ramble",
        "So I took this on holiday last summer and honestly it came out way too dark, could you brighten it a lot? Thanks so much",
        "edit(operation=brighten,amount=high)",
    ),
    (
        "ramble",
        "hey, my mum wants this for her birthday card, can you make it look warmer and a little brighter",
        "edit(operation=warmer) > edit(operation=brighten,amount=low)",
    ),
    (
        "ramble",
        "I'm putting this on my LinkedIn and the background is messy, blur it please",
        f"{M} > edit(operation=blur,where=outside)",
    ),
    (
        "ramble",
        "this is for a presentation tomorrow, the colours look really washed out, can you make them more vivid?",
        "edit(operation=saturate)",
    ),
    (
        "ramble",
        "ok so there's a guy walking past on the left that ruins it, could you remove him?",
        "segment(target=guy on the left) > edit(operation=remove) | segment(target=guy) > edit(operation=remove)",
    ),
    ("negation", "don't make it black and white, just take some of the colour out", "edit(operation=desaturate)"),
    ("negation", "not too much, just slightly sharpen it", "edit(operation=sharpen,amount=low)"),
    ("negation", "I don't want the car in the picture", "segment(target=car) > edit(operation=remove)"),
    ("negation", "no need to crop, just rotate it 90 degrees", "edit(operation=rotate,angle=90)"),
    ("negation", "don't blur the dog, blur the background", "segment(target=dog) > edit(operation=blur,where=outside)"),
    ("negation", "it shouldn't be so dark", "edit(operation=brighten)"),
    ("purpose", "I need a headshot crop of the man for LinkedIn", "segment(target=man) > edit(operation=crop)"),
    ("purpose", "make it black and white for a poster", "edit(operation=grayscale)"),
    (
        "purpose",
        "hide the kids' faces before I post it",
        "segment(target=faces) > edit(operation=blur) | segment(target=faces) > edit(operation=pixelate)",
    ),
]

CANNOT = [
    "make me look ten years younger",
    "remove the reflection from his glasses",
    "make the photo 3D",
    "who is this guy?",
    "what is this worth on ebay?",
    "translate the sign into French",
    "print this photo for me",
    "email this to my boss",
    "tell me where this photo was taken",
    "what camera took this?",
    "add a drop shadow under the text",
    "draw a speech bubble saying hi",
    "put a sticker on her face",
    "open his eyes",
    "remove the motion blur from the car",
    "add a tilt shift effect",
    "send it to instagram",
    "what's the date in the photo's metadata?",
    "show me the photo from another angle",
    "what's the weather going to be tomorrow?",
    "make the photo smell like roses",
    "add a fisheye effect",
    "fix the lens distortion",
    "undo the camera shake",
    "give it a double exposure look",
    "put a frame around it",
    "add an arrow pointing at the cat",
    "count the calories in this meal",
    "zoom out so we see more of the room",
    "make it louder",
    "speed it up",
]


# A second batch (ids s11b-), written after the first batch's fixes and before planning any of it.
M2 = "segment(target=main object)"
SECOND = [
    (
        "scope",
        "grey out everything other than the bride",
        "segment(target=bride) > edit(operation=grayscale,where=outside)",
    ),
    (
        "scope",
        "make the whole picture warmer, except the sky",
        "segment(target=sky) > edit(operation=warmer,where=outside)",
    ),
    (
        "scope",
        "can you blur all of it apart from the little girl",
        "segment(target=little girl) > edit(operation=blur,where=outside) | segment(target=girl) > edit(operation=blur,where=outside)",
    ),
    ("scope", "only the lighthouse should be sharpened", "segment(target=lighthouse) > edit(operation=sharpen)"),
    ("scope", "sharpen the lighthouse only", "segment(target=lighthouse) > edit(operation=sharpen)"),
    (
        "scope",
        "darken the photo, not the candles though",
        "segment(target=candles) > edit(operation=darken,where=outside)",
    ),
    (
        "scope",
        "brighten it up but not the sky, the sky is fine",
        "segment(target=sky) > edit(operation=brighten,where=outside)",
    ),
    ("scope", "turn the bus yellow, nothing else", "segment(target=bus) > edit(operation=recolor,color=yellow)"),
    (
        "scope",
        "make just the balloon red, leave the rest",
        "segment(target=balloon) > edit(operation=recolor,color=red)",
    ),
    (
        "scope",
        "paint the fence white and don't touch the house",
        "segment(target=fence) > edit(operation=recolor,color=white)",
    ),
    (
        "scope",
        "everything apart from the dog in black and white please",
        "segment(target=dog) > edit(operation=grayscale,where=outside)",
    ),
    (
        "scope",
        "could the surroundings be blurred but the bike stay sharp?",
        "segment(target=bike) > edit(operation=blur,where=outside)",
    ),
    ("scope", "I want only the person in focus", "segment(target=person) > edit(operation=blur,where=outside)"),
    ("scope", "pixelate everything except her face", "segment(target=face) > edit(operation=pixelate,where=outside)"),
    (
        "scope",
        "keep the kids as they are and cool down the rest",
        "segment(target=kids) > edit(operation=cooler,where=outside)",
    ),
    (
        "scope",
        "the car is fine, just brighten the background",
        f"{M2} > edit(operation=brighten,where=outside) | segment(target=car) > edit(operation=brighten,where=outside)",
    ),
    (
        "scope",
        "blur the whole image apart from the clock",
        "segment(target=clock) > edit(operation=blur,where=outside)",
    ),
    (
        "scope",
        "make everything except the trees look colder",
        "segment(target=trees) > edit(operation=cooler,where=outside)",
    ),
    (
        "scope",
        "without touching the cat, make the sofa blue",
        "segment(target=sofa) > edit(operation=recolor,color=blue)",
    ),
    (
        "scope",
        "recolour the boat orange; the water stays as it is",
        "segment(target=boat) > edit(operation=recolor,color=orange)",
    ),
    (
        "scope",
        "turn everything other than the background grey",
        f"{M2} > edit(operation=grayscale) | {M2} > edit(operation=recolor,color=gray)",
    ),
    ("scope", "blur all but the foreground", f"{M2} > edit(operation=blur,where=outside)"),
    (
        "scope",
        "leave the face alone and sharpen the rest",
        "segment(target=face) > edit(operation=sharpen,where=outside)",
    ),
    (
        "scope",
        "the sky should stay blue, make the rest black and white",
        "segment(target=sky) > edit(operation=grayscale,where=outside)",
    ),
    ("purpose", "crop it to a square, it's for my insta profile", "edit(operation=crop,aspect=1:1)"),
    ("purpose", "I need this black and white for a school project", "edit(operation=grayscale)"),
    ("purpose", "brighten it up, it's going on my dating profile", "edit(operation=brighten)"),
    ("purpose", "make it smaller so I can email it", "edit(operation=resize,scale=<1)"),
    ("purpose", "sharpen it a bit for printing", "edit(operation=sharpen,amount=low)"),
    ("purpose", "make it warmer, it's for my grandma's birthday card", "edit(operation=warmer)"),
    ("purpose", "blur the background for my linkedin headshot", f"{M2} > edit(operation=blur,where=outside)"),
    ("everyday", "I'd love it if the car were green", "segment(target=car) > edit(operation=recolor,color=green)"),
    (
        "everyday",
        "turn it round, it's upside down",
        "edit(operation=rotate,angle=180) | edit(operation=flip,direction=vertical)",
    ),
    ("everyday", "it's a little crooked, rotate it 3 degrees to the left", "edit(operation=rotate,angle=-3)"),
    ("everyday", "the image is too big, make it 800 pixels wide", "edit(operation=resize,width=800)"),
]
CAT_MUG = "what's in this picture? => I see a black cat on the left; a white mug on the right."
MAN_HORSE = "what's in the photo? => I see a man on the left; a horse on the right."
SECOND_REFER = [
    ([CAT_MUG], "make the mug red", "segment(target=mug) > edit(operation=recolor,color=red)"),
    ([CAT_MUG], "delete the former", "segment(target=cat) > edit(operation=remove)"),
    (
        [CAT_MUG],
        "make both of them blue",
        "segment(target=cat) > edit(operation=recolor,color=blue) > segment(target=mug) > edit(operation=recolor,color=blue)",
    ),
    (
        ["what is she holding? => She is holding a red umbrella."],
        "make it blue",
        "segment(target=umbrella) > edit(operation=recolor,color=blue)",
    ),
    (
        ["how many cars are there? => I count 4 cars."],
        "make them all white",
        "segment(target=cars) > edit(operation=recolor,color=white)",
    ),
    (
        ["anything on the wall? => I see what may be a clock at the top."],
        "remove that thing",
        "segment(target=clock) > edit(operation=remove)",
    ),
    (
        ["what is this animal? => I see what may be a fox in the middle."],
        "cut him out",
        "segment(target=fox) > edit(operation=cutout)",
    ),
    ([MAN_HORSE], "remove him", "segment(target=man) > edit(operation=remove)"),
    ([MAN_HORSE], "blur the second thing", "segment(target=horse) > edit(operation=blur)"),
    (
        ["describe the picture => I see a red car in the middle; a tree on the left."],
        "now crop to it",
        "- | segment(target=car) > edit(operation=crop)",
    ),
    (
        ["is there a bird? => Yes: a small bird at the top-right."],
        "zoom in on it",
        "segment(target=bird) > edit(operation=crop)",
    ),
]
SECOND_CANNOT = [
    "how much would this house sell for?",
    "where is this place?",
    "what year was this photo taken?",
    "upload it to google drive",
    "print it on A4",
    "make a poster and mail it to me",
    "show me the back of the car",
    "turn the camera to see the left side of the room",
    "tag my friends in it",
    "make her stop blinking",
    "make it 60fps",
    "add sound to the picture",
    "what is the exact location of this?",
]

# A third batch (ids s11c-), written after the second batch's fixes and before planning any of it.
THIRD = [
    (
        "scope",
        "make the shirt green and the rest of the picture stays the same",
        "segment(target=shirt) > edit(operation=recolor,color=green)",
    ),
    ("scope", "I only want the sky darker", "segment(target=sky) > edit(operation=darken)"),
    ("scope", "darken only the sky please, not the buildings", "segment(target=sky) > edit(operation=darken)"),
    (
        "scope",
        "can everything except the flowers be black and white?",
        "segment(target=flowers) > edit(operation=grayscale,where=outside)",
    ),
    (
        "scope",
        "make all the picture blurry except the baby",
        "segment(target=baby) > edit(operation=blur,where=outside)",
    ),
    (
        "scope",
        "exclude the dog and brighten everything",
        "segment(target=dog) > edit(operation=brighten,where=outside)",
    ),
    (
        "scope",
        "brighten everything, excluding the window",
        "segment(target=window) > edit(operation=brighten,where=outside)",
    ),
    ("scope", "leave the moon as is and darken the sky", "segment(target=sky) > edit(operation=darken)"),
    (
        "scope",
        "make the jacket black but keep the face untouched",
        "segment(target=jacket) > edit(operation=recolor,color=black)",
    ),
    (
        "scope",
        "everything should be blurred apart from the cyclist",
        "segment(target=cyclist) > edit(operation=blur,where=outside)",
    ),
    (
        "scope",
        "the whole thing in black and white except the couple",
        "segment(target=couple) > edit(operation=grayscale,where=outside)",
    ),
    (
        "scope",
        "grey everything out but keep the flag in colour",
        "segment(target=flag) > edit(operation=grayscale,where=outside)",
    ),
    ("scope", "blur out everything that isn't the cat", "segment(target=cat) > edit(operation=blur,where=outside)"),
    (
        "scope",
        "make the rest of the photo darker, not the singer",
        "segment(target=singer) > edit(operation=darken,where=outside)",
    ),
    (
        "scope",
        "apart from the dog, make it all black and white",
        "segment(target=dog) > edit(operation=grayscale,where=outside)",
    ),
    ("scope", "sharpen the eyes and nothing more", "segment(target=eyes) > edit(operation=sharpen)"),
    ("scope", "warm up just the faces", "segment(target=faces) > edit(operation=warmer)"),
    (
        "scope",
        "colour the umbrella red, don't change the sky",
        "segment(target=umbrella) > edit(operation=recolor,color=red)",
    ),
    (
        "scope",
        "cool everything down except for the sunset",
        "segment(target=sunset) > edit(operation=cooler,where=outside)",
    ),
    ("purpose", "make it brighter so it looks good on my website", "edit(operation=brighten)"),
    ("purpose", "crop it 4:5, posting to instagram", "edit(operation=crop,aspect=4:5)"),
    ("purpose", "convert to grayscale, it's for a newspaper", "edit(operation=grayscale)"),
    ("purpose", "can you make it smaller, it needs to fit in an email", "edit(operation=resize,scale=<1)"),
    ("purpose", "blur the background, it's my new profile photo", f"{M2} > edit(operation=blur,where=outside)"),
    ("everyday", "pls make the colours less boring", "edit(operation=saturate)"),
    ("everyday", "can you fix the lighting, it's super dark", "edit(operation=brighten)"),
    ("everyday", "flip it the other way", "edit(operation=flip,direction=horizontal)"),
    ("everyday", "give it more punch", "edit(operation=contrast) | edit(operation=saturate)"),
    ("everyday", "I want it in colour but less bright", "edit(operation=darken)"),
    ("everyday", "could you lighten the shadows a touch", "edit(operation=brighten,amount=low)"),
]
DOG_CAT = "what's in this picture? => I see a brown dog on the left; a cat on the right."
DESK = "what's on the desk? => I see a laptop in the middle; a lamp on the left; a cup on the right."
THIRD_REFER = [
    ([DOG_CAT], "make the first thing you mentioned blue", "segment(target=dog) > edit(operation=recolor,color=blue)"),
    ([DOG_CAT], "delete the last one", "segment(target=cat) > edit(operation=remove)"),
    (
        ["how many apples are there? => I count 5 apples."],
        "make them green",
        "segment(target=apples) > edit(operation=recolor,color=green)",
    ),
    (
        ["what is that? => I see what may be a kite at the top."],
        "make it orange",
        "segment(target=kite) > edit(operation=recolor,color=orange)",
    ),
    (["what's he holding? => He is holding a guitar."], "remove it", "segment(target=guitar) > edit(operation=remove)"),
    ([DESK], "make the third one blue", "segment(target=cup) > edit(operation=recolor,color=blue)"),
    (
        [DESK],
        "remove all three",
        "segment(target=laptop) > edit(operation=remove) > segment(target=lamp) > edit(operation=remove) > segment(target=cup) > edit(operation=remove)",
    ),
    (
        ["what do you see? => I see a woman in the middle; a dog on the left."],
        "cut her out",
        "segment(target=woman) > edit(operation=cutout)",
    ),
]
THIRD_CANNOT = [
    "make the people in the photo talk",
    "sell this picture for me",
    "post it on my story",
    "fax this to the office",
    "what's behind the wall?",
    "show the car from above",
    "delete the photo from my phone",
]

# A fourth batch (ids s11d-), written after the third batch's fixes and before planning any of it.
FOURTH = [
    ("scope", "turn the car blue, but only the car", "segment(target=car) > edit(operation=recolor,color=blue)"),
    (
        "scope",
        "can you brighten the picture without brightening the sky",
        "segment(target=sky) > edit(operation=brighten,where=outside)",
    ),
    (
        "scope",
        "blur the people in the back but not the couple in front",
        "segment(target=people in the back) > edit(operation=blur) | segment(target=people) > edit(operation=blur)",
    ),
    (
        "scope",
        "everything gets darker except the candle",
        "segment(target=candle) > edit(operation=darken,where=outside)",
    ),
    ("scope", "make the image sharper, but don't sharpen the background", f"{M2} > edit(operation=sharpen)"),
    ("scope", "black and white background, colour subject", f"{M2} > edit(operation=grayscale,where=outside)"),
    (
        "scope",
        "i'd like everything in grey apart from the red bus",
        "segment(target=red bus) > edit(operation=grayscale,where=outside)",
    ),
    (
        "scope",
        "only the left half should be brighter",
        "segment(target=left half) > edit(operation=brighten) | edit(operation=brighten,part=left half)",
    ),
    (
        "scope",
        "can you blur every part of the photo that isn't the dog",
        "segment(target=dog) > edit(operation=blur,where=outside)",
    ),
    (
        "scope",
        "warm the photo up; the snowman stays as it is",
        "segment(target=snowman) > edit(operation=warmer,where=outside)",
    ),
    ("scope", "make the hat yellow - nothing else", "segment(target=hat) > edit(operation=recolor,color=yellow)"),
    (
        "scope",
        "don't change the colours of the flowers, desaturate the rest",
        "segment(target=flowers) > edit(operation=desaturate,where=outside) | segment(target=flowers) > edit(operation=grayscale,where=outside)",
    ),
    (
        "scope",
        "pixelate the licence plate and leave the car alone",
        "segment(target=licence plate) > edit(operation=pixelate)",
    ),
    ("scope", "brighten the room but not the lamp", "segment(target=lamp) > edit(operation=brighten,where=outside)"),
    ("scope", "the background's fine, just sharpen the bird", "segment(target=bird) > edit(operation=sharpen)"),
    ("scope", "blur everything behind her", f"{M2} > edit(operation=blur,where=outside)"),
    ("purpose", "square crop for my twitter avatar please", "edit(operation=crop,aspect=1:1)"),
    ("purpose", "make it black and white, my teacher wants it that way", "edit(operation=grayscale)"),
    ("purpose", "could you brighten it before I send it to my mum", "edit(operation=brighten)"),
    ("purpose", "shrink it so it loads faster on my site", "edit(operation=resize,scale=<1)"),
]
HORSE_DOG = "what's in this picture? => I see a white horse in the middle; a black dog at the bottom-left."
FOURTH_REFER = [
    (
        [HORSE_DOG],
        "paint the horse brown and remove the other one",
        "segment(target=horse) > edit(operation=recolor,color=brown) > segment(target=dog) > edit(operation=remove)",
    ),
    ([HORSE_DOG], "get rid of the 2nd", "segment(target=dog) > edit(operation=remove)"),
    (
        [HORSE_DOG],
        "both should be grey",
        "segment(target=horse) > edit(operation=recolor,color=gray) > segment(target=dog) > edit(operation=recolor,color=gray)",
    ),
    (
        ["how many cups are on the table? => I count 2 cups."],
        "make them red",
        "segment(target=cups) > edit(operation=recolor,color=red)",
    ),
    (
        ["what's that thing in the corner? => I see what may be a backpack at the bottom-right."],
        "cut it out please",
        "segment(target=backpack) > edit(operation=cutout)",
    ),
    (
        ["what's she wearing? => She is wearing a red coat."],
        "make it green",
        "segment(target=coat) > edit(operation=recolor,color=green)",
    ),
]
FOURTH_CANNOT = [
    "set this as my wallpaper",
    "how old is this building?",
    "show me what the dog looks like from the front",
    "make this into a jigsaw puzzle",
    "text it to my brother",
]

PLACE_DESCRIBED = ("tell me where this photo was taken", "where is this place?")


def parse_plan(text: str) -> list[dict]:
    """``tool(k=v,...) > tool()`` -> the tune.jsonl plan form; ``-`` is the empty plan."""
    if text.strip() == "-":
        return []
    steps = []
    for part in text.split(" > "):
        m = re.fullmatch(r"\s*(\w+)\((.*)\)\s*", part)
        args = {}
        for kv in filter(None, re.split(r",(?=\w+=)", m.group(2))):
            k, v = kv.split("=", 1)
            args[k] = float(v) if re.fullmatch(r"-?\d+(?:\.\d+)?", v) else v
            if isinstance(args[k], float) and args[k].is_integer():
                args[k] = int(args[k])
        steps.append({"tool": m.group(1), "args": args})
    return steps


def case(n: int, family: str, request: str, plans: str, history: list[str] | None = None) -> dict:
    """One case in the fresh_s10.jsonl form; the first plan is the label, the rest alternatives."""
    first, *more = [parse_plan(p) for p in plans.split(" | ")]
    out = {"id": f"s11-{family}-{n:03d}", "request": request, "input": "image", "intent": family, "plan": first}
    if more:
        out["alternatives"] = more
    if history:
        out["history"] = [dict(zip(("request", "answer"), h.split(" => ", 1), strict=False)) for h in history]
    out["half"] = "tune" if n % 2 == 0 else "heldout"
    return out


def _one_edit(plan: list[dict]) -> list[dict]:
    """A label that does the same edit on each thing named in turn, as one selection of all and one edit."""
    pairs = [plan[k : k + 2] for k in range(0, len(plan), 2)]
    if len(plan) < 4 or len(plan) % 2 or any(len(p) != 2 or p[0]["tool"] != "segment" for p in pairs):
        return plan
    if any(p[1] != pairs[0][1] for p in pairs):
        return plan
    things = " and ".join(p[0]["args"]["target"] for p in pairs)
    return [{"tool": "segment", "args": {"target": things}}, pairs[0][1]]


def all_cases() -> list[dict]:
    rows = [("scope", r, p, None) for r, p in SCOPE]
    rows += [("refer", r, p, h) for h, r, p in REFER]
    rows += [(f, r, p, None) for f, r, p in EVERYDAY]
    rows += [("cannot", r, "-", None) for r in CANNOT]
    first = [case(n, f, r, p, h) for n, (f, r, p, h) in enumerate(rows)]
    rows = [(f, r, p, None) for f, r, p in SECOND]
    rows += [("refer", r, p, h) for h, r, p in SECOND_REFER]
    rows += [("cannot", r, "-", None) for r in SECOND_CANNOT]
    second = [case(n, f, r, p, h) for n, (f, r, p, h) in enumerate(rows)]
    for c in second:
        c["id"] = c["id"].replace("s11-", "s11b-", 1)
    rows = [(f, r, p, None) for f, r, p in THIRD]
    rows += [("refer", r, p, h) for h, r, p in THIRD_REFER]
    rows += [("cannot", r, "-", None) for r in THIRD_CANNOT]
    third = [case(n, f, r, p, h) for n, (f, r, p, h) in enumerate(rows)]
    for c in third:
        c["id"] = c["id"].replace("s11-", "s11c-", 1)
    second += third
    rows = [(f, r, p, None) for f, r, p in FOURTH]
    rows += [("refer", r, p, h) for h, r, p in FOURTH_REFER]
    rows += [("cannot", r, "-", None) for r in FOURTH_CANNOT]
    fourth = [case(n, f, r, p, h) for n, (f, r, p, h) in enumerate(rows)]
    for c in fourth:
        c["id"] = c["id"].replace("s11-", "s11d-", 1)
    second += fourth
    for c in first + second:
        if c["intent"] == "refer":
            c["plan"] = _one_edit(c["plan"])
    for c in first + second:  # the place is described (test_rule_image_reading_s10), labelled after the first run
        if c["request"] in PLACE_DESCRIBED:
            c["alternatives"] = [parse_plan("describe()")]
    return first + second


if __name__ == "__main__":
    cases = all_cases()
    (HERE / "fresh_s11.jsonl").write_text("".join(json.dumps(c) + "\n" for c in cases))
    print(len(cases), "cases,", sum(c["half"] == "heldout" for c in cases), "held out")
