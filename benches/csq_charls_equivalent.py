"""What a Python user does with a FLIR CSQ, for the speed comparison in
benches/README.md (#28 goal 9): every frame's JPEG-LS stream decoded with
CharLS (the imagecodecs package), raw counts turned into °C with numpy
(FLIR's one-path atmosphere, every term, the file's parameters), and each
frame's min, max and mean. The parameters are read from `fevercheck inspect
--json` of the same file (their reading is not timed, in either tool).

Usage: python3 benches/csq_charls_equivalent.py FILE.csq INSPECT.json
Prints the time of the whole loop, best of five runs.
"""
import json
import sys
import time

import imagecodecs
import numpy as np

path, inspected = sys.argv[1], sys.argv[2]
r = json.load(open(inspected))["radiometry"]
p, a = r["planck"], r["atmosphere"]
data = open(path, "rb").read()

# Each frame's JPEG-LS stream starts with SOI + SOF55 (FF D8 FF F7).
starts = []
at = data.find(b"\xff\xd8\xff\xf7")
while at >= 0:
    starts.append(at)
    at = data.find(b"\xff\xd8\xff\xf7", at + 4)
ends = starts[1:] + [len(data)]


def blackbody(t):
    return p["r1"] / (p["r2"] * (np.exp(p["b"] / (t + 273.15)) - p["f"])) - p["o"]


def celsius(raw):
    ta, d, e = r["atmospheric_c"], r["distance_m"], r["emissivity"]
    h2o = r["relative_humidity"] * np.exp(1.5587 + 0.06939 * ta - 0.00027816 * ta**2 + 0.00000068455 * ta**3)
    tau = a["x"] * np.exp(-np.sqrt(d) * (a["alpha1"] + a["beta1"] * np.sqrt(h2o))) + (1 - a["x"]) * np.exp(
        -np.sqrt(d) * (a["alpha2"] + a["beta2"] * np.sqrt(h2o))
    )
    obj = raw / (e * tau) - (1 - tau) / (e * tau) * blackbody(ta) - (1 - e) / e * blackbody(r["reflected_c"])
    return p["b"] / np.log(p["r1"] / (p["r2"] * (obj + p["o"])) + p["f"]) - 273.15


best = float("inf")
for _ in range(int(sys.argv[3]) if len(sys.argv) > 3 else 5):
    start = time.perf_counter()
    stats = []
    for s, e in zip(starts, ends):
        raw = imagecodecs.jpegls_decode(data[s:e]).astype(np.float64)
        t = celsius(raw)
        stats.append((float(t.min()), float(t.max()), float(t.mean())))
    best = min(best, time.perf_counter() - start)
print(f"{len(stats)} frames in {best:.3f} s; frame 0 min/max/mean {stats[0]}")
