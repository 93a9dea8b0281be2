#!/usr/bin/env bash
# The numbers in docs/PERFORMANCE.md, measured end to end with the release
# binary: replications/s on 1 and 2 threads, scaling with replications,
# SimPy side by side, and (with --memory) peak memory of 100,000 M/M/c
# replications. Run on an otherwise idle machine.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
bin=target/release/podsim
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# run.json keeps the simulation's wall time under `timing`.
wall() { python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['timing']['wall_time_s'])" "$1/run.json"; }

echo "== pod-vs-individual.toml: replications of all its strategies per second"
for t in 1 2; do
  "$bin" run scenarios/pod-vs-individual.toml --reps 600 --threads "$t" --quiet --out "$tmp/t$t" > /dev/null
  w=$(wall "$tmp/t$t")
  python3 -c "print(f'  {$t} thread(s): 600 replications of every strategy in {$w:.2f} s = {600/$w:.0f} replications/s')"
done
python3 -c "print(f'  speed-up 2 vs 1 thread: {$(wall "$tmp/t1")/$(wall "$tmp/t2"):.2f}x')"

echo "== cost vs replications (2 threads)"
for n in 250 500 1000; do
  "$bin" run scenarios/pod-vs-individual.toml --reps "$n" --quiet --out "$tmp/r$n" > /dev/null
  python3 -c "print(f'  {$n} replications: {$(wall "$tmp/r$n"):.2f} s')"
done

echo "== SimPy side by side (1 million customers, one core each)"
python3 benches/simpy_mmc.py --podsim "$bin"

if [ "${1:-}" = "--memory" ]; then
  echo "== peak memory, 100,000 replications of mmc-validation.toml"
  /usr/bin/time -v "$bin" run scenarios/mmc-validation.toml --reps 100000 --quiet --out "$tmp/mem" 2>&1 >/dev/null \
    | grep -E "Maximum resident|Elapsed"
fi
