"""Tools, one module per specialist family (``vitron_agent.tools``).

The cv backends (OpenCV / scikit-image heuristics, no weights) are the embedded
default; importing this package imports neither OpenCV nor any model library.
"""

__all__ = ["CvSegmentTool", "CvEditTool", "CvDescribeTool", "CvCountTool", "default_tools"]


def default_tools() -> list:
    """The embedded weight-free toolset: segment, edit, describe, count (cv backends)."""
    from vitron_agent.tools.describe import CvCountTool, CvDescribeTool
    from vitron_agent.tools.edit import CvEditTool
    from vitron_agent.tools.segment import CvSegmentTool

    return [CvSegmentTool(), CvEditTool(), CvDescribeTool(), CvCountTool()]


def __getattr__(name: str):
    import importlib

    modules = {"CvSegmentTool": "segment", "CvEditTool": "edit", "CvDescribeTool": "describe", "CvCountTool": "describe"}
    if name in modules:
        return getattr(importlib.import_module(f"vitron_agent.tools.{modules[name]}"), name)
    raise AttributeError(f"module 'vitron_agent.tools' has no attribute {name!r}")
