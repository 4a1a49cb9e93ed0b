"""docs/DATA_DICTIONARY.md is generated from the schemas and checked in up to date."""

from __future__ import annotations

import json
from pathlib import Path

from pipeline.cli import main
from pipeline.release.dictionary import DICTIONARY_PATH, render_dictionary
from schemas.describe import fields
from schemas.tables import TABLE_MODELS


def test_checked_in_dictionary_is_up_to_date() -> None:
    assert DICTIONARY_PATH.read_text(encoding="utf-8") == render_dictionary(), (
        "docs/DATA_DICTIONARY.md is stale: run `python -m pipeline dictionary`")


def test_every_release_holds_the_dictionary(seed_release: Path) -> None:
    assert (seed_release / "DATA_DICTIONARY.md").read_text(encoding="utf-8") == render_dictionary()
    manifest = json.loads((seed_release / "release.json").read_text(encoding="utf-8"))
    assert "DATA_DICTIONARY.md" in manifest["files"]


def test_dictionary_names_every_table_and_column_with_type_and_nullability() -> None:
    text = render_dictionary()
    for table in TABLE_MODELS:
        assert f"\n## {table}\n" in text
        for info in fields(table):
            nullable = "yes" if info.nullable else "no"
            assert f"| `{info.name}` | `{info.type}` | {nullable} |" in text, (table, info.name)
    assert "| `event_type` | `string` | no | Type of event. | [EVENT_TYPES](#event_types) |" in text
    assert "`export_control_eased`, `export_control_tightened`" in text
    assert "References: `doc_id` → `documents.doc_id`, `forecaster_actor_id` → `actors.actor_id`" in text
    assert "### forecaster_track_record" in text


def test_dictionary_command_writes_and_checks(tmp_path: Path, capsys) -> None:
    target = tmp_path / "DICT.md"
    assert main(["dictionary", "--check", "--output", str(target)]) == 1
    assert "stale" in capsys.readouterr().err
    assert main(["dictionary", "--output", str(target)]) == 0
    assert target.read_text(encoding="utf-8") == render_dictionary()
    assert main(["dictionary", "--check", "--output", str(target)]) == 0
