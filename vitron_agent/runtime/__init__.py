"""The agent: one turn and its session, the toolbox it builds, reports and exports of results."""
