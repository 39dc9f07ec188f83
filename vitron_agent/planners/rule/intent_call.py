"""The rule planner's side of :class:`vitron_agent.toolkit.intents.IntentCall`: what a record's handler
sees of one clause (its words, the current picture and mask) and may do (add steps, bind "it",
find a target, note, ask)."""

from __future__ import annotations

from typing import Any

from vitron_agent.planners.rule.lexicon import _restore
from vitron_agent.planners.rule.step_builders import _Builder, _target
from vitron_agent.planners.rule.target_words import target_words
from vitron_agent.toolkit.intents import Intent

_OUTPUTS = ("image", "video", "mask", "track", "text")


class RuleCall:
    """One clause handed to a record's handler (see ``IntentCall`` for the contract).
    ``builder``, ``clause`` (with region marks) and ``last`` serve the built-in step builders."""

    def __init__(self, builder: _Builder, intent: Intent, rest: str, clause: str, last: dict[str, str]):
        self.builder, self.intent, self.clause, self.last = builder, intent, clause, last
        self.rest = _restore(rest, builder.regions) if intent.handler is not None and _is_plugin(intent) else rest
        self.text = _restore(clause, builder.regions)

    @property
    def picture(self) -> str | None:
        return self.builder.image

    @property
    def video(self) -> bool:
        return self.builder.video_mode

    @property
    def mask(self) -> str | None:
        return self.builder.mask

    @property
    def inputs(self) -> dict[str, str]:
        """This turn's inputs, name -> kind ("image" / "video"): a second clip sent with the first."""
        return dict(self.builder.inputs.get("input", {}))

    def has_tool(self, name: str) -> bool:
        return name in self.builder.toolbox

    def add(self, tool: str, **args: Any) -> str:
        return self.builder.add(tool, **args)

    def set_output(self, step_id: str, output: str = "image") -> None:
        if output not in _OUTPUTS:
            raise ValueError(f"output must be one of {', '.join(_OUTPUTS)}, got {output!r}")
        b = self.builder
        if output in ("image", "video"):
            b.image, b.mask, b.video_mode = f"${step_id}.{output}", None, output == "video"
        elif output in ("mask", "track"):
            b.mask = f"${step_id}.{output}"
        b.last_output = output

    def target(self, phrase: str | None = None) -> str | None:
        kind, ref = _target(self.builder, self.rest if phrase is None else phrase, self.last)
        return None if kind in ("whole", "none") and ref is None else ref

    def target_words(self, phrase: str | None = None) -> str:
        """The thing ``phrase`` (default: ``rest``) names, cleaned the planner's way: no question or
        verb tail ("dogs show up in this clip" -> "dogs", "when a face is visible" -> "a face"),
        no "how many" / "the number of", no "in the video". Adds no step."""
        return target_words(self.rest if phrase is None else phrase)

    def note(self, text: str) -> None:
        self.builder.notes.append(text)

    def ask(self, text: str) -> None:
        self.builder.answer = text


def _is_plugin(intent: Intent) -> bool:
    """A record from outside the built-in table (its handler reads plain words, not region marks)."""
    return intent.order < 100


def declarative(call: RuleCall) -> None:
    """A record without a handler: its tool on the current picture with its fixed args; its output
    becomes "it" for the next clause."""
    spec = call.intent
    if not call.has_tool(str(spec.tool)):
        call.note(f"{call.text!r} needs the {spec.tool!r} tool, which is not configured; skipped.")
        return
    sid = call.add(str(spec.tool), **{call.builder.media_arg: call.picture}, **dict(spec.args))
    call.set_output(sid, spec.output)
