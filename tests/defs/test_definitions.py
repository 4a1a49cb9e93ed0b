"""The Dagster code location loads and exposes the assets and checks the README promises."""

from __future__ import annotations

from pipeline.definitions import defs


def test_asset_keys_are_pinned() -> None:
    keys = {key.to_user_string() for key in defs.resolve_asset_graph().get_all_asset_keys()}
    assert keys == {"source_documents", "document_extractions", "documents", "actors", "actor_mentions",
                    "events", "event_actors", "event_reports", "forecasts", "quarantine", "release"}


def test_every_table_has_a_schema_check() -> None:
    checks = {key.name for key in defs.resolve_asset_graph().asset_check_keys}
    for table in ("documents", "actors", "actor_mentions", "events", "event_actors", "event_reports",
                  "forecasts", "quarantine"):
        assert f"{table}_matches_schema" in checks
    assert {"references_resolve", "offsets_slice_body", "checksums_match"} <= checks
