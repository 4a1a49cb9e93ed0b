"""CITATION.cff and a release's citation say the same as the release: title, authors, licence, version."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from pipeline.release.datapackage import LICENSES, TITLE
from pipeline.release.writer import AUTHORS, SCHEMA_VERSION
from tests.conftest import PROJECT_ROOT


def test_citation_file_matches_the_releases() -> None:
    cff = yaml.safe_load((PROJECT_ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert {"cff-version", "message", "title", "authors"} <= set(cff)  # what CFF 1.2.0 requires
    assert cff["cff-version"] == "1.2.0" and cff["type"] == "dataset"
    assert cff["title"] == TITLE
    assert cff["authors"] == [{"name": AUTHORS}]
    assert cff["license"] == LICENSES[0]["name"]
    assert cff["version"] == SCHEMA_VERSION


def test_a_release_says_how_to_cite_it(seed_release: Path) -> None:
    manifest = json.loads((seed_release / "release.json").read_text(encoding="utf-8"))
    assert manifest["citation"].startswith(f"{AUTHORS}, {TITLE}, dataset release {manifest['release_version']}, "
                                           "CC-BY-4.0")
    assert "sha256 of this release.json" in manifest["citation"]
    # What the citation pins by release.json's digest: every other file of the release.
    assert set(manifest["files"]) == {p.name for p in seed_release.iterdir()} - {"release.json"}
