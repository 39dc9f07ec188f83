"""The command line's progress lines print tools' and planners' words as text: rich would take
"[tools.ground]" in a failure's hint for markup and drop it (it printed "or configure  for names")."""

import io

from rich.console import Console

from vitron_agent.cli.args import Progress


def test_a_failure_hint_in_brackets_is_printed_as_written():
    progress = Progress(True)
    out = io.StringIO()
    progress.console = Console(file=out, highlight=False, width=400)
    hint = "click it, or configure [tools.ground] for names beyond COCO's 80 classes"
    progress({"type": "plan", "plan": {"steps": [{"id": "s1", "tool": "segment"}]}})
    progress({"type": "repair", "problems": ["unknown argument [x]"]})
    progress(
        {"type": "step_finished", "step": "s1", "tool": "segment", "status": "error", "seconds": 0.5, "error": hint}
    )
    text = out.getvalue()
    assert "[tools.ground]" in text and "[x]" in text, text
    assert "✗ s1 segment" in text
