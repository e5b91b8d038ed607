"""The same work as `fevercheck analyze` on a frame session, written with
numpy, for the speed comparison in benches/README.md: for every frame named
in readings.csv, load it, take the target ROI mean (the disk the simulator
draws at the centre, radius = shorter side / 6 × 0.7) and the whole-frame
statistics (min, max, mean, sd, NaN count) and a 0.01 °C histogram for the
median and p90. Usage: python3 benches/numpy_equivalent.py SESSION_DIR
"""
import csv
import sys
import time
from pathlib import Path

import numpy as np

session = Path(sys.argv[1])
start = time.perf_counter()
rows = list(csv.DictReader(open(session / "readings.csv")))
results = []
for row in rows:
    frame = np.load(session / row["frame"]).astype(np.float32)
    h, w = frame.shape
    yy, xx = np.mgrid[0:h, 0:w]
    r = min(w, h) / 6 * 0.7
    mask = (xx + 0.5 - w / 2) ** 2 + (yy + 0.5 - h / 2) ** 2 <= r * r
    target = frame[mask]
    valid = frame[~np.isnan(frame)].astype(np.float64)
    counts, edges = np.histogram(valid, bins=40000, range=(-80.0, 320.0))
    cumulative = np.cumsum(counts)
    median = edges[np.searchsorted(cumulative, 0.5 * valid.size)]
    p90 = edges[np.searchsorted(cumulative, 0.9 * valid.size)]
    results.append((float(target.mean()), valid.min(), valid.max(), valid.mean(), valid.std(ddof=1),
                    int(np.isnan(frame).sum()), median, p90))
elapsed = time.perf_counter() - start
print(f"{len(results)} frames in {elapsed:.2f} s ({len(results) / elapsed:.0f} frames/s)")
