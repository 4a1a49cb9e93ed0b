"""Write a release folder: Parquet tables and their CSV copies, ``dataset.duckdb``, ``release.json``.

Plain functions, so they are testable without Dagster. The release is built in
a temporary folder beside the target and moved into place only when complete:
a build that dies midway leaves the previous release as it was. What a killed
build leaves beside the target (a half-built folder, or the old release set
aside between the two renames) is cleaned up or put back by the next build;
a target that is neither empty nor a release is never replaced.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.release.csv_export import write_csv
from pipeline.release.datapackage import LICENSES, TITLE
from pipeline.release.extras import write_extras
from pipeline.release.lock import output_lock
from pipeline.release.views import create_views
from schemas.derive import to_arrow

# Contract 1.0 plus this project's additions (actors.in_registry, quarantine, refused_figures; 1.2: the CSV files,
# document_texts, events.country, event_reports.url; 1.3: documents.format, original_sha256, published_source;
# events.n_documents, n_sources, first_reported_date,
# last_reported_date, event_reports.publisher, story_doc_id, coverage, removed, the *_as_of table macros;
# observations, forecasts settled by them and the forecaster_scores view; curation_log, id_redirects, `rule` and
# `confidence` of event_reports and forecasts, release.json's `quality`): a minor version adds, a major one
# renames or drops.
SCHEMA_VERSION = "1.3.0"
MANIFEST = "release.json"
DATABASE = "dataset.duckdb"
# The storage format dataset.duckdb is written in: DuckDB 2.0's own format is refused by every 1.x reader (the
# shells, R and Java clients most users have), while 1.0's is read by DuckDB 1.0 and later, 2.x included.
DATABASE_STORAGE_VERSION = "v1.0.0"
# DuckDB's own memory while the tables are loaded: by default it keeps every table it stored cached (up to 80%
# of the machine's memory), 85 MiB more at the peak of a 16,000-article build; it writes them out instead.
DATABASE_MEMORY_LIMIT = "64MB"
# FSST string compression samples the strings it compresses differently at every write, so the same tables gave
# a different file each time; without it dataset.duckdb is byte for byte the same (about 30% larger).
DATABASE_SETTINGS = "SET disabled_compression_methods = 'fsst'"
AUTHORS = "chipgeo maintainers"  # as CITATION.cff names them


@dataclass(frozen=True)
class ReleaseInfo:
    path: Path
    version: str
    row_counts: dict[str, int]
    files: dict[str, str]  # file name -> sha256


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_parquet(tables: Mapping[str, pa.Table], folder: Path) -> dict[str, str]:
    """One zstd Parquet file per table; returns file name -> sha256."""
    hashes = {}
    for name, table in tables.items():
        path = folder / f"{name}.parquet"
        # No pandas metadata and a fixed writer: the same rows give the same bytes.
        pq.write_table(table, path, compression="zstd", write_statistics=True)
        hashes[path.name] = sha256_file(path)
    return hashes


def build_time() -> dt.datetime:
    """``created_at``: now, or ``SOURCE_DATE_EPOCH`` (seconds since 1970, the reproducible-builds convention)
    when it is set, so that two builds of the same sources give the same release.json too."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch:
        return dt.datetime.now(dt.UTC)
    try:
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC)
    except (ValueError, OverflowError, OSError):
        raise ValueError(f"SOURCE_DATE_EPOCH {epoch[:40]!r} is not a time in seconds since 1970") from None


@contextlib.contextmanager
def database(folder: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """``dataset.duckdb``, to store every table inside (:func:`store_table`), so it works wherever the folder
    goes; the views of :mod:`pipeline.release.views` are added when the block ends."""
    con = duckdb.connect(str(folder / DATABASE), config={"storage_compatibility_version": DATABASE_STORAGE_VERSION,
                                                          "memory_limit": DATABASE_MEMORY_LIMIT})
    try:
        con.execute(DATABASE_SETTINGS)
        yield con
        create_views(con)
        con.execute("CHECKPOINT")
    finally:
        con.close()


def store_table(con: duckdb.DuckDBPyConnection, name: str, table: pa.Table) -> None:
    con.register("arrow_table", table)  # the same Arrow table as the Parquet file, not read back
    con.execute(f'CREATE TABLE "{name}" AS SELECT * FROM arrow_table')
    con.unregister("arrow_table")


# What changed since the release this one replaced: not the data, so the same sources keep one version whatever
# release the output folder held before (a second build of unchanged sources has no removed rows).
DELTA_FILES = frozenset({"removed.parquet"})


def data_version(hashes: Mapping[str, str]) -> str:
    """A short digest of the Parquet contents but the delta: same data, same version."""
    parquet = sorted((n, h) for n, h in hashes.items() if n.endswith(".parquet") and n not in DELTA_FILES)
    digest = hashlib.sha256("".join(f"{n}:{h};" for n, h in parquet).encode()).hexdigest()
    return digest[:12]


def citation(version: str) -> str:
    """How to cite a release: by its version and the sha256 of its release.json, which pins every file.

    No date: the same data give the same release.json but for ``created_at``."""
    return (f"{AUTHORS}, {TITLE}, dataset release {version}, {LICENSES[0]['name']}; cite it with the sha256 of "
            "this release.json, which lists the sha256 of every other file")


def manifest(tables: Mapping[str, pd.DataFrame], hashes: dict[str, str], sources: list[dict],
             created_at: dt.datetime, quality: dict | None = None) -> dict:
    version = f"{SCHEMA_VERSION}+data.{data_version(hashes)}"
    return {
        "release_version": version,
        "schema_version": SCHEMA_VERSION,
        "created_at": created_at.isoformat(timespec="seconds"),
        "citation": citation(version),
        "row_counts": {name: int(len(df)) for name, df in tables.items()},
        "files": {name: {"sha256": digest} for name, digest in sorted(hashes.items())},
        "sources": sources,
        **({"quality": quality} if quality is not None else {}),
    }


class NotAReleaseFolder(Exception):
    """The output path holds something other than a release, which a build must not replace."""


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def sync_folder(folder: Path) -> None:
    """Flush a folder's files and entries to disk, so a rename never publishes half-written files."""
    for path in folder.iterdir():
        if path.is_file():
            _fsync(path)
    _fsync(folder)


def replace_folder(built: Path, target: Path) -> None:
    """Move a complete release into place; the old one is removed only after the new one is there."""
    sync_folder(built)
    if target.exists():
        old = target.with_name(f".{target.name}.old-{os.getpid()}")
        os.replace(target, old)
        os.replace(built, target)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(built, target)
    _fsync(target.parent)


def _owner_alive(folder: Path) -> bool:
    """Whether the build that made a ``.<name>.building-<pid>-*`` / ``.old-<pid>`` folder still runs."""
    pid_text = folder.name.rsplit(".building-", 1)[-1].rsplit(".old-", 1)[-1].split("-")[0]
    return pid_text.isdigit() and int(pid_text) != os.getpid() and pid_alive(int(pid_text))


def pid_alive(pid: int) -> bool:
    """Whether a process of this pid runs."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's live process
        return True
    return True


def recover_interrupted(target: Path) -> None:
    """Put back a release left aside by a build killed between its two renames."""
    if target.exists():
        return
    for old in sorted(target.parent.glob(f".{target.name}.old-*")):
        if not _owner_alive(old):
            os.replace(old, target)
            return


def remove_stale(target: Path) -> None:
    """Remove what killed builds left beside the target: half-built folders and set-aside old releases."""
    for pattern in (f".{target.name}.building-*", f".{target.name}.old-*"):
        for folder in target.parent.glob(pattern):
            if folder.is_dir() and not folder.is_symlink() and not _owner_alive(folder):
                shutil.rmtree(folder, ignore_errors=True)


# What file managers and DuckDB leave in a folder a user opened: a release that holds them is still a release.
TOOL_FILES = frozenset({".DS_Store", "Thumbs.db", "desktop.ini", "dataset.duckdb.wal"})


def check_replaceable(target: Path) -> None:
    """Refuse to replace anything but a release or an empty folder: ``--output ~`` must not delete a home."""
    if not target.exists() and not target.is_symlink():
        return
    if target.is_symlink() or not target.is_dir():
        raise NotAReleaseFolder(f"{target} is not a folder; choose another --output")
    if not any(target.iterdir()):
        return
    if not (target / MANIFEST).is_file():
        raise NotAReleaseFolder(f"{target} is a folder without {MANIFEST}, not a release: it is not "
                                "replaced; choose an empty or new folder for --output")
    # A release is its manifest's files and nothing else: a folder that also holds a thesis or a `src/`
    # beside a stray release.json is someone's work, not a release to replace.
    try:
        listed = set(json.loads((target / MANIFEST).read_text(encoding="utf-8"))["files"]) | {MANIFEST}
    except (OSError, ValueError, KeyError, TypeError):
        raise NotAReleaseFolder(f"{target}/{MANIFEST} is not a release manifest: the folder is not replaced; "
                                "choose an empty or new folder for --output") from None
    unlisted = sorted(path.name for path in target.iterdir() if path.name not in listed | TOOL_FILES)
    if unlisted:
        shown = ", ".join(unlisted[:3]) + (f" and {len(unlisted) - 3} more" if len(unlisted) > 3 else "")
        raise NotAReleaseFolder(f"{target} holds files its {MANIFEST} does not list ({shown}), so it is not a "
                                "release and is not replaced; choose an empty or new folder for --output")


def prepare_target(target: Path) -> None:
    """Make the target ready for a new release: recover, clean up after killed builds, check it."""
    target.parent.mkdir(parents=True, exist_ok=True)
    recover_interrupted(target)
    remove_stale(target)
    check_replaceable(target)


def write_release(tables: Mapping[str, pd.DataFrame], output: Path, sources: list[dict],
                  created_at: dt.datetime | None = None, quality: dict | None = None) -> ReleaseInfo:
    """Write every table, the database and the manifest (with the extractor's ``quality``) into ``output``,
    atomically."""
    output = output.resolve()
    with output_lock(output):
        return _write_release(tables, output, sources, created_at, quality)


def _write_release(tables: Mapping[str, pd.DataFrame], output: Path, sources: list[dict],
                   created_at: dt.datetime | None, quality: dict | None) -> ReleaseInfo:
    prepare_target(output)
    created_at = created_at or build_time()
    # The pid in the name tells a later build whether this folder's build still runs (see remove_stale).
    building = Path(tempfile.mkdtemp(prefix=f".{output.name}.building-{os.getpid()}-", dir=output.parent))
    building.chmod(0o755)  # mkdtemp makes it private; a release is for sharing
    try:
        hashes: dict[str, str] = {}
        # One table at a time in Arrow (all of them at once took as much memory again as the tables), loaded
        # into DuckDB on the other core (it releases the GIL) while this thread writes its Parquet and CSV.
        with database(building) as con, ThreadPoolExecutor(1) as pool:
            for name, df in tables.items():
                arrow = {name: to_arrow(name, df)}
                stored = pool.submit(store_table, con, name, arrow[name])
                hashes.update(write_parquet(arrow, building))
                hashes.update({path.name: sha256_file(path) for path in write_csv(arrow, building)})
                stored.result()
        hashes.update(write_extras(building, tables, previous=output, hashes=hashes, released=created_at.date()))
        hashes[DATABASE] = sha256_file(building / DATABASE)
        document = manifest(tables, hashes, sources, created_at, quality)
        (building / MANIFEST).write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n",
                                         encoding="utf-8")
        replace_folder(building, output)
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
    return ReleaseInfo(output, document["release_version"], document["row_counts"], hashes)
