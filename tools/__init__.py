"""Tools, one module per specialist family (``vitron_agent.tools``).

The cv backends (OpenCV / scikit-image heuristics, no weights) are the embedded
default; importing this package imports neither OpenCV nor any model library.
"""

__all__ = [
    "CvSegmentTool",
    "CvEditTool",
    "CvDescribeTool",
    "CvCountTool",
    "CvTrackTool",
    "CvEditVideoTool",
    "CvDescribeVideoTool",
    "FrameTool",
    "CvAnimateTool",
    "default_tools",
]


def default_tools() -> list:
    """The embedded weight-free toolset: every registered tool's default backend (segment, edit,
    describe, count for images; track, edit_video, describe_video, frame, animate for videos),
    in the registry's order."""
    from vitron_agent.toolkit.registry import backends, default_backends

    found = backends()
    return [found[(tool, backend)].cls() for tool, backend in default_backends().items() if backend != "none"]


def __getattr__(name: str):
    import importlib

    modules = {
        "CvSegmentTool": "segment",
        "CvEditTool": "edit",
        "CvDescribeTool": "describe",
        "CvCountTool": "describe",
        "CvTrackTool": "track",
        "CvEditVideoTool": "video_cv",
        "CvDescribeVideoTool": "video_cv",
        "FrameTool": "video_cv",
        "CvAnimateTool": "video_cv",
    }
    if name in modules:
        return getattr(importlib.import_module(f"vitron_agent.tools.{modules[name]}"), name)
    raise AttributeError(f"module 'vitron_agent.tools' has no attribute {name!r}")
