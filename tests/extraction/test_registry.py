"""The actor registry is reviewed data: one entry per real actor, every surface form naming one actor only."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from pipeline.actors.registry import REGISTRY_PATH
from pipeline.knowledge import load_yaml
from schemas.vocabularies import ACTOR_TYPES

ENTRIES = load_yaml(REGISTRY_PATH.read_text(encoding="utf-8"))["actors"]


def test_every_id_is_a_slug_used_once() -> None:
    ids = Counter(entry["id"] for entry in ENTRIES)
    assert [actor_id for actor_id, n in ids.items() if n > 1] == []
    assert all(re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", actor_id) for actor_id in ids)


def test_every_surface_form_names_one_actor() -> None:
    owners: dict[str, set[str]] = {}
    for entry in ENTRIES:
        for surface in (entry["name"], *(entry.get("aliases") or ())):
            owners.setdefault(surface, set()).add(entry["id"])
    assert {surface: ids for surface, ids in owners.items() if len(ids) > 1} == {}


def test_a_wikidata_id_names_one_actor() -> None:
    ids = Counter(entry["wikidata"] for entry in ENTRIES if entry.get("wikidata"))
    assert [qid for qid, n in ids.items() if n > 1] == []
    assert all(re.fullmatch(r"Q[1-9][0-9]*", qid) for qid in ids)


@pytest.mark.parametrize("entry", ENTRIES, ids=[entry["id"] for entry in ENTRIES])
def test_an_entry_has_the_contract_s_fields(entry: dict) -> None:
    assert entry["type"] in ACTOR_TYPES
    assert entry["name"].strip() == entry["name"] and entry["name"]
    assert entry.get("country") is None or re.fullmatch(r"[A-Z]{2}", entry["country"])
    for alias in entry.get("aliases") or ():
        assert alias.strip() == alias and alias, alias
        assert not alias.startswith("the "), alias  # the scorer drops a leading "the"; so does the matcher
        # an alias with commas left unquoted in a YAML list is split into words that are no names
        assert not re.match(r"(?:and|or)\b", alias), alias


def test_an_official_serves_a_state_the_registry_knows() -> None:
    kinds = {entry["id"]: entry["type"] for entry in ENTRIES}
    served = {entry["id"]: entry["serves"] for entry in ENTRIES if entry.get("serves")}
    assert served and all(kinds[entry] == "person" for entry in served)
    assert all(kinds.get(state) in ("country_government", "government_agency", "international_org")
               for state in served.values())
