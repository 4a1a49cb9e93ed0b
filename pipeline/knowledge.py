"""Reading the project's knowledge files (registry, trigger and quantity grammars, vocabularies).

YAML through libyaml's C loader where PyYAML was built with it (several times faster: the 930-actor
registry loads in a fraction of a second, which every process that extracts pays once), PyYAML's
pure-Python safe loader otherwise. Both build plain data only.
"""

from __future__ import annotations

import yaml

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(source) -> object:
    """A YAML document (text or an open file) as plain Python data."""
    return yaml.load(source, Loader=_LOADER)  # noqa: S506 - a safe loader
