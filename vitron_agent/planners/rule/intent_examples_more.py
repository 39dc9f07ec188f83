"""More example utterances for the intents that generalised worst on held-out requests (reading
round 4): replacements said without "replace", grayscale said as "no colour", fading and muting,
boxes, strokes, "just X on white", selections named by their pixels. Added to the records'
examples in intent_examples (the matcher reads them all alike). Written from how people phrase
these requests, never copied from the benchmark's requests."""

from __future__ import annotations


def _lines(block: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in block.strip().splitlines() if line.strip())


MORE_EXAMPLES = {
    "background": _lines("""
        add a bokeh effect
        fake a shallow depth of field
        give it that portrait-mode look
        make the backdrop less distracting
        a blurred backdrop please
        the background is too busy
        put a plain grey backdrop behind her
        blur her background
        make everything behind the dog soft
        swap the backdrop for a city at night
    """),
    "replace": _lines("""
        place a fountain where the statue is
        i'd like a sports car instead of the van
        add a palm tree in place of the lamp post
        draw a dragon where the bird is
        the vase should be a bowl of fruit
        make the taxi a police car
        trade the umbrella for a parasol
        exchange his hat for a helmet
        substitute a mug for the cup
        a rocket instead of the tower please
        swap out the bread for a cake
        give me a dragon in place of the plane
        put a tulip where the rose is
        i want a boat there instead of the truck
        could the bench become a swing
    """),
    "grayscale": _lines("""
        without any colour
        with no colours at all
        lose all the colour
        a colour-free version
        noir style please
        no colours, just greys
        everything in shades of grey
        take every colour away
        remove the colour from the picture
        make it greyscale like an old newspaper photo
        can i have it without colour
        convert it to black and white
        all grey tones please
        zero colour
        give it a monochrome filter
        a mono effect over the whole shot
    """),
    "desaturate": _lines("""
        give it a faded film feel
        make the colours look faded
        washed-out colours please
        a muted palette
        make it look washed out
        the colours are garish, soften them
        turn the saturation down a touch
        a softer, more muted look
        make the colours less punchy
        pastel, faded tones
        slightly less colour
        the colours are overdone
    """),
    "cooler": _lines("""
        a cold blue tint over the whole picture
        bluer and colder please
        icy tones
        shift the white balance towards blue
        make the light feel like winter
        take some of the yellow out
        the photo is too warm, fix it
        add a frosty look
        a chilly mood
        cool the tones a little
    """),
    "detect": _lines("""
        spot all the birds
        spot every car and box it
        draw a box around each person
        boxes around all the dogs please
        show me the bottles with boxes
        put a labelled box on every chair
        give each face a bounding box
        what can you detect here
        object detection please
    """),
    "outline": _lines("""
        stroke the edge of the car
        stroke the person in white
        give the dog a yellow outline
        add a border to the bottle
        add a red contour to the flower
        i'd like an outline round the lamp
        edge the cup in blue
        put a thick line around the bike
        ring the ball in red
        draw the silhouette edge of the horse
    """),
    "keep_only": _lines("""
        just the vase on white
        only the dog on a black background
        the cup alone on white please
        i only want the cat, nothing else
        keep the girl and white out everything else
        leave just the car and blank the rest
        only the mug, the rest white
        nothing except the boat
        only the teapot on a grey backdrop
        show the vase by itself on a gray background
        keep only the kettle, nothing more
        leave the teapot and nothing else
    """),
    "segment": _lines("""
        separate the dog from the grass
        separate the person from the background
        show me which pixels are the car
        segmentation of the sofa
        which part is the sky? select it
        select the region that is the river
        tell apart the cat from the rug
        mask out the bus
        outline mask for the bottle please
        get me the cat's mask
    """),
    "cutout": _lines("""
        snip the bird out
        snip out the flower
        extract the dog
        extract the cup from the picture
        cut around the person
        a png of the lamp without a background
        i need the horse cut out
        transparent background around the bottle
        make the area around the mug transparent
        pull the cat out onto transparency
        give me the cat by itself with no background
        the mug on its own, transparent around it
        isolate the vase on a transparent background
        take the bird out onto a transparent layer
        separate the dog from its backdrop as a png
    """),
    # reading round 5: colour turned up, said as slang
    "saturate": _lines("""
        crank the colours up
        pump up the colour
        turn the colour up a notch
        dial up the colour
    """),
    "crop": _lines("""
        make it 4:3
        make the photo 1:1
        crop it to a 3 by 2 ratio
        frame the shot tighter on the dog
        tighten the framing around the face
        crop in close on the car
        cut it down to just the sign
        crop so only the girl is in frame
        reframe it around the tree
        crop it into a portrait
    """),
}
