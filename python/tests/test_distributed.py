"""The fleet audit on Spark (local[2]) and Dask (a LocalCluster of 2
workers): a log of 10⁶ events gives exactly the command line's fleet.json."""

import sys

import pandas as pd
import pytest

import fevercheck
from conftest import cli_fleet_audit, screening_events

EVENTS_PER_CAMERA = 52_625  # 19 × 52 625 + 300 = 1 000 175 events


@pytest.fixture(scope="module")
def million_event_log(tmp_path_factory, fevercheck_cli):
    folder = tmp_path_factory.mktemp("fleet")
    events = screening_events(per_camera=EVENTS_PER_CAMERA)
    assert len(events) >= 1_000_000
    log = folder / "screenings.csv"
    events.to_csv(log, index=False)
    return log, cli_fleet_audit(fevercheck_cli, log, folder / "audit")


def test_the_command_line_finds_the_two_normalising_cameras(million_event_log):
    _, expected = million_event_log
    assert expected["events"] >= 1_000_000
    assert expected["counts"] == {"consistent": 17, "normalising": 2, "not_judged": 1}


def test_spark_gives_the_command_lines_audit(million_event_log, monkeypatch):
    pyspark = pytest.importorskip("pyspark", reason="pyspark is installed by .ci/run")
    log, expected = million_event_log
    # Spark's Python workers run this interpreter, which has fevercheck.
    monkeypatch.setenv("PYSPARK_PYTHON", sys.executable)
    spark = (
        pyspark.sql.SparkSession.builder.master("local[2]")
        .appName("fevercheck-fleet-test")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .getOrCreate()
    )
    try:
        df = spark.read.csv(str(log), header=True, inferSchema=True).repartition(8)
        assert df.rdd.getNumPartitions() == 8
        assert fevercheck.fleet.audit_spark(df) == expected
        # An event without a temperature is left out and said, once.
        small = spark.createDataFrame(
            [("a", 36.5), ("a", None), ("b", 36.7)], "camera string, temperature double"
        ).repartition(2)
        audit = fevercheck.fleet.audit_spark(small)
        assert audit["events"] == 2
        assert audit["notes"] == ["1 event(s) without a reported temperature were left out"]
    finally:
        spark.stop()


def test_dask_gives_the_command_lines_audit(million_event_log):
    dd = pytest.importorskip("dask.dataframe", reason="dask is installed by .ci/run")
    distributed = pytest.importorskip("distributed", reason="distributed is installed by .ci/run")
    log, expected = million_event_log
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, dashboard_address=None, host="127.0.0.1"
    ) as cluster, distributed.Client(cluster):
        ddf = dd.read_csv(str(log), blocksize="4MB")
        assert ddf.npartitions >= 8
        assert fevercheck.fleet.audit_dask(ddf, split_every=3) == expected
        small = pd.DataFrame({"camera": ["a", "a", "b"], "temperature": [36.5, None, 36.7]})
        audit = fevercheck.fleet.audit_dask(dd.from_pandas(small, npartitions=2))
        assert audit["events"] == 2
        assert audit["notes"] == ["1 event(s) without a reported temperature were left out"]
