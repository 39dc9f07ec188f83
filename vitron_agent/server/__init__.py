"""The HTTP server (FastAPI): sessions, uploads, runs (JSON or server-sent events),
artifacts, and an OpenAI-compatible ``/v1/chat/completions``. See :func:`create_app`."""

from vitron_agent.server.app import ServerSettings, create_app

__all__ = ["ServerSettings", "create_app"]
