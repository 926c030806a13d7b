"""The SQL the rollups are written with where the ORM spent most of the time (bench/reports.py):
ids a chunk at a time, rows inserted as plain tuples, rows read by a join with a list of keys,
and differences added to rows in one UPDATE. Table and column names always come from the
model, never from input."""

from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any

from django.db import connection, models

from reports.models import METRICS

CHUNK = 900  # ids per IN (...) clause: under SQLite's old limit of 999 variables
# The figures held as decimals (money), not integers.
DECIMAL = ("charged",)


def id_chunks(ids: Iterable[int]) -> Iterator[list[int]]:
    """The ids in order, CHUNK at a time."""
    ids = sorted(ids)
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def rows_insert(
    model: type[models.Model], names: tuple[str, ...], rows: Iterable[tuple[Any, ...]]
) -> None:
    """Inserts plain tuples of the model's fields `names`: COPY on PostgreSQL, executemany
    elsewhere. bulk_create builds and prepares a model instance per row, which was most of a
    rebuild's time at 2,000 ambassadors (bench/reports.py: 280,000 rollup rows for two days)."""
    ops = connection.ops
    columns = {field.name: str(field.column) for field in model._meta.concrete_fields}
    # Table and column names come from the model, never from input.
    table = ops.quote_name(model._meta.db_table)
    quoted = ", ".join(ops.quote_name(columns[name]) for name in names)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        sql = f"INSERT INTO {table} ({quoted}) VALUES ({', '.join(['%s'] * len(names))})"  # noqa: S608
        batch: list[tuple[Any, ...]] = []
        for row in rows:
            batch.append(row)
            if len(batch) == 2000:
                cursor.executemany(sql, batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)


def rows_matching(
    model: type[models.Model],
    day: date | None,
    columns: tuple[str, ...],
    keys: Iterable[tuple[Any, ...]],
    fields: tuple[str, ...],
    among: tuple[str, tuple[Any, ...]] | None = None,
) -> list[tuple[Any, ...]]:
    """The `fields` of the rows (of `day`, with the column `among[0]` in `among[1]`) whose
    `columns` equal one of `keys`: a join with the keys, so a read follows the keys asked for,
    not every row of their people or items. A NULL in a key matches NULL."""
    ops = connection.ops
    table = ops.quote_name(model._meta.db_table)
    by_name = {str(f.attname): f for f in model._meta.concrete_fields}

    def column(name: str) -> str:
        return f"{table}.{ops.quote_name(str(by_name[name].column))}"

    def text(name: str) -> bool:
        return by_name[name].get_internal_type() == "CharField"

    same = " AND ".join(
        f"({column(name)} = v.column{n} OR ({column(name)} IS NULL AND v.column{n} IS NULL))"
        if by_name[name].null
        else f"{column(name)} = v.column{n}"
        for n, name in enumerate(columns, start=1)
    )
    conditions, fixed = [], []
    if day is not None:
        conditions.append(f"{column('day')} = %s")
        fixed.append(ops.adapt_datefield_value(day))
    if among is not None:
        conditions.append(f"{column(among[0])} IN ({', '.join(['%s'] * len(among[1]))})")
        fixed.extend(among[1])
    where = f" WHERE {' AND '.join(conditions)}" if conditions else ""
    selected = ", ".join(column(name) for name in fields)
    types = tuple("text" if text(name) else "bigint" for name in columns)
    # Raw rows come back as the driver gives them (SQLite: a decimal as a float); the ORM's
    # own converters make them the values a queryset would give (a Decimal).
    converters = []
    for index, name in enumerate(fields):
        expression = by_name[name].get_col(table)
        for function in ops.get_db_converters(expression):
            converters.append((index, function, expression))
    found: list[tuple[Any, ...]] = []
    with connection.cursor() as cursor:
        for source, params in _relation(types, sorted(keys, key=repr)):
            # Table and column names come from the model, never from input.
            sql = f"SELECT {selected} FROM {table} JOIN {source} ON {same}{where}"  # noqa: S608
            cursor.execute(sql, [*params, *fixed])
            for raw in cursor.fetchall():
                row = list(raw)
                for index, function, expression in converters:
                    row[index] = function(row[index], expression, connection)
                found.append(tuple(row))
    return found


def _relation(
    types: tuple[str, ...], rows: list[tuple[Any, ...]]
) -> Iterator[tuple[str, list[Any]]]:
    """The rows as a relation `v` (columns column1, column2, ...) to join with, and its
    parameters: on PostgreSQL one unnest() of an array per column (a parameter per row and
    column made psycopg spend longer splitting the statement than the server running it,
    bench/reports.py), elsewhere VALUES a chunk of rows at a time (typed by CAST)."""
    if not rows:
        return
    names = ", ".join(f"column{n}" for n in range(1, len(types) + 1))
    if connection.vendor == "postgresql":
        arrays = ", ".join(f"%s::{kind}[]" for kind in types)
        yield (
            f"unnest({arrays}) AS v({names})",
            [list(column) for column in zip(*rows, strict=True)],
        )
        return
    one = "(" + ", ".join(f"CAST(%s AS {kind})" for kind in types) + ")"
    for start in range(0, len(rows), CHUNK):
        chunk = rows[start : start + CHUNK]
        values = ", ".join([one] * len(chunk))
        yield f"(VALUES {values}) AS v", [part for row in chunk for part in row]


def rows_increment(
    model: type[models.Model], names: tuple[str, ...], rows: list[tuple[Any, ...]]
) -> None:
    """Adds to each row (its id first) the differences that follow, in the order of `names`:
    one UPDATE ... FROM the differences. A metric's None leaves the column as it is; a
    `reported` of 1 sets it."""
    ops = connection.ops
    table = ops.quote_name(model._meta.db_table)
    columns = {f.name: ops.quote_name(str(f.column)) for f in model._meta.concrete_fields}
    changes = []
    for n, name in enumerate(names, start=2):
        target, value = columns[name], f"v.column{n}"
        if name == "reported":
            changes.append(f"{target} = ({target} OR {value} = 1)")
        elif name in METRICS:
            changes.append(
                f"{target} = CASE WHEN {value} IS NULL THEN {target} "
                f"ELSE COALESCE({target}, 0) + {value} END"
            )
        else:
            changes.append(f"{target} = {target} + {value}")
    # The cost columns are decimal: a bigint would cut the cents off.
    types = ("bigint", *("numeric" if name in DECIMAL else "bigint" for name in names))
    with connection.cursor() as cursor:
        for source, params in _relation(types, rows):
            # Table and column names come from the model, never from input.
            sql = (
                f"UPDATE {table} SET {', '.join(changes)} FROM {source} "  # noqa: S608
                f"WHERE {table}.{columns['id']} = v.column1"
            )
            cursor.execute(sql, params)
