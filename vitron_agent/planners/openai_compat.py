"""OpenAICompatPlanner: any OpenAI-compatible ``/chat/completions`` endpoint (vLLM, Ollama,
LM Studio, llama.cpp server, a hosted API) over httpx.

``mode="tools"`` sends the Toolbox as function tools and turns ``tool_calls`` into
steps; ``mode="json"`` asks for a JSON plan (``response_format = json_object``).
Timeouts, retries with exponential backoff on 429 and 5xx (honouring
``Retry-After``), and errors that name the endpoint: an unreachable endpoint is a
:class:`PlannerError` (the run answers with it), an unusable reply a repair message.
"""

from __future__ import annotations

import os
import time
from typing import Any

from vitron_agent.core.errors import PlannerError, PlanValidationError
from vitron_agent.planners.base import PlanRequest
from vitron_agent.planners.chat import system_prompt, with_feedback
from vitron_agent.planners.extract import from_openai, reply_to_plan
from vitron_agent.toolkit.plan import Plan
from vitron_agent.toolkit.tool import Toolbox

__all__ = ["OpenAICompatPlanner"]

RETRY_STATUS = {408, 409, 425, 429, 500, 502, 503, 504}


class OpenAICompatPlanner:
    """Plans with a chat-completions endpoint.

    Args:
        base_url: e.g. ``http://localhost:8000/v1`` (``/chat/completions`` is appended).
        model: the served model's name.
        api_key: bearer token (default ``$OPENAI_API_KEY``; many local servers need none).
        mode: ``"tools"`` (function calling) or ``"json"`` (JSON plan in the content).
        timeout: seconds per request; max_retries: extra attempts on 429 / 5xx / connection errors.
        deadline: seconds for the whole planning call, retries and waits included (a hung
            endpoint fails the plan in this time; a Retry-After past it fails at once).
        react: step-by-step mode (the model sees each round's results and may call more tools).
    """

    name = "openai"

    def __init__(
        self,
        base_url: str,
        model: str,
        api_key: str | None = None,
        mode: str = "tools",
        timeout: float = 60.0,
        max_retries: int = 3,
        backoff: float = 0.5,
        temperature: float = 0.0,
        react: bool = False,
        deadline: float = 60.0,
    ):
        self.react = react
        if mode not in ("tools", "json"):
            raise ValueError(f"mode must be 'tools' or 'json', got {mode!r}")
        self.url = base_url.rstrip("/") + "/chat/completions"
        self.model, self.mode = model, mode
        self.api_key = api_key if api_key is not None else os.environ.get("OPENAI_API_KEY")
        self.timeout, self.max_retries, self.backoff, self.temperature = timeout, max_retries, backoff, temperature
        if not deadline > 0:
            raise ValueError(f"deadline must be > 0 seconds, got {deadline!r}")
        self.deadline = float(deadline)

    def plan(self, request: PlanRequest, toolbox: Toolbox) -> Plan:
        messages: list[dict[str, Any]] = [
            {"role": "system", "content": system_prompt(request)},
            {"role": "user", "content": with_feedback(request)},
        ]
        body: dict[str, Any] = {"model": self.model, "messages": messages, "temperature": self.temperature}
        if self.mode == "tools":
            from vitron_agent.planners.intent_tools import with_intents  # the rule planner's intents, per tool

            body["tools"] = with_intents(toolbox.planning_schemas(), toolbox)
            body["tool_choice"] = "auto"
        else:
            from vitron_agent.prompts import render_planner_prompt

            messages[0]["content"] = render_planner_prompt(toolbox, request.inputs, request.feedback)
            body["response_format"] = {"type": "json_object"}
        reply = self._post(body)
        return reply_to_plan(from_openai(reply), start=request.first_id, json_only=self.mode == "json")

    def _post(self, body: dict[str, Any]) -> dict[str, Any]:
        """POST with retries, all within one deadline: a hung or rate-limited endpoint fails the
        plan in at most ``deadline`` seconds with a message that says why."""
        import httpx

        headers = {"Content-Type": "application/json"}
        if self.api_key:
            headers["Authorization"] = f"Bearer {self.api_key}"
        end = time.monotonic() + self.deadline
        last = ""
        for attempt in range(self.max_retries + 1):
            left = end - time.monotonic()
            if left <= 0:
                break
            try:
                with httpx.Client(timeout=min(self.timeout, left)) as client:
                    r = client.post(self.url, json=body, headers=headers)
            except httpx.TimeoutException:
                last = f"no reply within {min(self.timeout, left):.3g} s"
                wait = 0.0
            except httpx.HTTPError as exc:
                last = f"cannot connect ({type(exc).__name__}: {exc})"
                wait = self.backoff * 2**attempt
            else:
                if r.status_code == 200:
                    try:
                        return r.json()
                    except ValueError:
                        raise PlanValidationError([f"the endpoint replied with non-JSON: {r.text[:200]!r}"]) from None
                last = f"HTTP {r.status_code}: {r.text[:200]}"
                if r.status_code not in RETRY_STATUS:
                    raise PlannerError(f"{self.url} refused the request ({last}); check base_url, model and api_key")
                asked = _retry_after(r.headers.get("Retry-After"))
                if asked is not None and asked > end - time.monotonic() and attempt < self.max_retries:
                    raise PlannerError(
                        f"{self.url}: {last}; it asks to retry after {asked:g} s, past the planning "
                        f"deadline ({self.deadline:g} s, [planner] deadline)"
                    )
                wait = asked if asked is not None else self.backoff * 2**attempt
            if attempt < self.max_retries:
                time.sleep(max(0.0, min(wait, end - time.monotonic())))
        raise PlannerError(
            f"{self.url}: {last} after {attempt + 1} attempt(s) within the {self.deadline:g} s "
            "planning deadline ([planner] deadline, timeout, max_retries)"
        )


def _retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        import datetime
        from email.utils import parsedate_to_datetime

        when = parsedate_to_datetime(value)
        return max(0.0, (when - datetime.datetime.now(when.tzinfo)).total_seconds())
    except (TypeError, ValueError):
        return None
