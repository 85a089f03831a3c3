# Crash-safe runs: kill -9 at several points, then --resume, ends bit for bit
# like the uninterrupted run; SIGINT saves the last finished epoch, says how to
# resume and exits 130; one writer per run folder; a previous run is replaced
# only with --overwrite, and then none of its pictures survive.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ARGS=(--data moons --samples 1500 --layers 32,32 --activation relu --epochs 300 --batch-size 16 --seed 5 --checkpoint-every 1 --verbose 0)

same_run() {  # same_run A B: identical history and identical predictions
    python3 - "$1/report.json" "$2/report.json" <<'PY' || fail "$2 differs from $1 after resuming"
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:])
assert a["history"] == b["history"], "history differs"
assert a["final"] == b["final"], "final metrics differ"
assert b["status"] == "completed", b["status"]
PY
    "$PLEXUS" predict --model "$1" --grid -2:3:9,-1.5:2:7 --out "$1.csv" >/dev/null 2>&1
    "$PLEXUS" predict --model "$2" --grid -2:3:9,-1.5:2:7 --out "$2.csv" >/dev/null 2>&1
    cmp -s "$1.csv" "$2.csv" || fail "$2: predictions differ from the uninterrupted run's"
}

wait_for_epoch() {  # wait_for_epoch DIR PID N: until DIR holds a checkpoint of epoch N or later (or the run ended)
    for _ in $(seq 1 1500); do
        [[ -f $1/model.plexus && -f $1/history.csv && $(($(wc -l <"$1/history.csv") - 1)) -ge $3 ]] && return 0
        kill -0 "$2" 2>/dev/null || return 0
        sleep 0.01
    done
}

run_ok train "${ARGS[@]}" --out full

# kill -9 at three points: each run resumes to the uninterrupted result.
for delay in 1 60 170; do
    "$PLEXUS" train "${ARGS[@]}" --out "k$delay" >/dev/null 2>&1 &
    pid=$!
    wait_for_epoch "k$delay" $pid "$delay"
    kill -0 $pid 2>/dev/null || fail "k$delay: the run ended before the kill (make it longer)"
    kill -9 $pid 2>/dev/null || true
    wait $pid 2>/dev/null || true
    [[ -f k$delay/model.plexus ]] || fail "k$delay: no checkpoint after kill -9"
    ls k$delay/*.tmp-* >/dev/null 2>&1 && echo "note: k$delay holds a temporary from the killed write (removed on resume)"
    run_ok train --resume "k$delay" --epochs 300 --verbose 0
    ls k$delay/*.tmp-* >/dev/null 2>&1 && fail "k$delay: orphan temporary survived the resume"
    [[ -f k$delay/.plexus.lock ]] && fail "k$delay: lock left behind"
    same_run full "k$delay"
done

# SIGINT: finishes the batch, saves the last finished epoch, says how to resume, exits 130.
"$PLEXUS" train "${ARGS[@]}" --out int >out.txt 2>err.txt &
pid=$!
wait_for_epoch int $pid 20
kill -INT $pid
rc=0
wait $pid || rc=$?
[[ $rc == 130 ]] || fail "SIGINT: exit code $rc, expected 130: $(cat err.txt)"
grep -q 'interrupted by SIGINT after epoch' err.txt || fail "SIGINT: no message: $(cat err.txt)"
grep -q -- '--resume int' err.txt || fail "SIGINT: does not say how to resume: $(cat err.txt)"
json_check int/report.json 'r["status"] == "interrupted" and len(r["history"]["epoch"]) == r["epochs"]["completed"]'
run_ok train --resume int --epochs 300 --verbose 0
same_run full int

# One writer per folder: a live lock refuses, a stale one is taken over.
mkdir -p locked && echo $$ >locked/.plexus.lock
expect_error 'another plexus run|pid' '' train --data moons --epochs 1 --out locked
echo 999999 >locked/.plexus.lock
run_ok train --data moons --epochs 1 --verbose 0 --out locked
[[ -f locked/model.plexus && ! -f locked/.plexus.lock ]] || fail "a stale lock was not taken over"

# A previous run is replaced only with --overwrite, and its pictures go with it.
expect_error 'previous run|--overwrite' '' train --data moons --epochs 1 --out locked
# ... and refused before the data is read (a missing file would be the other error).
expect_error 'previous run|--out locked' '' train --data missing.csv --epochs 1 --out locked
# A folder this run created is gone again when the data cannot be read.
expect_error 'missing.csv|no such file' fresh train --data missing.csv --epochs 1 --out fresh
touch locked/boundary.png locked/notes.txt
run_ok train --data circles --epochs 1 --verbose 0 --out locked --overwrite
[[ ! -e locked/boundary.png ]] || fail "--overwrite kept the previous run's picture"
[[ -e locked/notes.txt ]] || fail "--overwrite removed a file no run wrote"
json_check locked/report.json 'r["data"]["source"] == "circles"'
echo "crash safety: ok"
