"""The baseline of benches/README.md's "A million readings" (#28 goal 10):
numpy's loadtxt of a readings.csv's reference and reported columns, then
the mean and sd of the errors and an ordinary least-squares line of the
readings on the references. Usage:
python3 benches/readings_numpy_equivalent.py SESSION/readings.csv
Prints the whole script's time from its start (imports included).
"""
import time

start = time.perf_counter()
import sys  # noqa: E402

import numpy as np  # noqa: E402

table = np.loadtxt(sys.argv[1], delimiter=",", skiprows=1, usecols=(1, 2))
reference, reported = table[:, 0], table[:, 1]
error = reported - reference
slope, intercept = np.polyfit(reference, reported, 1)
print(
    f"{len(error)} readings: mean error {error.mean():.4f}, sd {error.std(ddof=1):.4f}, "
    f"slope {slope:.4f}, intercept {intercept:.3f}; {time.perf_counter() - start:.2f} s"
)
