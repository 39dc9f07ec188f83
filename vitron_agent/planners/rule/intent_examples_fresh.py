"""More example utterances (reading round 7): classes of request a newcomer used that the table's
examples lacked: everything but one thing hidden or blanked ("hide" and "white out" had read as a
removal of that thing), a picture of a coloured thing asked with "make" (the colour had pulled it to
an outline), a thing made fuzzy or hazy, counts asked as "are there more than …". Added to the
records' examples in intent_examples (the matcher reads them all alike). Written from how people
phrase these requests, never copied from the benchmark's requests."""

from __future__ import annotations


def _lines(block: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in block.strip().splitlines() if line.strip())


FRESH_EXAMPLES = {
    "keep_only": _lines("""
        hide everything apart from the lamp
        hide all the rest except the kettle
        blank out all but the vase
        blank out everything other than the horse
        cover up the rest but not the car
        cover everything except the bird
    """),
    "generate": _lines("""
        make a picture of a green tractor
        make a drawing of a yellow duck
        make a painting of a purple mountain
    """),
    "blur": _lines("""
        make the trees fuzzy
        make the sign blurry
        make the faces hazy
        make the number plate unreadable
        turn the people into a blur
        soften the entire image
        soften the whole photo slightly
        give the whole picture a soft blur
        soften it all a touch
    """),
    "count": _lines("""
        are there more than five birds
        are there fewer than ten people
        is it more than three dogs
        how many cows exactly
    """),
}
