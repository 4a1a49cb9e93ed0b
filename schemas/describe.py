"""The release's tables described as plain data: keys, links, column types and what values they allow.

Read from the pandera models of :mod:`schemas.tables` and nothing else, so the
data dictionary (``docs/DATA_DICTIONARY.md``), the Frictionless
``datapackage.json`` and the release diff all say the same thing about a column.

Keys and links follow from the models and one naming rule of the project (the
same column name means the same thing in every table):

- a table's primary key is its one ``unique=True`` column, else its
  ``Config.unique`` columns; ``quarantine`` has none;
- a column bearing another table's one-column key (``doc_id``, ``actor_id``,
  ``event_id``) refers to the first table keyed by it (``document_texts.doc_id``
  to ``documents``), and so does any ``*_actor_id`` column to ``actors``.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandera.pandas as pa
import pyarrow

from schemas import vocabularies
from schemas.derive import arrow_type, columns
from schemas.tables import TABLE_MODELS


@dataclass(frozen=True)
class FieldInfo:
    """One column: its type, whether it may be empty, what it means and which values it allows."""

    name: str
    type: str  # string, integer, number, boolean, date, list<string>
    nullable: bool
    unique: bool
    description: str
    enum: tuple[str, ...] | None = None
    vocabulary: str | None = None  # name of the constant in schemas/vocabularies.py
    pattern: str | None = None
    minimum: float | None = None
    min_length: int | None = None
    max_length: int | None = None


@dataclass(frozen=True)
class ForeignKey:
    column: str
    table: str
    key: str


def _type_name(column: pa.Column) -> str:
    arrow = arrow_type(column)
    if pyarrow.types.is_date32(arrow):
        return "date"
    if pyarrow.types.is_list(arrow):
        return f"list<{_type_name_of(arrow.value_type)}>"
    return _type_name_of(arrow)


def _type_name_of(arrow: pyarrow.DataType) -> str:
    if pyarrow.types.is_string(arrow):
        return "string"
    if pyarrow.types.is_integer(arrow):
        return "integer"
    if pyarrow.types.is_floating(arrow):
        return "number"
    if pyarrow.types.is_boolean(arrow):
        return "boolean"
    raise ValueError(f"no type name for Arrow type {arrow}")


def vocabulary_name(values: tuple[str, ...]) -> str | None:
    """The name of the constant in :mod:`schemas.vocabularies` holding exactly these values."""
    for name in dir(vocabularies):
        if name.isupper() and tuple(getattr(vocabularies, name)) == tuple(values):
            return name
    return None


def field_info(name: str, column: pa.Column) -> FieldInfo:
    facts: dict = {}
    for check in column.checks:
        stats = check.statistics or {}
        if check.name == "isin":
            facts["enum"] = tuple(stats["allowed_values"])
            facts["vocabulary"] = vocabulary_name(facts["enum"])
        elif check.name == "str_matches":
            facts["pattern"] = stats["pattern"]
        elif check.name == "greater_than_or_equal_to":
            facts["minimum"] = stats["min_value"]
        elif check.name == "str_length":
            facts["min_length"] = stats.get("min_value")
            facts["max_length"] = stats.get("max_value")
    return FieldInfo(name=name, type=_type_name(column), nullable=bool(column.nullable),
                     unique=bool(column.unique), description=column.description or "", **facts)


def fields(table: str) -> list[FieldInfo]:
    """The table's columns, in declaration order."""
    return [field_info(name, column) for name, column in columns(table).items()]


def table_description(table: str) -> str:
    return (TABLE_MODELS[table].__doc__ or table).strip()


def primary_key(table: str) -> tuple[str, ...]:
    """The column(s) that identify a row; empty when the table has no key."""
    unique = [name for name, column in columns(table).items() if column.unique]
    if len(unique) == 1:
        return (unique[0],)
    composite = TABLE_MODELS[table].to_schema().unique
    return tuple(composite) if composite else ()


def row_key(table: str) -> tuple[str, ...]:
    """What tells two rows apart when comparing releases: the primary key, else every column."""
    return primary_key(table) or tuple(columns(table))


def foreign_keys(table: str) -> list[ForeignKey]:
    """The columns of ``table`` that name a row of another table (see the module docstring)."""
    keyed: dict[str, str] = {}
    for other in TABLE_MODELS:
        if len(primary_key(other)) == 1:
            keyed.setdefault(primary_key(other)[0], other)
    links = []
    for name in columns(table):
        target = keyed.get(name)
        if target is None and name.endswith("_actor_id"):
            target = "actors"
        if target is not None and target != table:
            links.append(ForeignKey(name, target, primary_key(target)[0]))
    return links
