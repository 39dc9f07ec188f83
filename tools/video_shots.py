"""``shot_video``: keep or remove one shot of a clip by its number ("remove the first shot", "delete the last
scene", "keep only the second shot"). The shots are found by PySceneDetect's content detector (the cuts the
"how many shots" answer counts); the sound is cut with the pictures.

Before this, "remove the first shot" was read as "remove the main object": the main object was tracked
through every shot and inpainted away, said done. A shot number past the clip's shots is refused with how
many there are; a clip of one shot is said so (nothing removed).
"""

from __future__ import annotations

import re

import numpy as np
from pydantic import BaseModel, Field

from vitron_agent.core.errors import ToolFailed
from vitron_agent.core.refs import VideoRef
from vitron_agent.media.shots import shot_spans
from vitron_agent.toolkit.intents import Intent, register_intent
from vitron_agent.toolkit.registry import Backend, StepWords, Traits, declare, register
from vitron_agent.toolkit.tool import ToolContext, VisionTool
from vitron_agent.tools.video_clip_parts import emit_step, video_or_ask
from vitron_agent.tools.video_edit import VideoResult, clip_line, remapped
from vitron_agent.tools.video_time import clock

__all__ = ["ShotVideoTool", "ShotInput", "shot_spans", "shot_number"]


class ShotInput(BaseModel):
    video: VideoRef = Field(description="the video")
    shot: int = Field(description="the shot, counted from 1 (-1 = the last, -2 the one before)", ge=-50, le=500)
    keep: bool = Field(default=False, description="keep only this shot (default: remove it, keep the rest)")


class ShotVideoTool(VisionTool):
    name = "shot_video"
    description = (
        "Keep or remove one shot of a video by its number (shots found by PySceneDetect's content detector: "
        "hard cuts); shot=1 is the first, -1 the last. The sound is cut with the pictures."
    )
    Input = ShotInput
    Output = VideoResult
    backend = "cv"

    def check_inputs(self, inp: ShotInput, ctx: ToolContext) -> None:
        if inp.shot == 0:
            raise ValueError("shots are counted from 1 (the first) or from the end (-1 = the last)")

    def run(self, inp: ShotInput, ctx: ToolContext) -> VideoResult:
        from vitron_agent.media.audio import Audio, cut, get_audio
        from vitron_agent.media.shots import shot_cuts

        v = inp.video
        ctx.progress(0.05, "finding the shots")
        spans = shot_spans(shot_cuts(ctx.store.get_video(v).frames(), v.fps), v.frames)
        n = len(spans)
        index = inp.shot - 1 if inp.shot > 0 else n + inp.shot
        listed = ", ".join(f"{i + 1}: {clock(a / v.fps)}-{clock(b / v.fps)}" for i, (a, b) in enumerate(spans))
        if n == 1 and inp.keep and inp.shot in (1, -1):  # the only shot is the clip itself
            sound = get_audio(ctx.store, v.audio)
            ref = ctx.store.put_video(remapped(ctx.store, v, range(v.frames), ctx), v.fps, ctx.step_id, audio=sound)
            return VideoResult(
                video=ref, text=f"I found no cut: the clip is one shot, so I kept it whole ({clip_line(ref)})."
            )
        if n == 1:
            raise ToolFailed(
                f"I found no cut in this {clock(v.frames / v.fps)} clip: it is one shot, so there is no "
                f"shot {inp.shot} to {'keep' if inp.keep else 'remove'}. Say the times instead ('cut 0:02 to 0:04')."
            )
        if not 0 <= index < n:
            raise ToolFailed(f"the clip has {n} shots ({listed}); there is no shot {inp.shot}")
        a, b = spans[index]
        parts = [(a, b)] if inp.keep else [s for i, s in enumerate(spans) if i != index]
        mapping = [i for lo, hi in parts for i in range(lo, hi)]
        audio = get_audio(ctx.store, v.audio)
        sound = None
        if audio is not None:
            sound = Audio(
                np.concatenate([cut(audio, lo / v.fps, hi / v.fps).samples for lo, hi in parts], 1), audio.rate
            )
        ref = ctx.store.put_video(remapped(ctx.store, v, mapping, ctx), v.fps, ctx.step_id, audio=sound)
        what = f"shot {index + 1} of {n} ({clock(a / v.fps)}-{clock(b / v.fps)})"
        done = f"Kept only {what}" if inp.keep else f"Removed {what}"
        sound_words = "sound cut with it" if ref.audio else "the clip has no sound"
        return VideoResult(
            video=ref, text=f"{done}: {clip_line(ref)}; {sound_words}. The shots (hard cuts found): {listed}."
        )


def _phrase(step: StepWords) -> str:
    shot = step.args.get("shot")
    n = 1 if shot is None else int(shot)  # "remove shot 0" had been said as "I could not remove shot 1"
    which = "the last shot" if n == -1 else f"shot {n}" if n >= 0 else f"shot {-n} from the end"
    if step.args.get("keep"):
        return step.verb(f"kept only {which}", f"keep only {which}")
    return step.verb(f"removed {which}", f"remove {which}")


register(Backend("shot_video", "cv", ShotVideoTool, default=True))
declare(Traits("shot_video", phrase=_phrase))


_ORDINAL = {
    "first": 1, "opening": 1, "1st": 1, "one": 1, "second": 2, "2nd": 2, "two": 2, "third": 3, "3rd": 3,
    "three": 3, "fourth": 4, "4th": 4, "four": 4, "fifth": 5, "5th": 5, "five": 5, "sixth": 6, "6th": 6,
    "last": -1, "final": -1, "closing": -1, "ending": -1,
}  # fmt: skip
_SHOT = r"(?:shot|scene|cut|take|segment|part)"
_NUMBERED = re.compile(
    rf"\b(?:the\s+)?(?:(?P<ord>{'|'.join(_ORDINAL)}|\d+(?:st|nd|rd|th))\s+{_SHOT}|{_SHOT}\s+(?:number\s+)?(?P<num>\d+|one|two|three|four|five))\b"
    r"(?!\s+(?:of|with|where|when|in which)\b)",
    re.I,
)


def shot_number(clause: str) -> int | None:
    """The shot a clause names by number ("the second shot", "scene 3", "the last scene"), else None."""
    m = _NUMBERED.search(clause)
    if m is None:
        return None
    word = (m.group("ord") or m.group("num")).lower()
    if word in _ORDINAL:
        return _ORDINAL[word]
    return int(re.sub(r"\D", "", word))


def _handler(call) -> None:
    if not video_or_ask(call, "shot_video", "Keeping or removing a shot"):
        return
    n = shot_number(call.text)
    keep = not re.match(
        r"^(?:please\s+)?(?:remove|delete|cut|drop|skip|lose|get rid of|take out|cut out|trim)\b", call.text, re.I
    )
    emit_step(call, "shot_video", shot=n, keep=keep)


register_intent(
    Intent(
        "shot_video",
        patterns=(
            rf"^(?:please\s+)?(?:remove|delete|cut|drop|skip|lose|get rid of|take out|cut out|trim)\s+(?:out\s+)?(?:the\s+)?"
            rf"(?:{'|'.join(_ORDINAL)}|\d+(?:st|nd|rd|th))\s+(?:shot|scene|cut|take)s?\b",
            rf"^(?:please\s+)?(?:(?:only\s+)?keep|just|only)\s+(?:only\s+)?(?:the\s+)?(?:{'|'.join(_ORDINAL)}|\d+(?:st|nd|rd|th))\s+"
            r"(?:shot|scene|take)\b",
            r"^(?:please\s+)?(?:remove|delete|drop|skip|keep|just|only)\s+(?:only\s+)?(?:shot|scene)\s+(?:number\s+)?\d+\b",
            rf"^(?:(?:just|only)\s+)?(?:the\s+)?(?:{'|'.join(_ORDINAL)}|\d+(?:st|nd|rd|th))\s+(?:shot|scene|take)(?:\s+only)?\s*[.!]?$",
        ),
        help="remove / keep only the Nth shot of a clip ('remove the first shot', 'keep only scene 2')",
        handler=_handler,
        media="video",
        order=-2,  # before trim's "cut/remove ..." and the table's "remove <thing>"
    )
)
