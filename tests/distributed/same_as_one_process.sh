# A 2-rank run equals a 1-process run with the same seed and global batch (history and
# predictions within 1e-5 relative after 3 epochs), and two 2-rank runs are bit-identical.
# $1: the transport: vader (shared memory, Open MPI's default) or tcp (loopback).
source "$(dirname "$0")/lib.sh"
case ${1:?vader or tcp} in
    vader) mca=(--mca pml ob1 --mca btl self,vader) ;;
    tcp) mca=(--mca pml ob1 --mca btl self,tcp --mca btl_tcp_if_include lo) ;;
    *) fail "unknown transport $1" ;;
esac
# SGD, not Adam: Adam's steps hardly change when the gradients are scaled, so a wrong
# averaging weight would go unnoticed. Batch 25 over 2 ranks: shards of 12 and 13 rows, and a short last batch (320 training rows).
args=(--data moons --samples 400 --layers 16,16 --activation tanh --optimizer sgd --lr 0.1 --epochs 3
      --batch-size 25 --validation-split 0.2 --seed 7)
run_ok "$TRAIN" "${args[@]}" --out one.json
run_ok mpi2 "${mca[@]}" -- "$TRAIN" "${args[@]}" --out two_a.json
run_ok mpi2 "${mca[@]}" -- "$TRAIN" "${args[@]}" --out two_b.json
python3 "$HERE/compare.py" one.json two_a.json two_b.json
