"""Piccolo tables of the audit log (append-only; see the migrations for the triggers)."""

from __future__ import annotations
