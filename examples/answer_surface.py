"""Add a command (a surface) in one module (docs/how-to/add-a-planner-or-command.md): a parser-and-run pair
declared as a Surface. ``vitron-agent --help`` lists it, ``vitron-agent answer ...`` runs it.

VITRON_SURFACE_MODULES=examples/answer_surface.py vitron-agent answer --image photo.jpg "what is in the picture"

It prints only the answer's text (no report, no files): one line for a shell pipeline. The shared
pieces do the rest: ``--config`` and ``--planner`` as every command reads them, the Agent built by
``agent_from_args``, errors as one line and exit 2 by the CLI.
"""

import argparse

from vitron_agent.cli.args import agent_from_args
from vitron_agent.cli.options import add_planner
from vitron_agent.cli.surface import Surface, register_surface


def add_parser(sub) -> argparse.ArgumentParser:
    p = sub.add_parser("answer", help="print only the answer to a request about an image (one line)")
    p.add_argument("request")
    p.add_argument("--image", metavar="PATH", required=True)
    p.add_argument("--config", metavar="PATH")
    add_planner(p)
    return p


def run(args: argparse.Namespace) -> int:
    agent = agent_from_args(args)  # the Agent (and its heavy imports) only when the command runs
    try:
        result = agent.run(args.request, image=args.image)
    finally:
        agent.close()
    print(" ".join(result.answer.split()))
    return 0


register_surface(Surface("answer", add_parser, run))
