"""Storage of the per-file partitions: one pickle per partition, written and read many at a time.

Dagster's default IO manager stores one partition per run; a run over a range of
partitions (the single-run backfill of a whole folder) hands its output over as a
``{partition key: value}`` mapping, which this IO manager writes file by file. The
downstream corpus asset gets a mapping back for every partition that exists, which
loads a partition only when asked for it (:class:`StoredPartitions`): the corpus
keeps the rows of the partitions it has seen and loads only the new or changed ones.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import dagster as dg


class PartitionStore(dg.IOManager):
    def __init__(self, base: Path):
        self.base = base

    def path(self, asset_key: dg.AssetKey, partition: str) -> Path:
        # Hashed: a key is a relative path and may hold anything a file name can.
        name = hashlib.sha256(partition.encode("utf-8", errors="surrogatepass")).hexdigest()[:32]
        return self.base.joinpath(*asset_key.path, name[:2], f"{name}.pickle")

    def handle_output(self, context: dg.OutputContext, obj: dict[str, Any]) -> None:
        keys = context.asset_partition_keys
        missing = set(keys) - set(obj)
        if missing:
            raise ValueError(f"no value for partition(s) {sorted(missing)[:5]} of {context.asset_key}")
        for key in keys:
            path = self.path(context.asset_key, key)
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary = path.with_suffix(f".tmp-{os.getpid()}")
            temporary.write_bytes(pickle.dumps(obj[key], protocol=pickle.HIGHEST_PROTOCOL))
            os.replace(temporary, path)  # a killed run leaves the previous value, never half a file

    def load_input(self, context: dg.InputContext) -> StoredPartitions:
        asset_key = context.asset_key
        signatures, missing = {}, []
        for key in context.asset_partition_keys:
            try:
                info = self.path(asset_key, key).stat()
            except FileNotFoundError:
                missing.append(key)
                continue
            signatures[key] = f"{info.st_mtime_ns}:{info.st_size}"
        if missing:
            shown = ", ".join(repr(k) for k in missing[:10]) + (" ..." if len(missing) > 10 else "")
            raise dg.Failure(
                f"{len(missing)} partition(s) of {asset_key.to_user_string()} have never been materialised: "
                f"{shown}. Materialise them first (or all partitions: one run).",
                metadata={"missing partitions": len(missing)})
        return StoredPartitions(self, asset_key, signatures)


class StoredPartitions(Mapping[str, Any]):
    """The stored partitions of an asset, each unpickled when asked for.

    ``signatures`` change whenever a partition is stored again (its file's mtime and size), and
    ``cache`` is a folder beside the partitions where a consumer may keep what it derived from them.
    """

    def __init__(self, store: PartitionStore, asset_key: dg.AssetKey, signatures: dict[str, str]):
        self.store, self.asset_key, self.signatures = store, asset_key, signatures
        self.cache = store.base.joinpath(*asset_key.path, "derived")

    def __getitem__(self, key: str) -> Any:
        if key not in self.signatures:
            raise KeyError(key)
        return pickle.loads(self.store.path(self.asset_key, key).read_bytes())

    def __iter__(self) -> Iterator[str]:
        return iter(self.signatures)

    def __len__(self) -> int:
        return len(self.signatures)


class PartitionStoreIOManager(dg.ConfigurableIOManagerFactory):
    """Pickles per partition under ``base_dir``, by default the Dagster instance's storage folder."""

    base_dir: str | None = None

    def create_io_manager(self, context: dg.InitResourceContext) -> PartitionStore:
        base = Path(self.base_dir) if self.base_dir else Path(context.instance.storage_directory())
        return PartitionStore(base / "partitions")


class MemoryPartitionStore(PartitionStore):
    """The same mapping kept in this process's memory: for a build that is one in-process run and needs
    none of its partitions afterwards (the CLI's), writing and deleting thousands of pickles is waste."""

    def __init__(self) -> None:
        self.values: dict[tuple[dg.AssetKey, str], Any] = {}

    def handle_output(self, context: dg.OutputContext, obj: dict[str, Any]) -> None:
        for key in context.asset_partition_keys:
            self.values[(context.asset_key, key)] = obj[key]

    def load_input(self, context: dg.InputContext) -> HandedOver:
        keys = list(context.asset_partition_keys)
        missing = [key for key in keys if (context.asset_key, key) not in self.values]
        if missing:
            raise dg.Failure(f"{len(missing)} partition(s) of {context.asset_key.to_user_string()} were not "
                             f"materialised in this run: {missing[:10]}")
        return HandedOver({key: self.values.pop((context.asset_key, key)) for key in keys})


class HandedOver(Mapping[str, Any]):
    """Partitions handed over to the one step that reads them, each forgotten once read: the corpus turns
    them into rows one by one, and 10,000 extractions kept beside their rows would cost hundreds of MiB at
    the build's peak."""

    def __init__(self, values: dict[str, Any]):
        self.keys_, self.values = list(values), values

    def __getitem__(self, key: str) -> Any:
        if key not in self.values:
            raise KeyError(f"{key} (a partition handed over is read once)")
        return self.values.pop(key)

    def __iter__(self) -> Iterator[str]:
        return iter(self.keys_)

    def __len__(self) -> int:
        return len(self.keys_)


@dg.io_manager
def memory_partition_store() -> MemoryPartitionStore:
    """One store per run, shared by the steps of an in-process run."""
    return MemoryPartitionStore()
