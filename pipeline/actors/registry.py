"""The reviewed actor registry (``registry.yaml`` beside this module) as lookups.

Knowledge is data: the registry file lists real actors with their canonical
ids, types, countries, aliases and Wikidata ids; this module only loads it and
answers "which actor does this surface form name?".
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pipeline.knowledge import load_yaml

REGISTRY_PATH = Path(__file__).with_name("registry.yaml")


@dataclass(frozen=True)
class Actor:
    actor_id: str
    name: str
    actor_type: str
    country: str | None
    aliases: tuple[str, ...]
    wikidata_id: str | None
    in_registry: bool = True
    serves: str | None = None  # for an official, the government (or state body) they act for


@dataclass(frozen=True, eq=False)  # hashed by identity: caches key on the loaded registry
class Registry:
    actors: dict[str, Actor]
    by_alias: dict[str, str]  # case-sensitive surface form -> actor_id

    def get(self, actor_id: str) -> Actor | None:
        return self.actors.get(actor_id)

    def lookup(self, surface: str) -> Actor | None:
        actor_id = self.by_alias.get(surface)
        return self.actors[actor_id] if actor_id else None


def parse_registry(entries: list[dict]) -> Registry:
    """A registry from the YAML entries; later duplicates of an alias lose (the file is reviewed for none)."""
    actors: dict[str, Actor] = {}
    by_alias: dict[str, str] = {}
    for entry in entries:
        actor = Actor(
            actor_id=str(entry["id"]),
            name=str(entry["name"]),
            actor_type=str(entry["type"]),
            country=entry.get("country"),
            aliases=tuple(str(a) for a in entry.get("aliases") or ()),
            wikidata_id=entry.get("wikidata"),
            serves=entry.get("serves"),
        )
        actors[actor.actor_id] = actor
        for surface in (actor.name, *actor.aliases):
            by_alias.setdefault(surface, actor.actor_id)
    return Registry(actors, by_alias)


@cache
def load_registry(path: Path = REGISTRY_PATH) -> Registry:
    with open(path, encoding="utf-8") as handle:
        data = load_yaml(handle) or {}
    return parse_registry(list(data.get("actors") or []))
