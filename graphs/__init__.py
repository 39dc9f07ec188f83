"""LangGraph builders (``vitron_agent.graphs``)."""

from vitron_agent.graphs.agent_graph import AgentState, build_agent_graph

__all__ = ["AgentState", "build_agent_graph"]
