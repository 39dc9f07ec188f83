"""Write docs/reference/cli.md from the argument parser (run by `make docs`)."""

from __future__ import annotations

import argparse
import io
import sys
from contextlib import redirect_stdout
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from vitron_agent.cli import build_parser  # noqa: E402


def main() -> None:
    parser = build_parser()
    out = [
        "# CLI reference",
        "",
        "Generated from `vitron-agent --help` and each command's `--help`.",
        "",
        "Exit codes: 0 the turn ran (a step that failed is said in the answer, the report and `--json`'s",
        "`steps`); 1 `batch` with an item that failed (its results line says why), or `plan --replay`",
        "with no usable plan; 2 a usage error, said in one line before anything runs -- a bad argument, a",
        "file that cannot be read, a path that cannot be written (`--out`, `--data`, `--artifacts`,",
        "`--db`, `--save`); 130 interrupted.",
        "",
    ]
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    for name, sp in sub.choices.items():
        buf = io.StringIO()
        with redirect_stdout(buf):
            sp.print_help()
        out += [f"## `vitron-agent {name}`", "", "```text", buf.getvalue().rstrip(), "```", ""]
        nested = [a for a in sp._actions if isinstance(a, argparse._SubParsersAction)]  # e.g. eval recognition
        for inner, isp in nested[0].choices.items() if nested else []:
            buf = io.StringIO()
            with redirect_stdout(buf):
                isp.print_help()
            out += [f"### `vitron-agent {name} {inner}`", "", "```text", buf.getvalue().rstrip(), "```", ""]
    Path(__file__).with_name("reference").joinpath("cli.md").write_text("\n".join(out))


if __name__ == "__main__":
    main()
