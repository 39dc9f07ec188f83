"""Builders of tiny random checkpoints in the real formats (tests, ``make-tiny-checkpoints``, the
offline demo of model backends). Nothing in ``tools/``, ``graphs/`` or ``planners/`` imports this
package: a :class:`~vitron_agent.toolkit.registry.Backend` names its tiny builder as a ``"module:function"``
string, resolved only when tiny checkpoints are built (``tests/unit/test_structure.py`` checks it)."""
