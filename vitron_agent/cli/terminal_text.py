"""Text from elsewhere made safe to print on a terminal.

A file name, a request another client sent to a shared server, an error message quoting either:
any of them may carry terminal control sequences (``ESC ] 0 ; title BEL`` retitles the window,
``ESC [ 2 J`` clears it, ``ESC ] 52`` writes the clipboard in some terminals) or bidirectional
overrides that make ``gpj.exe`` read as ``exe.jpg``. Everything the command line prints that it did
not write itself goes through :func:`for_terminal`, which shows such characters as escapes
(``\\x1b``, ``\\u202e``) instead of sending them to the terminal. Newlines and tabs stay.
"""

from __future__ import annotations

import re

__all__ = ["for_terminal"]

# C0 controls but tab and newline, DEL, C1 controls, and the bidirectional embeddings, overrides
# and isolates (Trojan Source: CVE-2021-42574)
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")


def _shown(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def for_terminal(text: object) -> str:
    """``str(text)`` with every control character but ``\\n`` and ``\\t`` (and every bidi
    control) written as a visible escape; linear time, one pass."""
    return _UNSAFE.sub(_shown, str(text))
