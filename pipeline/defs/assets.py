"""The release as Dagster assets: source files -> (corpus) -> tables -> release folder.

Assets only wire the plain functions of ``pipeline.*`` together and attach
metadata; the logic lives in those functions so it is testable without Dagster.

Partitions, and why. Reading and extracting a document depends on that document
alone, so ``file_extractions`` is partitioned by source file (a dynamic partition
per file, keyed by its path relative to the sources folder): a new or changed
article is read and extracted on its own. Everything that needs the whole corpus
(one document per text across files, actors and events merged across documents,
the tables, the release) is unpartitioned and downstream, in one step
(``build_release``): it keeps the rows of every partition it has seen
(``pipeline.release.rows``) and loads only the new or changed partitions, rebuilds
the tables from those rows with vectorised pandas, validates them and writes the
release, whose Parquet files are the tables' storage. Nothing is pickled between
corpus-level steps, so adding one article to 10,000 takes seconds.

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
from typing import Any

import dagster as dg
import pandas as pd

from pipeline.defs.checks import TABLE_CHECK_SPECS, table_check_results
from pipeline.defs.io import StoredPartitions
from pipeline.defs.metadata import release_health, table_metadata, table_schema
from pipeline.defs.resources import ReleaseSettings
from pipeline.defs.sources import SOURCE_FILES, files_by_key, process_files
from pipeline.release import tables as build
from pipeline.release.curation import applied_targets, apply_curation, load_curation
from pipeline.release.observed import resolve_by_observations
from pipeline.release.quality import release_quality
from pipeline.release.resolutions import apply_resolutions
from pipeline.release.rows import corpus_rows
from pipeline.release.tombstones import removed_table
from pipeline.release.validation import split_valid, validate_tables
from pipeline.release.writer import write_release
from schemas.tables import TABLE_MODELS

TABLE_NAMES = tuple(TABLE_MODELS)
TABLE_DESCRIPTIONS = {name: (model.__doc__ or name).strip() for name, model in TABLE_MODELS.items()}
CORPUS_ASSETS = (*TABLE_NAMES, "release")  # unpartitioned

_PIPELINE = Path(__file__).resolve().parents[1]


def extraction_code_version() -> str:
    """A digest of the code and knowledge files that reading and extraction use.

    Stored as the partitioned asset's code version: each partition's materialisation records which code
    extracted it, and Dagster can tell the partitions made by older code (materialise all partitions
    after changing extraction code or the registry; the CLI always rebuilds everything).
    """
    digest = hashlib.sha256()
    for folder in ("sources", "fetch", "documents", "actors", "temporal", "events", "forecasts"):
        for path in sorted((_PIPELINE / folder).rglob("*")):
            if path.suffix in (".py", ".yaml", ".yml", ".json", ".jsonl") and path.is_file():
                digest.update(path.relative_to(_PIPELINE).as_posix().encode() + b"\0" + path.read_bytes())
    for name in ("extraction.py", "attribution.py"):
        if (_PIPELINE / name).is_file():
            digest.update(name.encode() + b"\0" + (_PIPELINE / name).read_bytes())
    return digest.hexdigest()[:16]


EXTRACTOR_VERSION = extraction_code_version()


@dg.asset(
    group_name="sources",
    partitions_def=SOURCE_FILES,
    backfill_policy=dg.BackfillPolicy.single_run(),
    io_manager_key="partition_store",
    code_version=EXTRACTOR_VERSION,
    kinds={"python"},
    description="Per source file (one partition per file, keyed by its path relative to the sources "
                "folder): its documents, the problems met reading it, and each document's sentences, actor "
                "mentions, events and forecasts with character offsets into the body. Any number of "
                "partitions run in one run.",
)
def file_extractions(context: dg.AssetExecutionContext, settings: ReleaseSettings) -> dg.Output:
    keys = context.partition_keys
    ran_in: set[str] = set()
    files = process_files(settings.sources_path, keys, timeout=settings.document_timeout,
                          scheduler=settings.dask_scheduler, ran_in=ran_in)
    context.log.info(f"read and extracted {len(keys)} source file(s) of {settings.sources_path}")
    values = list(files.values())
    return dg.Output(files, metadata={
        "extracted on": f"Dask cluster {settings.dask_scheduler}" if settings.dask_scheduler else "this machine",
        "extracted by (host:pid)": dg.MetadataValue.json(sorted(ran_in)),
        "files": len(values),
        "documents": sum(len(f.documents) for f in values),
        "problems": sum(len(f.problems) for f in values),
        "mentions": sum(f.extractions.total("mentions") for f in values),
        "events (before deduplication)": sum(f.extractions.total("events") for f in values),
        "forecasts": sum(f.extractions.total("forecasts") for f in values),
        "refused figures": sum(f.extractions.total("refused_figures") for f in values),
        "observations": sum(f.extractions.total("observations") for f in values),
    })


@dg.multi_asset(
    specs=[*(dg.AssetSpec(name, group_name="tables", deps=["file_extractions"], description=TABLE_DESCRIPTIONS[name],
                          kinds={"pandas", "parquet"}, metadata={"dagster/column_schema": table_schema(name)})
             for name in TABLE_NAMES),
           dg.AssetSpec("release", group_name="release", deps=TABLE_NAMES, kinds={"parquet", "duckdb"},
                        description="The release folder: one zstd Parquet file per table (the tables' storage), "
                                    "dataset.duckdb with every table inside, release.json with counts and "
                                    "checksums.")],
    check_specs=TABLE_CHECK_SPECS,
    description="The stored partitions put back together as one corpus (one document per text, the first "
                "file's), its tables built and validated row by row against the schemas in `schemas/` (rows "
                "that fail go to the quarantine table, or fail the build when strict), and the release "
                "written. The rows of the partitions already seen are kept between runs, so a new article "
                "loads and converts only its own partition.",
)
def build_release(context: dg.AssetExecutionContext, settings: ReleaseSettings,
                  file_extractions: Any):  # Mapping[str, SourceFile] that loads each partition when asked
    # One step from the partitions to the release folder: the tables are stored as the release's Parquet
    # files, so nothing is pickled in between (that alone cost seconds a run on a large corpus).
    stored = isinstance(file_extractions, StoredPartitions)
    converted = []
    rows = corpus_rows(file_extractions, signatures=file_extractions.signatures if stored else None,
                       cache=file_extractions.cache if stored else None,
                       on_load=lambda changed, total: converted.append(changed))
    corpus = build.corpus(rows)
    unregistered = sorted(set(files_by_key(settings.sources_path)) - set(file_extractions))
    if unregistered:
        context.log.warning(f"{len(unregistered)} file(s) of {settings.sources_path} are not partitions yet "
                            f"(the watch_sources sensor adds them), e.g. {unregistered[:3]}")
    raw = build.release_tables(corpus)
    # What the end of the step needs of the corpus, then the rows let go before validation copies the tables.
    offsets_mismatched, problems, files = (int(corpus["documents"]["offsets_mismatched"].sum()),
                                           len(corpus["problems"]), len(file_extractions))
    del rows, corpus
    quarantine_rows = raw.pop("quarantine")
    # The reviewers' decisions, on every build: a malformed file fails here, before anything is applied.
    curation = settings.curation_path
    raw = apply_curation(raw, load_curation(curation, required=bool(settings.curation_file)), curation,
                         strict=settings.strict)
    raw = build.with_event_provenance(raw)
    # Outcomes the corpus reports itself, then those of resolutions.yaml (if any), which override them.
    raw["forecasts"] = apply_resolutions(resolve_by_observations(raw["forecasts"], raw["observations"],
                                                                 raw["documents"]),
                                         dropped=applied_targets(raw["curation_log"], "drop_forecast"))
    # Rows failing their schema are set aside, and so are the rows that refer to them.
    # Beside the kept rows, the hashes of the rows that passed validation: only new rows are validated.
    tables, rejected_rows = validate_tables(raw, strict=settings.strict,
                                            memo=file_extractions.cache / "validated" if stored else None)
    quarantine = pd.concat([quarantine_rows, pd.DataFrame(rejected_rows, columns=quarantine_rows.columns)],
                           ignore_index=True) if rejected_rows else quarantine_rows
    tables["quarantine"], _ = split_valid("quarantine", quarantine, strict=True)
    # Tombstones against the release this one replaces (the output folder as it is), in the watch's runs too.
    tables["removed"], _ = split_valid("removed", removed_table(settings.output_path, tables), strict=True)
    tables = {name: tables[name] for name in TABLE_NAMES}

    documents = tables["documents"]
    sources = documents[["source_path", "doc_id", "text_sha256"]].sort_values("source_path").to_dict("records")
    published = {name: df for name, df in tables.items() if settings.with_text or name != "document_texts"}
    info = write_release(published, settings.output_path, sources,
                         quality=release_quality(EXTRACTOR_VERSION))
    context.log.info(f"release {info.version} written to {info.path}")
    for name in TABLE_NAMES:
        where = dg.MetadataValue.path(str(info.path / f"{name}.parquet")) if name in published else "not published"
        yield dg.MaterializeResult(asset_key=name, metadata=table_metadata(name, tables[name], path=where))
    yield dg.MaterializeResult(asset_key="release", metadata={
        "path": dg.MetadataValue.path(str(info.path)),
        "release_version": info.version,
        **{f"rows/{name}": count for name, count in info.row_counts.items()},
        "source files": files,
        "partitions loaded (new or changed)": converted[0],
        "files not yet registered": len(unregistered),
        "problems": problems,
        **release_health(tables),
    })
    yield from table_check_results(tables, rejected_rows, offsets_mismatched)
