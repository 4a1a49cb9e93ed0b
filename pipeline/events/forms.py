"""Word forms of the frames' lexicon: inflections and lemmas without a lemmatizer.

spaCy's rule lemmatizer (and the attribute ruler it needs) would double the
cost of a parse, and the frames only ever ask whether a word is one of theirs.
So a word's lemma is found against the lexicon: the word itself, an irregular
form listed in ``frames.yaml``, or a regular stem ("banned" -> "ban",
"subsidies" -> "subsidy", "approving" -> "approve") that is in the lexicon;
any other word is its own lemma.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

_VOWELS = set("aeiou")


def inflections(lemma: str, irregular: Iterable[str] = ()) -> set[str]:
    """Every regular form of a verb or noun, and its irregular ones: 'ban' -> ban, bans, banned, banning, ...

    Over-generating is harmless (a form no one writes is never met); under-generating misses a frame.
    """
    forms = {lemma, *irregular}
    stem_e = lemma[:-1] if lemma.endswith("e") else lemma
    forms |= {lemma + "s", lemma + "es", stem_e + "ed", stem_e + "ing", lemma + "ing", lemma + "d"}
    if lemma.endswith("y") and lemma[-2:-1] not in _VOWELS:
        forms |= {lemma[:-1] + "ies", lemma[:-1] + "ied"}
    if len(lemma) > 2 and lemma[-1] not in _VOWELS | {"w", "x", "y"} and lemma[-2] in _VOWELS:
        doubled = lemma + lemma[-1]  # ban -> banned, commit -> committed (and "visitted": harmless)
        forms |= {doubled + "ed", doubled + "ing"}
    return forms


def _stems(word: str) -> list[str]:
    stems = []
    if word.endswith(("ies", "ied")):
        stems.append(word[:-3] + "y")
    if word.endswith("ing"):
        stems += [word[:-3], word[:-3] + "e", word[:-4]]
    if word.endswith("ed"):
        stems += [word[:-2], word[:-1], word[:-3]]
    if word.endswith("es"):
        stems.append(word[:-2])
    if word.endswith("s"):
        stems.append(word[:-1])
    return stems


@cache
def lemma_in(word: str, vocabulary: frozenset[str], irregular: tuple[tuple[str, str], ...]) -> str:
    """The lemma of a lower-case word against a vocabulary: 'banned' -> 'ban' when 'ban' is in it.

    >>> lemma_in("subsidies", frozenset({"subsidy"}), ())
    'subsidy'
    >>> lemma_in("built", frozenset({"build"}), (("built", "build"),))
    'build'
    """
    if word in vocabulary:
        return word
    form = dict(irregular).get(word)
    if form is not None:
        return form
    return next((stem for stem in _stems(word) if stem in vocabulary), word)
