"""What is derived from the pandera models: Arrow schemas, empty frames, validation.

The Parquet writer, the DuckDB database and the docs all ask this module, so a
column's type and meaning are stated only in :mod:`schemas.tables`.
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
import pyarrow

from schemas.tables import TABLE_MODELS

_ARROW_BY_DTYPE = {
    "str": pyarrow.string(),
    "int64": pyarrow.int64(),
    "Int64": pyarrow.int64(),
    "float64": pyarrow.float64(),
    "bool": pyarrow.bool_(),
}
_ARROW_BY_NAME = {"date32": pyarrow.date32(), "list<string>": pyarrow.list_(pyarrow.string())}


def columns(table: str) -> dict[str, pa.Column]:
    """The model's columns, in declaration order."""
    return dict(TABLE_MODELS[table].to_schema().columns)


def arrow_type(column: pa.Column) -> pyarrow.DataType:
    declared = (column.metadata or {}).get("arrow")
    if declared:
        return _ARROW_BY_NAME[declared]
    return _ARROW_BY_DTYPE[str(column.dtype)]


def arrow_schema(table: str) -> pyarrow.Schema:
    return pyarrow.schema(
        [pyarrow.field(name, arrow_type(col), nullable=bool(col.nullable)) for name, col in columns(table).items()]
    )


def empty_frame(table: str) -> pd.DataFrame:
    """A frame with the table's columns and no rows, already of the right dtypes."""
    return TABLE_MODELS[table].validate(pd.DataFrame({name: [] for name in columns(table)}))


def frame(table: str, rows: list[dict]) -> pd.DataFrame:
    """Rows as a frame with the table's columns, in the model's column order."""
    if not rows:
        return empty_frame(table)
    names = list(columns(table))
    return pd.DataFrame.from_records(rows, columns=names)


def validate(table: str, df: pd.DataFrame) -> pd.DataFrame:
    """Validate (and coerce) a frame against its model; raises ``SchemaErrors`` listing every failure."""
    return TABLE_MODELS[table].validate(df, lazy=True)


def to_arrow(table: str, df: pd.DataFrame) -> pyarrow.Table:
    """A validated frame as an Arrow table of the declared schema (dates as date32, lists as list<string>)."""
    schema = arrow_schema(table)
    arrays = []
    for field in schema:
        series = df[field.name]
        if pyarrow.types.is_date32(field.type):
            values = [None if pd.isna(v) else pd.Timestamp(v).date() for v in series]
        elif pyarrow.types.is_list(field.type):
            values = [list(v) for v in series]
        elif pyarrow.types.is_floating(field.type):
            values = [None if pd.isna(v) else float(v) for v in series]
        elif pyarrow.types.is_integer(field.type):
            values = [None if pd.isna(v) else int(v) for v in series]
        else:
            values = [None if (v is None or (isinstance(v, float) and pd.isna(v))) else v for v in series]
        arrays.append(pyarrow.array(values, type=field.type))
    return pyarrow.Table.from_arrays(arrays, schema=schema)
