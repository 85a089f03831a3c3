# A rank that dies (kill -9) or hangs (SIGSTOP) mid-run ends the whole job, with a
# message, within 30 s. A dead rank is noticed by mpirun itself; a stuck one by the
# other rank's collective timeout (PLEXUS_MPI_TIMEOUT, 5 s here), which aborts the job.
source "$(dirname "$0")/lib.sh"
mode=${1:?kill or stop}
mkdir pids
export PLEXUS_MPI_TIMEOUT=5
mpi2 -x PLEXUS_MPI_TIMEOUT -- "$TRAIN" --data moons --epochs 1000000 --pid-dir pids >out.txt 2>err.txt &
job=$!
for _ in $(seq 100); do [[ -s pids/rank-1.pid ]] && break; sleep 0.1; done
[[ -s pids/rank-1.pid ]] || fail "rank 1 did not start within 10 s"
sleep 1  # mid-run
victim=$(cat pids/rank-1.pid)
start=$(date +%s)
if [[ $mode == kill ]]; then kill -9 "$victim"; else kill -STOP "$victim"; fi
ended=0
for _ in $(seq 300); do
    if ! kill -0 "$job" 2>/dev/null; then ended=1; break; fi
    sleep 0.1
done
elapsed=$(($(date +%s) - start))
if ((!ended)); then
    kill -9 "$victim" 2>/dev/null || true
    kill "$job" 2>/dev/null || true
    fail "the job still runs 30 s after rank 1 was stopped ($mode)"
fi
rc=0
wait "$job" || rc=$?
cat err.txt
((rc != 0)) || fail "the job exited with 0 after rank 1 was stopped ($mode)"
if [[ $mode == kill ]]; then
    grep -Eq "exited on signal 9|did not complete within|has probably died" err.txt || fail "no message naming the dead rank"
else
    grep -q "did not complete within 5 s: another rank has died or hangs" err.txt || fail "no timeout message"
fi
echo "job ended ${elapsed} s after rank 1 was stopped ($mode), exit code $rc"
