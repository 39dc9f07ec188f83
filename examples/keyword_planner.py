"""Add a planner backend in one module (docs/how-to/add-a-planner-or-command.md): a class with ``name`` and
``plan(request, toolbox) -> Plan``, and its declaration in the planner registry. Nothing else
lists planners: ``--planner``, ``[planner] kind`` and ``Agent(planner="keyword")`` read the
registry.

VITRON_PLANNER_MODULES=examples/keyword_planner.py vitron-agent run --planner keyword --image photo.jpg "grayscale"

This one knows a few words and maps each to one edit of the whole picture; any other request is
answered in words (no steps), as a planner must when it cannot plan.
"""

from vitron_agent.planners.kinds import PlannerKind, register_planner
from vitron_agent.toolkit.plan import Plan, Step

WORDS = {"grayscale": "grayscale", "black and white": "grayscale", "blur": "blur", "brighter": "brighten"}


class KeywordPlanner:
    """``[planner] kind = "keyword"``; ``operations`` limits the words it acts on (a setting)."""

    name = "keyword"

    def __init__(self, operations: str = ""):
        self.operations = {w.strip() for w in operations.split(",") if w.strip()}

    def plan(self, request, toolbox) -> Plan:
        text = request.text.lower()
        found = [op for word, op in WORDS.items() if word in text and (not self.operations or op in self.operations)]
        if not found or "image" not in request.inputs.get("input", {}) or "edit" not in toolbox:
            return Plan(answer=f"The keyword planner knows only: {', '.join(WORDS)} (on an image).")
        steps, image = [], "$input.image"
        for i, op in enumerate(dict.fromkeys(found), 1):
            steps.append(Step(id=f"s{i}", tool="edit", args={"image": image, "operation": op}))
            image = f"$s{i}.image"
        return Plan(steps=steps)


# `target` is imported only when this planner is built ("module:Class"); a file path plugin is
# imported as vitron_agent_plugin_<stem>.
register_planner(PlannerKind("keyword", "vitron_agent_plugin_keyword_planner:KeywordPlanner"))
