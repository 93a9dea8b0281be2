#!/usr/bin/env bash
# Queues the shard array and, once every shard has succeeded, the merge.
# Usage: SCENARIO=scenarios/pod-vs-individual.toml REPS=100000 deploy/slurm/submit.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
export SCENARIO=${SCENARIO:?set SCENARIO to the scenario file}
export REPS=${REPS:-100000} SEED=${SEED:-42} RESULTS=${RESULTS:-results} PODSIM=${PODSIM:-podsim}
mkdir -p "$RESULTS"
array=$(sbatch --parsable --export=ALL "$here/podsim-array.sbatch")
sbatch --dependency="afterok:${array%%;*}" --job-name=podsim-merge --export=ALL \
  --output=podsim-merge-%j.log \
  --wrap "\"$PODSIM\" merge \"$RESULTS\"/shard-* --out \"$RESULTS/merged\""
echo "queued shards as job $array; the merge writes $RESULTS/merged"
