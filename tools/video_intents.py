"""The sentences that call the video tools (trim, speed, reverse, loop, join, GIF, a still at a time,
"when does X appear", "how many people walk past"): records of the intent table
(:mod:`vitron_agent.intents`), each with its examples for the learned matcher, a few rules for
phrasings that must win, and a handler that reads the slots (:mod:`vitron_agent.slots`).
"""

from __future__ import annotations

import re

from vitron_agent import slots
from vitron_agent.intents import Intent, register_intent

__all__ = ["VIDEO_INTENTS"]

NEEDS_VIDEO = "{what} works on a video: pass one (--video PATH, or upload a clip)."
# a time in a clause ("2 seconds", "1:10", "5 s", "half a minute"): the trim rules need one, so
# "cut out the dog" (an image verb) is never read as a trim
_TIME = r"(?=.*(?:\d+\s*(?:s|secs?|seconds?|mins?|minutes?)\b|\d+:\d\d|\b(?:seconds?|minutes?)\b))"
_REMOVE = re.compile(
    r"\b(?:remove|drop|cut off|cut away|chop(?: off)?|delete|get rid of|lose|skip|trim off|cut)\b.*\boff\b|"
    r"\b(?:remove|drop|chop|delete|get rid of|lose|skip|trim off|cut away|cut off)\b",
    re.I,
)
_VISIBLE = re.compile(
    r"\b(?:where|when|while|with)\s+(?P<what>.+?)\s+(?:is|are|appears?|shows?|can be seen)\b"
    r"(?:\s+(?:visible|on screen|in (?:the )?(?:frame|shot|view|picture)|seen|shown))?",
    re.I,
)


def _video_or_ask(call, tool: str, what: str) -> bool:
    if not call.video:
        call.ask(NEEDS_VIDEO.format(what=what))
        return False
    if not call.has_tool(tool):
        call.note(f"{call.text!r} needs the {tool} tool, which is not configured; skipped.")
        return False
    return True


def _emit(call, tool: str, output: str = "video", **args) -> None:
    sid = call.add(tool, video=call.picture, **args)
    call.set_output(sid, output)


def trim_handler(call) -> None:
    """first / last N s, from A to B, drop the first / last N s, or the part where X is visible."""
    if not _video_or_ask(call, "trim_video", "Trimming"):
        return
    text = call.text
    seen = _VISIBLE.search(text)
    if seen and not slots.time_range(text):
        _emit(call, "trim_video", visible=seen.group("what").strip())
        return
    span = slots.time_range(call.rest) or slots.time_range(text)
    if span is None and (length := re.search(r"\b(?:down\s+)?to\s+(?:just\s+|only\s+)?(.+)$", text, re.I)):
        if (d := slots.duration(length.group(1))) is not None:  # "cut the clip down to 5 seconds": its first 5 s
            call.note(f"I kept the first {d:g} seconds (say 'the last {d:g} seconds' for the end).")
            span = (0.0, d)
    if span is None:
        call.ask("Which part should I keep? Say e.g. 'the first 5 seconds', 'the last 3 s' or 'from 0:10 to 0:25'.")
        return
    start, end = span
    if _REMOVE.search(text):  # what to cut away: keep the rest
        if start < 0:
            _emit(call, "trim_video", drop_last=-start)
        elif start == 0 and end is not None:
            _emit(call, "trim_video", start=end)
        elif end is None:
            _emit(call, "trim_video", end=start)
        else:
            call.ask("Cutting a piece out of the middle is not supported; keep a part instead ('from 0:10 to 0:25').")
        return
    if start < 0:
        _emit(call, "trim_video", last=-start)
    elif start == 0 and end is not None:
        _emit(call, "trim_video", first=end)
    else:
        _emit(call, "trim_video", start=start, end=end)


def speed_handler(call) -> None:
    if not _video_or_ask(call, "speed_video", "Changing the speed"):
        return
    text = call.text.lower()
    f = slots.factor(text)
    slower = bool(re.search(r"\bslow|\bslower\b|\bslow-?mo", text))
    if f is None:
        f = 0.5 if slower else 2.0
        call.note(f"I used {f:g}x speed (say a factor, e.g. '3x', to choose).")
    elif (by := re.search(r"\bby\s+(\d+(?:\.\d+)?)\s*(?:%|percent|per cent)", text)) and f < 1:
        # "speed it up by 50%" is 1.5x, "slow it down by 25%" is 0.75x: a change, not the new speed
        change = float(by.group(1)) / 100
        f = max(0.05, 1 - change) if slower else 1 + change
    elif slower and f > 1:
        f = 1 / f
    _emit(call, "speed_video", factor=round(f, 4))


def reverse_handler(call) -> None:
    if _video_or_ask(call, "reverse_video", "Playing backwards"):
        _emit(call, "reverse_video")


def loop_handler(call) -> None:
    if not _video_or_ask(call, "loop_video", "Looping"):
        return
    text = call.text.lower()
    n = slots.number(text)
    n = 2 if n is None else n
    n = {"twice": 2, "thrice": 3}.get(next((w for w in ("twice", "thrice") if w in text), ""), n)
    _emit(call, "loop_video", times=int(max(2, min(50, round(n)))))


def concat_handler(call) -> None:
    """A boomerang (the clip, then itself reversed), or this turn's clip after the previous turn's."""
    if not _video_or_ask(call, "concat_videos", "Joining clips"):
        return
    text = call.text.lower()
    if re.search(r"\bboomerang\b|\brevers|\bbackwards?\b", text) and call.has_tool("reverse_video"):
        first = call.picture
        back = call.add("reverse_video", video=first)
        sid = call.add("concat_videos", video=first, other=f"${back}.video")
        call.set_output(sid, "video")
        return
    sent = [k for k, kind in getattr(call, "inputs", {}).items() if kind == "video" and k != "video"]
    if sent and call.picture == "$input.video":  # two clips sent together: join them in the order sent
        sid = call.add("concat_videos", video=call.picture, other=f"$input.{sent[0]}")
        call.set_output(sid, "video")
        return
    if "video" not in getattr(call, "last", {}):
        call.ask("Joining needs two clips: send one, then the other with 'join it after the previous clip'.")
        return
    before = bool(re.search(r"\bbefore\b|\bin front of\b|\bprepend\b", text))
    first, second = (call.picture, "$last.video") if before else ("$last.video", call.picture)
    sid = call.add("concat_videos", video=first, other=second)
    call.set_output(sid, "video")


def gif_handler(call) -> None:
    if not _video_or_ask(call, "export_gif", "A GIF"):
        return
    text = call.text.lower()
    fps = re.search(r"(\d+(?:\.\d+)?)\s*(?:fps|frames? (?:a|per) second)", text)
    width = re.search(r"(\d{2,4})\s*(?:px|pixels?)\s*(?:wide|across|width)?", text)
    _emit(
        call,
        "export_gif",
        fps=float(fps.group(1)) if fps else None,
        width=int(width.group(1)) if width else None,
    )


_WHEN = re.compile(r"\b(?:disappear|vanish|leave|leaves|gone|go away|exit)", re.I)
_APPEAR = re.compile(r"\b(?:appear|show up|shows up|come in|comes in|enter|first seen|arrive)", re.I)
_HOW_LONG = re.compile(r"\bhow long\b|\bhow much time\b|\bhow many seconds\b|\bduration\b", re.I)
_TARGET = re.compile(
    r"^(?:when|(?:at|in|during) (?:what|which) (?:times?|points?|moments?|parts?|seconds?|frames?)|"
    r"(?:for )?how long|how much time|how many seconds|what time|"
    r"find (?:out )?(?:(?:the )?(?:times?|moments?|parts?|frames?) )?(?:when|where))\s+"
    r"(?:(?:does|do|did|is|are|was|were|can (?:we|i|you) see|will)\s+)?(?P<what>.+?)\s*"
    r"(?:\b(?:first\s+)?(?:appears?|disappears?|vanish\w*|show(?:s)? up|come(?:s)? in|enter\w*|leave\w*|"
    r"exit\w*|go(?:es)? away|visible|on screen|in (?:the )?(?:frame|shot|video|picture|view)|seen|there|"
    r"stay\w*|remain\w*)\b.*)?\??$",
    re.I,
)


def when_handler(call) -> None:
    if not _video_or_ask(call, "find_in_video", "Finding when something is on screen"):
        return
    text = call.text.strip()
    m = _TARGET.match(text)
    what = (m.group("what") if m else call.rest).strip(" ?.")
    what = call.target_words(what)
    if not what:
        call.ask("What should I look for? Say e.g. 'when does the dog appear?'.")
        return
    question = (
        "how_long"
        if _HOW_LONG.search(text)
        else "disappear"
        if _WHEN.search(text)
        else "appear"
        if _APPEAR.search(text)
        else "when"
    )
    _emit(call, "find_in_video", output="text", target=what, question=question)


def count_handler(call) -> None:
    if not _video_or_ask(call, "count_in_video", "Counting through a clip"):
        return
    m = re.search(
        r"\bhow many\s+(?:different\s+|distinct\s+|separate\s+)?(?P<what>[a-z ]+?)(?:\s+(?:are|is|walk|pass|go|come|drive|appear|cross|can|do|were|in|on|through|there)\b|\?|$)",
        call.text.lower(),
    )
    what = (
        m.group("what").strip() if m else re.sub(r"^(?:count|number of)\s+(?:the\s+)?", "", call.rest.strip().lower())
    )
    what = re.sub(
        r"\s+(?:that|who|which)\b.*$|\s+(?:in|through|across)\s+(?:the\s+)?(?:video|clip).*$", "", what
    ).strip(" ?.")
    what = call.target_words(what)
    _emit(call, "count_in_video", output="text", target=what or "people")


def _examples(block: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in block.strip().splitlines() if line.strip())


VIDEO_INTENTS = (
    Intent(
        "trim_video",
        patterns=(
            r"^(?:trim|shorten)\b" + _TIME,
            r"^(?:cut|clip|chop|keep|remove|drop|delete|get rid of|lose|skip)\b" + _TIME,
            r"^(?:trim|cut|clip|keep)\s+(?:it\s+|the (?:video|clip|footage)\s+)?(?:down\s+)?(?:to\s+)?(?:only\s+|just\s+)?"
            r"(?:(?:the\s+)?(?:part|bit|section|portion|moments?)\s+)?(?:where|when|while)\b",
        ),
        examples=_examples("""
            trim the clip to its first three seconds
            shorten the video to 4 seconds
            keep only the opening 2 s
            cut it down to the first ten seconds
            just the last 5 seconds please
            keep the final 3 s of the clip
            trim from 0:12 to 0:20
            cut the footage between 1:05 and 1:30
            keep from 5 s to 9 s
            only keep the part from 00:03 to 00:07
            chop off the first two seconds
            remove the last 4 seconds
            drop everything before 0:15
            delete everything after the 20 second mark
            cut the intro, the first 3 seconds
            get rid of the final second
            keep just the part where the dog is visible
            only the section where the car is on screen
            trim it to when the person is in the frame
            clip the bit where the cat shows up
            can you shorten this clip to the first 6 seconds?
            I only need seconds 2 to 5
            make it just the first half minute
            trim the beginning off, the first 1.5 seconds
            shorten it so it ends at 0:08
        """),
        slots=("time_range", "target"),
        help="trim the video: the first / last N seconds, from 1:10 to 1:25, the part where <target> is visible",
        handler=trim_handler,
        media="video",
    ),
    Intent(
        "speed_video",
        patterns=(
            r"^(?:speed (?:it |the (?:video|clip) )?up|slow (?:it |the (?:video|clip) )?down|play (?:it |the (?:video|clip) )?(?:at|in)\b)",
            r"^make (?:it|the (?:video|clip|footage))\s+(?:\w+\s+)?(?:times\s+)?(?:as\s+)?(?:fast|faster|slow|slower|quicker)\b",
            r"^(?:\d+(?:\.\d+)?x|double|half|quarter|triple)\s+speed\b",
            r"^(?=.*\btime[- ]?lapse\b)",  # "10x timelapse", "turn it into a time-lapse"
            r"^\d+(?:\.\d+)?\s*x\b(?!\s*\d)",  # a bare factor on a clip: "4x please"
        ),
        examples=_examples("""
            make the video twice as fast
            speed it up 3x
            play it at double speed
            run the clip at 1.5 times the speed
            half speed please
            slow the footage down to half
            play it in slow motion
            make it four times faster
            slow it down by a factor of 3
            can you play this at quarter speed?
            speed the clip up a little, 1.25x
            make it go faster
            make the video slower
            fast forward it at 8x
            a time-lapse, ten times faster
            play it at 50% speed
            slow-mo the whole clip
            put it at 2x speed
            make the playback quicker
            decrease the playback speed to 0.75x
            increase the playback speed
            triple the speed
            it should play three times as fast
            make it run at a third of the speed
            slow motion at 25 percent
        """),
        slots=("factor",),
        help="speed up / slow down the video (2x, half speed, any factor; the sound re-timed)",
        handler=speed_handler,
        media="video",
    ),
    Intent(
        "reverse_video",
        patterns=(
            r"^(?:reverse|rewind)\b(?!.*\b(?:colou?rs?|image|photo|picture|order of)\b)",
            r"^play (?:it |the (?:video|clip|footage) )?(?:backwards?|in reverse|reversed)\b",
            # "flip / turn / invert the clip in time": time words make a flip a reversal, not a mirror
            r"^(?:flip|turn|invert|mirror|swap)\b.*\b(?:in time|time-?wise|(?:the )?(?:time|playback) direction)\b",
        ),
        examples=_examples("""
            reverse the video
            play it backwards
            run the clip in reverse
            make it play backward
            reverse the footage
            I want the clip reversed
            flip the clip in time
            play the video from the end to the start
            rewind effect on the whole clip
            make the video go backwards
            reversed playback please
            invert the playback direction
            turn time around in this clip
            can it run backward?
            show it in reverse order
            reverse the clip's playback
            backwards version of the video
            play this film in reverse
            have it play last frame first
            give me the video reversed
            run it backwards
            reverse it
            play it reversed
            do a reverse playback
            the clip but backwards
        """),
        help="reverse the video (play it backwards; sound too)",
        handler=reverse_handler,
        media="video",
    ),
    Intent(
        "loop_video",
        patterns=(r"^loop\b", r"^repeat\b(?=.*\b(?:times|twice|thrice|video|clip|footage|loop)\b)"),
        examples=_examples("""
            loop the video 3 times
            repeat it twice
            make it loop
            play the clip five times in a row
            loop it four times
            repeat the clip
            make a loop of the video
            play it over and over, six times
            repeat the footage 10 times
            loop this three times please
            play the video twice back to back
            repeat the whole thing 3 times
            put the clip on repeat twice
            make the video repeat
            make it play again after it ends
            double it up: play it two times
            loop it
            repeat the video seven times
            play it on a loop 4 times
            stitch the clip to itself three times
            repeat the clip once more
            loop the footage
            have it loop five times
            run the clip twice
            replay it three times in a row
        """),
        slots=("count",),
        help="loop / repeat the video N times",
        handler=loop_handler,
        media="video",
    ),
    Intent(
        "concat_videos",
        patterns=(
            r"^(?:join|concatenate|append|combine|merge|splice|stitch)\b"
            r"(?=.*\b(?:clips?|videos?|footage|previous|last one|them|both)\b)",
            r"^(?:make )?(?:a )?boomerang\b",
        ),
        examples=_examples("""
            join the two clips
            put this clip after the previous one
            concatenate it with the last video
            append this video to the one before
            combine the two videos into one
            merge this clip with the earlier one
            stitch the clips together
            add this clip to the end of the previous video
            put this one before the previous clip
            make a boomerang
            play it forward then backward
            the clip followed by itself reversed
            join it with the previous clip
            attach this video after the last one
            splice the two clips together
            chain this clip onto the previous one
            one video from both clips
            glue the clips together
            put them one after the other
            make one clip out of the two
            concatenate the videos
            add the earlier clip in front of this one
            boomerang effect please
            forward then reverse
            merge the two videos end to end
        """),
        help="join this clip after the previous one (or make a boomerang)",
        handler=concat_handler,
        media="video",
    ),
    Intent(
        "export_gif",
        patterns=(
            r"^(?:export|save|turn|convert|make|render)\b.*\bgifs?\b",
            r"^gifs?\b",
            r"^(?:a |an )?(?:animated )?gif\b",
        ),
        examples=_examples("""
            export the video as a gif
            make a gif of it
            turn it into an animated gif
            convert the clip to GIF
            save it as a gif at 10 fps
            gif, please
            render a GIF 320 pixels wide
            make an animated gif from the video
            I want this as a gif
            create a gif out of the clip
            give me a GIF version
            export to gif
            save the clip as an animated GIF
            can I have it as a gif?
            produce a looping gif
            a gif at 8 frames per second
            convert to a small gif, 240 px wide
            make it a gif
            gif it
            turn the footage into a gif
            output a GIF
            save as GIF
            an animated gif of the video please
            share it as a gif
            export a gif 480 pixels across
        """),
        help="export the video as an animated GIF (fps, width)",
        handler=gif_handler,
        media="video",
    ),
    Intent(
        "find_in_video",
        patterns=(
            r"^(?:when|at what (?:time|point|moment)s?|what time)\b",
            r"^how (?:long|much time|many seconds)\s+(?:is|are|does|do|did|was|were)\s+(?!the (?:video|clip|footage)\b)",
            r"^find (?:the )?(?:times?|moments?)\b",
        ),
        examples=_examples("""
            when does the dog appear?
            when does the person disappear?
            when is a car visible?
            how long is the cat on screen?
            at what time do we see people?
            when do the people show up?
            at which point does the bus leave the frame
            what time does the bicycle come in
            when can we see a face?
            how long does the man stay in the shot?
            find the moments where a dog is visible
            when does the horse enter the picture
            at what point does the truck go away
            how much time is the person visible
            when is there a car in the video
            tell me when the cat shows up
            when do we first see the bird
            how many seconds is the ball on screen
            when does the woman leave
            find the times when people are in the frame
            at what moment does the motorbike appear
            when are the cars visible?
            when does the dog vanish?
            how long is someone on camera
            when is the boat in view
        """),
        slots=("target",),
        help="when does <target> appear / disappear / is visible; how long is <target> on screen",
        handler=when_handler,
        media="video",
    ),
    Intent(
        "count_in_video",
        # rules only where the words speak of a clip (they run on images too): the rest is the matcher's
        patterns=(
            r"^(?:how many|count)\b(?!.*\b(?:frames?|seconds?|shots?|scenes?|cuts?|photo|picture|image)\b)"
            r"(?=.*\b(?:walk\w*|pass\w*|cross\w*|go(?:es)? by|drive\w*|come|comes|video|clip|footage|through|"
            r"distinct|different|in total)\b)",
        ),
        examples=_examples("""
            how many people walk past?
            count the cars that drive through
            how many different people are in the clip?
            how many dogs appear in the video?
            number of faces in the video
            how many people cross the street
            count everyone who walks by
            how many cars pass in the footage
            count the people in the video
            how many distinct persons show up
            how many bikes go by?
            count how many birds fly through
            how many people are there over the whole clip
            how many pedestrians pass?
            tally the people walking past
            count the number of cars in the video
            how many buses drive by
            how many faces can be seen in the clip
            how many people come in and out
            count all the dogs in the footage
            how many different cars appear
            how many people are in this video in total
            count the walkers
            how many trucks pass through the frame
            how many persons cross the scene
        """),
        slots=("target", "count"),
        help="how many people (cars, dogs ...) pass through the video (distinct, followed over time)",
        handler=count_handler,
        media="video",
    ),
)

for _intent in VIDEO_INTENTS:
    register_intent(_intent)
