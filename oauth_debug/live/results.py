"""What the Subscription API v1 returns, as frozen values that keep the raw JSON (``.raw``).

The shapes are defined once, in :mod:`oauth_debug.gallery_wire` (the sandbox writes the same
values); this module is where the live client, and its users, have always found them.
"""

from __future__ import annotations

from ..gallery_wire import Item, Job, JobMessage, JobOutput, Question, Raw, Workflow

QuestionItem = Item
"""The name a list question's choice had here before the wire model was shared (same class)."""

__all__ = ["Item", "Job", "JobMessage", "JobOutput", "Question", "QuestionItem", "Raw", "Workflow"]
