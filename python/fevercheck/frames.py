"""Radiometric camera files as numpy arrays: :func:`open` reads any file
``fevercheck inspect`` reads, with the same decode options."""

import json
import os
from dataclasses import dataclass

import numpy as np

from . import _native
from ._arguments import arguments


@dataclass(frozen=True)
class Frame:
    """One decoded frame."""

    index: int
    """0-based index of the frame in its file."""
    celsius: np.ndarray
    """Temperatures, °C, float32, shape (height, width); NaN where the file
    holds no valid value (and, by default, outside the camera's calibrated
    range: see the ``outside_range`` option)."""
    raw: "np.ndarray | None"
    """The sensor's raw counts (uint16, same shape), where the format has them."""
    meta: dict
    """What the file says of the frame: format, size, camera, time,
    radiometric parameters and Planck constants, limits, pixels outside
    the calibrated range."""


class ThermalFile:
    """An open camera file; frames are decoded when asked for.

    ``len(f)`` is the number of frames, ``f[i]`` (negative counts from the
    end) a :class:`Frame`, and iterating gives the frames in order.
    """

    def __init__(self, native, path):
        self._native = native
        self.path = path

    @property
    def format(self):
        """The format's short name (``flir_rjpeg``, ``flir_seq``, ``tiff`` …)."""
        return self._native.format

    def __len__(self):
        return self._native.frame_count

    def __getitem__(self, index):
        count = len(self)
        if index < 0:
            index += count
        if not 0 <= index < count:
            raise IndexError(f"frame {index} of a file of {count} frames")
        celsius, height, width, meta, raw = self._native.read(index)
        celsius = np.frombuffer(celsius, dtype=np.float32).reshape(height, width)
        if raw is not None:
            raw = np.frombuffer(raw, dtype=np.uint16).reshape(height, width)
        return Frame(index=index, celsius=celsius, raw=raw, meta=json.loads(meta))

    def __iter__(self):
        for index in range(len(self)):
            yield self[index]

    def meta(self, index=0):
        """The metadata of frame ``index``, decoding as little as the format allows."""
        return json.loads(self._native.meta(index))

    def frame_offsets(self):
        """The byte offset of each frame in the file, where frames have one."""
        return self._native.frame_offsets()

    def celsius(self):
        """Every frame's temperatures stacked: shape (frames, height, width)."""
        return np.stack([frame.celsius for frame in self])

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def __repr__(self):
        return f"<fevercheck.ThermalFile {self.path!r}: {self.format}, {len(self)} frame(s)>"


def open(path, **options):
    """Opens a radiometric camera file.

    ``options`` are ``fevercheck inspect``'s decode options with
    underscores for dashes: ``emissivity``, ``reflected``, ``atmospheric``,
    ``distance``, ``humidity``, ``atmosphere_model`` (``"flir"`` or
    ``"thermimage"``), ``outside_range`` (``"nan"``, ``"clip"``,
    ``"keep"``), ``scale``/``scale_factor``/``scale_offset``, ``kelvin``,
    ``manifest`` (a session.toml whose ``[radiometry]`` applies) and the
    size limits. A file fevercheck cannot read raises
    :class:`fevercheck.FevercheckError` saying what it is and what to
    export instead.
    """
    path = os.fspath(path)
    return ThermalFile(_native.open(path, arguments(options)), path)
