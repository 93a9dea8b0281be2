#!/usr/bin/env python3
"""How far is podsim's plan from the optimum? A second opinion from HiGHS.

podsim's own search (microlp, no cutting planes) proves a gap against its LP
relaxation, which is weak for staffing models: whole people, minimum stays
and notice periods make the LP optimum much cheaper than any real plan. This
script exports the same MILP (`podsim optimise --export-lp`), solves it with
HiGHS's branch-and-cut (`highspy`, pinned in requirements.txt) for a fixed
time, and prints how far podsim's plan is above the lower bound HiGHS proves.
It is a measurement for docs/OPTIMISER.md §6, not part of podsim: the bound
HiGHS reaches depends on the time it is given and the machine.

    pip install -r benches/requirements.txt
    python3 benches/external_bound.py --podsim target/release/podsim \
        scenarios/optimise-staffing.toml --seconds 150
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("scenario")
    ap.add_argument("--podsim", default="target/release/podsim")
    ap.add_argument("--seconds", type=float, default=150.0, help="HiGHS time limit")
    ap.add_argument("--threads", type=int, default=1, help="HiGHS threads")
    a = ap.parse_args()
    try:
        import highspy
    except ImportError:
        print("needs highspy: pip install -r benches/requirements.txt", file=sys.stderr)
        return 2

    with tempfile.TemporaryDirectory() as tmp:
        lp = os.path.join(tmp, "plan.lp")
        out = os.path.join(tmp, "out")
        t0 = time.time()
        subprocess.run(
            [a.podsim, "optimise", a.scenario, "--out", out, "--export-lp", lp, "--no-charts", "-q"],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        podsim_s = time.time() - t0
        with open(os.path.join(out, "optimise.json")) as f:
            record = json.load(f)
        cost = record["plan"]["total_cost"]
        bound = find(record, "bound")

        h = highspy.Highs()
        h.setOptionValue("output_flag", False)
        h.setOptionValue("time_limit", a.seconds)
        h.setOptionValue("threads", a.threads)
        h.readModel(lp)
        t0 = time.time()
        h.run()
        highs_s = time.time() - t0
        info = h.getInfo()

    print(f"podsim:  plan ${cost:,.0f}, its own bound ${bound:,.0f} (gap {100 * (cost - bound) / cost:.2f} %), {podsim_s:.1f} s")
    print(
        f"HiGHS {highspy.Highs().version()}: best plan ${info.objective_function_value:,.0f}, "
        f"proven bound ${info.mip_dual_bound:,.0f}, {h.modelStatusToString(h.getModelStatus())} after {highs_s:.0f} s"
    )
    proven = info.mip_dual_bound
    print(f"podsim's plan is at most {100 * (cost - proven) / cost:.2f} % above the optimum (HiGHS's bound)")
    return 0


def find(record, key):
    """The first number under `key` anywhere in the optimise.json record."""
    if isinstance(record, dict):
        if key in record and isinstance(record[key], (int, float)):
            return float(record[key])
        for v in record.values():
            r = find(v, key)
            if r is not None:
                return r
    elif isinstance(record, list):
        for v in record:
            r = find(v, key)
            if r is not None:
                return r
    return None


if __name__ == "__main__":
    sys.exit(main())
