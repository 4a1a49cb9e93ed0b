"""The release as Dagster assets: sources -> extractions -> tables -> release folder.

Assets only wire the plain functions of ``pipeline.*`` together and attach
metadata; the logic lives in those functions so it is testable without Dagster.
"""


import dagster as dg
import pandas as pd
from dagster_pandera import pandera_schema_to_dagster_type

from pipeline.actors.registry import load_registry
from pipeline.defs.metadata import table_metadata
from pipeline.defs.resources import ReleaseSettings
from pipeline.extraction import DocumentExtraction, extract_document
from pipeline.progress import Progress
from pipeline.release import tables as build
from pipeline.release.resolutions import apply_resolutions
from pipeline.release.validation import split_valid
from pipeline.release.writer import write_release
from pipeline.sources.ingest import Ingested, ingest
from schemas.tables import TABLE_MODELS

TABLE_NAMES = tuple(TABLE_MODELS)
TABLE_DESCRIPTIONS = {name: (model.__doc__ or name).strip() for name, model in TABLE_MODELS.items()}


@dg.asset(group_name="sources", description="Articles of the sources folder, read and deduplicated by text; "
          "unreadable inputs become problems for the quarantine table.")
def source_documents(context: dg.AssetExecutionContext, settings: ReleaseSettings) -> dg.Output[Ingested]:
    ingested = ingest(settings.sources_path)
    context.log.info(f"read {len(ingested.documents)} documents from {settings.sources_path}, "
                     f"{len(ingested.problems)} problem(s)")
    return dg.Output(ingested, metadata={
        "documents": len(ingested.documents),
        "problems": len(ingested.problems),
        "sources_dir": str(settings.sources_path),
    })


@dg.asset(group_name="extraction", description="Per document: sentences, actor mentions, events and "
          "forecasts, with character offsets into the body.")
def document_extractions(context: dg.AssetExecutionContext,
                         source_documents: Ingested) -> dg.Output[list[DocumentExtraction]]:
    registry = load_registry()
    progress = Progress("extracting documents", len(source_documents.documents))
    extractions = []
    for document in source_documents.documents:
        extractions.append(extract_document(document, registry))
        progress.advance()
    progress.finish()
    return dg.Output(extractions, metadata={
        "documents": len(extractions),
        "mentions": sum(len(e.mentions) for e in extractions),
        "events (before deduplication)": sum(len(e.events) for e in extractions),
        "forecasts": sum(len(e.forecasts) for e in extractions),
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
    rejected_rows = []
    for name, df in raw.items():
        valid, rejected = split_valid(name, df, strict=settings.strict)
        raw[name] = valid
        rejected_rows += rejected
    quarantine = pd.concat([quarantine_rows, pd.DataFrame(rejected_rows, columns=quarantine_rows.columns)],
                           ignore_index=True) if rejected_rows else quarantine_rows
    raw["quarantine"], _ = split_valid("quarantine", quarantine, strict=True)
    for name in TABLE_NAMES:
        yield dg.Output(raw[name], output_name=name, metadata=table_metadata(raw[name]))


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
    })
