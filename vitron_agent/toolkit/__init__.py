"""What tools, planners and the graph agree on: the tool contract and registry, plans, intents and slots, and the configuration that builds a toolbox."""
