"""Recognition on the labelled photos (benchmarks/recognition/): detection recall / precision at
IoU 0.5 per detector, top-1 / top-5 naming of the boxed objects, the resolver's and the agent's
hit rate, cIoU and gIoU on the referring expressions, milliseconds -- both halves side by side.

    python benchmarks/recognition_eval.py            # = vitron-agent eval recognition
    python benchmarks/recognition_eval.py --json --half heldout

The figures' definitions are in vitron_agent/evaluation/harness.py; the set and how it was labelled in
benchmarks/recognition/README.md. The photos are fetched from their packages on first use.
"""

from __future__ import annotations

import sys

from vitron_agent.cli import main

if __name__ == "__main__":
    sys.exit(main(["eval", "recognition", *sys.argv[1:]]))
