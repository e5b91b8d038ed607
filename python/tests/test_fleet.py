"""fevercheck.fleet: partial states of Arrow batches merge exactly, equal
the command line's reading of the same log, and are judged as it judges."""

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

import fevercheck
from conftest import cli_fleet_audit, screening_events

fleet = fevercheck.fleet


@pytest.fixture(scope="module")
def events():
    return screening_events(per_camera=5_000)


def test_states_of_any_split_merge_to_the_state_of_all(events):
    table = pa.Table.from_pandas(events, preserve_index=False)
    whole = fleet.partial(table)
    rng = np.random.default_rng(7)
    shuffled = table.take(rng.permutation(table.num_rows))
    cuts = np.sort(rng.choice(np.arange(1, table.num_rows), 30, replace=False))
    pieces = [shuffled.slice(a, b - a) for a, b in zip([0, *cuts], [*cuts, table.num_rows])]
    merged = fleet.merge(fleet.partial(piece) for piece in pieces)
    assert merged == whole
    assert sorted(whole) == [f"gate-{n:02d}" for n in range(1, 21)]


def test_a_batch_is_read_as_the_command_line_reads_the_same_log(events, fevercheck_cli, tmp_path):
    log = tmp_path / "log.csv"
    events.to_csv(log, index=False)
    states, notes = fleet.read_logs(log)
    assert notes == []
    assert fleet.partial(events) == states
    batch = pa.Table.from_pandas(events, preserve_index=False).combine_chunks().to_batches()[0]
    audit = fleet.judge(fleet.partial(batch))
    assert audit == cli_fleet_audit(fevercheck_cli, log, tmp_path / "audit")


def test_the_normalising_cameras_are_found_and_the_small_one_is_not_judged(events):
    audit = fleet.judge(fleet.partial(events))
    judged = {camera["camera"]: camera["state"] for camera in audit["cameras"]}
    assert judged.pop("gate-04") == "normalising"
    assert judged.pop("gate-08") == "normalising"
    assert judged.pop("gate-12") == "not_judged"
    assert set(judged.values()) == {"consistent"}
    assert audit["events"] == len(events)
    assert audit["schema_version"] == "1.0.0"


def test_times_units_and_types_are_read_as_a_log_gives_them(events):
    sample = events.head(2_000)
    expected = fleet.partial(sample)
    as_timestamps = sample.assign(time=pd.to_datetime(sample["time"]))
    assert fleet.partial(as_timestamps) == expected
    seconds = (pd.to_datetime(sample["time"]) - pd.Timestamp("1970-01-01")).dt.total_seconds()
    assert fleet.partial(sample.assign(time=seconds.astype("int64"))) == expected
    as_dictionary = pa.Table.from_pandas(sample.assign(camera=sample["camera"].astype("category")))
    assert fleet.partial(as_dictionary) == expected
    as_text_flags = sample.assign(alarm=np.where(sample["alarm"], "yes", "no"))
    assert fleet.partial(as_text_flags) == expected
    # 36.6 °C is 97.88 °F: the hundredth each reading falls in is the same.
    fahrenheit = sample.rename(columns={"temperature": "temperature_f"}).assign(
        temperature_f=sample["temperature"] * 1.8 + 32
    )
    assert fleet.partial(fahrenheit).keys() == expected.keys()
    celsius_audit = fleet.judge(expected)["cameras"]
    fahrenheit_audit = fleet.judge(fleet.partial(fahrenheit))["cameras"]
    assert [c["median_c"] for c in fahrenheit_audit] == [c["median_c"] for c in celsius_audit]


def test_sites_prefix_camera_names():
    table = pa.table({"site": ["LHR", None, "LHR"], "camera": ["g1", "g1", "g2"], "temperature": [36.5, 36.6, 36.7]})
    assert sorted(fleet.partial(table)) == ["LHR/g1", "LHR/g2", "g1"]


def test_events_without_a_temperature_are_left_out_and_said():
    table = pa.table({"camera": ["a", "a", "b"], "temperature": [36.5, None, 36.7]})
    with pytest.warns(UserWarning, match="1 event.s. without a reported temperature were left out"):
        states = fleet.partial(table)
    assert fleet.judge(states)["events"] == 2


def test_bad_batches_are_refused_with_the_column_and_the_event():
    with pytest.raises(fevercheck.FevercheckError, match="no column names the camera"):
        fleet.partial(pa.table({"who": ["a"], "temperature": [36.5]}))
    with pytest.raises(fevercheck.FevercheckError, match="no column holds the reported temperature"):
        fleet.partial(pa.table({"camera": ["a"], "value": [36.5]}))
    with pytest.raises(fevercheck.FevercheckError, match="event 1: time: expected a time"):
        fleet.partial(pa.table({"camera": ["a", "a"], "temperature": [36.5, 36.6], "time": ["2021-03-04 09:00", "soon"]}))
    with pytest.raises(fevercheck.FevercheckError, match="event 1: temperature is infinite"):
        fleet.partial(pa.table({"camera": ["a", "a"], "temperature": [36.5, float("inf")]}))
    with pytest.raises(fevercheck.FevercheckError, match="event 0: camera is missing"):
        fleet.partial(pa.table({"camera": [None, "a"], "temperature": [36.5, 36.6]}))
    with pytest.raises(fevercheck.FevercheckError, match="'temperature': expected numbers"):
        fleet.partial(pa.table({"camera": ["a"], "temperature": ["warm"]}))
    with pytest.raises(fevercheck.FevercheckError, match="event 0: alarm"):
        fleet.partial(pa.table({"camera": ["a"], "temperature": [36.5], "alarm": ["maybe"]}))
    with pytest.raises(fevercheck.FevercheckError):
        fleet.merge([{"a": b"not a state"}, {"a": b"nor this"}])
    with pytest.raises(fevercheck.FevercheckError, match="nothing to audit"):
        fleet.judge({})
