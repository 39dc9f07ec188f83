"""ChatModelPlanner: any langchain-core chat model as the planner.

The Toolbox is bound as tools (``bind_tools`` with :meth:`Toolbox.planning_schemas`);
each tool call of the answer becomes a plan step ``s1, s2, ...`` in order, and calls
reference earlier calls' outputs as ``"$s1.mask"``. A reply without tool calls is a
direct answer. On a repair round the conversation continues with the previous answer
and a ``ToolMessage`` per call carrying the problems. Models without tool calling
(``bind_tools`` not implemented) are asked for a JSON plan instead.
"""

from __future__ import annotations

import threading
from typing import Any

from vitron_agent.core.errors import PlannerError
from vitron_agent.planners.base import PlanRequest, results_summary
from vitron_agent.planners.extract import from_langchain, reply_to_plan
from vitron_agent.toolkit.plan import Plan
from vitron_agent.toolkit.tool import Toolbox

__all__ = ["ChatModelPlanner", "tool_calls_to_plan", "system_prompt", "with_feedback"]

SYSTEM = (
    "You plan vision tasks by calling tools. Call the tools in the order they must run; your calls are "
    'numbered s1, s2, ... and an argument may reference an earlier call\'s output as "$s1.mask" or an input '
    'as "$input.image". Inputs available: {inputs}. If no tool is needed, answer in text.'
)


MAX_CONVERSATIONS = 256


def with_feedback(request: PlanRequest) -> str:
    """The request text, then (step-by-step mode) the results so far, then the problems of
    the previous attempt when there are any."""
    text = request.text
    if request.results:
        text += (
            f"\n\nResults so far:\n{results_summary(request)}\nCall the next tools (your calls are numbered "
            f"s{request.first_id}, s{request.first_id + 1}, ...; you may use the outputs above), "
            "or answer in text without tool calls when the request is done."
        )
    if request.feedback:
        problems = "\n".join(f"- {p}" for p in request.feedback)
        text += f"\n\nYour previous plan had these problems; fix every one:\n{problems}"
    return text


def system_prompt(request: PlanRequest) -> str:
    available = [f"${ns}.{n} ({k})" for ns, names in request.inputs.items() for n, k in names.items()]
    return SYSTEM.format(inputs=", ".join(available) or "none")


def tool_calls_to_plan(calls: list[dict[str, Any]], answer: str | None = None, start: int = 1) -> Plan:
    """Tool calls ``[{"name", "args"}]`` -> a Plan (call i is step ``s{start + i - 1}``); malformed
    calls are problems (a PlanValidationError). The same code every planner's replies go through."""
    from vitron_agent.planners.extract import ToolCall, calls_to_steps

    parsed = [ToolCall(c.get("name"), c.get("args")) if isinstance(c, dict) else ToolCall(None, None) for c in calls]
    return Plan(steps=calls_to_steps(parsed, start), answer=answer or None)


class ChatModelPlanner:
    """Plans with ``model`` (a langchain-core ``BaseChatModel``); ``react=True`` shows it each
    round's results so it can call more tools (step-by-step mode)."""

    name = "chat"

    def __init__(self, model: Any, react: bool = False, deadline: float = 60.0):
        if not deadline > 0:
            raise ValueError(f"deadline must be > 0 seconds, got {deadline!r}")
        self.model = model
        self.react = react
        self.deadline = float(deadline)
        self._history: dict[tuple[str, str], list[Any]] = {}
        self._lock = threading.Lock()

    def plan(self, request: PlanRequest, toolbox: Toolbox) -> Plan:
        from langchain_core.messages import HumanMessage, SystemMessage

        key = (request.session, request.text)
        with self._lock:
            previous = self._history.pop(key, None) if request.attempt else None
        if previous and request.feedback and not request.results:
            messages = previous + self._feedback_messages(previous[-1], request.feedback)
        else:
            messages = [SystemMessage(system_prompt(request)), HumanMessage(with_feedback(request))]
        try:
            from vitron_agent.planners.intent_tools import with_intents  # the rule planner's intents, per tool

            bound = self.model.bind_tools(with_intents(toolbox.planning_schemas(), toolbox))
        except NotImplementedError:
            return self._json_mode(messages, request, toolbox)
        reply = self._invoke(bound, messages)
        with self._lock:
            self._history[key] = [*messages, reply]
            while len(self._history) > MAX_CONVERSATIONS:
                self._history.pop(next(iter(self._history)))
        return reply_to_plan(from_langchain(reply), start=request.first_id)

    def _invoke(self, model: Any, messages: list[Any]) -> Any:
        """``model.invoke(messages)`` within the planning deadline: a hung model fails the plan
        in bounded time (its call is abandoned, not killed: Python cannot interrupt it)."""
        from concurrent.futures import TimeoutError as FutureTimeout

        from vitron_agent.core.daemon import submit_daemon

        future = submit_daemon(lambda: model.invoke(messages))
        try:
            return future.result(self.deadline)
        except FutureTimeout:
            raise PlannerError(
                f"the chat model gave no reply within the {self.deadline:g} s planning deadline "
                "(ChatModelPlanner deadline)"
            ) from None
        except Exception as exc:
            raise PlannerError(f"the chat model failed: {type(exc).__name__}: {exc}") from None

    @staticmethod
    def _feedback_messages(reply: Any, feedback: list[str]) -> list[Any]:
        from langchain_core.messages import HumanMessage, ToolMessage

        problems = "\n".join(f"- {p}" for p in feedback)
        calls = [*(getattr(reply, "tool_calls", None) or []), *(getattr(reply, "invalid_tool_calls", None) or [])]
        # every tool-call id of the reply, valid or not, gets its tool message: strict APIs refuse a gap
        out = [
            ToolMessage(content=f"Not run: the plan has problems:\n{problems}", tool_call_id=c["id"])
            for c in calls
            if c.get("id")
        ]
        out.append(
            HumanMessage(f"Your plan was not valid:\n{problems}\nCall the tools again with every problem fixed.")
        )
        return out

    def _json_mode(self, messages: list[Any], request: PlanRequest, toolbox: Toolbox) -> Plan:
        from langchain_core.messages import SystemMessage

        from vitron_agent.prompts import render_planner_prompt

        prompt = [SystemMessage(render_planner_prompt(toolbox, request.inputs, request.feedback)), *messages[1:]]
        reply = self._invoke(self.model, prompt)
        return reply_to_plan(from_langchain(reply), start=request.first_id, json_only=True)
