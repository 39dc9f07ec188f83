"""Evaluation harnesses: the recognition set, its photos, and RefCOCO-style referring expressions."""
