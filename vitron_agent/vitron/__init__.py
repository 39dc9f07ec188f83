"""The Vitron model: the released architecture rebuilt on transformers + peft (``release``: Llama +
LanguageBind towers, projector, region extractor, loading of the published layout) and the heads
that project its ``[SEG]`` / ``[GEN]`` hidden states (``heads``). The planner that drives it lives in
:mod:`vitron_agent.planners.vitron`; the parser of its answers in :mod:`vitron_agent.planners.parsing`."""
