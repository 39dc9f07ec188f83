"""More example utterances (reading round 6): the forms a newcomer used that the table's examples
lacked: things pointed at ("point out", "pinpoint", "where are …"), texture and tone said as how the
picture is ("speckle", "drab", "lacklustre", "a golden glow"), looks named by a film word
("cinematic", "moody", "dreamy"), pictures wished for ("dream up …", "a new image: …"), text asked
about as a yes/no question, and turns said as fractions of a turn. Added to the records' examples in
intent_examples (the matcher reads them all alike). Written from how people phrase these requests,
never copied from the benchmark's requests."""

from __future__ import annotations


def _lines(block: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in block.strip().splitlines() if line.strip())


WISH_EXAMPLES = {
    "detect": _lines("""
        point out the cars
        point out each bird
        pinpoint the bottles
        where are all the cats
        where are the people in this
        show me where the chairs are
        locate every phone
        mark where the horses are
    """),
    "denoise": _lines("""
        there is speckle all over it
        clean up the speckle
        speckle everywhere, remove it
        the sky is full of grain, clean it
    """),
    "saturate": _lines("""
        it looks lacklustre
        the colours are drab
        liven up the colours
        give the colours some life
        it's looking a little lifeless
    """),
    "warmer": _lines("""
        a warm golden glow please
        give it that sunset glow
        golden hour light
        bathe it in warm light
        add some sunshine warmth
    """),
    "keep_only": _lines("""
        nothing but the lamp, please
        nothing but the horse
    """),
    "restyle": _lines("""
        make it feel cinematic
        cinematic colour grading please
        dreamy and soft-focus, like a daydream
        make the photo a cartoon
    """),
    "generate": _lines("""
        dream up a dragon over a lake
        come up with a picture of a lighthouse at dusk
        a new image please: two cats playing chess
        i'd like a brand new picture of a desert road
        invent a scene with a floating island
        conjure an image of a snowy cabin
    """),
    "read": _lines("""
        is there any writing on it
        does it say anything
        is anything written on the sign
        are there words in this picture
    """),
    "rotate": _lines("""
        give it a half turn
        a quarter turn clockwise
        turn it through 180
        rotate it a quarter turn to the left
    """),
    "contrast": _lines("""
        deepen the shadows and lift the highlights
        give it more pop in the darks and lights
        it looks a bit flat and grey
    """),
}
