"""What a release carries beside its tables, for the projects that build on it.

``write_release`` calls :func:`write_extras` once the Parquet files are written
(while the database, with the views of :mod:`pipeline.release.views`, is written
beside it) and before ``release.json``, which then lists these files' checksums
too:

- ``datapackage.json``, the Frictionless Data Package descriptor (:mod:`pipeline.release.datapackage`);
- ``CHANGES.md``, the diff against the release the new one replaces, when there is one
  (:mod:`pipeline.release.diff`);
- ``index.html``, the overview page (:mod:`pipeline.release.overview`).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from pipeline.release.datapackage import data_package
from pipeline.release.diff import diff_releases, is_release, to_markdown
from pipeline.release.overview import overview_html

DATAPACKAGE = "datapackage.json"
OVERVIEW = "index.html"
CHANGES = "CHANGES.md"


def write_extras(folder: Path, tables: Mapping[str, pd.DataFrame], previous: Path | None,
                 released: dt.date) -> dict[str, str]:
    """Write the extras into the release being built in ``folder`` (its Parquet files written, its database
    perhaps still being written); returns file name -> sha256 of what was written.

    ``previous`` is the release the new one replaces (the output folder as it is), if any; ``released`` the
    day of the build, as in ``release.json``'s ``created_at``.
    """
    from pipeline.release import writer  # the writer calls this module

    parquet = {path.name: writer.sha256_file(path) for path in folder.glob("*.parquet")}
    version = f"{writer.SCHEMA_VERSION}+data.{writer.data_version(parquet)}"
    written = [DATAPACKAGE, OVERVIEW]
    if previous is not None and is_release(previous):
        (folder / CHANGES).write_text(to_markdown(diff_releases(previous, folder, version)), encoding="utf-8")
        written.append(CHANGES)
    descriptor = data_package(tables, version)
    (folder / DATAPACKAGE).write_text(json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n",
                                      encoding="utf-8")
    files = set(parquet) | {writer.DATABASE, writer.MANIFEST, *written} - {OVERVIEW}
    page = overview_html(tables, version, sorted(files), released)
    (folder / OVERVIEW).write_text(page, encoding="utf-8")
    return {name: writer.sha256_file(folder / name) for name in written}
