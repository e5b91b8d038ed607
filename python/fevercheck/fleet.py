"""Auditing a fleet of fever-screening cameras from their screening logs,
at any scale: the same mergeable per-camera state and the same judgement
as ``fevercheck fleet``, computed by the same Rust code.

A camera's *state* is a few kilobytes of integer counts (a 0.01 °C
histogram over 30–45 °C, events per hour, sums for the regression on the
room temperature, alarm counts). States of any split of the events merge
to exactly the state of all of them, so the audit of a log split over
threads, files, Spark partitions or Dask workers is the audit of the whole
log, bit for bit.

- :func:`partial` — the states of a batch of events (an Arrow record
  batch or table, or a pandas DataFrame), by camera name.
- :func:`merge` — partial states merged.
- :func:`judge` — the audit (``fleet.json``'s contents) of merged states.
- :func:`read_logs` — logs (CSV/TSV, JSON, Hikvision's XML or JSON
  events) read as the command line reads them.
- :func:`audit_spark`, :func:`audit_dask` — the whole audit of a Spark or
  Dask DataFrame, partial states per partition and a merge by camera.

Columns are found by name as the command line finds them (``camera``,
``temperature``/``temperature_c``/``temperature_f``, ``time``,
``ambient``, ``alarm``, ``threshold``, ``site`` and the vendors' names for
them, case, spaces, dashes and underscores ignored). A ``time`` column may
be an Arrow timestamp (its hour in its own time zone), seconds since 1970
(UTC) or text as in a log (the hour as written).
"""

import json
import warnings

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from . import _native

__all__ = ["audit_dask", "audit_spark", "judge", "merge", "partial", "read_logs"]

_STATES_SCHEMA = "camera string, state binary, left_out long"
"""The rows partial states travel in between a cluster's workers: a camera
and its state, or (camera null) the number of events of a partition left
out for want of a reported temperature."""


def partial(batch, unit="c"):
    """Each camera's state (bytes) of the events in ``batch``.

    ``batch`` is a ``pyarrow.RecordBatch`` or ``Table``, a pandas
    DataFrame, or anything ``pyarrow.table`` accepts. ``unit`` (``"c"`` or
    ``"f"``) is the unit of a temperature column whose name does not say
    (``temperature``). Events without a reported temperature are left out,
    with a warning saying how many.
    """
    states, left_out = _partial_counted(batch, unit)
    if left_out:
        warnings.warn(_left_out_note(left_out), stacklevel=2)
    return states


def merge(partials):
    """Partial states (an iterable of ``{camera: state}``) merged into one
    ``{camera: state}``."""
    grouped = {}
    for part in partials:
        for camera, state in part.items():
            grouped.setdefault(camera, []).append(bytes(state))
    return {
        camera: states[0] if len(states) == 1 else _native.fleet_merge(states)
        for camera, states in grouped.items()
    }


def judge(states, notes=()):
    """The audit of merged states ``{camera: state}``: the contents of the
    ``fleet.json`` the command line writes (``schema_version``, counts,
    every camera's judgement — ``consistent``, ``normalising`` or
    ``not_judged`` — with its indicators, their honest ranges and the
    evidence, and what a log cannot show)."""
    pairs = [(camera, bytes(state)) for camera, state in dict(states).items()]
    return json.loads(_native.fleet_judge(pairs, [str(n) for n in notes]))


def read_logs(paths, unit="c"):
    """Screening logs (CSV, TSV, JSON Lines or documents, Hikvision's XML
    or JSON event notifications) read as ``fevercheck fleet LOG…`` reads
    them: ``({camera: state}, notes)``, the notes saying which files left
    events out."""
    if isinstance(paths, (str, bytes)) or hasattr(paths, "__fspath__"):
        paths = [paths]
    return _native.fleet_read_logs(list(paths), unit)


def audit_spark(df, unit="c"):
    """The audit of a PySpark DataFrame of screening events.

    Each partition is reduced to its cameras' partial states by
    ``mapInArrow`` (the events never leave their partition); the states,
    a few kilobytes per camera and partition, are merged per camera by a
    group-by with ``applyInArrow``; the driver judges the merged states.
    Returns what :func:`judge` returns.
    """

    def partition_states(batches):
        parts = []
        left_out = 0
        for batch in batches:
            states, without = _partial_counted(batch, unit)
            parts.append(states)
            left_out += without
        yield _states_batch(merge(parts), left_out)

    def merge_camera(table):
        camera = table.column("camera")[0].as_py()
        if camera is None:
            merged = _states_batch({}, pc.sum(table.column("left_out")).as_py() or 0)
        else:
            states = table.column("state").to_pylist()
            merged = _states_batch({camera: _native.fleet_merge(states)}, 0)
        return pa.Table.from_batches([merged])

    merged = (
        df.mapInArrow(partition_states, _STATES_SCHEMA)
        .groupBy("camera")
        .applyInArrow(merge_camera, _STATES_SCHEMA)
        .collect()
    )
    states = {row.camera: bytes(row.state) for row in merged if row.camera is not None}
    left_out = sum(row.left_out for row in merged if row.camera is None)
    return _judge_left_out(states, left_out)


def audit_dask(ddf, unit="c", split_every=8):
    """The audit of a Dask DataFrame of screening events.

    Each partition is reduced to its cameras' partial states
    (``to_delayed`` partitions, one task each), then the states are merged
    in a tree of ``split_every`` states per task, so no task holds more
    than ``split_every`` partitions' states. Runs on the active scheduler
    (a ``distributed`` client if one is connected). Returns what
    :func:`judge` returns.
    """
    import dask

    level = [dask.delayed(_partial_counted)(part, unit) for part in ddf.to_delayed()]
    if not level:
        raise _native.FevercheckError("the DataFrame has no partition: nothing to audit")
    while len(level) > 1:
        level = [
            dask.delayed(_merge_counted)(level[i : i + split_every])
            for i in range(0, len(level), split_every)
        ]
    states, left_out = level[0].compute()
    return _judge_left_out(states, left_out)


def _left_out_note(left_out):
    return f"{left_out} event(s) without a reported temperature were left out"


def _judge_left_out(states, left_out):
    return judge(states, [_left_out_note(left_out)] if left_out else [])


def _merge_counted(parts):
    return merge(states for states, _ in parts), sum(left_out for _, left_out in parts)


def _states_batch(states, left_out):
    """The rows of ``_STATES_SCHEMA``: one per camera, and a row without a
    camera carrying ``left_out`` when events were left out."""
    cameras = list(states)
    extra = [None] if left_out else []
    rows = {
        "camera": cameras + extra,
        "state": [states[c] for c in cameras] + [b""] * len(extra),
        "left_out": [0] * len(cameras) + [left_out] * len(extra),
    }
    schema = pa.schema(
        [("camera", pa.string()), ("state", pa.binary()), ("left_out", pa.int64())]
    )
    return pa.RecordBatch.from_pydict(rows, schema=schema)


def _record_batches(data):
    if isinstance(data, pa.RecordBatch):
        return [data]
    if isinstance(data, pa.Table):
        return data.to_batches()
    if hasattr(data, "dtypes") and hasattr(data, "columns") and hasattr(data, "iloc"):
        return pa.Table.from_pandas(data, preserve_index=False).to_batches()
    return pa.table(data).to_batches()


def _partial_counted(data, unit):
    parts = []
    left_out = 0
    for batch in _record_batches(data):
        if batch.num_rows == 0:
            continue
        states, without = _batch_partial(batch, unit)
        parts.append(states)
        left_out += without
    return merge(parts), left_out


def _batch_partial(batch, unit):
    names = batch.schema.names
    columns = {}
    for index, role in enumerate(_native.fleet_column_roles(names)):
        if role is not None and role not in columns:
            columns[role] = (names[index], batch.column(index))
    camera_names, camera = _dictionary(columns["camera"], "camera")
    if "temperature_c" in columns:
        temperature, temperature_unit = columns["temperature_c"], "c"
    elif "temperature_f" in columns:
        temperature, temperature_unit = columns["temperature_f"], "f"
    else:
        temperature, temperature_unit = columns["temperature"], unit
    options = {}
    if "site" in columns:
        options["site_names"], options["site"] = _dictionary(columns["site"], "site")
    if "time" in columns:
        options["hour"] = _hours(columns["time"])
    if "ambient_c" in columns:
        options["ambient"] = _floats(columns["ambient_c"])
    elif "ambient_f" in columns:
        options["ambient"], options["ambient_unit"] = _floats(columns["ambient_f"]), "f"
    if "alarm" in columns:
        options["alarm"] = _flags(columns["alarm"])
    if "threshold" in columns:
        options["threshold"] = _floats(columns["threshold"])
    return _native.fleet_partial(
        camera_names, camera, _floats(temperature), temperature_unit, **options
    )


def _refused(name, message):
    return _native.FevercheckError(f"column {name!r}: {message}")


def _dictionary(column, role):
    """Distinct names (as text) and, per event, the index of its name
    (int32, -1 where missing)."""
    name, values = column
    if pa.types.is_dictionary(values.type):
        indices, dictionary = values.indices, values.dictionary
    else:
        if not (pa.types.is_string(values.type) or pa.types.is_large_string(values.type)):
            try:
                values = values.cast(pa.string())
            except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as error:
                raise _refused(name, f"expected names ({role}): {error}") from None
        encoded = pc.dictionary_encode(values)
        indices, dictionary = encoded.indices, encoded.dictionary
    texts = ["" if v is None else str(v) for v in dictionary.to_pylist()]
    indexes = pc.fill_null(indices.cast(pa.int32()), -1)
    return texts, np.ascontiguousarray(indexes.to_numpy(zero_copy_only=False), dtype=np.int32)


def _floats(column):
    """Numbers as float64, NaN where missing."""
    name, values = column
    try:
        values = values.cast(pa.float64())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as error:
        raise _refused(name, f"expected numbers: {error}") from None
    filled = pc.fill_null(values, float("nan"))
    return np.ascontiguousarray(filled.to_numpy(zero_copy_only=False), dtype=np.float64)


def _small(values):
    """int8 codes, -1 where missing."""
    filled = pc.fill_null(values, -1)
    return np.ascontiguousarray(filled.to_numpy(zero_copy_only=False), dtype=np.int8)


def _hours(column):
    """The hour of the day of each event, -1 where missing."""
    name, values = column
    kind = values.type
    if pa.types.is_timestamp(kind):
        return _small(pc.hour(values).cast(pa.int8()))
    if pa.types.is_integer(kind):
        seconds = values.cast(pa.int64())
        if pc.any(pc.less(seconds, 0)).as_py():
            raise _refused(name, "expected seconds since 1970, found a negative number")
        return _small(_hour_of_seconds(seconds))
    if pa.types.is_string(kind) or pa.types.is_large_string(kind):
        return np.frombuffer(_native.hours_of_times(values.to_pylist()), dtype=np.int8)
    raise _refused(name, f"expected times (timestamps, seconds since 1970 or text), found {kind}")


def _hour_of_seconds(seconds):
    """(seconds // 3600) % 24 of non-negative seconds, in UTC as a log's
    seconds-since-1970 cell is read."""
    hours = pc.divide(seconds, 3600)
    return pc.subtract(hours, pc.multiply(pc.divide(hours, 24), 24)).cast(pa.int8())


def _flags(column):
    """1 where the alarm was raised, 0 where not, -1 where missing."""
    name, values = column
    kind = values.type
    if pa.types.is_boolean(kind) or pa.types.is_integer(kind):
        return _small(values.cast(pa.int8()))
    if pa.types.is_string(kind) or pa.types.is_large_string(kind):
        return np.frombuffer(_native.alarm_flags(values.to_pylist()), dtype=np.int8)
    raise _refused(name, f"expected alarm flags (booleans, 1/0 or text), found {kind}")
