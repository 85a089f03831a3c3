#!/bin/bash
# The training doctor's cost on workload S: runs `plexus_bench --workload S` without and with
# `--doctor`, alternating (so that the machine's load hits both alike), N pairs (default 21),
# and prints each pair's train_s and the median and range of the with/without ratio.
#   bench/doctor_cost.sh [build/bench/plexus_bench] [pairs]
set -euo pipefail
bench=${1:-build/bench/plexus_bench}
pairs=${2:-21}
train_s() { "$bench" --workload S "$@" | sed -n 's/.*"train_s":\([0-9.e-]*\).*/\1/p'; }
ratios=()
for ((i = 1; i <= pairs; i++)); do
    if ((i % 2)); then off=$(train_s); on=$(train_s --doctor); else on=$(train_s --doctor); off=$(train_s); fi
    r=$(awk -v a="$on" -v b="$off" 'BEGIN { printf "%.3f", a / b }')
    echo "pair $i: without ${off} s, with ${on} s, ratio $r"
    ratios+=("$r")
done
printf '%s\n' "${ratios[@]}" | sort -g | awk '{ v[NR] = $1 } END {
    m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
    printf "doctor on / off, train_s, %d alternating pairs: median %.2f, range %.2f-%.2f\n", NR, m, v[1], v[NR] }'
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
