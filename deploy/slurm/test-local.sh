#!/usr/bin/env bash
# Brings up a one-node Slurm on this machine (munged, slurmctld, slurmd, all
# configured under one scratch folder), runs the documented submission
# (deploy/slurm/submit.sh) and checks that:
#   - the merged CSVs are byte-identical to one `podsim run` with the same
#     seed and replications;
#   - asking for more CPUs than a node has fails at submission, queuing nothing;
#   - a failed shard cancels the merge (not pending forever) and status.sh
#     names the shard and its log;
#   - a second submission into the same RESULTS with fewer shards merges its
#     own shards only and leaves the first submission's output where it was.
# Stops every daemon it started (by PID) on exit. Run as root (CI is); installs
# slurm-wlm and munge with apt-get when they are missing.
#
# Usage: bash deploy/slurm/test-local.sh
# Environment: PODSIM (default target/release/podsim), TEST_DIR (scratch
# folder, default /tmp/podsim-slurm-test; emptied first), SLURM_TEST_PORT
# (slurmctld port, slurmd uses the next one; default 16817), WAIT_S (bound on
# each wait for jobs, default 120), KEEP=1 keeps the scratch folder.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
here=$root/deploy/slurm
PODSIM=${PODSIM:-$root/target/release/podsim}
TEST_DIR=${TEST_DIR:-/tmp/podsim-slurm-test}
port=${SLURM_TEST_PORT:-16817}
WAIT_S=${WAIT_S:-120}
scenario=scenarios/mmc-validation.toml # relative to the repository root, as in the docs
REPS=12
SEED=7
failures=0

pass() { echo "PASS: $*"; }
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
die() { echo "FAIL: $*"; exit 1; }
say() { echo "-- $*"; }

# A run of this script that was killed before its trap ran leaves its daemons
# behind, holding the ports: stop those (only processes whose command line
# names our scratch folder), so that a second run starts clean.
stop_daemons() {
  local pidfile pid
  for pidfile in "$TEST_DIR"/pids/*; do
    [ -e "$pidfile" ] || continue
    pid=$(cat "$pidfile")
    if [ -r "/proc/$pid/cmdline" ] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q -- "$TEST_DIR"; then
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -9 "$pid" 2>/dev/null || true
    fi
    rm -f "$pidfile"
  done
}

cleanup() {
  local rc=$?
  stop_daemons
  if [ "${KEEP:-0}" != 1 ] && [ "$rc" = 0 ]; then rm -rf "$TEST_DIR"; fi
  [ "$rc" = 0 ] || echo "(logs kept in $TEST_DIR/log and $TEST_DIR/results)"
}

# Starts a daemon in the foreground mode, in the background, and records its PID.
start() {
  local name=$1; shift
  "$@" >"$TEST_DIR/log/$name.out" 2>&1 &
  echo $! >"$TEST_DIR/pids/$name"
}

[ -x "$PODSIM" ] || die "no podsim binary at $PODSIM (run cargo build --release first)"

if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null || ! command -v munged >/dev/null; then
  [ "$(id -u)" = 0 ] || die "slurm-wlm and munge are not installed and this is not root"
  say "installing slurm-wlm and munge"
  # The packages start system-wide munged, slurmctld and slurmd on install;
  # this test wants none of those (it runs its own), so deny service starts
  # for the duration of the install, as Docker images do.
  policy=
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    policy=/usr/sbin/policy-rc.d
    printf '#!/bin/sh\n# added by podsim deploy/slurm/test-local.sh during apt-get install\nexit 101\n' >"$policy"
    chmod +x "$policy"
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends slurm-wlm munge >/dev/null ||
    { [ -z "$policy" ] || rm -f "$policy"; die "apt-get install slurm-wlm munge failed"; }
  [ -z "$policy" ] || rm -f "$policy"
fi
[ "$(id -u)" = 0 ] || die "slurmd must run as root to start jobs; run this script as root"

if [ -d "$TEST_DIR/pids" ]; then stop_daemons; fi
rm -rf "$TEST_DIR"
mkdir -p "$TEST_DIR"/{pids,log,munge,state,spool,results}
chmod 711 "$TEST_DIR" "$TEST_DIR/munge"
trap cleanup EXIT

for p in "$port" $((port + 1)); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
    die "port $p is in use on 127.0.0.1; set SLURM_TEST_PORT to a free pair of ports"
  fi
done

say "munged"
dd if=/dev/urandom of="$TEST_DIR/munge/munge.key" bs=1024 count=1 status=none
chmod 400 "$TEST_DIR/munge/munge.key"
socket=$TEST_DIR/munge/munge.socket
# --force: munged refuses to run as root otherwise; the scratch folder is ours.
start munged munged --foreground --force --key-file="$TEST_DIR/munge/munge.key" \
  --socket="$socket" --pid-file="$TEST_DIR/munge/munged.pid" \
  --seed-file="$TEST_DIR/munge/munged.seed" --log-file="$TEST_DIR/log/munged.log"
for _ in $(seq 50); do [ -S "$socket" ] && break; sleep 0.1; done
[ -S "$socket" ] || die "munged did not start; see $TEST_DIR/log/munged.out"

host=$(hostname -s)
# The node as slurmd sees it (CPUs, sockets, memory), so that slurmd
# registers without a mismatch.
node=$(slurmd -C | head -n 1 | sed 's/^NodeName=[^ ]* //')
cpus=$(sed -n 's/.*CPUs=\([0-9]*\).*/\1/p' <<<"$node")
export SLURM_CONF=$TEST_DIR/slurm.conf
cat >"$SLURM_CONF" <<EOF
# Generated by deploy/slurm/test-local.sh: a one-node cluster for tests.
ClusterName=podsimtest
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$port
SlurmdPort=$((port + 1))
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$socket
StateSaveLocation=$TEST_DIR/state
SlurmdSpoolDir=$TEST_DIR/spool
SlurmctldPidFile=$TEST_DIR/slurmctld.pid
SlurmdPidFile=$TEST_DIR/slurmd.pid
SlurmctldLogFile=$TEST_DIR/log/slurmctld.log
SlurmdLogFile=$TEST_DIR/log/slurmd.log
# No cgroups: CI machines and containers often have no writable cgroup tree.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/backfill
MpiDefault=none
MailProg=/bin/true
ReturnToService=2
# Finished jobs stay visible to squeue/scontrol for 10 minutes.
MinJobAge=600
NodeName=$host NodeAddr=127.0.0.1 $node State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
# For the time-limit check: shards ask for 2 hours by default.
PartitionName=short Nodes=$host Default=NO MaxTime=10 State=UP
EOF

say "slurmctld and slurmd ($host, $cpus CPUs)"
start slurmctld slurmctld -D -i -f "$SLURM_CONF"
start slurmd slurmd -D -f "$SLURM_CONF" -N "$host"
up=
for _ in $(seq 100); do
  if sinfo -h -o '%t' 2>/dev/null | grep -qE '^(idle|mix|alloc)'; then up=1; break; fi
  sleep 0.2
done
[ -n "$up" ] || die "the node did not come up; see $TEST_DIR/log/slurmctld.log and slurmd.log"
pass "one-node Slurm up ($host, $cpus CPUs)"

# The documented workflow, from the repository root with a relative scenario
# path, as docs/CLUSTER.md shows it.
cd "$root"
results=$TEST_DIR/results
submit() { env PODSIM="$PODSIM" SCENARIO=$scenario REPS=$REPS SEED=$SEED \
  RESULTS="$results" "$@" bash "$here/submit.sh"; }
same_as_single() {
  local dir=$1 f ok=1
  for f in summary.csv reps.csv timeseries.csv; do
    if ! cmp -s "$TEST_DIR/single/$f" "$dir/$f"; then ok=; fail "$dir/$f differs from the single run's"; fi
  done
  [ -z "$ok" ] || pass "$dir: summary.csv, reps.csv, timeseries.csv byte-identical to one podsim run"
}

say "single run: $REPS replications, seed $SEED"
"$PODSIM" run "$scenario" --reps "$REPS" --seed "$SEED" --no-charts --quiet \
  --out "$TEST_DIR/single" >/dev/null

say "item 14: requests no node of the partition can meet"

# Each of these would queue jobs that pend for ever; submit.sh must refuse.
refused() {
  local what=$1 expect=$2 out
  shift 2
  if out=$(submit SHARDS=3 "$@" 2>&1); then
    fail "submit.sh accepted $what: $out"
  elif grep -q -- "$expect" <<<"$out" && [ -z "$(squeue -h)" ]; then
    pass "$what refused before queuing anything: $out"
  else
    fail "$what refused without naming $expect, or jobs were queued: $out"
  fi
}
refused "CPUS=$((cpus + 1)) on a $cpus-CPU node" "CPUS=$((cpus + 1))" CPUS=$((cpus + 1))
refused "MEM=100T" "MEM=100T" MEM=100T
refused "TIME=02:00:00 on a 10-minute partition" "TIME=02:00:00" PARTITION=short
refused "PARTITION=nosuch" "nosuch" PARTITION=nosuch
if [ -z "$(ls -A "$results")" ]; then
  pass "refused submissions left no folders in RESULTS"
else
  fail "refused submissions left folders in RESULTS: $(ls -A "$results")"
fi

say "3 shards (SUBMISSION=three)"
submit SHARDS=3 SUBMISSION=three
if bash "$here/status.sh" --wait "$WAIT_S" "$results/three"; then
  pass "3 shards merged"
  same_as_single "$results/three/merged"
else
  fail "the 3-shard submission did not merge (status above)"
fi
logs=$(cd "$results/three/logs" && echo *)
if [ "$logs" = "merge.log shard-1.log shard-2.log shard-3.log" ]; then
  pass "logs under the submission folder: $logs"
else
  fail "expected merge.log and shard-1..3.log in $results/three/logs, found: $logs"
fi
stray=$(find "$root" -maxdepth 1 \( -name 'slurm-*.out' -o -name 'podsim-*.log' \) -newer "$SLURM_CONF")
if [ -z "$stray" ]; then pass "no logs left in the submit directory"; else fail "logs in the submit directory: $stray"; fi

say "item 16: the same RESULTS again with 2 shards, over an old-layout merged/"
mkdir -p "$results/merged" && touch "$results/merged/summary.csv"
cp "$results/three/merged/summary.csv" "$TEST_DIR/three-summary.csv"
submit SHARDS=2
second=$(readlink "$results/latest")
if [ "$second" != three ] && bash "$here/status.sh" --wait "$WAIT_S" "$results/latest"; then
  pass "2 shards merged in $results/$second"
  same_as_single "$results/$second/merged"
else
  fail "the 2-shard submission did not merge (latest -> $second)"
fi
if [ ! -e "$results/merged" ] && [ -d "$results/merged.before-$second" ]; then
  pass "the old RESULTS/merged was moved aside to merged.before-$second"
else
  fail "the old RESULTS/merged is still in place"
fi
if cmp -s "$TEST_DIR/three-summary.csv" "$results/three/merged/summary.csv"; then
  pass "the first submission's merged output is untouched"
else
  fail "the first submission's merged output changed"
fi

say "item 15: shard 2 of 3 fails"
# A podsim that fails in array task 2 only: what a crash or a bad node looks like.
cat >"$TEST_DIR/podsim-failing-2" <<WRAP
#!/usr/bin/env bash
if [ "\${SLURM_ARRAY_TASK_ID:-}" = 2 ]; then echo "injected failure in shard 2" >&2; exit 3; fi
exec "$PODSIM" "\$@"
WRAP
chmod +x "$TEST_DIR/podsim-failing-2"
PODSIM=$TEST_DIR/podsim-failing-2 submit SHARDS=3 SUBMISSION=failing
set +e
status=$(bash "$here/status.sh" --wait "$WAIT_S" "$results/failing")
rc=$?
set -e
echo "$status"
if [ "$rc" = 1 ] && grep -qE "shard 2/3: FAILED \((Slurm state [A-Z_]+|no output, no longer known to Slurm)\); log: $results/failing/logs/shard-2.log" <<<"$status" &&
  grep -q "injected failure" <<<"$status"; then
  pass "status.sh names the failed shard and its log, and exits 1"
else
  fail "status.sh (exit $rc) did not report shard 2 as failed with its log"
fi
MERGE_JOB=$(sed -n 's/^MERGE_JOB=//p' "$results/failing/submission.env")
merge_state=PENDING
for _ in $(seq "$WAIT_S"); do
  merge_state=$(squeue -h -t all -j "$MERGE_JOB" -o '%T' 2>/dev/null || echo PENDING)
  [ "$merge_state" = PENDING ] || break
  sleep 1
done
if [ "$merge_state" != PENDING ] && [ ! -e "$results/failing/merged" ]; then
  pass "the merge did not wait forever: ${merge_state:-gone from the queue}, no merged/ written"
else
  fail "the merge job $MERGE_JOB is still $merge_state after a shard failed"
fi

say "status.sh once Slurm has forgotten the jobs (after MinJobAge)"
# Copies of two submissions whose job ids Slurm never knew stand in for
# submissions whose job records were purged.
for name in three failing; do
  cp -r "$results/$name" "$results/$name-old"
  sed -i 's/^ARRAY_JOB=.*/ARRAY_JOB=999990/; s/^MERGE_JOB=.*/MERGE_JOB=999991/' "$results/$name-old/submission.env"
done
set +e
bash "$here/status.sh" "$results/three-old" >/dev/null
rc_three=$?
status=$(bash "$here/status.sh" "$results/failing-old")
rc_failing=$?
set -e
if [ "$rc_three" = 0 ] && [ "$rc_failing" = 1 ] && grep -q "shard 2/3: FAILED" <<<"$status"; then
  pass "status.sh still tells merged (exit 0) from failed (exit 1, shard 2) from the files alone"
else
  fail "status.sh on forgotten jobs: exit $rc_three for a merged submission, $rc_failing for a failed one"
fi

if [ "$failures" = 0 ]; then
  echo "PASS: deploy/slurm/test-local.sh"
else
  echo "FAIL: deploy/slurm/test-local.sh ($failures failed checks)"
  exit 1
fi
