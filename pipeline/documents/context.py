"""What the extractors of one document share: its sentences, mentions and actors."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from pipeline.actors.registry import Actor, Registry
from pipeline.documents.model import Document, Mention, Sentence
from pipeline.temporal.expressions import TimeExpression, find_time_expressions


@dataclass(frozen=True)
class DocumentContext:
    document: Document
    sentences: tuple[Sentence, ...]
    story: tuple[Sentence, ...]          # the sentences but an outlet's lines (credits, sign-ups): what is read
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

    _times: dict = field(default_factory=dict, hash=False, compare=False, repr=False)

    def mentions_in(self, start: int, end: int) -> list[Mention]:
        """Mentions inside body[start:end] (mentions are sorted by start: a bisect finds the first)."""
        first = bisect.bisect_left(self.mentions, start, key=lambda m: m.start)
        found = []
        for mention in self.mentions[first:]:
            if mention.start >= end:
                break
            if mention.end <= end:
                found.append(mention)
        return found

    def time_expressions(self, sentence: Sentence) -> list[TimeExpression]:
        """The sentence's time expressions, resolved against the published date (computed once)."""
        if sentence.start not in self._times:
            self._times[sentence.start] = find_time_expressions(sentence.text, self.document.published_date)
        return self._times[sentence.start]
