"""Stable ids: a hash of what identifies a row, never of its position in the corpus."""

from __future__ import annotations

import hashlib
import json


def stable_id(*parts: object) -> str:
    """16 hex digits of the sha256 of the parts (JSON-encoded, so types and order count)."""
    payload = json.dumps(parts, default=str, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]
