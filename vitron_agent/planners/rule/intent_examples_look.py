"""Example utterances of the built-in intents that find, look, answer, or make pictures and videos
(the matcher's evidence; see intent_examples for the editing ones)."""

from __future__ import annotations


def _lines(block: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in block.strip().splitlines() if line.strip())


LOOK_EXAMPLES = {
    "segment": _lines("""
        segment the cat
        select the red car
        find the dog
        mask the person
        highlight the bicycle
        isolate the cup
        pick out the horse
        locate the bird
        where is the ball? show me
        show me the umbrella
        select it
        can you find the laptop
        create a mask of the chair
        produce a segmentation of the boat
        get a mask for the sheep
        give me the outline mask of the plant
        mark the bottle
        i need the lamp selected
        point out the tree
        select the foreground
        select the main subject
        segment the largest object
        please select the green thing at the top
        identify the phone in the picture
        grab the person on the left
        which pixels are the bus
    """),
    "cutout": _lines("""
        cut out the cat
        cut the dog out
        make a sticker of the bird
        give me a transparent png of the cup
        export the person on a transparent background
        make a cut-out of the car
        extract the flower as a png
        clip out the horse
        cut it out
        create a transparent image of the lamp
        isolate the mug on a transparent background
        save the child as a cutout
        can you cut out the bottle
        produce a png of the shoe with no background
        make the bike a sticker
        cutout of the chair please
        separate the dog onto transparency
        get me a cut-out of him
        cut out the main subject
        crop out the cat with a transparent background
        transparent png of the guitar
        lift the teddy bear out of the photo
        remove everything but the vase and make it transparent
        cut the logo out cleanly
        make a transparent sticker of the sneaker
        extract the subject as a cut-out
    """),
    "composite": _lines("""
        put it on this picture
        paste it onto this photo
        place the cut-out on this image
        put the cat into this scene
        add it to this picture
        drop it onto this background
        paste the sticker here
        combine it with this photo
        put the dog on this beach
        insert it into this image
        place it in this scene
        overlay the cut-out on this picture
        put him in this photo
        paste the previous cut-out on this one
        add the bird to this landscape
        put it here
        can you put it on this background
        stick it onto this picture
        place the object from before on this photo
        merge it into this image
        put the cutout in the middle of this picture
        paste it in the corner of this photo
        put her on this backdrop
        composite it onto this image
        layer it on top of this picture
        bring the sticker into this scene
    """),
    "detect": _lines("""
        detect the objects
        detect all the cars
        label everything in the picture
        draw boxes around the people
        put bounding boxes on the animals
        what objects are in the image
        list the objects you see
        tag the items in the photo
        annotate the picture
        find all the objects
        show me all the things in the picture
        box the bicycles
        identify the objects
        label the dogs
        detect people
        mark every car with a box
        what things are there
        locate all objects
        can you detect what's in the scene
        label what you see
        bounding boxes for the fruit
        detect and label the animals
        list everything in the photo
        what items can you find
        annotate the cars with boxes
        find every person and box them
    """),
    "count": _lines("""
        how many people are there
        count the cars
        how many dogs can you see
        count the birds
        how many apples are in the picture
        count the number of chairs
        tell me how many cats there are
        how many windows does the house have
        number of people in the photo
        count them
        how many are there
        give me a count of the bottles
        count all the sheep
        how many bikes are parked
        what's the number of boats
        can you count the flowers
        tally the cups
        how many faces are in the picture
        count the people in the video
        how many cars pass by in the clip
        count the players
        how many oranges are on the table
        how many of them are red
        count how many kids there are
        how many balls can you find
        total number of trees
    """),
    "describe": _lines("""
        describe the image
        describe it
        what is in this picture
        what's in the photo
        what do you see
        tell me about this image
        caption it
        summarise the picture
        summarize the photo
        explain what's going on in this image
        give me a description
        what's happening here
        describe the scene
        describe the video
        what happens in this clip
        tell me what the picture shows
        analyse the image
        analyze the photo
        write a caption for this
        can you describe this photo
        describe the cat
        look at this and tell me what it is
        what does this picture show
        briefly describe the result
        give me a short summary of the video
        what is this
    """),
    "question": _lines("""
        what colour is the car
        what color is the shirt
        where is the dog
        is the cup red
        is there a person in the picture
        are there any cats
        what colour is it
        which side is the bike on
        how bright is the photo
        is it blue
        where's the ball
        does the picture have a dog in it
        what is the main colour of the jacket
        is the man wearing a hat
        are the flowers yellow
        which one is bigger
        how big is the car
        what shape is the table
        is it daytime
        where is the person standing
        is there any text
        is the sky cloudy
        what's the colour of the bag
        is the dog on the left or the right
        which colour is the door
        what is the person holding
        what colour are the shoes
        is the door open or closed
        what has the girl got in her hand
        where can i find the ball
        how many colours does the flag have
        which way is the car facing
        is this a painting or a photo
        is it a drawing or a real photo
        was this photo taken at night
        was this taken during the day
        what time of day is it in the picture
    """),
    "read": _lines("""
        read the text
        read the sign
        what does the sign say
        transcribe the text in the image
        what's written on the board
        ocr this
        read out the label
        extract the text
        what does it say
        get the words from the picture
        read the licence plate
        read the license plate
        what text is on the shirt
        can you read the menu
        copy the text from this photo
        transcribe the handwriting
        what's the writing on the wall
        read what's on the screen
        what does the poster say
        tell me what the label reads
        pull the text out of the image
        read the title on the book
        any words in the picture? read them
        what is written here
        read the street name
        spell out what the note says
        what does the note say
        tell me what's printed on the box
        what's the text on the mug
        read the words on the shirt
        what is the shop called, read the sign
    """),
    "generate": _lines("""
        generate an image of a cat
        draw a house by a lake
        create a picture of a red car
        paint a sunset over the sea
        imagine a castle in the clouds
        sketch a dog playing
        make a picture of a forest
        generate a photo of a mountain
        render a futuristic city
        produce an illustration of a dragon
        can you draw me a robot
        create an image showing a beach
        draw a bowl of fruit
        generate a portrait of an astronaut
        make me an image of a cup of coffee
        draw something with flowers
        create artwork of a space station
        picture a rainy street at night
        generate a landscape
        i want a drawing of a horse
        make a new image of a tiger
        paint me a still life
        create a logo of a bird
        generate an illustration with two cats
        sketch a lighthouse
        draw a cartoon fox
        i'd like a picture of a dragon
        paint a picture of a quiet harbour
        conjure up an image of a castle
        show me an image of a space whale
        create a drawing of a fox
    """),
    "generate_video": _lines("""
        generate a video of a cat
        make a video of waves on a beach
        create a clip of a car driving
        make a short clip of clouds moving
        film a dog running
        produce a video showing fireworks
        create an animation of a bird flying
        generate a movie of a city at night
        render a video of rain
        make me a clip of a waterfall
        can you create a video of a horse galloping
        generate a short video of snow falling
        create a clip showing a sunset
        make a video where a ball bounces
        generate footage of a busy street
        produce a clip of leaves blowing
        make an animated clip of a fish swimming
        shoot a video of a candle flickering
        create a video about a rocket launch
        generate a clip of a train passing
        i want a video of a spinning top
        make a film of a flower blooming
        render a clip of a dancing robot
        video of a campfire please
        create a short film of the ocean
        generate an animation of stars twinkling
    """),
    "animate": _lines("""
        animate it
        animate the picture
        bring it to life
        make it move
        turn it into a video
        turn the photo into a clip
        make the image come alive
        animate this photo
        make a video from this picture
        can you animate the image
        bring the photo to life
        make the picture move
        turn this into an animation
        add motion to the picture
        make the still image move
        animate the cat in the photo
        give it some movement
        make the water in the picture flow
        create a clip from this image
        make this picture into a short video
        bring this painting to life
        make it an animated clip
        animate it gently
        let the picture move a little
        put the image in motion
        convert the picture into a moving clip
    """),
    "frame": _lines("""
        take the first frame
        extract the last frame
        grab the middle frame
        get frame 10
        take the frame at 0:05
        show me the opening frame
        pick the final frame
        use the closing frame
        grab a still from the video
        take a screenshot of the first frame
        extract a frame from the clip
        get me the frame at 3 seconds
        save the last frame as an image
        export the middle frame
        take a still at the start
        pull out frame 25
        give me a snapshot of the video at 1:10
        a still image from the end of the clip
        capture the frame at the beginning
        take the frame in the middle of the video
        use the first frame as a picture
        grab the final still
        take frame 1
        extract the opening still
        screenshot the video at 2 seconds
        get a picture from the clip
        give me a still at 12.5 seconds
        grab the frame at 1:02
        the frame at 3 s
        a snapshot at 0:10
        extract the picture at 4 seconds
        screenshot at 0:07
        capture the frame at the 2 second mark
        show me the still at 00:15
        get an image of the frame at 8 s
        pull out the frame at 0:03
        save the frame at 6 seconds as a picture
        the still at 1 minute 5 seconds
        take a snapshot of the video at 0:09
        what does the frame at 0:04 look like
        freeze frame at 2.5 s
        still image at 0:20
        give me the picture at 5 seconds in
        grab a still from 0:11
        take a frame at twelve seconds
        a screenshot of second 3
        frame at 0:01 please
        get the still at 0:30
        export the frame at 7 s
        take the image at 0:06
    """),
    "track": _lines("""
        track the car
        follow the dog
        track the person through the video
        keep track of the ball
        follow the cyclist in the clip
        track the red car
        follow him
        track it
        track the runner across the footage
        follow the bird as it flies
        can you track the player
        trace the boat through the video
        keep following the cat
        track every frame of the horse
        follow the person on the left
        track the white van
        follow the skier down the slope
        track the ball through the clip
        track where the dog goes
        follow the motion of the car
        track them
        follow the leading runner
        track the kite throughout the video
        keep an eye on the bag in the video
        follow the child around
        mask the dog in every frame
    """),
}
