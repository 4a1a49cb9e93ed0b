"""Resolve "the company", "the chipmaker", "the government" to the actor last named before them.

Only definite descriptions whose head names a kind of actor are resolved;
pronouns are left alone (too often wrong without a parser).
"""

from __future__ import annotations

import re
from functools import cache

from pipeline.documents.context import DocumentContext

# Head noun of a definite description -> the actor types it can refer back to.
_HEADS = {
    "company": ("company",), "firm": ("company", "research_firm"), "chipmaker": ("company",),
    "chip maker": ("company",), "chip designer": ("company",), "foundry": ("company",),
    "manufacturer": ("company",), "maker": ("company",), "group": ("company",),
    "memory maker": ("company",), "supplier": ("company",), "giant": ("company",),
    "government": ("country_government",), "administration": ("country_government",),
    "cabinet": ("country_government",), "authorities": ("country_government", "government_agency"),
    "regulator": ("government_agency",), "ministry": ("government_agency",),
    "department": ("government_agency",), "agency": ("government_agency",), "bureau": ("government_agency",),
    "research firm": ("research_firm",), "consultancy": ("research_firm",),
    "bank": ("company", "research_firm"), "brokerage": ("company", "research_firm"),
    "broker": ("company", "research_firm"), "lender": ("company",),
}
DESCRIPTION = re.compile(
    r"\b[Tt]he (?:[\w-]+ ){0,3}?(" + "|".join(sorted(map(re.escape, _HEADS), key=len, reverse=True)) + r")\b",
    re.IGNORECASE)


# A head noun that modifies a noun after it names no actor: "the foundry market", "the chipmaker's" does.
COMPOUND_AFTER = re.compile(r"\s+(?:markets?|industry|sector|segment|business|space|landscape|ecosystem|"
                            r"supply chain|capacity|revenue|sales|shipments|output|prices?|spending|demand)\b")
# A name, a comma, then the description: an apposition naming the same actor again.
# How far a name that starts inside a description may run on ("the Ministry of Trade, Industry and Energy").
NAME_TAIL = 80
APPOSITION = re.compile(r"[A-Z][\w&.-]*,\s*$")


def resolve_description(context: DocumentContext, head: str, before: int) -> str | None:
    """The id of the last actor of a fitting type mentioned before offset `before`."""
    types = _HEADS.get(head.lower())
    if not types:
        return None
    for mention in reversed(context.mentions):
        if mention.start >= before or home_country(context, mention):
            continue
        if context.actors[mention.actor_id].actor_type in types:
            return mention.actor_id
    return None


@cache
def _described_home() -> re.Pattern[str]:
    """A place before the kind of actor it is home to: "a Seoul brokerage", "the Tokyo-based chipmaker"."""
    from pipeline.actors.discovery import load_grammar  # discovery's own imports reach this module

    kinds = "|".join(sorted(map(re.escape, load_grammar().descriptor_types), key=len, reverse=True))
    # the words between are a noun's modifiers, never a verb ("The Netherlands barred equipment makers ...")
    modifier = r"(?!(?:has|have|had|is|are|was|were|will|would|to|and|or|from)\s)[a-z][\w-]*(?<!ed)(?<!s)\s+"
    return re.compile(rf"(?:-based)?\s+(?:{modifier}){{0,2}}?(?:{kinds})\b")


def home_country(context: DocumentContext, mention) -> bool:
    """A country named as the home of the actor after it ("Japan’s SoftBank Group", "Taiwan's Commercial
    Times", "U.S. chipmaker Micron") or of the kind of actor an apposition describes ("Kiwoom Securities, a
    Seoul brokerage") is a modifier, not an actor of the sentence."""
    if context.actors[mention.actor_id].actor_type != "country_government":
        return False
    body = context.document.body
    described = _described_home().match(body, mention.end, mention.end + 60)
    # "a Seoul brokerage", or the descriptor of a name after it ("U.S. buyout firm KKR")
    if described and (re.search(r"\b(?:an?|the)\s+$", body[max(0, mention.start - 5):mention.start], re.IGNORECASE)
                      or re.match(r"\s+[A-Z]", body[described.end():described.end() + 2])):
        return True
    if not re.match(r"(?:'s|’s)\s", body[mention.end:mention.end + 4]):
        return False
    return any(mention.end < m.start <= mention.end + 4 for m in context.mentions)


def actor_spans(context: DocumentContext, start: int, end: int) -> list[tuple[int, str]]:
    """(offset, actor id) of every actor named in body[start:end], by a mention or a definite
    description; a mention inside a description ("the US memory maker") is the description's modifier,
    and so is a country named as an actor's home ("Japan’s SoftBank Group")."""
    descriptions = []
    body = context.document.body
    for match in DESCRIPTION.finditer(body, start, end):
        if APPOSITION.search(body, max(0, match.start() - 40), match.start()):
            continue  # "SEMI, the industry group, projected": the description is SEMI itself
        if COMPOUND_AFTER.match(body, match.end()) or re.match(r"\s+of\s+[A-Z]", body[match.end():match.end() + 6]):
            continue  # "the foundry market is expected to grow": a kind of business, not the foundry
        if any(m.start < match.end() <= m.end for m in context.mentions_in(match.start(), match.end() + NAME_TAIL)):
            continue  # "the Trump administration", "the Ministry of Trade": a name holding the head is no description
        actor_id = resolve_description(context, match.group(1), match.start())
        if actor_id:
            descriptions.append((match.start(), match.end(), actor_id))
    spans = [(m.start, m.actor_id) for m in context.mentions_in(start, end)
             if not any(d_start <= m.start < d_end for d_start, d_end, _ in descriptions)
             and not home_country(context, m)]
    return sorted(spans + [(d_start, actor_id) for d_start, _, actor_id in descriptions])
