#!/usr/bin/env bash
# Queues one submission: the shard array and a merge job that runs once every
# shard has succeeded (and is cancelled by Slurm if one fails). Everything the
# submission writes goes into its own folder, RESULTS/<submission>/:
#   submission.env       parameters and job ids (read by status.sh)
#   logs/shard-<i>.log   each shard's output; logs/merge.log the merge's
#   shard-<i>/           each shard's podsim output
#   merged/              the merged run (appears only when the merge succeeded)
# and RESULTS/latest points to the newest submission.
#
# Usage: SCENARIO=scenarios/pod-vs-individual.toml REPS=100000 deploy/slurm/submit.sh
# Parameters (environment), with defaults:
#   SCENARIO    scenario file (required); relative paths are from this directory
#   REPS        replications of the whole run            100000
#   SEED        random seed                              42
#   SHARDS      array tasks, one replication block each  16
#   CPUS        CPUs (podsim threads) per shard          1
#   MEM         memory per job, sbatch syntax (2G, 500M); empty: the partition's default   2G
#   TIME        time limit per shard, sbatch syntax      02:00:00
#   PARTITION   partition                                the cluster's default
#   RESULTS     folder of submissions, on a file system every node sees   results
#   SUBMISSION  name of the submission folder            UTC date-time, e.g. 20260131-142501
#   PODSIM      podsim binary every node can run         podsim (from PATH)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
SCENARIO=${SCENARIO:?set SCENARIO to the scenario file}
REPS=${REPS:-100000} SEED=${SEED:-42} SHARDS=${SHARDS:-16} CPUS=${CPUS:-1}
MEM=${MEM-2G} TIME=${TIME:-02:00:00} PARTITION=${PARTITION:-}
RESULTS=${RESULTS:-results} PODSIM=${PODSIM:-podsim}

die() { echo "submit.sh: $*" >&2; exit 2; }

# "2G" / "500M" / "2048" (megabytes, as sbatch reads a bare number) -> megabytes.
mem_mb() {
  local n=${1%[KkMmGgTt]} unit=${1##*[0-9]}
  [[ $n =~ ^[0-9]+$ ]] || return 1
  case $unit in
    K | k) echo $(((n + 1023) / 1024)) ;;
    "" | M | m) echo "$n" ;;
    G | g) echo $((n * 1024)) ;;
    T | t) echo $((n * 1024 * 1024)) ;;
    *) return 1 ;;
  esac
}

# Slurm time ("infinite", "minutes", "MM:SS", "HH:MM:SS", "D-HH", "D-HH:MM",
# "D-HH:MM:SS") -> seconds; infinite -> a very large number.
time_s() {
  local t=$1 d=0 h=0 m=0 s=0
  case $t in infinite | UNLIMITED | unlimited) echo 999999999; return ;; esac
  if [[ $t == *-* ]]; then
    d=${t%%-*} t=${t#*-}
    IFS=: read -r h m s <<<"$t"
  else
    local parts
    IFS=: read -r -a parts <<<"$t"
    case ${#parts[@]} in
      1) m=${parts[0]} ;;
      2) m=${parts[0]} s=${parts[1]} ;;
      3) h=${parts[0]} m=${parts[1]} s=${parts[2]} ;;
      *) return 1 ;;
    esac
  fi
  for v in "$d" "${h:-0}" "${m:-0}" "${s:-0}"; do [[ $v =~ ^[0-9]+$ ]] || return 1; done
  echo $(((10#$d * 24 + 10#${h:-0}) * 3600 + 10#${m:-0} * 60 + 10#${s:-0}))
}

if ! command -v sbatch >/dev/null || ! command -v sinfo >/dev/null; then die "no Slurm commands (sbatch, sinfo) on this machine"; fi
[ -f "$SCENARIO" ] || die "no scenario file $SCENARIO"
command -v "$PODSIM" >/dev/null || die "no podsim binary $PODSIM (set PODSIM to a path every node can run)"
[[ $REPS =~ ^[1-9][0-9]*$ ]] || die "REPS=$REPS: expected a positive whole number"
[[ $SHARDS =~ ^[1-9][0-9]*$ ]] || die "SHARDS=$SHARDS: expected a positive whole number"
[[ $CPUS =~ ^[1-9][0-9]*$ ]] || die "CPUS=$CPUS: expected a positive whole number"
[ "$SHARDS" -le "$REPS" ] || die "SHARDS=$SHARDS is more than the $REPS replications"
mem=0
if [ -n "$MEM" ]; then mem=$(mem_mb "$MEM") || die "MEM=$MEM: expected sbatch syntax such as 2G or 500M"; fi
[[ ${SUBMISSION:-x} =~ ^[A-Za-z0-9._-]+$ ]] || die "SUBMISSION=$SUBMISSION: expected a folder name (letters, digits, . _ -)"
time_limit=$(time_s "$TIME") || die "TIME=$TIME: expected sbatch syntax such as 02:00:00 or 1-00:00:00"

# Slurm accepts a job no node of its partition can ever run and leaves it
# pending forever (Reason=PartitionConfig, PartitionTimeLimit): check first.
if [ -z "$PARTITION" ]; then
  PARTITION=$(sinfo -h -o '%P' | sed -n 's/\*$//p' | head -n 1)
  [ -n "$PARTITION" ] || die "the cluster has no default partition; set PARTITION"
fi
nodes=$(sinfo -h -N -p "$PARTITION" -o '%c %m') || die "sinfo failed for partition $PARTITION"
[ -n "$nodes" ] || die "partition $PARTITION has no nodes (or does not exist; sinfo -s lists partitions)"
fits=$(awk -v c="$CPUS" -v m="$mem" '$1 >= c && $2 >= m { n++ } END { print n + 0 }' <<<"$nodes")
if [ "$fits" = 0 ]; then
  most=$(awk '$1 > c { c = $1 } $2 > m { m = $2 } END { print c " CPUs, " m " MB" }' <<<"$nodes")
  die "no node of partition $PARTITION has $CPUS CPUs (CPUS=$CPUS)${MEM:+ and $MEM of memory (MEM=$MEM)}; its largest: $most. Lower CPUS or MEM (MEM= takes the partition's default), or set PARTITION"
fi
max_time=$(sinfo -h -p "$PARTITION" -o '%l' | head -n 1)
if max_s=$(time_s "$max_time") && [ "$time_limit" -gt "$max_s" ]; then
  die "TIME=$TIME exceeds partition $PARTITION's limit of $max_time; lower TIME or set PARTITION"
fi

results=$RESULTS
mkdir -p "$results"
results=$(cd "$results" && pwd)
if [ -n "${SUBMISSION:-}" ]; then
  sub=$results/$SUBMISSION
  [ ! -e "$sub" ] || die "$sub exists; every submission needs a folder of its own"
  mkdir "$sub"
else
  stamp=$(date -u +%Y%m%d-%H%M%S) SUBMISSION=$stamp k=1
  # mkdir fails when the folder exists, so two submissions in one second still get one each.
  until mkdir "$results/$SUBMISSION" 2>/dev/null; do k=$((k + 1)) SUBMISSION=$stamp-$k; done
  sub=$results/$SUBMISSION
fi
mkdir "$sub/logs"
# Should queuing fail half-way, take back what was queued (held, so nothing
# ran) and the folder, so that no submission is left that never ran.
array=
undo() {
  [ -z "$array" ] || scancel "$array" 2>/dev/null || true
  rm -rf "$sub"
}
trap undo ERR

common=(--export=ALL --partition="$PARTITION")
[ -z "$MEM" ] || common+=(--mem="$MEM")
# Held until the merge is queued: a shard finishing (or failing) first would
# leave the merge's dependency already decided.
export SCENARIO REPS SEED PODSIM RESULTS=$sub
array=$(sbatch --parsable --hold "${common[@]}" --array="1-$SHARDS" --cpus-per-task="$CPUS" \
  --time="$TIME" --job-name=podsim-shard --output="$sub/logs/shard-%a.log" \
  "$here/podsim-array.sbatch")
array=${array%%;*}
merge_cmd=$(printf '%q ' "$PODSIM" merge)
for i in $(seq "$SHARDS"); do merge_cmd+=$(printf '%q ' "$sub/shard-$i"); done
merge_cmd+=$(printf -- '--out %q' "$sub/merged")
merge=$(sbatch --parsable "${common[@]}" --dependency="afterok:$array" --kill-on-invalid-dep=yes \
  --job-name=podsim-merge --output="$sub/logs/merge.log" --wrap "$merge_cmd")
merge=${merge%%;*}
{
  for v in SCENARIO REPS SEED SHARDS CPUS MEM TIME PARTITION PODSIM; do printf '%s=%q\n' "$v" "${!v}"; done
  printf 'ARRAY_JOB=%q\nMERGE_JOB=%q\nSUBMITTED=%q\n' "$array" "$merge" "$(date -u +%FT%TZ)"
} >"$sub/submission.env"
scontrol release "$array"
trap - ERR
ln -sfn "$SUBMISSION" "$results/latest"
# The layout before submission folders wrote RESULTS/merged; left there it
# would read as the result of this submission.
if [ -e "$results/merged" ]; then
  mv "$results/merged" "$results/merged.before-$SUBMISSION"
  echo "moved the old $results/merged to merged.before-$SUBMISSION"
fi

echo "queued submission $SUBMISSION in $sub"
echo "  shards: job array $array, $SHARDS tasks of $CPUS CPU(s) on partition $PARTITION; logs $sub/logs/shard-<i>.log"
echo "  merge:  job $merge, runs when every shard has succeeded; writes $sub/merged, log $sub/logs/merge.log"
echo "progress: $here/status.sh $sub   (--wait SECONDS to wait for the end)"
