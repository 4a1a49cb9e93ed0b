"""Actor mentions: registry aliases, possessives, metonymy, surnames, and actors the registry lacks."""

from __future__ import annotations

import pytest

from tests.extraction.helpers import extract


def mentioned(body: str) -> dict[str, set[str]]:
    result = extract(body)
    found: dict[str, set[str]] = {}
    for mention in result.mentions:
        assert body[mention.start:mention.end] == mention.text
        found.setdefault(mention.actor_id, set()).add(mention.text)
    return found


@pytest.mark.parametrize(("body", "actor_id", "surface"), [
    ("Washington tightened its rules again.", "us-government", "Washington"),
    ("U.S. officials said the review was over.", "us-government", "U.S. officials"),
    ("Beijing responded within hours.", "cn-government", "Beijing"),
    ("Nvidia’s H20 was the best-selling part.", "nvidia", "Nvidia"),
    ("The US Commerce Department's Bureau of Industry and Security acted.", "bis",
     "Bureau of Industry and Security"),
    ("Samsung's foundry arm lost an order.", "samsung-electronics", "Samsung"),
], ids=["capital-metonymy", "officials", "beijing", "curly-possessive", "agency-of-agency", "straight-possessive"])
def test_registry_aliases_resolve(body: str, actor_id: str, surface: str) -> None:
    assert surface in mentioned(body).get(actor_id, set())


def test_a_name_inside_a_word_with_an_apostrophe_is_no_mention() -> None:
    assert "xi-jinping" not in mentioned("Samsung builds NAND chips in Xi’an and Xi'an exports them.")
    assert "xi-jinping" in mentioned("Xi’s visit ended on Monday.")


def test_us_dollar_amounts_are_not_the_us_government() -> None:
    assert "us-government" not in mentioned("Revenue reached US$5 billion, up 20% in US dollar terms.")


@pytest.mark.parametrize("body", [
    "Shares of Kasper Vondel Semiconductor rose 3% on Friday.",
    "Copyright Vondel Media Holdings 2025. All rights reserved.",
], ids=["shares-of", "copyright-line"])
def test_boilerplate_words_open_no_name(body: str) -> None:
    assert not any(a.name.split()[0] in ("Shares", "Copyright") for a in extract(body).actors)


def test_products_are_not_actors() -> None:
    found = mentioned("Huawei shipped more Ascend 910C accelerators than H200 chips.")
    assert set(found) == {"huawei"}


@pytest.mark.parametrize("body", [
    "Commerce Secretary Howard Lutnick spoke on Monday. Lutnick said more rules would follow.",
    "Trade Minister Kasper Vondel spoke on Monday. Vondel said more rules would follow.",
], ids=["registry-person", "discovered-person"])
def test_surname_after_full_name_is_the_same_person(body: str) -> None:
    result = extract(body)
    surname = next(m for m in result.mentions if m.start > body.index("."))
    full = next(m for m in result.mentions if m.start < body.index("."))
    assert surname.text in full.text and surname.text != full.text
    assert surname.actor_id == full.actor_id


@pytest.mark.parametrize(("body", "name", "actor_type", "country"), [
    ("Zhonghao Xinying, a Chinese GPU start-up, raised new funding on Monday.", "Zhonghao Xinying", "company", "CN"),
    ("Qianxin Microelectronics Technology said it would list in Shanghai.", "Qianxin Microelectronics Technology",
     "company", None),
    ("The curbs hit equipment makers Kingstone Semiconductor and Hwatsing Precision.", "Kingstone Semiconductor",
     "company", None),
    ("“We are ready,” said Mei Lanfang, chief executive of Lanfang Compute.", "Mei Lanfang", "person", None),
    ("Park Ji-hoon of Daehan Brokerage Securities said demand would hold.", "Park Ji-hoon", "person", None),
    ("Park Ji-hoon of Daehan Brokerage Securities said demand would hold.", "Daehan Brokerage Securities",
     "company", None),
    ("Deputy Trade Minister Kasper Vondel said more rules would follow.", "Kasper Vondel", "person", None),
    ("A sales director at Hubei Lanxi Gallium Industry, the province's largest gallium producer, said orders fell.",
     "Hubei Lanxi Gallium Industry", "company", None),
    ("U.S. Attorney Kasper J. Vondel said the men had shipped servers abroad.", "Kasper J. Vondel", "person", None),
    ("Hana Brevik, 41, of Fremont, was arrested on Tuesday.", "Hana Brevik", "person", None),
], ids=["apposition", "suffix", "descriptor-list", "person-apposition", "person-of-org-person",
        "person-of-org-org", "title-inside-title", "producer-apposition", "title-and-middle-initial",
        "age-and-home"])
def test_actors_absent_from_the_registry_are_discovered(body: str, name: str, actor_type: str,
                                                        country: str | None) -> None:
    result = extract(body)
    actor = next((a for a in result.actors if a.name == name), None)
    assert actor is not None, [a.name for a in result.actors]
    assert (actor.actor_type, actor.country, actor.in_registry) == (actor_type, country, False)
    assert actor.actor_id == name.lower().replace(" ", "-").replace(".", "")


def test_report_titles_and_bare_kind_words_are_not_discovered_actors() -> None:
    body = ("The Annual Global Wafer Fab Equipment Outlook says spending will rise. "
            "Additionally, the group expects demand to hold. The Department said it agreed.")
    names = {a.name for a in extract(body).actors}
    assert not names & {"Global Wafer Fab", "Wafer Fab", "Additionally", "Department"}


def test_an_executive_title_introduces_a_person() -> None:
    actors = {a.name: a.actor_type for a in extract("Kioxia SVP Hanako Morimoto said demand is strong.").actors}
    assert actors.get("Hanako Morimoto") == "person"


@pytest.mark.parametrize(("body", "absent", "present"), [
    ("Wafer area shipped is forecast at 13,210 million square inches (MSI) in 2026, up from 12,500 MSI.",
     "msi", None),
    ("The industry group (SEMI) expects the 2026 SEMI outlook to hold, as does Micro-Star International (MSI).",
     None, "semi"),
], ids=["a-unit-s-abbreviation", "an-organisation-s-abbreviation"])
def test_an_abbreviation_of_a_common_phrase_names_no_actor(body: str, absent: str | None,
                                                             present: str | None) -> None:
    found = {m.actor_id for m in extract(body).mentions}
    assert absent not in found
    assert present is None or present in found


@pytest.mark.parametrize("body", [
    "Capacity Race Heats Up\nTSMC said on Monday that its new plant would open next year.",
    "High-Bandwidth Memory (HBM) Outlook: revenue from the memory is expected to double.",
    "TSMC said on Monday that its new plant would open next year.\nSign up for the Silicon Weekly Memory newsletter.",
], ids=["headline-line", "sub-heading-lead", "newsletter-sign-up"])
def test_heading_words_never_become_actors(body: str) -> None:
    assert all(a.in_registry for a in extract(body).actors)


def test_a_wire_storys_credits_name_no_actor() -> None:
    body = "Kioxia said on Monday it would add a line.\nReporting by Ana Kell in Tokyo; Editing by Jon Marr"
    assert set(mentioned(body)) == {"kioxia"}
    assert "microsoft" in mentioned("Reporting by The Information showed that Microsoft cut its GPU orders.")


def test_a_person_described_by_the_firm_they_work_at_is_a_person() -> None:
    body = "Paul Grant, a partner at consulting firm Harbor Hill Partners Group, said the rules will bite."
    types = {a.name: a.actor_type for a in extract(body).actors}
    assert types["Paul Grant"] == "person"


def test_a_place_before_a_new_clause_is_no_apposition() -> None:
    body = "Micron will build a memory complex in upstate New York, the company said on Tuesday."
    assert [a.actor_id for a in extract(body).actors] == ["micron"]
