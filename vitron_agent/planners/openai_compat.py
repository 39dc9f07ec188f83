"""OpenAICompatPlanner: any OpenAI-compatible ``/chat/completions`` endpoint (vLLM, Ollama,
LM Studio, llama.cpp server, a hosted API) over httpx.

``mode="tools"`` sends the Toolbox as function tools and turns ``tool_calls`` into
steps; ``mode="json"`` asks for a JSON plan (``response_format = json_object``).
Timeouts, retries with exponential backoff on 429 and 5xx (honouring
``Retry-After``), and errors that name the endpoint: an unreachable endpoint is a
:class:`PlannerError` (the run answers with it), an unusable reply a repair message.
"""

from __future__ import annotations

import json
import os
import time
from typing import Any

from vitron_agent.errors import PlannerError, PlanValidationError
from vitron_agent.plan import Plan
from vitron_agent.planners.base import PlanRequest
from vitron_agent.planners.chat import system_prompt, tool_calls_to_plan, with_feedback
from vitron_agent.planners.parsing import parse_json_plan
from vitron_agent.tool import Toolbox

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
        react: step-by-step mode (the model sees each round's results and may call more tools).
    """

    name = "openai"

    def __init__(self, base_url: str, model: str, api_key: str | None = None, mode: str = "tools",
                 timeout: float = 60.0, max_retries: int = 3, backoff: float = 0.5, temperature: float = 0.0,
                 react: bool = False):
        self.react = react
        if mode not in ("tools", "json"):
            raise ValueError(f"mode must be 'tools' or 'json', got {mode!r}")
        self.url = base_url.rstrip("/") + "/chat/completions"
        self.model, self.mode = model, mode
        self.api_key = api_key if api_key is not None else os.environ.get("OPENAI_API_KEY")
        self.timeout, self.max_retries, self.backoff, self.temperature = timeout, max_retries, backoff, temperature

    def plan(self, request: PlanRequest, toolbox: Toolbox) -> Plan:
        messages: list[dict[str, Any]] = [{"role": "system", "content": system_prompt(request)},
                                          {"role": "user", "content": with_feedback(request)}]
        body: dict[str, Any] = {"model": self.model, "messages": messages, "temperature": self.temperature}
        if self.mode == "tools":
            body["tools"] = toolbox.planning_schemas()
            body["tool_choice"] = "auto"
        else:
            from vitron_agent.prompts import render_planner_prompt

            messages[0]["content"] = render_planner_prompt(toolbox, request.inputs, request.feedback)
            body["response_format"] = {"type": "json_object"}
        reply = self._post(body)
        try:
            message = reply["choices"][0]["message"]
        except (KeyError, IndexError, TypeError):
            raise PlanValidationError([f"the endpoint's reply has no choices[0].message: {json.dumps(reply)[:300]}"]) from None
        calls = message.get("tool_calls") or []
        content = message.get("content") or ""
        if calls:
            return tool_calls_to_plan([{"name": (c.get("function") or {}).get("name"),
                                        "args": (c.get("function") or {}).get("arguments")} for c in calls],
                                      start=request.first_id)
        if self.mode == "json":
            return parse_json_plan(content)
        return Plan(answer=content or "(the model returned nothing)")

    def _post(self, body: dict[str, Any]) -> dict[str, Any]:
        import httpx

        headers = {"Content-Type": "application/json"}
        if self.api_key:
            headers["Authorization"] = f"Bearer {self.api_key}"
        last = ""
        for attempt in range(self.max_retries + 1):
            try:
                with httpx.Client(timeout=self.timeout) as client:
                    r = client.post(self.url, json=body, headers=headers)
            except httpx.TimeoutException:
                last = f"no reply within {self.timeout:g} s"
            except httpx.HTTPError as exc:
                last = f"cannot connect ({type(exc).__name__}: {exc})"
            else:
                if r.status_code == 200:
                    try:
                        return r.json()
                    except ValueError:
                        raise PlanValidationError([f"the endpoint replied with non-JSON: {r.text[:200]!r}"]) from None
                last = f"HTTP {r.status_code}: {r.text[:200]}"
                if r.status_code not in RETRY_STATUS:
                    raise PlannerError(f"{self.url} refused the request ({last}); check base_url, model and api_key")
                wait = _retry_after(r.headers.get("Retry-After"))
                if attempt < self.max_retries:
                    time.sleep(wait if wait is not None else self.backoff * 2 ** attempt)
                continue
            if attempt < self.max_retries:
                time.sleep(self.backoff * 2 ** attempt)
        raise PlannerError(f"{self.url}: {last} after {self.max_retries + 1} attempts")


def _retry_after(value: str | None) -> float | None:
    try:
        return min(30.0, max(0.0, float(value))) if value else None
    except ValueError:
        return None
