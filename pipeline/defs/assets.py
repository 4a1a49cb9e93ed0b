"""The release as Dagster assets: source files -> corpus -> tables -> release folder.

Assets only wire the plain functions of ``pipeline.*`` together and attach
metadata; the logic lives in those functions so it is testable without Dagster.

Partitions, and why. Reading and extracting a document depends on that document
alone, so ``file_extractions`` is partitioned by source file (a dynamic partition
per file, keyed by its path relative to the sources folder): a new or changed
article is read and extracted on its own. Everything that needs the whole corpus
(one document per text across files, actors and events merged across documents,
the tables, the release) is unpartitioned and downstream, and is recomputed from
the stored partitions, which is cheap next to extraction.

Dagster spends about a quarter of a second on every run, and a few milliseconds
on every partition it records. One run per partition would cost a 10,000-article
corpus most of an hour before any work; so ``file_extractions`` has a single-run
backfill policy and handles any number of partitions in one run
(``context.partition_keys``), extracting them in worker processes. The CLI, the
UI's "materialize all" and the sensor all launch one run for however many files
they process; the sensor's run for one new article holds that article's
partition and the corpus-level assets only.
"""

import hashlib
from pathlib import Path

import dagster as dg
import pandas as pd
from dagster_pandera import pandera_schema_to_dagster_type

from pipeline.defs.metadata import release_health, table_metadata
from pipeline.defs.resources import ReleaseSettings
from pipeline.defs.sources import SOURCE_FILES, SourceFile, assemble, files_by_key, process_files
from pipeline.extraction import DocumentExtraction
from pipeline.release import tables as build
from pipeline.release.resolutions import apply_resolutions
from pipeline.release.validation import split_valid, validate_tables
from pipeline.release.writer import write_release
from pipeline.sources.ingest import Ingested
from schemas.tables import TABLE_MODELS

TABLE_NAMES = tuple(TABLE_MODELS)
TABLE_DESCRIPTIONS = {name: (model.__doc__ or name).strip() for name, model in TABLE_MODELS.items()}
CORPUS_ASSETS = ("source_documents", "document_extractions", *TABLE_NAMES, "release")  # unpartitioned

_PIPELINE = Path(__file__).resolve().parents[1]


def extraction_code_version() -> str:
    """A digest of the code and knowledge files that reading and extraction use.

    Stored as the partitioned asset's code version: each partition's materialisation records which code
    extracted it, and Dagster can tell the partitions made by older code (materialise all partitions
    after changing extraction code or the registry; the CLI always rebuilds everything).
    """
    digest = hashlib.sha256()
    for folder in ("sources", "documents", "actors", "temporal", "events", "forecasts"):
        for path in sorted((_PIPELINE / folder).rglob("*")):
            if path.suffix in (".py", ".yaml", ".yml", ".json", ".jsonl") and path.is_file():
                digest.update(path.relative_to(_PIPELINE).as_posix().encode() + b"\0" + path.read_bytes())
    for name in ("extraction.py", "attribution.py"):
        if (_PIPELINE / name).is_file():
            digest.update(name.encode() + b"\0" + (_PIPELINE / name).read_bytes())
    return digest.hexdigest()[:16]


@dg.asset(
    group_name="sources",
    partitions_def=SOURCE_FILES,
    backfill_policy=dg.BackfillPolicy.single_run(),
    io_manager_key="partition_store",
    code_version=extraction_code_version(),
    description="Per source file (one partition per file, keyed by its path relative to the sources "
                "folder): its documents, the problems met reading it, and each document's sentences, actor "
                "mentions, events and forecasts with character offsets into the body. Any number of "
                "partitions run in one run.",
)
def file_extractions(context: dg.AssetExecutionContext, settings: ReleaseSettings) -> dg.Output:
    keys = context.partition_keys
    files = process_files(settings.sources_path, keys)
    context.log.info(f"read and extracted {len(keys)} source file(s) of {settings.sources_path}")
    values = list(files.values())
    return dg.Output(files, metadata={
        "files": len(values),
        "documents": sum(len(f.documents) for f in values),
        "problems": sum(len(f.problems) for f in values),
        "mentions": sum(len(e.mentions) for f in values for e in f.extractions),
        "events (before deduplication)": sum(len(e.events) for f in values for e in f.extractions),
        "forecasts": sum(len(e.forecasts) for f in values for e in f.extractions),
    })


@dg.multi_asset(
    group_name="sources",
    outs={
        "source_documents": dg.AssetOut(description="Every document of the sources folder, one per text (the "
                                        "first path's), and the problems met: what ``ingest`` gives."),
        "document_extractions": dg.AssetOut(description="The extraction of each of those documents, in "
                                            "their order."),
    },
    description="The stored partitions put back together as one corpus, deduplicated by text.",
)
def corpus(context: dg.AssetExecutionContext, settings: ReleaseSettings,
           file_extractions: dict[str, SourceFile]):
    assembled = assemble(file_extractions.values())
    unregistered = sorted(set(files_by_key(settings.sources_path)) - set(file_extractions))
    if unregistered:
        context.log.warning(f"{len(unregistered)} file(s) of {settings.sources_path} are not partitions yet "
                            f"(the watch_sources sensor adds them), e.g. {unregistered[:3]}")
    ingested = assembled.ingested
    yield dg.Output(ingested, output_name="source_documents", metadata={
        "documents": len(ingested.documents),
        "problems": len(ingested.problems),
        "source files": len(file_extractions),
        "files not yet registered": len(unregistered),
        "sources_dir": str(settings.sources_path),
    })
    yield dg.Output(list(assembled.extractions), output_name="document_extractions", metadata={
        "documents": len(assembled.extractions),
        "mentions": sum(len(e.mentions) for e in assembled.extractions),
        "events (before deduplication)": sum(len(e.events) for e in assembled.extractions),
        "forecasts": sum(len(e.forecasts) for e in assembled.extractions),
    })


@dg.multi_asset(
    group_name="tables",
    outs={name: dg.AssetOut(dagster_type=pandera_schema_to_dagster_type(model),
                            description=TABLE_DESCRIPTIONS[name], io_manager_key="io_manager")
          for name, model in TABLE_MODELS.items()},
    description="The release's tables, validated row by row against the schemas in `schemas/`; rows that "
                "fail go to the quarantine table (or fail the build when strict).",
)
def release_tables(context: dg.AssetExecutionContext, settings: ReleaseSettings, source_documents: Ingested,
                   document_extractions: list[DocumentExtraction]):
    events, event_actors, event_reports = build.event_tables(document_extractions)
    raw = {
        "documents": build.documents_table(source_documents),
        "actors": build.actors_table(document_extractions),
        "actor_mentions": build.actor_mentions_table(document_extractions),
        "events": events,
        "event_actors": event_actors,
        "event_reports": event_reports,
        "forecasts": build.forecasts_table(document_extractions),
    }
    raw["forecasts"] = apply_resolutions(raw["forecasts"])  # outcomes from resolutions.yaml, if any
    quarantine_rows = build.quarantine_table(source_documents)
    # Rows failing their schema are set aside, and so are the rows that refer to them.
    raw, rejected_rows = validate_tables(raw, strict=settings.strict)
    quarantine = pd.concat([quarantine_rows, pd.DataFrame(rejected_rows, columns=quarantine_rows.columns)],
                           ignore_index=True) if rejected_rows else quarantine_rows
    raw["quarantine"], _ = split_valid("quarantine", quarantine, strict=True)
    for name in TABLE_NAMES:
        yield dg.Output(raw[name], output_name=name, metadata=table_metadata(name, raw[name]))


@dg.asset(group_name="release", description="The release folder: one zstd Parquet file per table, "
          "dataset.duckdb with every table inside, release.json with counts and checksums.")
def release(context: dg.AssetExecutionContext, settings: ReleaseSettings, source_documents: Ingested,
            documents: pd.DataFrame, actors: pd.DataFrame, actor_mentions: pd.DataFrame, events: pd.DataFrame,
            event_actors: pd.DataFrame, event_reports: pd.DataFrame, forecasts: pd.DataFrame,
            quarantine: pd.DataFrame) -> dg.MaterializeResult:
    tables = {"documents": documents, "actors": actors, "actor_mentions": actor_mentions, "events": events,
              "event_actors": event_actors, "event_reports": event_reports, "forecasts": forecasts,
              "quarantine": quarantine}
    sources = [{"source_path": d.source_path, "doc_id": d.doc_id, "text_sha256": d.text_sha256}
               for d in sorted(source_documents.documents, key=lambda d: d.source_path)]
    info = write_release(tables, settings.output_path, sources)
    context.log.info(f"release {info.version} written to {info.path}")
    return dg.MaterializeResult(metadata={
        "path": dg.MetadataValue.path(str(info.path)),
        "release_version": info.version,
        **{f"rows/{name}": count for name, count in info.row_counts.items()},
        **release_health(tables),
    })
