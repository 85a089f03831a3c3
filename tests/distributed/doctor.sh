# The doctor under mpirun: `plexus train` on 2 ranks finds what 1 process finds (the same
# ids, evidence within 1e-5 relative): each rank's batch statistics (activation
# saturation, dead units, sampled rows) are reduced over the ranks, the gradient norms
# are those of the averaged gradients and the epoch logs the global ones. The cases
# make training findings fire: saturated sigmoid units (a large learning rate; also
# fit.underfitting) and dead relu units. Without the reduction both fail (measured:
# saturated_values 0.9465 vs 0.9432, dead_fraction 0.5625 vs 0.59375). Batch 25 gives
# shards of 12 and 13 rows and a short last batch.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
PLEXUS=$TRAIN
case_run() {  # case_run NAME EXPECTED_ID ARGS...: 1 process vs 2 ranks
    local name=$1 expected=$2
    shift 2
    run_ok "$PLEXUS" train "$@" --out "$name-one"
    run_ok mpi2 -- "$PLEXUS" train "$@" --out "$name-two"
    # Only rank 0 prints its summary and writes the run folder (the other ranks run with files off).
    [[ $(grep -c "wrote:" out.txt) == 1 && $(grep -c "findings:" out.txt) == 1 ]] ||
        fail "$name: expected rank 0's summary once; got $(grep -c 'wrote:' out.txt) 'wrote:' lines"
    python3 "$HERE/compare_findings.py" "$name-one/report.json" "$name-two/report.json" "$expected" ||
        fail "$name: the 2-rank doctor differs from the 1-process doctor"
}
COMMON=(--data moons --samples 400 --optimizer sgd --batch-size 25 --validation-split 0.2 --seed 7 --verbose 0)
case_run saturation model.saturation "${COMMON[@]}" --layers 32,32 --activation sigmoid --lr 5 --epochs 4
case_run dead model.dead_units "${COMMON[@]}" --layers 32,32 --activation relu --lr 3 --epochs 4
echo "doctor under mpirun: ok"
