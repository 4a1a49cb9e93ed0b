"""The Dagster code location loads and exposes the assets, checks and sensor the README promises."""

from __future__ import annotations

import dagster as dg
from dagster._core.storage import tags as dagster_tags

from pipeline.definitions import defs
from pipeline.defs.metadata import table_metadata
from pipeline.defs.sensors import PARTITION_RANGE_END_TAG, PARTITION_RANGE_START_TAG
from schemas.derive import empty_frame
from schemas.describe import fields

TABLES = ("documents", "actors", "actor_mentions", "events", "event_actors", "event_reports", "forecasts",
          "refused_figures", "observations", "document_texts", "quarantine", "coverage", "removed", "curation_log",
          "id_redirects")


def test_asset_keys_are_pinned() -> None:
    keys = {key.to_user_string() for key in defs.resolve_asset_graph().get_all_asset_keys()}
    assert keys == {"file_extractions", *TABLES, "release"}


def test_only_the_per_file_work_is_partitioned_and_it_runs_in_one_run() -> None:
    graph = defs.resolve_asset_graph()
    partitioned = {key.to_user_string() for key in graph.get_all_asset_keys() if graph.get(key).is_partitioned}
    assert partitioned == {"file_extractions"}
    node = graph.get(dg.AssetKey("file_extractions"))
    assert isinstance(node.partitions_def, dg.DynamicPartitionsDefinition)
    assert node.partitions_def.name == "source_files"
    assert node.backfill_policy == dg.BackfillPolicy.single_run()


def test_every_table_has_a_schema_and_a_key_check() -> None:
    checks = {key.name for key in defs.resolve_asset_graph().asset_check_keys}
    for table in TABLES:
        assert f"{table}_matches_schema" in checks
    for table in set(TABLES) - {"quarantine", "coverage"}:  # no key
        assert f"{table}_keys_unique" in checks
    assert {"references_resolve", "offsets_slice_body", "checksums_match"} <= checks


def test_the_sensor_is_there_and_on_by_default() -> None:
    sensor = defs.resolve_sensor_def("watch_sources")
    assert sensor.default_status == dg.DefaultSensorStatus.RUNNING


def test_partition_range_tags_are_dagsters() -> None:
    assert PARTITION_RANGE_START_TAG == dagster_tags.ASSET_PARTITION_RANGE_START_TAG
    assert PARTITION_RANGE_END_TAG == dagster_tags.ASSET_PARTITION_RANGE_END_TAG


def test_runs_are_in_process_unless_their_config_asks_for_processes() -> None:
    job = defs.resolve_implicit_global_asset_job_def()
    assert "in_process" in dg.validate_run_config(job, {})["execution"]["multi_or_in_process_executor"]
    multiprocess = {"execution": {"config": {"multiprocess": {"max_concurrent": 2}}}}
    assert "multiprocess" in dg.validate_run_config(job, multiprocess)["execution"]["multi_or_in_process_executor"]


def test_tables_publish_their_schema_columns_with_descriptions_and_kinds() -> None:
    """The UI's column schema is the pandera model's (types a Parquet reader gets, descriptions), not pandas dtypes."""
    specs = {spec.key.to_user_string(): spec for spec in defs.resolve_all_asset_specs()}
    for table in TABLES:
        schema = specs[table].metadata["dagster/column_schema"]
        assert [(c.name, c.type, c.description) for c in schema.columns] == \
            [(f.name, f.type, f.description) for f in fields(table)]
        assert all(c.description for c in schema.columns)
        assert specs[table].kinds == {"pandas", "parquet"}
    columns = {c.name: c for c in specs["events"].metadata["dagster/column_schema"].columns}
    assert columns["event_date"].type == "date" and columns["event_date"].constraints.nullable
    assert columns["event_id"].constraints.unique and not columns["event_id"].constraints.nullable
    assert "one of: export_control_eased" in columns["event_type"].constraints.other[0]
    assert specs["release"].kinds == {"parquet", "duckdb"}


def test_a_materialised_table_reports_the_same_columns() -> None:
    metadata = table_metadata("events", empty_frame("events"))
    columns = metadata["dagster/column_schema"].value.columns
    assert columns[2].name == "summary" and columns[2].description == "One short line."
    assert "object" not in {c.type for c in columns} and "datetime64[ns]" not in {c.type for c in columns}
