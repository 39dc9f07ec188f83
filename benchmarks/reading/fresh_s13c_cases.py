"""Session 13's fresh reading cases (readC), written before any of them was planned: multi-turn follow-ups
("the same to this one", "undo that", "more", "a bit less", "not that one, the other", "and the left one
too", "what did you do?", "why?", "go back to the original"), video requests in many wordings, chains of
2-4 steps in one sentence, and small talk / meta questions. Writes ``fresh_s13c.jsonl``; run with
``fresh_s13c.py``. The split rule is fixed: within each group, even positions are ``tune`` and odd ones
``heldout`` (only tune misses are read).

Plans in the shorthand of ``fresh_s11_cases.py`` (``|`` separates alternatives; ``-`` is an empty plan: an
answer with no steps). A plan-free case may also say what its answer must say (``answer``: a regular
expression, case-insensitive) and ``short`` (the answer is at most 400 characters: small talk gets a short
reply, not a list of tools). History items ``Q => A`` are earlier turns (``Q`` alone: the planner's own
answer); the turn's input is the case's (``image`` or ``video``).

Three labels were widened after the first run to the project's conventions (tune.jsonl): a speed change of one part
of a clip may be planned as the clip cut in pieces, the part sped and the pieces joined ("speed up the first 4
seconds"), and "is there a X in the video?" may be a question to describe_video ("is there a dog in the video?").

    .venv/bin/python benchmarks/reading/fresh_s13c_cases.py && .venv/bin/python benchmarks/reading/fresh_s13c.py
"""

from __future__ import annotations

import json
from pathlib import Path

from fresh_s11_cases import parse_plan

HERE = Path(__file__).resolve().parent
M = "segment(target=main object)"
TWO_DOGS = "what's in this picture? => I see a dog on the left; a dog on the right."
FARM = "what animals are there? => I see a sheep on the left; a cow in the middle; a horse on the right."
UNDO = r"undo|original|cannot|can't"
# what the user asked, in the answer to "what did you do?"
DID = r"\b(?:I|you)\b"

# (history, request, plan, answer regex or None)
FOLLOW = [
    (["make it black and white"], "now do the same to this one", "edit(operation=grayscale)", None),
    (["brighten it"], "more", "edit(operation=brighten)", None),
    (["brighten the picture"], "a bit less", "edit(operation=darken,amount=low)", None),
    (["make the dog blue"], "undo that", "-", UNDO),
    (["blur the background"], "go back to the original", "-", UNDO),
    (["make the car red"], "and the truck too", "segment(target=truck) > edit(operation=recolor,color=red)", None),
    (
        [TWO_DOGS, "make the dog on the left red"],
        "not that one, the other",
        "segment(target=dog on the right) > edit(operation=recolor,color=red)",
        None,
    ),
    (["make the dog blue"], "what did you do?", "-", r"blue"),
    (["make the dog blue"], "why?", "-", r"asked|you said|your request|blue"),
    (["warm it up"], "a little more", "edit(operation=warmer,amount=low)", None),
    (["sharpen the photo"], "again", "edit(operation=sharpen)", None),
    (["make the sky darker"], "too much", "segment(target=sky) > edit(operation=brighten,amount=low)", None),
    (["blur the faces"], "do the same to this one", "segment(target=faces) > edit(operation=blur)", None),
    (["make the cat orange"], "the dog as well", "segment(target=dog) > edit(operation=recolor,color=orange)", None),
    (
        ["remove the person on the left"],
        "and the right one too",
        "segment(target=person on the right) > edit(operation=remove)",
        None,
    ),
    (
        ["make the left car green"],
        "and the right one too",
        "segment(target=right car) > edit(operation=recolor,color=green)",
        None,
    ),
    (["crop to the dog"], "undo", "-", UNDO),
    (["increase the contrast"], "even more", "edit(operation=contrast)", None),
    (["increase the contrast"], "that's too much, less", "-", None),
    (["rotate it 90 degrees"], "again", "edit(operation=rotate,angle=90)", None),
    (["rotate it 90 degrees"], "what did you just do?", "-", r"rotat"),
    (["make the shirt red"], "actually, blue", "segment(target=shirt) > edit(operation=recolor,color=blue)", None),
    (
        ["make the shirt red"],
        "hmm, try green instead",
        "segment(target=shirt) > edit(operation=recolor,color=green)",
        None,
    ),
    (["pixelate the licence plate"], "more", "segment(target=licence plate) > edit(operation=pixelate)", None),
    (
        ["make the background black and white"],
        "now the same for this photo",
        f"{M} > edit(operation=grayscale,where=outside)",
        None,
    ),
    (["brighten it"], "revert that", "-", UNDO),
    (["darken the image"], "a touch lighter", "edit(operation=brighten,amount=low)", None),
    (["blur the sky"], "now the water", "segment(target=water) > edit(operation=blur)", None),
    (
        ["make the flowers yellow"],
        "same but pink",
        "segment(target=flowers) > edit(operation=recolor,color=pink)",
        None,
    ),
    (["cut out the bird"], "and flip it", "edit(operation=flip)", None),
    (["desaturate the photo"], "a bit more", "edit(operation=desaturate,amount=low)", None),
    (["make it warmer"], "no, cooler", "edit(operation=cooler)", None),
    (["blur the background"], "what did you do?", "-", r"blur"),
    (["make the car red"], "why did you do that?", "-", r"asked|you said|your request|red"),
    (["make the car red"], "go back to how it was", "-", UNDO),
    (["sharpen the picture"], "do that again but stronger", "edit(operation=sharpen)", None),
    (["make the horse white"], "not that one, the other horse", "-", r"which"),
    ([FARM, "make the sheep brown"], "and the cow", "segment(target=cow) > edit(operation=recolor,color=brown)", None),
    (["remove the cup"], "and the spoon", "segment(target=spoon) > edit(operation=remove)", None),
    (["brighten the face"], "slightly more", "segment(target=face) > edit(operation=brighten,amount=low)", None),
    (
        ["make the trees orange"],
        "do the same to the bushes",
        "segment(target=bushes) > edit(operation=recolor,color=orange)",
        None,
    ),
    (["make it grayscale"], "and this one?", "edit(operation=grayscale)", None),
    (["blur the faces"], "same for this picture please", "segment(target=faces) > edit(operation=blur)", None),
    (["make the car blue"], "what did you change?", "-", r"blue"),
    (["flip it horizontally"], "undo the flip", "- | edit(operation=flip)", None),
    (
        ["make the dog on the right brown"],
        "no, the other one",
        "segment(target=dog on the left) > edit(operation=recolor,color=brown)",
        None,
    ),
    (["make the dog blue", "what did you do?"], "and why?", "-", r"asked|you said|your request|blue"),
    (["remove the lamp"], "put it back", "-", UNDO),
]

VIDEO = [
    ("cut out everything before 0:05", "trim_video(start=5)"),
    ("keep only the part from 0:05 on", "trim_video(start=5)"),
    (
        "from 0:05 on, slow it down by half",
        "speed_video(factor=0.5) | trim_video(end=5) > trim_video(start=5) > speed_video(factor=0.5) > concat_videos()",
    ),
    ("keep the bit where the cat is on screen", "trim_video(visible=cat)"),
    ("trim it to the first 10 seconds", "trim_video(first=10)"),
    ("chop off the last 3 seconds", "trim_video(drop_last=3)"),
    ("speed the clip up 4x", "speed_video(factor=4)"),
    ("make it half as fast", "speed_video(factor=0.5)"),
    ("slow-mo please", "speed_video(factor=<1)"),
    ("play it backwards", "reverse_video()"),
    ("make it run in reverse", "reverse_video()"),
    ("loop it 3 times", "loop_video(times=3)"),
    ("repeat the clip four times over", "loop_video(times=4)"),
    ("turn this into a gif", "export_gif()"),
    ("make a GIF of the first 3 seconds", "trim_video(first=3) > export_gif()"),
    ("save the frame at 2.5 seconds", "frame(time=2.5)"),
    ("give me the first frame", "frame(position=first)"),
    ("grab a still from the middle of the clip", "frame(position=middle)"),
    ("what happens in this video?", "describe_video()"),
    ("caption this clip", "describe_video()"),
    ("write a short caption for the video", "describe_video()"),
    ("track the skateboarder and blur him", "track(target=skateboarder) > edit_video(operation=blur)"),
    ("follow the ball and make it red", "track(target=ball) > edit_video(operation=recolor,color=red)"),
    ("blur the faces throughout the video", "track(target=faces) > edit_video(operation=blur)"),
    ("how many cars pass by in the clip?", "count_in_video(target=cars)"),
    ("count the birds across the whole video", "count_in_video(target=birds)"),
    ("when does the dog first appear?", "find_in_video(target=dog,question=appear)"),
    ("how long is the man on screen?", "find_in_video(target=man,question=how_long)"),
    ("make the video black and white", "edit_video(operation=grayscale)"),
    ("brighten just the first 5 seconds", "edit_video(operation=brighten,start=0,end=5)"),
    (
        "speed up the part from 0:10 to 0:20",
        "speed_video(factor=>1) | trim_video(end=10) > trim_video(start=10,end=20) > speed_video(factor=>1)"
        " > trim_video(start=20) > concat_videos() > concat_videos()",
    ),
    ("cut from 1:02 to 1:10", "trim_video(start=62,end=70)"),
    ("give me frame number 30", "frame(index=30)"),
    ("export the last 4 seconds as a gif", "trim_video(last=4) > export_gif()"),
    ("double the speed", "speed_video(factor=2)"),
    ("make it slower, like 0.75x", "speed_video(factor=0.75)"),
    ("play the clip twice", "loop_video(times=2)"),
    ("from 0:03 to the end, make it black and white", "edit_video(operation=grayscale,start=3)"),
    (
        "is there a cat anywhere in the video?",
        "find_in_video(target=cat) | count_in_video(target=cat) | describe_video(question=is there a cat anywhere in the video?)",
    ),
    ("count the people walking through the clip", "count_in_video(target=people)"),
    ("describe the part between 0:04 and 0:08", "trim_video(start=4,end=8) > describe_video() | describe_video()"),
    ("only keep the section where the dog is visible", "trim_video(visible=dog)"),
    ("make the ending slow motion", "speed_video(factor=<1)"),
    ("I want a gif of this", "export_gif()"),
    ("pull a frame at 0:12", "frame(time=12)"),
    ("keep 0:02 through 0:06", "trim_video(start=2,end=6)"),
    ("how many times does the ball appear?", "count_in_video(target=ball) | find_in_video(target=ball)"),
    (
        "track the red car and count how many there are",
        "count_in_video(target=red car) | track(target=red car) > count_in_video(target=red car)",
    ),
]

CHAINS = [
    (
        "image",
        "make the cat orange, then blur the background",
        f"segment(target=cat) > edit(operation=recolor,color=orange) > {M} > edit(operation=blur,where=outside)"
        " | segment(target=cat) > edit(operation=recolor,color=orange) > edit(operation=blur,where=outside)",
    ),
    (
        "image",
        "crop to the dog and then make it black and white",
        "segment(target=dog) > edit(operation=crop) > edit(operation=grayscale)",
    ),
    (
        "image",
        "brighten it, add some contrast, and sharpen it",
        "edit(operation=brighten) > edit(operation=contrast) > edit(operation=sharpen)",
    ),
    (
        "image",
        "remove the person, after that make the sky pink",
        "segment(target=person) > edit(operation=remove) > segment(target=sky) > edit(operation=recolor,color=pink)",
    ),
    ("image", "select the car and also make it red", "segment(target=car) > edit(operation=recolor,color=red)"),
    (
        "image",
        "flip it horizontally then rotate it 90 degrees",
        "edit(operation=flip,direction=horizontal) > edit(operation=rotate,angle=90)",
    ),
    (
        "image",
        "cut out the bird, flip it, and make it yellow",
        "segment(target=bird) > edit(operation=cutout) > edit(operation=flip) > edit(operation=recolor,color=yellow)",
    ),
    (
        "image",
        "resize it to 512 wide, then convert to grayscale",
        "edit(operation=resize,width=512) > edit(operation=grayscale)",
    ),
    (
        "image",
        "make the dog blue and the cat red",
        "segment(target=dog) > edit(operation=recolor,color=blue) > segment(target=cat) > edit(operation=recolor,color=red)",
    ),
    (
        "image",
        "blur the faces; then brighten the whole picture",
        "segment(target=faces) > edit(operation=blur) > edit(operation=brighten)",
    ),
    (
        "image",
        "make it warmer and then after that crop it to a square",
        "edit(operation=warmer) > edit(operation=crop,aspect=1:1)",
    ),
    (
        "video",
        "trim to the first 5 seconds, speed it up 2x, then make a gif",
        "trim_video(first=5) > speed_video(factor=2) > export_gif()",
    ),
    ("video", "reverse it and also loop it twice", "reverse_video() > loop_video(times=2)"),
    (
        "video",
        "track the dog, make it blue, then cut the first 2 seconds",
        "track(target=dog) > edit_video(operation=recolor,color=blue) > trim_video(start=2)",
    ),
    ("video", "grab the frame at 1 second and describe it", "frame(time=1) > describe()"),
    ("video", "slow it down to half speed and then reverse it", "speed_video(factor=0.5) > reverse_video()"),
    (
        "image",
        "denoise the photo, then sharpen it a little",
        "edit(operation=denoise) > edit(operation=sharpen,amount=low)",
    ),
    ("image", "segment the horse, then remove it", "segment(target=horse) > edit(operation=remove)"),
    (
        "image",
        "make the sky orange, the grass yellow and the river green",
        "segment(target=sky) > edit(operation=recolor,color=orange) > segment(target=grass) > edit(operation=recolor,color=yellow)"
        " > segment(target=river) > edit(operation=recolor,color=green)",
    ),
    (
        "image",
        "first rotate it 180 degrees, then flip it vertically",
        "edit(operation=rotate,angle=180) > edit(operation=flip,direction=vertical)",
    ),
    (
        "image",
        "select the lamp, make it brighter, then blur everything else",
        "segment(target=lamp) > edit(operation=brighten) > edit(operation=blur,where=outside)",
    ),
    (
        "image",
        "brighten the image. then increase the saturation.",
        "edit(operation=brighten) > edit(operation=saturate)",
    ),
    (
        "image",
        "make it black and white, after that add more contrast",
        "edit(operation=grayscale) > edit(operation=contrast)",
    ),
    (
        "image",
        "sharpen the bird and after that crop to it",
        "segment(target=bird) > edit(operation=sharpen) > edit(operation=crop)",
    ),
    (
        "image",
        "blur the licence plate, then the faces too",
        "segment(target=licence plate) > edit(operation=blur) > segment(target=faces) > edit(operation=blur)",
    ),
    ("image", "mirror it, then make it 50% smaller", "edit(operation=flip) > edit(operation=resize,scale=0.5)"),
    (
        "video",
        "make the clip black and white and then speed it up",
        "edit_video(operation=grayscale) > speed_video(factor=>1)",
    ),
    ("video", "cut the last 2 seconds, then turn it into a gif", "trim_video(drop_last=2) > export_gif()"),
    ("image", "describe it and then count the people", "describe() > count(target=people)"),
    (
        "image",
        "pixelate the faces and also blur the background",
        f"segment(target=faces) > edit(operation=pixelate) > {M} > edit(operation=blur,where=outside)",
    ),
    (
        "image",
        "rotate it 90 degrees clockwise, then crop to the car",
        "edit(operation=rotate,angle=90) > segment(target=car) > edit(operation=crop)",
    ),
    (
        "image",
        "make it brighter, warmer, and sharper",
        "edit(operation=brighten) > edit(operation=warmer) > edit(operation=sharpen)",
    ),
    (
        "image",
        "remove the trash can, then brighten the whole thing",
        "segment(target=trash can) > edit(operation=remove) > edit(operation=brighten)",
    ),
    (
        "video",
        "take the frame at 0:02, cut out the dog from it",
        "frame(time=2) > segment(target=dog) > edit(operation=cutout)",
    ),
    (
        "image",
        "find the cat and make it green, and after that blur the rest",
        "segment(target=cat) > edit(operation=recolor,color=green) > edit(operation=blur,where=outside)",
    ),
    (
        "video",
        "blur the faces and then keep only the first 8 seconds",
        "track(target=faces) > edit_video(operation=blur) > trim_video(first=8)",
    ),
    (
        "image",
        "darken the sky, and also make the boat red",
        "segment(target=sky) > edit(operation=darken) > segment(target=boat) > edit(operation=recolor,color=red)",
    ),
    (
        "video",
        "speed it up 3x, then loop it, then export a gif",
        "speed_video(factor=3) > loop_video(times=2) > export_gif()",
    ),
    (
        "image",
        "crop it to the man, then make him black and white",
        "segment(target=man) > edit(operation=crop) > edit(operation=grayscale)",
    ),
    (
        "image",
        "sharpen it and then shrink it to half size",
        "edit(operation=sharpen) > edit(operation=resize,scale=0.5)",
    ),
]

THANKS = r"welcome|glad|pleasure|anytime|no problem"
HELLO = r"\b(?:hello|hi|hey|good (?:morning|evening|afternoon))\b"
ABLE = r"(?:picture|photo|image).*\bvideo|\bvideo.*(?:picture|photo|image)"
ACK = r"glad|great|good|welcome|anything else|what next|next|more"
FINE = r"no problem|no worries|fine|ok|anything else|all right|alright"
# (history, input, request, answer regex, short)
TALK = [
    ([], "image", "thank you!", THANKS, True),
    ([], "image", "thanks, that's perfect", THANKS, True),
    ([], "image", "hello", HELLO, True),
    ([], "image", "hi there", HELLO, True),
    ([], "image", "can you help me?", ABLE, False),
    ([], "image", "what can you do?", ABLE, False),
    ([], "image", "good morning", HELLO, True),
    ([], "image", "who are you?", r"vitron|assistant|agent", True),
    (["make the dog blue"], "image", "great job", ACK, True),
    (["brighten it"], "image", "ok", ACK + "|" + FINE, True),
    (["make the sky pink"], "image", "cool, thanks", THANKS, True),
    ([], "image", "how does this work?", ABLE, False),
    ([], "image", "what are you?", r"vitron|assistant|agent", True),
    ([], "video", "hey!", HELLO, True),
    (["blur the faces"], "image", "nice", ACK, True),
    (["make it black and white"], "image", "that looks great", ACK, True),
    ([], "image", "bye", r"bye|see you", True),
    ([], "image", "I need some help", ABLE, False),
    ([], "image", "what kinds of edits can you do?", r"colou?r|bright|blur", False),
    ([], "image", "can you edit videos?", r"\byes\b|video", False),
    ([], "video", "do you work with videos too?", r"\byes\b|video", False),
    (["trim it to the first 3 seconds"], "video", "awesome, thank you so much", THANKS, True),
    ([], "image", "hi, how are you?", HELLO, True),
    (["make the car red"], "image", "sorry", FINE, True),
    (["make the car red"], "image", "never mind", FINE, True),
    ([], "image", "what should I ask you?", ABLE, False),
    ([], "image", "help me please", ABLE, False),
    (["crop to the cat"], "image", "thank you, that's all", THANKS, True),
    ([], "image", "you're great", r"thank|glad", True),
    ([], "image", "good night", r"good night|bye|night", True),
    ([], "video", "what can I do with this video?", r"trim|speed|gif|track", False),
    ([], "image", "thanks a lot", THANKS, True),
]


# A second batch, written after the first fixes and before any of it was planned (groups ``*2``): new wordings of
# the same classes, to measure what the fixes generalise to. Before any fix (the planner of the session's start):
# tune 15/24, held-out 12/24; after the first fixes, before any fix from this batch: tune 21/24, held-out 23/24.
FOLLOW2 = [
    (
        ["make the jacket green"],
        "hmm, make it yellow instead",
        "segment(target=jacket) > edit(operation=recolor,color=yellow)",
        None,
    ),
    (["brighten the photo"], "still too dark", "edit(operation=brighten)", None),
    (["blur the faces"], "can you undo that?", "-", UNDO),
    (
        ["make the cup on the right blue"],
        "now the left one",
        "segment(target=cup on the left) > edit(operation=recolor,color=blue)",
        None,
    ),
    (["make it warmer"], "perfect, do the same to this photo", "edit(operation=warmer)", None),
    (["remove the sign"], "what did you do exactly?", "-", r"remove"),
    (["sharpen it"], "a little bit more", "edit(operation=sharpen,amount=low)", None),
    (["make the bird red"], "nope, orange", "segment(target=bird) > edit(operation=recolor,color=orange)", None),
    (["crop to the horse"], "why did you crop it?", "-", r"asked|crop"),
    (
        ["make the smaller box yellow"],
        "not that one, the other one",
        "segment(target=bigger box) > edit(operation=recolor,color=yellow)"
        " | segment(target=biggest box) > edit(operation=recolor,color=yellow)",
        None,
    ),
    (["blur the car"], "and the bike too please", "segment(target=bike) > edit(operation=blur)", None),
    (["darken the sky"], "a bit lighter", "segment(target=sky) > edit(operation=brighten,amount=low)", None),
    (["make the flag pink"], "go back", "-", UNDO),
    (["increase the saturation"], "way more", "edit(operation=saturate)", None),
    (
        ["make the boat on the left white"],
        "and the one on the right",
        "segment(target=boat on the right) > edit(operation=recolor,color=white)",
        None,
    ),
    (["pixelate the faces"], "what have you done?", "-", r"pixelat"),
]

VIDEO2 = [
    ("lose the first 5 seconds", "trim_video(start=5)"),
    ("from 0:10 onwards, make it black and white", "edit_video(operation=grayscale,start=10)"),
    (
        "in the last 4 seconds, blur the faces",
        "track(target=faces) > edit_video(operation=blur,start=-4) | track(target=faces) > edit_video(operation=blur)",
    ),
    ("turn the first 6 seconds into a gif", "trim_video(first=6) > export_gif()"),
    ("play it at half speed", "speed_video(factor=0.5)"),
    ("run it in reverse, then loop it three times", "reverse_video() > loop_video(times=3)"),
    ("grab a frame at 4 seconds and make it black and white", "frame(time=4) > edit(operation=grayscale)"),
    ("how many dogs run through the video?", "count_in_video(target=dogs)"),
    ("when does the woman leave the frame?", "find_in_video(target=woman,question=disappear)"),
    (
        "track the bus and tell me how long it is visible",
        "track(target=bus) > find_in_video(target=bus,question=how_long) | find_in_video(target=bus,question=how_long)",
    ),
    ("brighten the section between 0:03 and 0:06", "edit_video(operation=brighten,start=3,end=6)"),
    ("can you describe what happens in this clip?", "describe_video()"),
]

CHAINS2 = [
    (
        "image",
        "make the car yellow and then blur the background, and after that crop it to a square",
        f"segment(target=car) > edit(operation=recolor,color=yellow) > {M} > edit(operation=blur,where=outside) > edit(operation=crop,aspect=1:1)"
        " | segment(target=car) > edit(operation=recolor,color=yellow) > edit(operation=blur,where=outside) > edit(operation=crop,aspect=1:1)",
    ),
    (
        "image",
        "cut out the dog, then put it on a white background",
        "segment(target=dog) > edit(operation=keep_only,color=white)",
    ),
    (
        "image",
        "rotate it 90 degrees, flip it, then make it grayscale",
        "edit(operation=rotate,angle=90) > edit(operation=flip) > edit(operation=grayscale)",
    ),
    ("image", "select the tree, and make it darker", "segment(target=tree) > edit(operation=darken)"),
    (
        "image",
        "brighten the face and also sharpen it",
        "segment(target=face) > edit(operation=brighten) > edit(operation=sharpen)",
    ),
    (
        "video",
        "trim it to 0:02-0:07, make it twice as fast, and export a gif",
        "trim_video(start=2,end=7) > speed_video(factor=2) > export_gif()",
    ),
    (
        "video",
        "track the horse and count the frames it's in",
        "track(target=horse) > find_in_video(target=horse) | find_in_video(target=horse,question=how_long)",
    ),
    (
        "image",
        "remove the bin; then make the wall white",
        "segment(target=bin) > edit(operation=remove) > segment(target=wall) > edit(operation=recolor,color=white)",
    ),
    (
        "image",
        "count the birds and then outline them in red",
        "count(target=birds) > segment(target=birds) > edit(operation=outline,color=red)"
        " | count(target=birds) > edit(operation=outline,color=red)",
    ),
    ("video", "mute it and then cut it to the first 10 seconds", "mute_video() > trim_video(first=10)"),
]

TALK2 = [
    ([], "image", "hey, what can you do?", ABLE, False),
    (["make the dog blue"], "image", "thanks so much!", THANKS, True),
    ([], "image", "hello!! :)", HELLO, True),
    ([], "video", "can you work with clips?", r"\byes\b|video|clip", False),
    (["brighten it"], "image", "looks good", ACK, True),
    ([], "image", "are you a bot?", r"vitron|assistant|agent", True),
    ([], "image", "how do I use this?", ABLE, False),
    (["crop to the cat"], "image", "oops, never mind", FINE, True),
    ([], "image", "goodbye", r"bye", True),
    (["make it black and white"], "image", "cheers", THANKS, True),
]


def _history(items: list[str]) -> list[dict]:
    return [dict(zip(("request", "answer"), h.split(" => ", 1), strict=False)) for h in items]


def _case(group: str, family: str, n: int, medium: str, request: str, plans: str, history: list[str]) -> dict:
    first, *more = [parse_plan(p) for p in plans.split(" | ")]
    out = {"id": f"s13c-{group}-{n:03d}", "request": request, "input": medium, "intent": family, "plan": first}
    if more:
        out["alternatives"] = more
    if history:
        out["history"] = _history(history)
    out["half"] = "tune" if n % 2 == 0 else "heldout"
    return out


def all_cases() -> list[dict]:
    cases = []
    for n, (history, request, plans, answer) in enumerate(FOLLOW):
        c = _case("follow", "follow_up", n, "image", request, plans, history)
        if answer:
            c["answer"] = answer
        cases.append(c)
    for n, (request, plans) in enumerate(VIDEO):
        cases.append(_case("video", "video", n, "video", request, plans, []))
    for n, (medium, request, plans) in enumerate(CHAINS):
        cases.append(_case("chain", "chain", n, medium, request, plans, []))
    for n, (history, medium, request, answer, short) in enumerate(TALK):
        c = _case("talk", "talk", n, medium, request, "-", history)
        c["answer"], c["short"] = answer, short
        cases.append(c)
    return cases + second_batch()


def second_batch() -> list[dict]:
    """The ``*2`` groups (written after the first fixes, before any of them was planned)."""
    cases = []
    for n, (history, request, plans, answer) in enumerate(FOLLOW2):
        c = _case("follow2", "follow_up2", n, "image", request, plans, history)
        if answer:
            c["answer"] = answer
        cases.append(c)
    for n, (request, plans) in enumerate(VIDEO2):
        cases.append(_case("video2", "video2", n, "video", request, plans, []))
    for n, (medium, request, plans) in enumerate(CHAINS2):
        cases.append(_case("chain2", "chain2", n, medium, request, plans, []))
    for n, (history, medium, request, answer, short) in enumerate(TALK2):
        c = _case("talk2", "talk2", n, medium, request, "-", history)
        c["answer"], c["short"] = answer, short
        cases.append(c)
    return cases


if __name__ == "__main__":
    cases = all_cases()
    (HERE / "fresh_s13c.jsonl").write_text("".join(json.dumps(c) + "\n" for c in cases))
    print(f"{len(cases)} cases: " + ", ".join(f"{h} {sum(c['half'] == h for c in cases)}" for h in ("tune", "heldout")))
