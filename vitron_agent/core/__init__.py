"""The bottom layer: errors and the typed references (refs) every other layer passes around."""
