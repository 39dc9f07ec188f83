"""The sentence matcher's library must not change how the process logs."""

import subprocess
import sys


def test_loading_the_matcher_leaves_the_root_logger_as_it_was():
    """wordllama calls logging.basicConfig(level=INFO) on import: a CLI error then came after an
    INFO line from botocore. Run in a fresh interpreter, where wordllama is not yet imported."""
    code = (
        "import logging\n"
        "from vitron_agent.planners.rule.intent_matcher import embedder\n"
        "before = (list(logging.getLogger().handlers), logging.getLogger().level)\n"
        "embedder()\n"
        "import wordllama.inference\n"
        "after = (list(logging.getLogger().handlers), logging.getLogger().level)\n"
        "assert before == after, (before, after)\n"
        "logging.getLogger('botocore').info('should not be shown')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "should not be shown" not in out.stderr
