"""What the extractors of one document share: its sentences, mentions and actors."""

from __future__ import annotations

from dataclasses import dataclass, field

from pipeline.actors.registry import Actor
from pipeline.documents.model import Document, Mention, Sentence


@dataclass(frozen=True)
class DocumentContext:
    document: Document
    sentences: tuple[Sentence, ...]
    mentions: tuple[Mention, ...]        # sorted by start offset
    actors: dict[str, Actor] = field(hash=False)  # every actor mentioned, by id

    def mentions_in(self, start: int, end: int) -> list[Mention]:
        return [m for m in self.mentions if start <= m.start and m.end <= end]
