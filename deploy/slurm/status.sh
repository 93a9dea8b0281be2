#!/usr/bin/env bash
# Says where a submission made by submit.sh stands: each shard (done, pending
# and why, running, or failed with its log), then the merge.
# Usage: deploy/slurm/status.sh [--wait SECONDS] RESULTS/<submission>
# (RESULTS/latest is the newest submission.) With --wait, polls until the
# submission has finished or failed, for at most SECONDS.
# Exit status: 0 merged, 1 a shard or the merge failed, 3 still in progress
# (or --wait ran out of time), 2 usage.
set -euo pipefail
wait_s=
if [ "${1:-}" = --wait ]; then wait_s=${2:?--wait needs a number of seconds}; shift 2; fi
[ $# = 1 ] || { echo "usage: $0 [--wait SECONDS] RESULTS/<submission>" >&2; exit 2; }
sub=$(cd "$1" && pwd -P) || exit 2
[ -f "$sub/submission.env" ] || { echo "$sub has no submission.env: not a folder made by submit.sh" >&2; exit 2; }
# shellcheck disable=SC1091
. "$sub/submission.env"

# Prints "<array task or job id> <state> <reason>" for the podsim jobs Slurm
# still knows (finished ones stay for MinJobAge, 5 minutes by default). Not
# `-j ids`: squeue fails on ids it no longer knows, which is no error here.
# "Slurm state X", or what it means that Slurm no longer lists the job.
describe_state() { if [ -n "$1" ]; then echo "Slurm state $1"; else echo "no output, no longer known to Slurm"; fi; }
queue() { squeue -h -r -t all --name=podsim-shard,podsim-merge -o '%i %T %r' 2>/dev/null; }

active='^(PENDING|CONFIGURING|RUNNING|COMPLETING|REQUEUED|RESIZING|SUSPENDED)$'

# Sets `report` (the lines to print) and `outcome` (merged, failed or running).
check() {
  local q i state reason line known=1 failed=0
  q=$(queue) || known=0
  report="submission $sub: $SHARDS shards of $REPS replications of $SCENARIO"$'\n'
  for i in $(seq "$SHARDS"); do
    line=$(awk -v id="${ARRAY_JOB}_$i" '$1 == id' <<<"$q")
    state=$(awk '{ print $2 }' <<<"$line") reason=$(awk '{ $1 = $2 = ""; sub(/^ +/, ""); if ($0 != "None") print }' <<<"$line")
    if [[ $state =~ $active ]]; then
      report+="shard $i/$SHARDS: ${state,,}${reason:+ ($reason)}"$'\n'
    elif [ -f "$sub/shard-$i/run.json" ]; then
      report+="shard $i/$SHARDS: done"$'\n'
    elif [ "$known" = 0 ]; then
      report+="shard $i/$SHARDS: unknown (squeue failed)"$'\n'
    else
      failed=1
      report+="shard $i/$SHARDS: FAILED ($(describe_state "$state")); log: $sub/logs/shard-$i.log"$'\n'
      if [ -f "$sub/logs/shard-$i.log" ]; then report+=$(tail -n 3 "$sub/logs/shard-$i.log" | sed 's/^/    | /')$'\n'; fi
    fi
  done
  line=$(awk -v id="$MERGE_JOB" '$1 == id' <<<"$q")
  state=$(awk '{ print $2 }' <<<"$line") reason=$(awk '{ $1 = $2 = ""; sub(/^ +/, ""); if ($0 != "None") print }' <<<"$line")
  outcome=failed
  if [ "$reason" = DependencyNeverSatisfied ] || { [ "$failed" = 1 ] && [[ $state =~ ^(CANCELLED|PENDING|)$ ]]; }; then
    # Pending on a shard that failed: Slurm cancels it (--kill-on-invalid-dep).
    report+="merge: cancelled because a shard failed (job $MERGE_JOB)"$'\n'
  elif [[ $state =~ $active ]]; then
    report+="merge: ${state,,}${reason:+ ($reason)} (job $MERGE_JOB); log: $sub/logs/merge.log"$'\n'
    outcome=running
  elif [ -f "$sub/merged/run.json" ] && [[ $state =~ ^(COMPLETED|)$ ]] && [ "$known" = 1 ]; then
    report+="merge: done; $sub/merged"$'\n'
    outcome=merged
  elif [ "$known" = 0 ]; then
    report+="merge: unknown (squeue failed)"$'\n'
    outcome=running
  else
    report+="merge: FAILED ($(describe_state "$state")); log: $sub/logs/merge.log"$'\n'
    if [ -f "$sub/logs/merge.log" ]; then report+=$(tail -n 3 "$sub/logs/merge.log" | sed 's/^/    | /')$'\n'; fi
  fi
}

check
if [ -n "$wait_s" ]; then
  deadline=$((SECONDS + wait_s))
  while [ "$outcome" = running ] && [ "$SECONDS" -lt "$deadline" ]; do
    sleep 2
    check
  done
fi
printf '%s' "$report"
case $outcome in
  merged) echo "result: merged" ;;
  failed) echo "result: FAILED"; exit 1 ;;
  *) echo "result: in progress${wait_s:+ (still after ${wait_s}s)}"; exit 3 ;;
esac
