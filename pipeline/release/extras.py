"""What a release carries beside its tables, for the projects that build on it.

``write_release`` calls :func:`write_extras` once the Parquet and CSV files are written
(while the database, with the views of :mod:`pipeline.release.views`, is written
beside it) and before ``release.json``, which then lists these files' checksums
too:

- ``datapackage.json``, the Frictionless Data Package descriptor (:mod:`pipeline.release.datapackage`);
- ``CHANGES.md``, the diff against the release the new one replaces, when there is one
  (:mod:`pipeline.release.diff`);
- ``index.html``, the overview page (:mod:`pipeline.release.overview`);
- ``DATA_DICTIONARY.md``, the data dictionary (:mod:`pipeline.release.dictionary`), so a copy of the
  release says what its columns mean without this repository.
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
DICTIONARY = "DATA_DICTIONARY.md"


def write_extras(folder: Path, tables: Mapping[str, pd.DataFrame], previous: Path | None,
                 hashes: Mapping[str, str], released: dt.date) -> dict[str, str]:
    """Write the extras into the release being built in ``folder`` (its Parquet and CSV files written, their
    ``hashes`` file name -> sha256, its database perhaps still being written); returns file name -> sha256
    of what was written.

    ``previous`` is the release the new one replaces (the output folder as it is), if any; ``released`` the
    day of the build, as in ``release.json``'s ``created_at``.
    """
    from pipeline.release import writer  # the writer calls this module
    from pipeline.release.dictionary import render_dictionary  # which imports the writer too

    version = f"{writer.SCHEMA_VERSION}+data.{writer.data_version(hashes)}"
    written = [DATAPACKAGE, OVERVIEW, DICTIONARY]
    (folder / DICTIONARY).write_text(render_dictionary(), encoding="utf-8")
    if previous is not None and is_release(previous):
        (folder / CHANGES).write_text(to_markdown(diff_releases(previous, folder, version)), encoding="utf-8")
        written.append(CHANGES)
    descriptor = data_package(tables, version, folder, hashes)
    (folder / DATAPACKAGE).write_text(json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n",
                                      encoding="utf-8")
    files = set(hashes) | {writer.DATABASE, writer.MANIFEST, *written} - {OVERVIEW}
    page = overview_html(tables, version, sorted(files), released)
    (folder / OVERVIEW).write_text(page, encoding="utf-8")
    return {name: writer.sha256_file(folder / name) for name in written}
