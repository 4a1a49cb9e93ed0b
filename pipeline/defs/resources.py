"""Configuration of a build, as a Dagster resource: where the sources are, where the release goes."""

from __future__ import annotations

from pathlib import Path

import dagster as dg

from pipeline.sources.ingest import CURATION_FILE

PROJECT_ROOT = Path(__file__).resolve().parents[2]


class ReleaseSettings(dg.ConfigurableResource):
    """Folders of a build. Relative paths are taken from the project root."""

    sources_dir: str = "seeds"
    output_dir: str = "output"
    strict: bool = False  # any schema failure fails the build instead of quarantining the row
    with_text: bool = True  # document_texts (the bodies) in the release; off for articles not to be redistributed
    # Seconds one document's extraction may take before it is set aside as `extraction_timeout` (news
    # articles take a few hundredths of a second; 0 for no limit).
    document_timeout: float = 30.0
    # The address of a Dask scheduler (``tcp://host:8786``) whose workers extract the documents instead of
    # this machine's worker processes (pipeline/defs/cluster.py); empty: this machine.
    dask_scheduler: str = ""
    # The reviewers' decisions (pipeline/release/curation.py); empty: `curation.yaml` at the sources folder's root.
    curation_file: str = ""
    # The feed schedule fetches from private and loopback addresses too (a feed server on the intranet).
    fetch_allow_private: bool = False

    def _resolve(self, folder: str) -> Path:
        path = Path(folder).expanduser()
        return path if path.is_absolute() else PROJECT_ROOT / path

    @property
    def sources_path(self) -> Path:
        return self._resolve(self.sources_dir)

    @property
    def curation_path(self) -> Path:
        return self._resolve(self.curation_file) if self.curation_file else self.sources_path / CURATION_FILE

    @property
    def output_path(self) -> Path:
        return self._resolve(self.output_dir)
