"""Shared fixtures of the Python package's tests: the repository's files,
and the command-line binary the package's results are compared with."""

import os
import pathlib
import subprocess

import pytest

REPOSITORY = pathlib.Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def repository():
    return REPOSITORY


@pytest.fixture(scope="session")
def fevercheck_cli():
    """The path of the `fevercheck` binary built from this checkout
    (FEVERCHECK_CLI, or target/debug/fevercheck, built when missing)."""
    given = os.environ.get("FEVERCHECK_CLI")
    if given:
        assert pathlib.Path(given).is_file(), f"FEVERCHECK_CLI={given} is not a file"
        return given
    subprocess.run(
        ["cargo", "build", "--quiet", "--bin", "fevercheck"], cwd=REPOSITORY, check=True
    )
    return str(REPOSITORY / "target" / "debug" / "fevercheck")


def screening_events(per_camera, seed=2021):
    """A fleet's screening log as a pandas DataFrame: 20 cameras; people's
    temperatures spread as an infrared camera reads faces (sd 0.5 °C, the
    FDA subjects' T_Max1 spread) with 2 % fevers, shown to 0.1 °C. Cameras
    gate-04 (readings compressed toward 36.8 °C, slope 0.3) and gate-08
    (clamped at 37.3 °C) normalise; gate-12 screened only 300 people."""
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(seed)
    frames = []
    for number in range(1, 21):
        camera = f"gate-{number:02d}"
        count = 300 if camera == "gate-12" else per_camera
        seen = rng.normal(36.6 + rng.normal(0, 0.2), 0.5, count)
        febrile = rng.random(count) < 0.02
        seen[febrile] = rng.uniform(38.0, 39.5, febrile.sum())
        if camera == "gate-04":
            seen = 36.8 + 0.3 * (seen - 36.8)
        if camera == "gate-08":
            seen = np.minimum(seen, 37.3)
        shown = np.round(seen, 1)
        seconds = rng.integers(6 * 3600, 22 * 3600, count) + 86400 * rng.integers(0, 28, count)
        frames.append(
            pd.DataFrame(
                {
                    "camera": camera,
                    "time": (pd.Timestamp("2021-03-01") + pd.to_timedelta(seconds, unit="s")).strftime(
                        "%Y-%m-%d %H:%M:%S"
                    ),
                    "temperature": shown,
                    "ambient": np.round(rng.uniform(18.0, 26.0, count), 1),
                    "alarm": shown >= 37.5,
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def cli_fleet_audit(cli, log, out):
    """fleet.json of `fevercheck fleet LOG --out OUT`."""
    import json

    done = subprocess.run([cli, "fleet", str(log), "--out", str(out), "-q"], capture_output=True, text=True)
    assert done.returncode in (0, 1), done.stderr
    return json.loads((out / "fleet.json").read_text())
