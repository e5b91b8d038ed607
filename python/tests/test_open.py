"""fevercheck.open gives a camera file's frames as numpy arrays, with the
values computed outside the project (fixtures/real/truth.json)."""

import json

import numpy as np
import pytest

import fevercheck

# truth.json's tolerances (its "_about"): a pixel 0.001 °C, a statistic 0.01 °C.
PIXEL_C = 0.001
STATISTIC_C = 0.01


def truth(repository):
    return json.loads((repository / "fixtures" / "real" / "truth.json").read_text())["files"]


def test_every_camera_file_fixture_has_its_known_values(repository):
    checked = []
    for name, entry in truth(repository).items():
        if not isinstance(entry.get("celsius"), dict):
            continue  # not a camera file (the FDA readings)
        # "model": whose formula computed the truth's temperatures.
        models = {"thermimage": "thermimage", "flir_tools": "flir"}
        options = {"atmosphere_model": models[entry["model"]]} if "model" in entry else {}
        with fevercheck.open(repository / "fixtures" / "real" / name, **options) as camera:
            assert len(camera) >= 1
            frame = camera[0]
        height, width = frame.celsius.shape
        size = (entry.get("width", entry.get("columns")), entry.get("height", entry.get("rows")))
        assert (width, height) == size, name
        assert frame.celsius.dtype == np.float32
        celsius = entry["celsius"]
        pixels = {"at_centre": (height // 2, width // 2), "at_0_0": (0, 0), "at_5_70": (5, 70)}
        for key, (row, column) in pixels.items():
            if key in celsius:
                assert abs(frame.celsius[row, column] - celsius[key]) <= PIXEL_C, (name, key)
        statistics = {"min": np.nanmin, "max": np.nanmax, "mean": np.nanmean}
        for key, statistic in statistics.items():
            if key in celsius:
                assert abs(statistic(frame.celsius) - celsius[key]) <= STATISTIC_C, (name, key)
        if "raw" in entry:
            assert frame.raw.dtype == np.uint16
            assert frame.raw[height // 2, width // 2] == entry["raw"]["at_centre"], name
            assert frame.raw.min() == entry["raw"]["min"], name
            assert frame.raw.max() == entry["raw"]["max"], name
        # "*": the file names no model.
        if entry.get("camera_model", "*") != "*":
            assert (frame.meta["camera"]["model"] or "") == entry["camera_model"], name
        checked.append(name)
    assert len(checked) >= 8, checked


def test_frames_iterate_index_and_stack(repository):
    camera = fevercheck.open(repository / "fixtures" / "real" / "flir_e40.jpg")
    assert camera.format == "flir_rjpeg"
    assert [frame.index for frame in camera] == [0]
    assert camera[-1].index == 0
    with pytest.raises(IndexError):
        camera[1]
    assert camera.celsius().shape == (1, 120, 160)
    assert camera.meta(0)["width"] == 160
    assert "flir_rjpeg" in repr(camera)


def test_decode_options_change_the_temperatures(repository):
    path = repository / "fixtures" / "real" / "flir_e40.jpg"
    default = fevercheck.open(path)[0].celsius
    darker = fevercheck.open(path, emissivity=0.5)[0].celsius
    assert fevercheck.open(path, emissivity=0.5)[0].meta["radiometry"]["emissivity"] == 0.5
    assert not np.allclose(default, darker)


def test_files_fevercheck_cannot_read_are_refused_with_what_they_are(repository, tmp_path):
    with pytest.raises(fevercheck.FevercheckError, match="No such file"):
        fevercheck.open(tmp_path / "missing.jpg")
    text = tmp_path / "notes.jpg"
    text.write_text("not an image")
    with pytest.raises(fevercheck.FevercheckError):
        fevercheck.open(text)
    with pytest.raises(fevercheck.FevercheckError, match="--emissivity must be"):
        fevercheck.open(repository / "fixtures" / "real" / "flir_e40.jpg", emissivity=2)
