"""A regular expression for a large set of literal strings, built as a trie.

Python's ``re`` tries the branches of an alternation one by one; with thousands of aliases
("NVIDIA|Nvidia|NVIDIA Corporation|...") that is the slowest step of finding mentions. A trie
shares common prefixes ("NVIDIA(?: Corporation)?"), so each position of the text is tested
against one branch per distinct next character instead of every alias.
"""

from __future__ import annotations

import re
from collections.abc import Iterable


def trie_pattern(words: Iterable[str]) -> str:
    """A pattern matching exactly the given strings, longest first at every branch.

    >>> re.fullmatch(trie_pattern(["US", "U.S.", "US government"]), "US government") is not None
    True
    """
    trie: dict = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}
    return _pattern(trie)


def _pattern(node: dict) -> str:
    ends_here = "" in node
    branches = [re.escape(char) + _pattern(child) for char, child in sorted(node.items()) if char]
    if not branches:
        return ""
    # Longer continuations are tried before stopping here, so the longest alias wins.
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if ends_here else body
