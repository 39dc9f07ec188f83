"""Example utterances of the built-in intents that change a picture's light and tone (brightness,
contrast, saturation, warmth, sharpness, noise): the matcher's evidence. Antonym pairs (brighten /
darken, saturate / desaturate, warmer / cooler) are worded apart on purpose; the polarity lexicon
in intent_matcher settles what the embedding cannot."""

from __future__ import annotations


def _lines(block: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in block.strip().splitlines() if line.strip())


TONE_EXAMPLES = {
    "brighten": _lines("""
        brighten it
        make it brighter
        make the photo lighter
        increase the brightness
        lighten the image
        it's too dark
        the picture is too dim
        turn up the brightness
        brighten the face
        make the room brighter
        raise the exposure
        add some light
        can you lighten it a bit
        brighten it a lot
        a little brighter please
        boost the brightness
        more light please
        the shadows are too dark, lift them
        make the sky lighter
        light it up
        it looks underexposed
        could you make the picture less dark
        make everything brighter
        brighter
        bump up the brightness a touch
        make it much lighter
    """),
    "darken": _lines("""
        darken it
        make it darker
        make the photo darker
        decrease the brightness
        reduce the brightness
        it's too bright
        the picture is overexposed
        turn down the brightness
        darken the sky
        make the background darker
        lower the exposure
        dim the image
        can you darken it a bit
        darken it a lot
        a little darker please
        less bright please
        tone down the brightness
        make the highlights less harsh
        darker
        it looks washed out with too much light
        could you make the picture less bright
        make everything darker
        dim the lights in the room
        the photo is too light
        bring the brightness down
        make it moodier and darker
    """),
    "contrast": _lines("""
        increase the contrast
        more contrast
        boost the contrast
        add some contrast
        make it punchier
        enhance the contrast
        raise the contrast a bit
        the image looks flat
        the photo is flat, fix it
        make the contrast stronger
        can you improve the contrast
        contrast up please
        give it more contrast
        make the darks darker and the lights lighter
        it lacks contrast
        heighten the contrast
        add a lot of contrast
        sharpen the contrast
        make it pop more
        more punch
        the picture looks dull and flat
        crank the contrast
        could you increase contrast a little
        a bit more contrast
        high contrast please
        stronger contrast
    """),
    "saturate": _lines("""
        make it more colourful
        make it more colorful
        increase the saturation
        boost the colours
        make the colours more vivid
        more saturation
        the colours look dull
        the colors are washed out
        make the colours pop
        more vibrant please
        saturate it
        enhance the colours
        turn up the saturation
        richer colours
        make the colours stronger
        can you make it more vibrant
        raise the vibrance
        add more colour
        the photo is too pale
        intensify the colours
        deeper colours please
        a bit more saturated
        boost the saturation a lot
        more vivid
        juice up the colours
        give the colours more punch
    """),
    "desaturate": _lines("""
        make it less colourful
        make it less colorful
        decrease the saturation
        lower the saturation
        mute the colours
        mute the colors
        less saturation
        the colours are too loud
        the colours are too vivid
        make the colours softer
        desaturate it a bit
        make it more muted
        turn down the saturation
        less vibrant please
        calm the colours down
        the colors are too intense
        make the colours more subtle
        tone the colours down a little
        soften the colours
        dial back the saturation
        take some colour out
        a bit less saturated
        pale the colours
        it's too colourful
        less vivid
        subdue the colours
    """),
    "warmer": _lines("""
        make it warmer
        warm it up
        warm up the photo
        add warmth
        make the colours warmer
        give it a warm tone
        warmer tones please
        a more golden look
        make it feel cosier
        make it feel cozier
        the picture looks too cold
        it's too blue
        a warmer feel
        can you warm the image
        add a warm tint
        more orange tones
        make it sunnier
        give it a golden-hour glow
        warm
        make the skin tones warmer
        heat up the colours a bit
        warm the whole scene
        a touch warmer
        much warmer please
        give it an amber cast
        increase the colour temperature
    """),
    "cooler": _lines("""
        make it cooler
        cool it down
        cool down the photo
        make the colours colder
        give it a cool tone
        cooler tones please
        a bluer look
        make it feel colder
        the picture looks too warm
        it's too orange
        it's too yellow
        a cooler feel
        can you cool the image
        add a cool tint
        more blue tones
        make it look wintry
        give it an icy look
        cool
        chill the colours a bit
        cool the whole scene
        a touch cooler
        much cooler please
        give it a blue cast
        lower the colour temperature
        less warm please
        take the warmth out
    """),
    "sharpen": _lines("""
        sharpen it
        make it sharper
        sharpen the image
        make the photo crisper
        it's a bit blurry, fix it
        make it less blurry
        increase the sharpness
        add sharpness
        enhance the details
        bring out the details
        crisp it up
        make the edges crisper
        the picture is soft, sharpen it
        can you sharpen the face
        sharpen it a lot
        a little sharper please
        more detail please
        make the text sharper
        unblur it
        deblur the photo
        the image is out of focus
        make it more defined
        more clarity
        improve the sharpness
        focus it better
        make the details stand out
    """),
    "denoise": _lines("""
        denoise it
        remove the noise
        reduce the noise
        clean up the grain
        get rid of the grain
        the photo is grainy
        it's too noisy
        make it less grainy
        smooth out the noise
        clean up the image
        de-noise the picture
        reduce the graininess
        fix the noise in the shadows
        can you remove the speckles
        remove the film grain
        less noise please
        the picture has too much noise
        noise reduction
        clean the noise up a bit
        lower the noise
        make it cleaner
        reduce the grain a lot
        get rid of the speckles
        tidy up the grainy dark areas
        it looks speckled, fix that
        make the night shot less noisy
    """),
}
