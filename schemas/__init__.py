"""The release's tables, declared once.

Every contract table is one pandera ``DataFrameModel`` in :mod:`schemas.tables`;
the pyarrow schemas the Parquet files are written with, the DuckDB tables,
the data dictionary and the data-package metadata are all derived from those
models (:mod:`schemas.derive`), so a column is described in exactly one place.
"""

from schemas.tables import CONTRACT_TABLES, TABLE_MODELS, model_for

__all__ = ["CONTRACT_TABLES", "TABLE_MODELS", "model_for"]
