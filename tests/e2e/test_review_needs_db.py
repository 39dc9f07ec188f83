"""`run --review` without --db is a usage error: the plan waits in the session store, which a run without
--db removes when it ends, so 'vitron-agent review approve' could never find it (it said 'waiting for
review', exit 0)."""

import subprocess
import sys
from pathlib import Path

BIN = Path(sys.executable).parent / "vitron-agent"


def test_review_without_a_session_store_is_refused(tmp_path):
    p = subprocess.run(
        [str(BIN), "run", "--review", "--out", str(tmp_path / "o"), "remove the dog"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert p.returncode == 2 and "--review" in p.stderr and "add --db FILE" in p.stderr
    assert not (tmp_path / "o").exists()
