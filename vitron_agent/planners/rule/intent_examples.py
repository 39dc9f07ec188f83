"""Example utterances of the built-in intents that change a picture (the matcher's evidence; the
records in intent_table read them from here), and the slots each built-in handler reads.
Written for this table: commands, questions, polite and terse forms, synonyms, both spellings.
Light and tone edits are in intent_examples_tone; the intents that look, answer or make pictures
are in intent_examples_look."""

from __future__ import annotations

from vitron_agent.planners.rule.intent_examples_fresh import FRESH_EXAMPLES
from vitron_agent.planners.rule.intent_examples_look import LOOK_EXAMPLES
from vitron_agent.planners.rule.intent_examples_more import MORE_EXAMPLES
from vitron_agent.planners.rule.intent_examples_tone import TONE_EXAMPLES
from vitron_agent.planners.rule.intent_examples_wish import WISH_EXAMPLES


def _lines(block: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in block.strip().splitlines() if line.strip())


EDIT_EXAMPLES = {
    "recolor": _lines("""
        make the car blue
        paint the door red
        turn the shirt green
        recolour the umbrella yellow
        recolor the bicycle orange
        change the colour of the hat to pink
        change the color of the bag to purple
        can you make the flowers white
        dye the hair brown
        tint the sofa teal
        i'd like the balloon to be red
        colour the bus black
        give the jacket a navy colour
        switch the cup's colour to green
        repaint the fence grey
        the dress should be gold
        make its colour violet
        could you turn the mug blue please
        change it to magenta
        paint it cyan
        turn them silver
        make the walls beige
        swap the lamp's colour for orange
        set the kite's colour to lime
        colour it in crimson
        i want a purple car instead of the grey one
        the van ought to be white
        i'd prefer the sofa in green
        could you make the lamp pink
        give the wall a yellow colour
        colour the scarf navy blue
        make those flowers lilac
    """),
    "remove": _lines("""
        remove the bottle
        erase the person on the left
        delete the sign
        get rid of the trash can
        take the lamp out of the picture
        make the cable disappear
        wipe out the logo
        can you remove the tourist
        please erase that car
        i don't want the bin in the photo
        eliminate the power lines
        lose the chair
        cut the stranger out of the photo
        clean the photobomber out
        scrub the watermark off
        take away the bag
        edit out the pole
        remove it
        delete them
        could you get rid of the fork
        without the dog please
        make the bird vanish
        hide the bicycle
        drop the person in the background from the shot
        remove the text from the image
        erase everything on the table
        i want the lamp gone
        the bin has to go
        make the cable go away
        make the lamp invisible
    """),
    "blur": _lines("""
        blur the face
        pixelate the licence plate
        pixelate the license plate
        blur out the people
        make the faces unrecognisable
        make the faces unrecognizable
        censor the screen
        obscure the number plate
        add a mosaic over the kids
        smudge the name tag
        can you blur the house number
        please blur the passers-by
        hide his face with a blur
        soften the crowd into a blur
        apply a blur to the sign
        defocus the car
        blur it
        pixelate them
        anonymise the faces
        anonymize the pedestrians
        fuzz out the address
        put a blur on the logo
        make the background people blurry
        could you obscure the documents
        blur everything on the desk
        give the plate a mosaic
    """),
    "background": _lines("""
        blur the background
        remove the background
        make the background white
        replace the background with a beach
        change the backdrop to blue
        put the cat on a black background
        get rid of the background
        delete the backdrop
        swap the background for a forest
        darken the background
        make the background transparent
        paint the backdrop grey
        can you blur what's behind the person
        soften the background
        i want a plain background
        fill the background with green
        set the background to pink
        brighten the background a bit
        erase everything behind the dog
        put a sunset behind her
        use a studio backdrop
        could you clean up the background
        background to white please
        knock out the background
        give the portrait a bokeh background
        change the background colour to yellow
    """),
    "keep_only": _lines("""
        keep only the cat
        keep just the person
        only keep the flower
        leave only the car
        show nothing but the dog
        keep the bird and drop everything else
        keep the horse and remove the rest
        nothing but the cup please
        isolate the mug and blank out the rest
        just the bike, nothing else
        keep the child and erase the rest
        leave just the tree
        i only want the lamp in the picture
        everything except the chair should go
        hide everything but the phone
        keep only them
        keep only it
        only the boat should stay
        mask out all but the sheep
        leave the vase and remove everything around it
        can you keep only the table
        black out everything apart from the face
        keep solely the building
        only the dog should remain
        retain just the bottle
        delete all but the man
        give me only the horse
        just the bike please
        let only the kite remain visible
        show only the lighthouse
        remove everything that isn't the cat
    """),
    "grayscale": _lines("""
        make it black and white
        turn the photo greyscale
        turn the picture grayscale
        convert the image to monochrome
        black & white, thanks
        make it grey scale
        can you turn it into black-and-white
        give it a monochrome look
        drain all the colour
        remove all colour
        make it look like an old black and white photo
        grayscale
        greyscale it
        make the picture colourless
        make the picture colorless
        convert to b&w
        turn everything grey
        make it all monochrome apart from the tram
        make it monochrome but keep the flower in colour
        grey out the background
        shades of grey please
        strip the colour out
        desaturate it completely
        i'd like a black and white version
        could you make this photo b&w
        everything in black and white
    """),
    "flip": _lines("""
        flip it
        flip the image horizontally
        flip it vertically
        mirror it left to right
        flip it upside down
        reflect the picture
        flip the photo
        can you flip it sideways
        turn it into its mirror image
        flip it left-right
        flip top to bottom
        horizontal flip
        vertical flip please
        flip the picture around
        reverse it left to right
        mirror the image horizontally
        flip it over
        flip the selfie
        invert it left to right
        swap left and right
        flip along the vertical axis
        flip it on the horizontal axis
        please flip the picture
        could you mirror-flip it
        flip
        make a flipped copy
    """),
    "rotate": _lines("""
        rotate it
        rotate it 90 degrees
        rotate the image by 180
        turn it clockwise
        turn it counter-clockwise
        turn it anticlockwise
        rotate it to the left
        rotate it to the right
        turn the picture upside down
        rotate by 45 degrees
        the photo is sideways, fix it
        straighten it by 10 degrees
        tilt it by 15 degrees
        spin it a quarter turn
        rotate 270
        turn it 90 degrees
        can you rotate the picture
        rotate it half a turn
        give it a quarter turn clockwise
        the image is upside down
        rotate left
        rotate right
        turn the photo on its side
        rotate it by 30°
        please rotate it 90° anticlockwise
        level the horizon by rotating 5 degrees
    """),
    "resize": _lines("""
        resize it
        make it smaller
        make it bigger
        resize to 800 pixels wide
        scale it down by half
        scale it up 2x
        shrink the image
        enlarge the photo
        halve the size
        double the size
        resize to 50%
        make it 1024 pixels wide
        make the picture 600 pixels tall
        downscale it
        upscale it
        reduce the resolution
        resize it to 640 by 480
        can you make it a quarter of the size
        shrink it a bit
        make it larger
        make the image twice as big
        scale the picture to 300 px
        resize for a thumbnail
        make the file smaller in size
        resize it to 1920x1080
        make it half as big
    """),
    "crop": _lines("""
        crop it
        crop to the dog
        crop the image around the car
        crop it to a square
        crop to 16:9
        zoom in on the face
        crop out the edges
        trim the borders
        cut the picture down to the person
        crop the top half
        crop to the left half
        frame the cat tightly
        zoom into the sign
        crop it around the flowers
        can you crop to the building
        make it square
        crop it to 4:3
        crop to the bottom right corner
        crop to the centre
        crop to the center
        crop tighter around him
        get rid of the edges by cropping
        crop the photo to the bird
        zoom in on it
        crop to the middle
        crop the sides off
        crop away the empty sky
        trim the picture to the cyclist
        cut the photo down to the boat
        frame just the face
        tighten the crop on the dog
        crop the top off
    """),
    "outline": _lines("""
        outline the cat
        draw an outline around the car
        trace the person
        circle the dog
        draw a border around the ball
        outline it in red
        put a contour around the bird
        highlight the edges of the cup
        draw the outline of the horse
        outline the bike in yellow
        trace around the tree
        mark the shape of the boat
        draw a line around the vase
        can you outline the person
        outline them
        draw a contour of the building
        put a red line around the phone
        trace its edges
        outline the flower in white
        circle the lamp in green
        draw around the chair
        show the outline of the sheep
        draw an edge around it
        give the kite an outline
        a blue outline around the car please
        outline everything on the table
    """),
    "replace": _lines("""
        replace the dog with a cat
        swap the car for a bicycle
        turn the apple into an orange
        change the horse into a zebra
        replace the sky with a sunset
        swap the mug for a glass
        substitute the chair with a sofa
        transform the cat into a tiger
        make the dog a wolf
        exchange the hat for a crown
        replace the tree with a lamp post
        swap him for a robot
        turn the car into a truck
        change the cup into a teapot
        replace it with a flower
        can you put a rabbit where the cat is
        replace the bottle by a can
        turn the bird into a plane
        switch the bike out for a scooter
        convert the house into a castle
        replace the fruit with vegetables
        change the person into a statue
        put a boat instead of the car
        replace the clouds with stars
        swap the pizza for a cake
        turn the ball into a balloon
    """),
    "restyle": _lines("""
        make it look like a painting
        make it look like a watercolour
        turn it into a pencil sketch
        make it look like a cartoon
        render it in the style of van gogh
        give it an anime style
        make it look like an oil painting
        make it look vintage
        apply a comic book style
        restyle it as pixel art
        turn the photo into a charcoal drawing
        make it look like a pop art poster
        in the style of a renaissance painting
        give it a retro film look
        make it look like a watercolor
        turn the picture into a mosaic
        make it look like a storybook illustration
        can you make it look hand-drawn
        stylise it like impressionism
        stylize it as a sketch
        make it resemble a stained glass window
        turn it into a cyberpunk scene
        give it a dreamy painterly style
        make the photo look like a movie poster
        apply a sepia vintage style
        redraw it as a manga panel
    """),
}

# The slots each built-in handler reads (shown to LLM planners as the intent's arguments).
SLOTS_OF: dict[str, tuple[str, ...]] = {
    "recolor": ("target", "colour"),
    "remove": ("target",),
    "blur": ("target", "amount"),
    "background": ("colour", "prompt", "amount"),
    "keep_only": ("target",),
    "grayscale": ("target",),
    "brighten": ("target", "amount"),
    "darken": ("target", "amount"),
    "contrast": ("target", "amount"),
    "saturate": ("target", "amount"),
    "desaturate": ("target", "amount"),
    "warmer": ("target", "amount"),
    "cooler": ("target", "amount"),
    "sharpen": ("target", "amount"),
    "denoise": ("amount",),
    "flip": ("direction",),
    "rotate": ("angle", "direction"),
    "resize": ("size", "factor"),
    "crop": ("target", "size"),
    "outline": ("target", "colour"),
    "replace": ("target", "prompt"),
    "restyle": ("prompt",),
    "segment": ("target", "colour"),
    "cutout": ("target",),
    "composite": ("target",),
    "detect": ("target",),
    "count": ("target",),
    "describe": ("target",),
    "question": ("target", "colour", "text"),
    "read": ("target",),
    "generate": ("prompt",),
    "generate_video": ("prompt",),
    "animate": ("prompt",),
    "frame": ("timestamp",),
    "track": ("target", "colour"),
}

EXAMPLES: dict[str, tuple[str, ...]] = {
    name: examples + MORE_EXAMPLES.get(name, ()) + WISH_EXAMPLES.get(name, ()) + FRESH_EXAMPLES.get(name, ())
    for name, examples in {**EDIT_EXAMPLES, **TONE_EXAMPLES, **LOOK_EXAMPLES}.items()
}
