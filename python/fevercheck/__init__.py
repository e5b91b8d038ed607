"""fevercheck from Python: the same analysis, camera readers and fleet audit
as the command line, computed by the same Rust code (the extension module
``fevercheck._native``).

- :func:`analyze` returns the report ``fevercheck analyze`` writes
  (report.json) as a dict.
- :func:`open` reads a radiometric camera file (FLIR R-JPEG, SEQ, CSQ, …)
  and gives its frames as numpy arrays in °C with their metadata.
- :mod:`fevercheck.fleet` audits a fleet from its screening logs: per-camera
  partial states over Arrow record batches, their merge and the judgement,
  and the same audit on Spark (:func:`fevercheck.fleet.audit_spark`) or
  Dask (:func:`fevercheck.fleet.audit_dask`).

Every error fevercheck raises is a :class:`FevercheckError` (a
``ValueError``) whose message names the file and the place, as the command
line's does.
"""

import json as _json
import os as _os

from . import _native
from ._arguments import arguments as _arguments
from .frames import Frame, ThermalFile, open
from . import fleet

FevercheckError = _native.FevercheckError
__version__ = _native.__version__

__all__ = ["FevercheckError", "Frame", "ThermalFile", "analyze", "fleet", "open"]


def analyze(path, **options):
    """The report of a session (a folder, or a readings file), as a dict.

    ``path`` is what ``fevercheck analyze`` takes; ``options`` are its
    options with underscores for dashes (``reference="Blackbody"``,
    ``fahrenheit=True``, ``emissivity=0.98``, ``stated_accuracy=0.3``): a
    true value gives a flag, a list repeats the option, None or False
    leaves it out. The dict equals the report.json the command line writes
    for the same session and options, except ``tool.command_line``, which
    is None. Nothing is written unless ``out`` names a folder: the report's
    files (report.json, report.html, report.md, plots/) are then written
    there as ``fevercheck analyze --out`` writes them, under the same rules
    (a folder holding files fevercheck did not write, or an input, is
    refused; ``force=True`` as ``--force``).
    """
    text = _native.analyze([_os.fspath(path), *_arguments(options)])
    return _json.loads(text)
