"""The web UI: ``vitron-agent ui`` (Gradio, mounted on FastAPI with the server's safety rules).

    from vitron_agent.ui import create_ui_app
    app = create_ui_app(agent, UISettings(out_dir="vitron-data/ui"))   # an ASGI app for uvicorn

Gradio is imported only when the UI is built (it takes seconds to import), never by
``import vitron_agent``.
"""

from __future__ import annotations

from typing import Any

__all__ = ["UISettings", "create_ui_app", "build_blocks"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from vitron_agent.ui import blocks

        return getattr(blocks, name)
    raise AttributeError(name)
