#!/usr/bin/env bash
# The optimiser numbers in docs/PERFORMANCE.md, end to end with the release
# binary on the example (scenarios/optimise-staffing.toml). Run on an otherwise
# idle machine; the branch and bound uses every core (RAYON_NUM_THREADS=1: one).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
bin=target/release/podsim
ex=scenarios/optimise-staffing.toml
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

solve() { # label, extra args...
  local label=$1; shift
  local t0 t1
  t0=$(date +%s.%N)
  "$bin" optimise "$ex" --quiet --force --out "$tmp/o" "$@" > "$tmp/stdout"
  t1=$(date +%s.%N)
  python3 - "$tmp/o/optimise.json" "$label" "$t0" "$t1" <<'PY'
import json, sys
j = json.load(open(sys.argv[1])); s = j["plan"]["solve"]
wall = float(sys.argv[4]) - float(sys.argv[3])
print(f"  {sys.argv[2]:<34} wall {wall:5.1f} s | solve {s['seconds']:5.1f} s | cost ${j['plan']['total_cost']:,.0f} | "
      f"bound ${s['bound']:,.0f} | LP relaxation ${s['lp_relaxation']:,.0f} | gap {100*s['gap']:.2f} % | "
      f"{s['variables']} vars, {s['integers']} integer, {s['rows']} rows | {s['lp_solves']} LP solves")
v = j.get("verification")
if v:
    print(f"  {'':<34} verify: P(finish by week {v['deadline_weeks']:g}) = {v['p_meet_deadline']:.3f}, "
          f"P50 {v['finish_p50']:.1f}, P85 {v['finish_p85']:.1f}, simulated cost ${v['simulated_cost_mean']:,.0f}")
PY
}

echo "== example: 6 roles x 4 channels x 26 weekly periods, default settings (1 % gap, 20 s limit)"
solve "2 threads"
RAYON_NUM_THREADS=1 solve "1 thread"
echo "== variants"
sed "s/^integer = true.*/integer = false/" "$ex" > "$tmp/cont.toml"; ex_saved=$ex; ex=$tmp/cont.toml; solve "integer = false (gates still binary)"; ex=$ex_saved
# Monthly periods: gates can only open at a month's start, so the example needs
# a little more room (no budget, floor 34).
sed -e "s/^period = \"week\"/period = \"month\"/" -e "s/^senior_focus_floor_hours = 35/senior_focus_floor_hours = 34/" \
    -e "s/^budget = .*//" "$ex" > "$tmp/month.toml"; ex=$tmp/month.toml; solve "period = month (no budget, floor 34)"; ex=$ex_saved
solve "with --verify --reps 200" --verify --reps 200
echo "== frontier (10 deadlines, in parallel)"
t0=$(date +%s.%N); "$bin" optimise "$ex" --quiet --force --out "$tmp/f" --frontier > /dev/null; t1=$(date +%s.%N)
python3 -c "print(f'  frontier + plan: {$t1-$t0:.1f} s')"
cut -d, -f1-5,7 "$tmp/f/frontier.csv" | sed 's/^/  /'
