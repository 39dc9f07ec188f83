EXAMPLES: dict[str, tuple[str, ...]] = {}
SLOTS_OF: dict[str, tuple[str, ...]] = {}
