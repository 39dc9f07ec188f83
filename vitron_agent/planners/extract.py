"""The one boundary between model output and plans.

Every planner's reply passes through here, whatever produced it: raw text (a local LM, a
replayed recording), an OpenAI-style chat-completion body (vLLM, Ollama, llama.cpp, LM
Studio, OpenAI), or a LangChain ``AIMessage`` (or its dict dump).

* :class:`ModelReply` keeps what planning needs: the visible text, the model's
  **reasoning** (``<think>``/``<thinking>``/``<reasoning>`` blocks, ``reasoning_content``,
  thinking content blocks -- kept for debugging in ``Plan.reasoning``, never in an answer),
  tool calls (arguments as a JSON string or an object), invalid tool calls, and the
  finish reason.
* :func:`reply_to_plan` finds a plan in tool calls, in Hermes/Qwen ``<tool_call>`` text,
  Mistral ``[TOOL_CALLS]`` and Llama ``<|python_tag|>`` text, a fenced ```` ```json ````
  block or a bare JSON object -- several calls in one message are several steps. Anything
  that is not a plan is a :class:`PlanValidationError` whose message says exactly what is
  wrong (cut off at the token limit, a JSON object without ``steps``, an empty reply);
  a plan with no steps comes only from an explicit ``"steps": []`` or a prose answer.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from vitron_agent.core.errors import PlanValidationError
from vitron_agent.toolkit.plan import Plan, Step

__all__ = [
    "ModelReply",
    "ToolCall",
    "split_reasoning",
    "from_text",
    "from_openai",
    "from_langchain",
    "reply_to_plan",
    "calls_to_steps",
    "MAX_TEXT",
    "MAX_REASONING",
]

MAX_TEXT = 20_000
MAX_REASONING = 4_000

CUT_OFF = (
    "your reply was cut off at the token limit (finish_reason={reason}); write a shorter plan: "
    "fewer steps and shorter arguments"
)
NOT_A_PLAN = (
    'the reply is a JSON object without "steps" (keys: {keys}); answer with '
    '{{"steps": [{{"id": "s1", "tool": "...", "args": {{...}}}}], "answer": null}}'
)
NOT_JSON = (
    "the output is not a JSON plan; answer with one JSON object "
    '{"steps": [{"id": "s1", "tool": "...", "args": {...}}], "answer": null}'
)
INCOMPLETE = "the JSON plan is incomplete (it never closes); write the whole object"
EMPTY = "the reply was empty{why}; call the tools, or answer in text when no tool is needed"

_THINK = "think|thinking|reasoning|thought"
_THINK_OPEN = re.compile(rf"<({_THINK})>", re.I)
_THINK_CLOSE = re.compile(rf"</({_THINK})\s*>", re.I)
_HERMES = re.compile(r"<tool_call>\s*(.*?)\s*(?:</tool_call>|$)", re.S | re.I)
_FUNCTION_TAG = re.compile(r"<function=([A-Za-z_][\w.-]*)>\s*(.*?)\s*(?:</function>|$)", re.S)
_FENCE = re.compile(r"```[ \t]*(?:json|JSON|jsonc)?[ \t]*\n?(.*?)(?:```|$)", re.S)
_SPECIAL = re.compile(r"<\|(?:eot_id|eom_id|im_end|end|endoftext)\|>|</s>")


def sub_tag_pairs(text: str, opener: re.Pattern[str], closer: re.Pattern[str], repl: Any, fold: bool = False) -> str:
    """``text`` with each opening tag, the nearest later closing tag of the same name and what
    lies between them replaced by ``repl(name, inner)``: what ``re.sub(r"<(n)>(.*?)</\\1>")``
    does, in linear time (that regex scans to the end of the text for every opening tag that
    never closes: quadratic in a text of many). ``opener`` and ``closer`` capture the tag name
    in group 1; ``fold``: names compare case-insensitively."""
    from bisect import bisect_left

    closes: dict[str, tuple[list[int], list[int]]] = {}
    for m in closer.finditer(text):
        starts, ends = closes.setdefault(m.group(1).lower() if fold else m.group(1), ([], []))
        starts.append(m.start())
        ends.append(m.end())
    out, pos = [], 0
    for m in opener.finditer(text) if closes else ():
        if m.start() < pos:
            continue
        starts, ends = closes.get(m.group(1).lower() if fold else m.group(1), ([], []))
        i = bisect_left(starts, m.end())
        if i == len(starts):
            continue
        out += [text[pos : m.start()], repl(m.group(1), text[m.end() : starts[i]])]
        pos = ends[i]
    return "".join(out) + text[pos:]


@dataclass
class ToolCall:
    """One tool call: ``args`` is an object or the raw JSON string the model wrote."""

    name: str | None
    args: Any
    id: str | None = None
    error: str | None = None


@dataclass
class ModelReply:
    text: str = ""
    reasoning: str = ""
    calls: list[ToolCall] = field(default_factory=list)
    invalid: list[ToolCall] = field(default_factory=list)
    finish_reason: str | None = None

    @property
    def cut_off(self) -> bool:
        return (self.finish_reason or "").lower() in ("length", "max_tokens", "max_output_tokens")


def split_reasoning(text: str) -> tuple[str, str]:
    """``(visible text, reasoning)``: ``<think>...</think>`` (and thinking/reasoning/thought)
    blocks are reasoning; so is everything after an opening tag that never closes (cut off)
    and everything before a closing tag that never opened (the chat template opened it)."""
    parts: list[str] = []

    def take(name: str, inner: str) -> str:
        parts.append(inner.strip())
        return " "

    text = sub_tag_pairs(text, _THINK_OPEN, _THINK_CLOSE, take, fold=True)
    closes = list(_THINK_CLOSE.finditer(text))
    if closes:
        parts.insert(0, text[: closes[-1].start()].strip())
        text = text[closes[-1].end() :]
    opened = _THINK_OPEN.search(text)
    if opened:
        parts.append(text[opened.end() :].strip())
        text = text[: opened.start()]
    return text.strip(), "\n\n".join(p for p in parts if p)


def _blocks(content: Any) -> tuple[str, str, list[ToolCall]]:
    """Text, reasoning and tool calls of a message ``content``: a string or a list of blocks
    (``{"type": "text"}``, ``"thinking"``/``"reasoning"`` blocks, Anthropic ``"tool_use"``)."""
    if content is None:
        return "", "", []
    if isinstance(content, str):
        text, reasoning = split_reasoning(content)
        return text, reasoning, []
    if not isinstance(content, list):
        return split_reasoning(str(content)) + ([],)
    texts, thoughts, calls = [], [], []
    for block in content:
        if isinstance(block, str):
            texts.append(block)
            continue
        if not isinstance(block, dict):
            continue
        kind = str(block.get("type", ""))
        if kind in ("thinking", "reasoning", "redacted_thinking", "reasoning_content"):
            value = block.get("thinking") or block.get("reasoning") or block.get("text") or block.get("summary") or ""
            thoughts.append(value if isinstance(value, str) else json.dumps(value))
        elif kind in ("text", "output_text"):
            texts.append(str(block.get("text") or ""))
        elif kind == "tool_use":
            calls.append(ToolCall(block.get("name"), block.get("input"), block.get("id")))
    text, inner = split_reasoning("".join(texts))
    return text, "\n\n".join(t for t in [*thoughts, inner] if t), calls


def _clip(reply: ModelReply) -> ModelReply:
    reply.text = _SPECIAL.sub("", reply.text[:MAX_TEXT]).strip()
    reply.reasoning = reply.reasoning.strip()[:MAX_REASONING]
    return reply


def from_text(text: Any, finish_reason: str | None = None) -> ModelReply:
    """A reply that is plain text (a local LM's generation, a recording)."""
    if not isinstance(text, str):
        raise PlanValidationError([f"the planner output is {type(text).__name__}, not text"])
    visible, reasoning = split_reasoning(text[:MAX_TEXT])
    return _clip(ModelReply(text=visible, reasoning=reasoning, finish_reason=finish_reason))


def from_openai(body: Any) -> ModelReply:
    """A chat-completion response body (``choices[0].message``)."""
    try:
        choice = body["choices"][0]
        message = choice.get("message") or choice.get("delta") or {}
    except (KeyError, IndexError, TypeError, AttributeError):
        raise PlanValidationError(
            [f"the endpoint's reply has no choices[0].message: {json.dumps(body)[:300]}"]
        ) from None
    text, reasoning, calls = _blocks(message.get("content"))
    extra = message.get("reasoning_content") or message.get("reasoning") or ""
    reasoning = "\n\n".join(r for r in [extra if isinstance(extra, str) else json.dumps(extra), reasoning] if r)
    raw_calls = list(message.get("tool_calls") or [])
    if message.get("function_call"):  # the legacy single-call field
        raw_calls.append({"function": message["function_call"]})
    for c in raw_calls:
        fn = (c.get("function") or {}) if isinstance(c, dict) else {}
        calls.append(ToolCall(fn.get("name"), fn.get("arguments"), c.get("id") if isinstance(c, dict) else None))
    reason = choice.get("finish_reason") or body.get("done_reason")
    return _clip(ModelReply(text=text, reasoning=reasoning, calls=calls, finish_reason=reason))


def from_langchain(message: Any) -> ModelReply:
    """A LangChain ``AIMessage`` (or its ``model_dump()`` / ``dumpd`` dict)."""
    if isinstance(message, dict):
        data = message.get("kwargs", message) if message.get("lc") else message
    else:
        data = {
            k: getattr(message, k, None)
            for k in ("content", "tool_calls", "invalid_tool_calls", "additional_kwargs", "response_metadata")
        }
    text, reasoning, calls = _blocks(data.get("content"))
    extra = (data.get("additional_kwargs") or {}).get("reasoning_content") or ""
    reasoning = "\n\n".join(r for r in [extra if isinstance(extra, str) else json.dumps(extra), reasoning] if r)
    if data.get("tool_calls"):  # parsed calls win over the content's tool_use blocks (the same calls)
        calls = [ToolCall(c.get("name"), c.get("args"), c.get("id")) for c in data["tool_calls"]]
    invalid = [
        ToolCall(c.get("name"), c.get("args"), c.get("id"), str(c.get("error") or "not valid JSON"))
        for c in data.get("invalid_tool_calls") or []
    ]
    meta = data.get("response_metadata") or {}
    reason = meta.get("finish_reason") or meta.get("done_reason") or meta.get("stop_reason")
    return _clip(ModelReply(text=text, reasoning=reasoning, calls=calls, invalid=invalid, finish_reason=reason))


# -- finding the plan -----------------------------------------------------------------------------
def _parse_args(raw: Any) -> tuple[Any, str | None]:
    if raw is None or raw == "":
        return {}, None
    if isinstance(raw, str):
        try:
            return json.loads(raw), None
        except json.JSONDecodeError:
            return None, "arguments are not valid JSON"
    return raw, None


def calls_to_steps(calls: list[ToolCall], start: int = 1, cut: str | None = None) -> list[Step]:
    """Steps ``s{start}``, ... from tool calls, or a PlanValidationError listing every bad call."""
    problems, steps = [], []
    for i, call in enumerate(calls, start):
        args, error = _parse_args(call.args)
        if call.error is not None or error is not None:
            problems.append(f"call {i} ({call.name}): {call.error or error}" + (" -- it was cut off" if cut else ""))
        elif not isinstance(call.name, str) or not call.name:
            problems.append(f"call {i} has no tool name")
        elif not isinstance(args, dict):
            problems.append(f"call {i} ({call.name}): arguments must be an object, got {type(args).__name__}")
        else:
            steps.append(Step(id=f"s{i}", tool=call.name[:64], args=args))
    if problems:
        raise PlanValidationError(problems + ([cut] if cut else []))
    return steps


def _call_shape(obj: dict[str, Any]) -> ToolCall | None:
    """``{"name": ..., "arguments": {...}}`` and its spellings, or None."""
    fn = obj.get("function") if isinstance(obj.get("function"), dict) else obj
    name = fn.get("name") or fn.get("tool") or (obj.get("function") if isinstance(obj.get("function"), str) else None)
    if not isinstance(name, str):
        return None
    for key in ("arguments", "args", "parameters", "input"):
        if key in fn:
            return ToolCall(name, fn[key], obj.get("id"))
    return ToolCall(name, {}, obj.get("id")) if set(fn) <= {"name", "tool", "id", "type"} else None


def _text_calls(text: str) -> list[ToolCall] | None:
    """Tool calls written as text: Hermes/Qwen ``<tool_call>{...}</tool_call>``, Llama 3
    ``<function=name>{...}</function>`` and ``<|python_tag|>{...}``, Mistral ``[TOOL_CALLS] [...]``."""
    bodies: list[tuple[str | None, str]] = []
    if "<tool_call>" in text.lower():
        bodies = [(None, b) for b in _HERMES.findall(text)]
    elif "<function=" in text:
        bodies = list(_FUNCTION_TAG.findall(text))
    elif "<|python_tag|>" in text:
        bodies = [(None, b) for b in text.split("<|python_tag|>")[1:]]
    elif "[TOOL_CALLS]" in text:
        bodies = [(None, text.split("[TOOL_CALLS]", 1)[1])]
    if not bodies:
        return None
    calls: list[ToolCall] = []
    for name, body in bodies:
        body = body.strip().rstrip(";")
        try:
            value = json.loads(body) if body else {}
        except json.JSONDecodeError:
            calls.append(ToolCall(name or _guess_name(body), body, error="the call is not valid JSON"))
            continue
        if name is not None:
            calls.append(ToolCall(name, value))
            continue
        for item in value if isinstance(value, list) else [value]:
            call = _call_shape(item) if isinstance(item, dict) else None
            calls.append(call or ToolCall(None, item, error="the call has no tool name and arguments"))
    return calls


def _guess_name(body: str) -> str | None:
    m = re.search(r'"name"\s*:\s*"([^"]+)"', body)
    return m.group(1) if m else None


def _json_candidate(text: str, anywhere: bool) -> tuple[Any, bool]:
    """``(value, found)`` of the JSON in ``text``: a fenced block first, then the whole text,
    then (``anywhere``) the first object inside prose. ``found`` is False when there is
    none; the value is ``INCOMPLETE`` when JSON starts but never closes."""
    decoder = json.JSONDecoder()
    fenced = [f.strip() for f in _FENCE.findall(text) if f.strip()[:1] in "{["]
    stripped = text.strip()
    for candidate in [*fenced, stripped]:
        if candidate[:1] not in ("{", "["):
            continue
        try:
            return decoder.raw_decode(candidate)[0], True
        except json.JSONDecodeError:
            if candidate is stripped or candidate == fenced[-1]:
                return INCOMPLETE, True
    if anywhere:
        start = text.find("{")
        while start != -1:
            try:
                return decoder.raw_decode(text, start)[0], True
            except json.JSONDecodeError:
                start = text.find("{", start + 1)
    return None, False


def _json_to_plan(value: Any, start: int, reasoning: str) -> Plan:
    if isinstance(value, dict) and isinstance(value.get("plan"), dict):
        value = value["plan"]
    if isinstance(value, dict) and isinstance(value.get("tool_calls"), list):
        value = value["tool_calls"]
    if isinstance(value, list):
        if not value or not all(isinstance(v, dict) for v in value):
            raise PlanValidationError(
                ['the reply is a JSON list that is not a list of steps; answer with {"steps": [...], "answer": null}']
            )
        value = {"steps": value}
    if not isinstance(value, dict):
        raise PlanValidationError([f'the JSON plan must be an object with "steps", got {type(value).__name__}'])
    if "steps" not in value:
        call = _call_shape(value)
        if call is not None:
            return Plan(steps=calls_to_steps([call], start, None), reasoning=reasoning or None)
        answer = value.get("answer")
        if isinstance(answer, str) and answer.strip():
            return Plan(answer=answer.strip(), reasoning=reasoning or None)
        keys = ", ".join(sorted(map(str, value))[:8]) or "none"
        raise PlanValidationError([NOT_A_PLAN.format(keys=keys)])
    steps = value["steps"]
    if not isinstance(steps, list):
        raise PlanValidationError([f'"steps" must be a list of steps, got {type(steps).__name__}'])
    thought = value.get("reasoning") or value.get("thought") or value.get("thoughts")
    reasoning = "\n\n".join(r for r in [reasoning, thought if isinstance(thought, str) else ""] if r)
    data = {
        "steps": [_normalise_step(s, i) for i, s in enumerate(steps, start)],
        "answer": value.get("answer") if isinstance(value.get("answer"), str) else None,
        "notes": [n for n in value.get("notes") or [] if isinstance(n, str)]
        if isinstance(value.get("notes"), list)
        else [],
        "reasoning": reasoning[:MAX_REASONING] or None,
    }
    try:
        return Plan.model_validate(data)
    except ValidationError as exc:
        from vitron_agent.toolkit.tool import format_validation_error

        raise PlanValidationError([f"the JSON plan does not fit the schema: {format_validation_error(exc)}"]) from None


def _normalise_step(step: Any, index: int) -> Any:
    """A step as models write it: ``id`` optional, the tool as ``tool``/``name``/``function``,
    arguments as ``args``/``arguments``/``parameters`` (an object or a JSON string)."""
    if not isinstance(step, dict) or "tool" in step and "args" in step:
        return {"id": f"s{index}", **step} if isinstance(step, dict) and "id" not in step else step
    call = _call_shape(step)
    if call is None:
        return step
    args, _ = _parse_args(call.args)
    out = {"id": step.get("id") or f"s{index}", "tool": call.name, "args": args if args is not None else call.args}
    if "after" in step:
        out["after"] = step["after"]
    return out


def reply_to_plan(reply: ModelReply, start: int = 1, json_only: bool = False) -> Plan:
    """The plan in ``reply`` (see the module docstring), or a PlanValidationError that says
    what is wrong. ``json_only``: prose is not an answer (the model was asked for JSON)."""
    cut = CUT_OFF.format(reason=reply.finish_reason) if reply.cut_off else None
    reasoning = reply.reasoning or None
    if reply.calls or reply.invalid:
        if reply.invalid:
            raise PlanValidationError(
                [f"tool call {c.name!r} ({c.id}): {c.error}" for c in reply.invalid] + ([cut] if cut else [])
            )
        return Plan(steps=calls_to_steps(reply.calls, start, cut), reasoning=reasoning)
    text = reply.text
    calls = _text_calls(text)
    if calls is not None:
        if not calls:
            raise PlanValidationError(
                [
                    cut
                    or "the reply opens a tool-call block with no call in it; write each call "
                    'as {"name": "<tool>", "arguments": {...}}'
                ]
            )
        return Plan(steps=calls_to_steps(calls, start, cut), reasoning=reasoning)
    value, found = _json_candidate(text, anywhere=json_only)
    if found:
        if value is INCOMPLETE:
            raise PlanValidationError([cut or INCOMPLETE])
        return _json_to_plan(value, start, reply.reasoning)
    if cut:
        raise PlanValidationError([cut])
    if json_only:
        raise PlanValidationError([NOT_JSON])
    if not text:
        raise PlanValidationError([EMPTY.format(why=" (it held only reasoning)" if reasoning else "")])
    return Plan(answer=text, reasoning=reasoning)
