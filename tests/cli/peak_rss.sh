# The memory bound of issue 11: the peak RSS of a `plexus train` run is at most
# the data's size + 4x the parameter bytes + 64 MB. On a generated NPY file of
# 300000 x 50 float32 (60 MB), a small network, one epoch, no validation split
# (the issue's command): the features are read into the Dataset once and fit
# gathers its batches from them (no copy of the inputs, of the training part or
# for the final evaluation). The child's ru_maxrss is read with Python's resource
# module (Debian's /usr/bin/python3, which has numpy).
#
# A second run holds what a split costs per row: 2,000,000 x 4 float32 (31 MB) with
# the default stratified 20% validation split, where the row lists, labels and the
# doctor's pre-flight weigh more than the features. It stays under the data's size +
# 64 MB only with one copy of the split in 32-bit row numbers, labels read from y and
# the pre-flight reading its rows in place (82 MiB measured against a 94.5 MiB bound;
# session 6's build peaked at 237 MiB on the same run).
source "$(dirname "$0")/lib.sh"
PY=/usr/bin/python3
$PY -c 'import numpy' 2>/dev/null || { echo "skipped: /usr/bin/python3 has no numpy"; exit 77; }

$PY - <<'PY'
import numpy as np
rng = np.random.default_rng(11)
x = rng.standard_normal((300000, 50), dtype=np.float32)
y = (x[:, :5].sum(axis=1) > 0).astype(np.uint8)
np.save("x.npy", x)
np.save("y.npy", y)
x2 = rng.standard_normal((2000000, 4), dtype=np.float32)
np.save("x2.npy", x2)
np.save("y2.npy", (x2[:, 0] + 0.5 * x2[:, 1] > 0).astype(np.uint8))
PY

$PY - "$PLEXUS" <<'PY' || fail "peak RSS over the bound"
import json, os, resource, subprocess, sys
cmd = [sys.argv[1], "train", "--data", "x.npy", "--labels", "y.npy", "--layers", "32", "--epochs", "1",
       "--batch-size", "256", "--validation-split", "0", "--out", "run", "--verbose", "0"]
subprocess.run(cmd, check=True)
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024  # Linux: kilobytes
report = json.load(open("run/report.json"))
params = report["model"]["parameters"]
data = 300000 * 50 * 4
bound = data + 4 * params * 4 + 64 * 2**20
print(f"peak RSS {peak / 2**20:.1f} MiB; data {data / 2**20:.1f} MiB, {params} parameters; bound {bound / 2**20:.1f} MiB")
sys.exit(0 if peak <= bound else 1)
PY

$PY - "$PLEXUS" <<'PY' || fail "peak RSS over the bound with a validation split"
import json, resource, subprocess, sys
cmd = [sys.argv[1], "train", "--data", "x2.npy", "--labels", "y2.npy", "--layers", "8", "--epochs", "1",
       "--batch-size", "256", "--out", "run2", "--verbose", "0"]
subprocess.run(cmd, check=True)
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024  # the largest child so far
report = json.load(open("run2/report.json"))
assert report["split"]["validation_rows"] == 400000, report["split"]
data = 2000000 * 4 * 4
bound = data + 4 * report["model"]["parameters"] * 4 + 64 * 2**20
print(f"with a split: peak RSS {peak / 2**20:.1f} MiB; data {data / 2**20:.1f} MiB; bound {bound / 2**20:.1f} MiB")
sys.exit(0 if peak <= bound else 1)
PY
echo ok
