"""What the extractors of one document share: its sentences, mentions and actors."""

from __future__ import annotations

from dataclasses import dataclass, field

from pipeline.actors.registry import Actor, Registry
from pipeline.documents.model import Document, Mention, Sentence


@dataclass(frozen=True)
class DocumentContext:
    document: Document
    sentences: tuple[Sentence, ...]
    mentions: tuple[Mention, ...]        # sorted by start offset
    actors: dict[str, Actor] = field(hash=False)  # every actor mentioned (or brought in by a rule), by id
    registry: Registry | None = field(default=None, hash=False)

    def bring_in(self, actor_id: str) -> bool:
        """Make a registry actor that is not mentioned available to rules (an agency's government)."""
        if actor_id in self.actors:
            return True
        actor = self.registry.get(actor_id) if self.registry else None
        if actor is not None:
            self.actors[actor_id] = actor
        return actor is not None

    def mentions_in(self, start: int, end: int) -> list[Mention]:
        return [m for m in self.mentions if start <= m.start and m.end <= end]
