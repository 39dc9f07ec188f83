"""The planner registry: one declaration per kind, the same checks for all of them."""

from __future__ import annotations

import pytest

from vitron_agent.core.errors import ConfigError
from vitron_agent.planners.kinds import PLANNER_KINDS, build_planner
from vitron_agent.toolkit.config import Config


def config(**planner):
    return Config.model_validate({"planner": planner})


def test_every_kind_is_declared_and_the_default_builds():
    assert set(PLANNER_KINDS) == {"rule", "local", "vitron", "chat", "openai"}
    assert build_planner(Config()).name == "rule"


@pytest.mark.parametrize(
    "table,message",
    [
        ({"kind": "vitron"}, "--planner vitron needs [planner] checkpoint"),
        ({"kind": "openai"}, "--planner openai needs [planner] base_url and model"),
        ({"kind": "openai", "base_url": "http://127.0.0.1:9/v1"}, "needs [planner] model"),
        ({"kind": "chat"}, "--planner chat needs [planner] model_factory"),
        ({"kind": "chat", "model_factory": "no_such_module:f"}, "cannot be loaded"),
        ({"kind": "gpt9"}, "is not available; choose one of: rule, local, vitron, chat, openai"),
        ({"kind": "openai", "base_url": "http://x/v1", "model": "m", "temprature": 0}, "unknown setting(s) temprature"),
    ],
)
def test_bad_tables_are_named(table, message):
    with pytest.raises(ConfigError) as err:
        build_planner(config(**table))
    assert message in str(err.value)


def test_the_key_comes_from_the_named_environment_variable(monkeypatch):
    monkeypatch.setenv("MY_KEY", "sk-test")
    planner = build_planner(config(kind="openai", base_url="http://127.0.0.1:9/v1", model="m", api_key_env="MY_KEY"))
    assert type(planner).__name__ == "OpenAICompatPlanner"


def test_the_rule_planner_leaves_another_kinds_settings_alone():
    """A [planner] table may hold the vitron planner's settings for --planner vitron to switch to."""
    assert build_planner(config(kind="rule", checkpoint="/nowhere", mode="tags")).name == "rule"
