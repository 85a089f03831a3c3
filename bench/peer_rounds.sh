#!/usr/bin/env bash
# The same-round peer run of issue 11 (BENCHMARKS.md, sessions 7 and 8): the harness in
# ../shared/bench/peers with Plexus added three ways (the kernel loop, the kernel loop with the
# doctor, and `plexus train` from an installed tree) and the best OpenBLAS configurations of
# torch and scikit-learn (SkylakeX kernels, one and two threads).
#
#   cp -r ../shared/bench/peers /tmp/peers        # the harness writes results/ and data/ beside itself
#   cmake --install build --prefix /tmp/plexus-prefix
#   bench/peer_rounds.sh /tmp/peers                # REPS=5 by default; prints the results folder
#   ONLY=S REPS=7 bench/peer_rounds.sh /tmp/peers  # workload S alone (GEMM, S and M by default)
#
# Ratios from the raw RESULT lines: bench/same_round_ratios.py RESULTS_DIR (median and range over
# the rounds; BENCHMARKS.md quotes them).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
peers="${1:?usage: bench/peer_rounds.sh PEERS_DIR (a writable copy of ../shared/bench/peers)}"
prefix="${PLEXUS_PREFIX:-/tmp/plexus-prefix}"
build="${PLEXUS_BUILD:-$here/../build}"
P="$prefix/bin/plexus"
B="$build/bench/plexus_bench"
C="$here/plexus_train_contender.py"
for f in "$P" "$B" "$C" "$peers/run_all.sh"; do
  [ -e "$f" ] || { echo "peer_rounds.sh: $f not found; build, install (PLEXUS_PREFIX) and give the harness folder" >&2; exit 2; }
done
cd "$peers"
SKX="env -u OPENBLAS_L2_SIZE OPENBLAS_CORETYPE=SkylakeX MALLOC_MMAP_THRESHOLD_=33554432 MALLOC_TRIM_THRESHOLD_=1073741824"
export EXTRA_S="plexus=$B --workload S;plexus-doctor=$B --workload S --doctor;plexus-train=/usr/bin/python3 $C --workload S $P"
export EXTRA_M="plexus=$B --workload M --data $peers/data;plexus-train=/usr/bin/python3 $C --workload M $P --data $peers/data;torch-skx-1t=$SKX OPENBLAS_NUM_THREADS=1 /usr/bin/python3 torch/bench.py --workload M --threads 1;torch-skx=$SKX /usr/bin/python3 torch/bench.py --workload M;sklearn-skx=$SKX /usr/bin/python3 sklearn/bench.py --workload M"
PEERS="fann torch-tuned sklearn-tuned openblas plexus torch-skx sklearn-skx" REF_S=fann REF_M=torch-tuned REPS="${REPS:-5}" ONLY="${ONLY:-GEMM S M}" ./run_all.sh
