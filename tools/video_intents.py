"""The sentences that edit a clip in time (trim, speed, reverse, loop, join, GIF): records of the intent table
(:mod:`vitron_agent.toolkit.intents`), each with its examples for the learned matcher, a few rules for
phrasings that must win, and a handler that reads the slots (:mod:`vitron_agent.toolkit.slots`).
"""

from __future__ import annotations

import re

from vitron_agent.toolkit import slots
from vitron_agent.toolkit.intents import Intent, register_intent
from vitron_agent.tools.video_clip_parts import (  # the trim record and the readers of a part of a clip
    backwards_span,
    clip_part,
    emit_step,
    example_lines,
    on_part,
    trim_handler,
    trimmed_to_span,
    video_or_ask,
    visible_mode,
    visible_target,
    whole_clip_only,
)

__all__ = ["VIDEO_INTENTS", "video_or_ask", "emit_step", "example_lines"]

# "no audio please", "without sound": the request is the silence itself ("no audio needed" is a remark)
_NO_SOUND = (
    r"^(?:no|without|with no|zero)\s+(?:sound|audio)(?:\s+(?:at all|track))?(?:\s+(?:please|pls|thanks))?\s*[.!]*$"
)


# a speed said as a bare number: "at 0.75 speed", "0.5 of the normal speed", "set the speed to 1.5"
_SPEED_SAID = re.compile(
    r"(?<![\d.])(\d+(?:\.\d+)?)\s*(?:x\s*)?(?:of\s+)?(?:(?:the|its)\s+)?(?:(?:normal|original|regular|usual|real)\s+)?speed\b"
    r"|\bspeed\s+(?:to|of|at)\s+(\d+(?:\.\d+)?)\b(?!\s*(?:%|percent|per cent|s\b|secs?\b|seconds?\b|:))"
)


def speed_handler(call) -> None:
    if not video_or_ask(call, "speed_video", "Changing the speed"):
        return
    text = call.text.lower()
    f = slots.factor(text)
    if f is None and (said := _SPEED_SAID.search(text)):  # "play at 0.75 speed", "set the speed to 1.5" (read 2x)
        f = float(said.group(1) or said.group(2))
    slower = bool(re.search(r"\bslow|\bslower\b|\bslow-?mo", text))
    if f is None:  # "a bit slower" is gentler than "slow it down" (it had been the same half speed)
        gentle = re.search(r"\b(?:a\s+(?:little\s+)?bit|a\s+little|slightly|a\s+touch|a\s+tad|somewhat)\b", text)
        f = (0.8 if slower else 1.25) if gentle else (0.5 if slower else 2.0)
        call.note(f"I used {f:g}x speed (say a factor, e.g. '3x', to choose).")
    elif (by := re.search(r"\bby\s+(\d+(?:\.\d+)?)\s*(?:%|percent|per cent)", text)) and f < 1:
        # "speed it up by 50%" is 1.5x, "slow it down by 25%" is 0.75x: a change, not the new speed
        change = float(by.group(1)) / 100
        f = max(0.05, 1 - change) if slower else 1 + change
    elif slower and f > 1:
        f = 1 / f
    if on_part(call, "speed_video", "sped up" if f > 1 else "slowed down", factor=round(f, 4)):
        return
    if (part := clip_part(call.text[:300])) is not None:  # "slow down the second shot": found on the clip
        emit_step(call, "speed_video", factor=round(f, 4), part=part.model_dump(exclude_none=True))
        return
    whole_clip_only(call, "a speed change")
    emit_step(call, "speed_video", factor=round(f, 4))


def mute_handler(call) -> None:
    if not re.search(
        r"\b(?:mute|silen\w*|soundless|remove|delete|strip|drop|kill|cut|take|get rid|lose|turn|switch|shut)\b|"
        + _NO_SOUND,
        call.text,
        re.I,
    ):
        if re.search(r"\?\s*$|^(?:is|are|does|do|did|has|have|any|what|how|can)\b", call.text.strip(), re.I):
            if call.has_tool("describe_video"):  # "is there any sound?": a question, answered by describe_video
                emit_step(call, "describe_video", output="text", question=call.text.strip())
        return  # "..., no audio needed": a side remark, not a request to remove the sound
    if video_or_ask(call, "mute_video", "Removing the sound"):
        emit_step(call, "mute_video")


def reverse_handler(call) -> None:
    if video_or_ask(call, "reverse_video", "Playing backwards") and not on_part(call, "reverse_video", "reversed"):
        whole_clip_only(call, "playing backwards")
        emit_step(call, "reverse_video")


def loop_handler(call) -> None:
    if not video_or_ask(call, "loop_video", "Looping"):
        return
    trimmed_to_span(call)  # "loop the first 2 seconds": that part, looped
    text = re.sub(r"\d+(?::\d\d)?(?:\.\d+)?\s*(?:s|secs?|seconds?|mins?|minutes?)\b|\d+:\d\d", " ", call.text.lower())
    said = re.search(r"(?<![\d.])(\d+(?:\.\d+)?)\s*(?:x\b|times\b|plays?\b|loops?\b)", text)
    n = float(said.group(1)) if said else slots.number(text)
    n = 2 if n is None else n
    n = {"twice": 2, "thrice": 3}.get(next((w for w in ("twice", "thrice") if w in text), ""), n)
    # as said: a count out of the tool's 2..50 or not whole is refused by the plan's argument check, naming
    # the range (it was clamped: "loop it 1000000000 times" looped 50 times, said done; "2.5 times" read 5)
    emit_step(call, "loop_video", times=int(n) if float(n).is_integer() else n)


def concat_handler(call) -> None:
    """A boomerang (the clip, then itself reversed), or this turn's clip after the previous turn's."""
    if not video_or_ask(call, "concat_videos", "Joining clips"):
        return
    text = call.text.lower()
    if re.search(r"\bboomerang\b|\brevers|\bbackwards?\b", text) and call.has_tool("reverse_video"):
        trimmed_to_span(call)  # "a boomerang of the first second": of that part
        first = call.picture
        back = call.add("reverse_video", video=first)
        sid = call.add("concat_videos", video=first, other=f"${back}.video")
        call.set_output(sid, "video")
        return
    sent = [k for k, kind in getattr(call, "inputs", {}).items() if kind == "video" and k != "video"]
    if sent:  # two clips sent together: the current one (edited or not), then the other one
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
    if not video_or_ask(call, "export_gif", "A GIF") or backwards_span(call):
        return
    if slots.time_range(call.text) is not None and call.has_tool("trim_video"):
        trim_handler(call)  # "a gif of the first 3 seconds": that part, then the GIF
    elif (what := visible_target(call.text)) is not None and call.has_tool("trim_video"):
        emit_step(call, "trim_video", visible=what, **visible_mode(call.text))  # "a gif of the motorbike part"
    text = call.text.lower()
    fps = re.search(r"(\d+(?:\.\d+)?)\s*(?:fps|frames? (?:a|per) second)", text)
    width = re.search(r"(\d{2,4})\s*(?:px|pixels?)\s*(?:wide|across|width)?|(\d{2,4})\s+(?:wide|across)\b", text)
    emit_step(
        call,
        "export_gif",
        fps=float(fps.group(1)) if fps else None,
        width=int(width.group(1) or width.group(2)) if width else None,
    )


VIDEO_INTENTS = (
    Intent(
        "speed_video",
        patterns=(
            r"^(?:speed (?:it |the (?:video|clip) )?up|slow (?:it |the (?:video|clip) )?down|"
            r"play (?:it |the (?:video|clip|footage) )?(?:back )?(?:at|in)\b(?!\s+(?:reverse|rewind|backwards?)\b))",
            r"^(?:halve|double|triple|quadruple|increase|decrease|reduce|raise|lower|cut|change|set)\s+(?:the\s+)?"
            r"(?:playback\s+|play\s+|video\s+|clip\s+)?(?:speed|rate|tempo|pace)\b",
            r"^make (?:it|the (?:video|clip|footage))\s+(?:\w+\s+)?(?:times\s+)?(?:as\s+)?(?:fast|faster|slow|slower|quicker)\b",
            r"^(?:\d+(?:\.\d+)?x|double|half|quarter|triple)\s+speed\b",
            r"^(?=.*\btime[- ]?lapse\b)",  # "10x timelapse", "turn it into a time-lapse"
            r"^\d+(?:\.\d+)?\s*x\b(?!\s*\d)",  # a bare factor on a clip: "4x please"
            r"^(?:hurry|rush|quicken|hasten|pick up)\s+(?:it|the (?:video|clip|footage|pace))\b",  # "hurry it up"
        ),
        examples=example_lines("""
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
            hurry it up
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
            r"^play (?:it |the (?:video|clip|footage) )?(?:backwards?|in reverse|in rewind|reversed)\b",
            # "show the video from end to start", "play it from the last frame to the first"
            r"^(?:show|play|run|make|have|get|let)\b.*\bfrom (?:the )?(?:end|last frame|finish) to (?:the )?"
            r"(?:start|beginning|first(?: frame)?)\b",
            # "flip / turn / invert the clip in time": time words make a flip a reversal, not a mirror ("flip it
            # so it plays from the end to the start" too)
            r"^(?:flip|turn|invert|mirror|swap)\b.*\b(?:in time|time-?wise|(?:the )?(?:time|playback) direction|"
            r"(?:plays?|runs?|goes)\s+(?:from\s+)?(?:the\s+)?(?:end|last frame|finish)\s+to\s+(?:the\s+)?"
            r"(?:start|beginning|first(?: frame)?))\b",
        ),
        examples=example_lines("""
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
        "mute_video",
        # removing the sound is the one sound edit: louder, quieter, music stay refusals (cannot_do)
        patterns=(
            r"^(?:mute|silence)\b(?!.*\b(?:colou?rs?|tones?|shades?|palette)\b)",
            r"^(?:remove|delete|strip|drop|kill|cut|take|get rid of|lose|turn|switch|shut)\s+(?:out\s+|off\s+)?"
            r"(?:(?:the|all|its|any|of the)\s+)*(?:(?:sound|audio)(?:\s*track)?|soundtrack)s?(?:\s+(?:out|off))?"
            r"(?:\s+(?:from|of|in|on)\s+(?:the\s+|this\s+)?(?:video|clip|footage|film|movie|it|this))?\s*[.!]*$",
            r"^make (?:it|this|the (?:video|clip|footage))\s+(?:silent|soundless|mute|muted)\s*[.!]*$",
            _NO_SOUND,
        ),
        examples=example_lines("""
            remove the sound
            mute it
            mute the video
            take the audio out
            strip the audio from the clip
            make it silent
            turn off the sound
            get rid of the audio
            delete the soundtrack
            drop the sound
        """),
        help="remove the sound (mute the video)",
        handler=mute_handler,
        media="video",
    ),
    Intent(
        "loop_video",
        patterns=(
            r"^loop\b",
            r"^repeat\b(?=.*\b(?:times|twice|thrice|video|clip|footage|loop)\b)",
            r"^(?:have|make|let)\s+(?:it|the (?:video|clip|footage))\s+(?:play|run|go)\s+(?:over and over|on (?:a )?(?:loop|repeat))\b",
        ),
        examples=example_lines("""
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
            # "stick these videos together", "play one after the other", "add the other clip after it"
            r"^(?:stick|glue|tape|put|paste|string|chain|bolt)\b(?=.*\b(?:videos|clips|them|both)\b)(?=.*\btogether\b)",
            r"^(?:play|put|show|run)\s+(?:them|both|the (?:two )?(?:videos|clips))?\s*one after (?:the )?(?:other|another)\b",
            r"^(?:add|put|attach|tack)\s+(?:on\s+)?the (?:other|second|next) (?:video|clip)\b",
            r"^(?:play|show|run)\s+the (?:other|second|next) (?:video|clip)\s+(?:\w+\s+)?(?:after|before|following)\b",
        ),
        examples=example_lines("""
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
        examples=example_lines("""
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
)

for _intent in VIDEO_INTENTS:
    register_intent(_intent)
