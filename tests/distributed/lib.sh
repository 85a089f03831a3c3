# Helpers for the distributed tests (sourced). A script runs as:
#   bash SCRIPT PLEXUS_MPI_TRAIN MPIRUN WORKDIR [ARGS...]
set -euo pipefail

TRAIN=${1:?usage: $0 PLEXUS_MPI_TRAIN MPIRUN WORKDIR [ARGS...]}
MPIRUN=${2:?}
WORK=${3:?}
shift 3
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
rm -rf "$WORK"
mkdir -p "$WORK"
cd "$WORK"

# One GEMM thread per rank; ranks may outnumber cores; mpirun may run as root (CI containers).
export PLEXUS_NUM_THREADS=1 OMPI_MCA_rmaps_base_oversubscribe=1
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1

fail() {
    echo "FAIL: $*" >&2
    exit 1
}

# mpi2 [MCA ARGS...] -- PROGRAM ARGS: the program on 2 ranks.
mpi2() {
    local mca=()
    while [[ $1 != -- ]]; do mca+=("$1"); shift; done
    shift
    "$MPIRUN" --allow-run-as-root --oversubscribe "${mca[@]}" -np 2 "$@"
}

run_ok() {
    if ! "$@" >out.txt 2>err.txt; then
        cat out.txt err.txt >&2
        fail "$*: exited with a non-zero code"
    fi
}
