#!/usr/bin/env python3
"""Side-by-side: the same M/M/c model in SimPy and in podsim, in one run.

lambda = 4/h, mu = 1/h, c = 5, about 1 million customers, one core each.
Prints customers per second for both and podsim's speed as a multiple of
SimPy's. Skips SimPy (and says so) when it is not installed:
    pip install -r benches/requirements.txt   (SimPy 4.1.1, pinned)
Usage: python3 benches/simpy_mmc.py [--customers N] [--podsim PATH]
"""
import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time

LAMBDA, MU, C = 4.0, 1.0, 5


def simpy_run(customers, seed=1):
    import simpy

    rng = random.Random(seed)
    env = simpy.Environment()
    servers = simpy.Resource(env, capacity=C)
    waits = []

    def customer(env):
        arrived = env.now
        with servers.request() as req:
            yield req
            waits.append(env.now - arrived)
            yield env.timeout(rng.expovariate(MU))

    def source(env):
        for _ in range(customers):
            yield env.timeout(rng.expovariate(LAMBDA))
            env.process(customer(env))

    env.process(source(env))
    start = time.perf_counter()
    env.run()
    elapsed = time.perf_counter() - start
    return elapsed, sum(waits) / len(waits), len(waits)


def podsim_run(binary, customers):
    weeks = customers / (LAMBDA * 40.0)
    scenario = f"""
name = "M/M/c side by side"
horizon_weeks = {weeks:.3f}
warmup_weeks = 1
[[workstream]]
name = "queue"
skill = "domain_expert"
arrivals_per_week = {LAMBDA * 40.0}
effort_hours = {{ dist = "exponential", mean = {1.0 / MU} }}
defect_rate = 0.0
questions_per_item = 0.0
[seniors]
count = 0
[overhead]
coefficient = 0.0
[channels.employee]
attrition_per_year = 0.0
[[strategy]]
name = "c = {C}"
structure = "individual"
review_fraction = 0.0
ops_requests_per_contributor_week = 0.0
team = [{{ role = "domain_expert", channel = "employee", count = {C} }}]
"""
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "mmc.toml")
        with open(path, "w") as f:
            f.write(scenario)
        out = os.path.join(d, "out")
        subprocess.run([binary, "run", path, "--reps", "1", "--threads", "1", "--quiet", "--out", out],
                       check=True, stdout=subprocess.DEVNULL)
        with open(os.path.join(out, "run.json")) as f:
            info = json.load(f)
        with open(os.path.join(out, "reps.csv")) as f:
            header, row = f.readline().strip().split(","), f.readline().strip().split(",")
        values = dict(zip(header, row))
        # timing.wall_time_s covers the simulation only (not start-up or file writing).
        return info["timing"]["wall_time_s"], float(values["queue_wait_mean_h"]), float(values["items_accepted"])


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--customers", type=int, default=1_000_000)
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument("--podsim", default=os.path.join(here, "..", "target", "release", "podsim"))
    args = ap.parse_args()
    if not os.path.exists(args.podsim):
        sys.exit(f"podsim binary not found at {args.podsim}: run `cargo build --release` first")

    p_time, p_wq, p_n = podsim_run(args.podsim, args.customers)
    p_rate = p_n / p_time
    print(f"podsim: {p_n:,.0f} customers in {p_time:.3f} s = {p_rate / 1e6:.2f} million customers/s (Wq {p_wq:.4f} h)")
    try:
        import simpy  # noqa: F401
    except ImportError:
        print("SimPy: not installed (pip install simpy); no side-by-side figure")
        return
    s_time, s_wq, s_n = simpy_run(args.customers)
    s_rate = s_n / s_time
    print(f"SimPy:  {s_n:,} customers in {s_time:.3f} s = {s_rate / 1e6:.3f} million customers/s (Wq {s_wq:.4f} h)")
    print(f"Erlang C Wq = 0.5541 h; podsim is {p_rate / s_rate:.0f}x SimPy on this machine, one core each")


if __name__ == "__main__":
    main()
