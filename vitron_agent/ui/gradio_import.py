"""Gradio, imported once with the UI's environment: no analytics or version-check calls, and
loopback never sent through a proxy (the UI's own health checks and the browser tests)."""

from __future__ import annotations

import os

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")  # no version check or telemetry calls
_no_proxy = {h for h in os.environ.get("NO_PROXY", "").split(",") if h} | {"127.0.0.1", "localhost"}
os.environ["NO_PROXY"] = os.environ["no_proxy"] = ",".join(sorted(_no_proxy))

import gradio as gr  # noqa: E402

__all__ = ["gr"]
