"""Compatibility shims for third-party packages on machines without some of their deps."""
