//! The integer search (docs/OPTIMISER.md §6): LP-based branch and bound with
//! a domain-aware dive, on microlp LPs that are edited and re-solved warm
//! (fixing a variable re-optimises from the previous basis in milliseconds,
//! where a cold solve of the example takes tens).
//!
//! 1. The LP relaxation is the root and the first bound.
//! 2. A dive gives the first plan: pipeline gates first (each opens, as a
//!    step, in the period the LP's predecessor progress implies, then moves
//!    earlier or later while that is cheaper), then the integer headcounts
//!    a run of weeks of one cell at a time (see `fix_runs`).
//! 3. Best-first branch and bound with plunging improves the plan and the
//!    bound until the gap reaches the target or the time limit passes.
//!    Branching: gates first (the relaxation of a gate is weak), then the
//!    integer with the largest cost-weighted fractionality.
//!
//! The bound is always valid: the smallest LP value of the open nodes (and of
//! any node dropped to bound memory).

use super::lp::{Lp, Sense};
use super::solve::{gap, Budget, Cut, Search, SolveError, Solved};
use microlp::{ComparisonOp, OptimizationDirection, Problem, SolveOutcome, Variable};
use std::cmp::Ordering;
use std::collections::BinaryHeap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering as AtomicOrdering};
use std::time::Instant;

const INT_TOL: f64 = 1e-6;
/// Open nodes kept in memory; beyond this the worst are dropped (their bounds kept).
const MAX_OPEN: usize = 300;

#[derive(Clone)]
struct Node {
    sol: microlp::Solution,
    obj: f64,
    x: Vec<f64>,
}

impl PartialEq for Node {
    fn eq(&self, other: &Self) -> bool {
        self.obj == other.obj
    }
}
impl Eq for Node {}
impl PartialOrd for Node {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Node {
    // Reversed: BinaryHeap pops the smallest objective first.
    fn cmp(&self, other: &Self) -> Ordering {
        other.obj.total_cmp(&self.obj)
    }
}

#[derive(Clone, Copy, Debug)]
enum Edit {
    Fix(usize, f64),
    Le(usize, f64),
    Ge(usize, f64),
}

struct Engine<'a> {
    lp: &'a Lp,
    vars: Vec<Variable>,
    solves: AtomicUsize,
}

impl<'a> Engine<'a> {
    fn root(lp: &'a Lp) -> Result<(Engine<'a>, Node), SolveError> {
        let mut p = Problem::new(OptimizationDirection::Minimize);
        let vars: Vec<Variable> = lp.vars.iter().map(|v| p.add_var(v.cost, (v.lo, v.hi))).collect();
        for r in &lp.rows {
            let terms: Vec<(Variable, f64)> = r.terms.iter().map(|&(j, a)| (vars[j], a)).collect();
            let op = match r.sense {
                Sense::Le => ComparisonOp::Le,
                Sense::Ge => ComparisonOp::Ge,
                Sense::Eq => ComparisonOp::Eq,
            };
            p.add_constraint(terms.as_slice(), op, r.rhs);
        }
        let outcome = p.solve().map_err(|e| match e {
            microlp::Error::Infeasible => SolveError::Infeasible,
            microlp::Error::Unbounded => SolveError::Unbounded,
            e => SolveError::Solver(e.to_string()),
        })?;
        let sol = outcome
            .into_solution()
            .map_err(|_| SolveError::Solver("the LP was interrupted".into()))?;
        let e = Engine {
            lp,
            vars,
            solves: AtomicUsize::new(1),
        };
        let node = e.node(sol);
        Ok((e, node))
    }

    fn node(&self, sol: microlp::Solution) -> Node {
        let x: Vec<f64> = self.vars.iter().map(|&v| sol.var_value_raw(v)).collect();
        Node {
            obj: sol.objective() + self.lp.constant,
            sol,
            x,
        }
    }

    /// Applies edits to a copy of `n` and re-solves; None when infeasible.
    fn edit(&self, n: &Node, edits: &[Edit]) -> Option<Node> {
        let mut sol = n.sol.clone();
        for &e in edits {
            self.solves.fetch_add(1, AtomicOrdering::Relaxed);
            let out = match e {
                Edit::Fix(j, v) => sol.fix_var(self.vars[j], v),
                Edit::Le(j, v) => sol.add_constraint([(self.vars[j], 1.0)], ComparisonOp::Le, v),
                Edit::Ge(j, v) => sol.add_constraint([(self.vars[j], 1.0)], ComparisonOp::Ge, v),
            };
            match out {
                Ok(SolveOutcome::Solution(s)) => sol = s,
                _ => return None,
            }
        }
        Some(self.node(sol))
    }
}

fn frac(v: f64) -> f64 {
    (v - v.round()).abs()
}

/// Integer plan, bound and gap for `lp` (see the module doc), within `budget`:
/// LP solves (deterministic: the same model gives the same plan on any machine
/// or load) and an optional wall-clock cap. The first dive always runs to its
/// end (it is bounded by the model's size), and the work budget does not stop
/// a search without a plan, so a cut search still has one. Once `cancel` is set the search stops at its next LP solve, as if out
/// of budget (the caller discards the result).
pub fn search(lp: &Lp, target_gap: f64, budget: Budget, cancel: &AtomicBool) -> Result<Search, SolveError> {
    let started = Instant::now();
    let (eng, root) = Engine::root(lp)?;
    let cut = std::cell::Cell::new(None);
    // The work budget never stops a search that has no plan yet (the first
    // plunge completes a plan); only the time cap or Ctrl-C can.
    let has_plan = std::cell::Cell::new(false);
    let out_of_budget = || {
        if cancel.load(AtomicOrdering::Relaxed) {
            return true;
        }
        if has_plan.get() && eng.solves.load(AtomicOrdering::Relaxed) >= budget.lp_solves {
            cut.set(Some(Cut::Work));
            return true;
        }
        if budget.seconds.is_some_and(|s| started.elapsed().as_secs_f64() > s) {
            cut.set(Some(Cut::Time));
            return true;
        }
        false
    };
    // The first dive ignores the work budget (it is bounded by the model's
    // size), not the time limit: a limit shorter than the dive stops it.
    let first_dive_stop = || {
        if cancel.load(AtomicOrdering::Relaxed) {
            return true;
        }
        if budget.seconds.is_some_and(|s| started.elapsed().as_secs_f64() > s) {
            cut.set(Some(Cut::Time));
            return true;
        }
        false
    };
    let ints: Vec<usize> = (0..lp.vars.len()).filter(|&j| lp.vars[j].integer).collect();
    let done = |best: Solved, bound: f64, method: &str, eng: &Engine, cut: Option<Cut>| Search {
        gap: gap(best.objective, bound),
        best,
        bound,
        method: method.to_string(),
        lp_solves: eng.solves.load(AtomicOrdering::Relaxed),
        seconds: started.elapsed().as_secs_f64(),
        cut,
    };
    if ints.is_empty() {
        let best = Solved {
            objective: root.obj,
            x: root.x.clone(),
        };
        let b = root.obj;
        return Ok(done(best, b, "lp", &eng, None));
    }
    let mut is_gate = vec![false; lp.vars.len()];
    for gs in &lp.gates {
        for &z in &gs.z {
            is_gate[z] = true;
        }
    }
    let mut incumbent: Option<Solved> = dive(&eng, &root, &ints, &is_gate, &first_dive_stop);
    has_plan.set(incumbent.is_some());
    let mut method = "dive";
    let tol = |inc: f64| 1e-9 * inc.abs().max(1.0);

    let mut open: BinaryHeap<Node> = BinaryHeap::new();
    let mut dropped_bound = f64::INFINITY;
    let mut pruned_bound = f64::INFINITY;
    open.push(root);
    let mut nodes = 0usize;
    let mut stopped = false;
    while let Some(node) = open.pop() {
        let bound = node.obj.min(dropped_bound).min(pruned_bound);
        if let Some(inc) = &incumbent {
            if node.obj >= inc.objective - tol(inc.objective) || gap(inc.objective, bound) <= target_gap {
                open.push(node);
                break;
            }
        }
        if out_of_budget() {
            stopped = true;
            open.push(node);
            break;
        }
        // Plunge: follow the nearer child, keep the other open.
        let mut cur = node;
        loop {
            nodes += 1;
            let Some((j, children)) = branch(lp, &cur, &ints, &is_gate) else {
                // Integral: a plan.
                if incumbent
                    .as_ref()
                    .is_none_or(|inc| cur.obj < inc.objective - tol(inc.objective))
                {
                    let mut x = cur.x.clone();
                    for &k in &ints {
                        x[k] = x[k].round();
                    }
                    incumbent = Some(Solved {
                        objective: lp.objective(&x),
                        x,
                    });
                    has_plan.set(true);
                    method = "branch-and-bound";
                }
                break;
            };
            // Both children at once (the machine has cores to spare; the result
            // does not depend on it).
            let (a, b) = rayon::join(|| eng.edit(&cur, &[children[0]]), || eng.edit(&cur, &[children[1]]));
            let mut kids: Vec<Node> = [a, b].into_iter().flatten().collect();
            let _ = j;
            if let Some(inc) = &incumbent {
                // Relative-gap pruning: a child within 90 % of the target gap of the
                // plan cannot improve it by enough; its bound is kept for the report.
                let cut = inc.objective - (0.9 * target_gap * inc.objective.abs()).max(tol(inc.objective));
                for k in kids.iter().filter(|k| k.obj >= cut) {
                    pruned_bound = pruned_bound.min(k.obj);
                }
                kids.retain(|k| k.obj < cut);
            }
            if kids.is_empty() || out_of_budget() {
                if out_of_budget() {
                    stopped = true;
                    open.extend(kids);
                }
                break;
            }
            // The first child is the rounding-nearest direction.
            cur = kids.remove(0);
            open.extend(kids);
            // Occasionally dive from deep in the tree for a better plan.
            if nodes % 50 == 0 {
                if let Some(s) = dive(&eng, &cur, &ints, &is_gate, &out_of_budget) {
                    if incumbent
                        .as_ref()
                        .is_none_or(|inc| s.objective < inc.objective - tol(inc.objective))
                    {
                        incumbent = Some(s);
                        has_plan.set(true);
                        method = "branch-and-bound";
                    }
                }
            }
        }
        if open.len() > MAX_OPEN {
            let mut v = open.into_vec();
            v.sort_by(|a, b| a.obj.total_cmp(&b.obj));
            for n in v.drain(MAX_OPEN / 2..) {
                dropped_bound = dropped_bound.min(n.obj);
            }
            open = v.into_iter().collect();
        }
    }
    let Some(best) = incumbent else {
        // Every branch explored and none dropped: proven. Otherwise the limit
        // (or the memory bound) stopped the search first.
        return Err(if stopped || dropped_bound.is_finite() {
            SolveError::NoIntegerPlan
        } else {
            SolveError::IntegerInfeasible
        });
    };
    let bound = open
        .peek()
        .map_or(best.objective, |n| n.obj)
        .min(dropped_bound)
        .min(pruned_bound)
        .min(best.objective);
    let cut = if stopped && gap(best.objective, bound) > target_gap {
        cut.get().or(Some(Cut::Work))
    } else {
        None
    };
    Ok(done(best, bound, method, &eng, cut))
}

/// The branching variable and the two child edits (nearest rounding first), or
/// None when every integer is integral.
fn branch(lp: &Lp, n: &Node, ints: &[usize], is_gate: &[bool]) -> Option<(usize, [Edit; 2])> {
    // Gates first, in topological order: the z closest to 1/2 of the first stream with a fractional z.
    for gs in &lp.gates {
        let j =
            gs.z.iter()
                .copied()
                .filter(|&z| frac(n.x[z]) > INT_TOL)
                .min_by(|&a, &b| (n.x[a] - 0.5).abs().total_cmp(&(n.x[b] - 0.5).abs()));
        if let Some(j) = j {
            let (a, b) = (Edit::Fix(j, 0.0), Edit::Fix(j, 1.0));
            return Some((j, if n.x[j] >= 0.5 { [b, a] } else { [a, b] }));
        }
    }
    let score = |j: usize| frac(n.x[j]).min(1.0) * (lp.vars[j].cost.abs() + 1e-9);
    let j = ints
        .iter()
        .copied()
        .filter(|&j| !is_gate[j] && frac(n.x[j]) > INT_TOL)
        .max_by(|&a, &b| score(a).total_cmp(&score(b)).then(b.cmp(&a)))?;
    let v = n.x[j];
    let (down, up) = (Edit::Le(j, v.floor()), Edit::Ge(j, v.ceil()));
    Some((j, if v - v.floor() < 0.5 { [down, up] } else { [up, down] }))
}

/// The dive of step 2 from node `n`; None if it dead-ends or runs out of time.
fn dive(eng: &Engine, n: &Node, ints: &[usize], is_gate: &[bool], out_of_time: &dyn Fn() -> bool) -> Option<Solved> {
    let lp = eng.lp;
    let mut cur = n.clone();
    for gs in &lp.gates {
        let tn = gs.z.len();
        if gs.z.iter().all(|&z| frac(cur.x[z]) <= INT_TOL) {
            continue;
        }
        // Predecessor work done by the start of t.
        let before = |x: &[f64], cum: &[Option<usize>], total: f64, t: usize| -> f64 {
            match t.checked_sub(1) {
                None => 0.0,
                Some(b) => cum[b].map_or(total, |j| x[j]),
            }
        };
        let implied = (0..tn)
            .find(|&t| {
                gs.preds
                    .iter()
                    .all(|(cum, need, total)| before(&cur.x, cum, *total, t) >= need - 1e-6 * (1.0 + need))
            })
            .unwrap_or(tn - 1);
        // Opening at o: z[o-1] = 0 and z[o] = 1 (the order rows make it a step).
        let open_at = |eng: &Engine, base: &Node, o: usize| -> Option<Node> {
            let mut edits = vec![Edit::Fix(gs.z[o], 1.0)];
            if o > 0 {
                edits.push(Edit::Fix(gs.z[o - 1], 0.0));
            }
            eng.edit(base, &edits)
        };
        let base = cur.clone();
        // Two candidates at a time (in parallel): the first feasible opening period
        // in the order implied, later, earlier.
        let order: Vec<usize> = (implied..tn).chain((0..implied).rev()).collect();
        let mut best: Option<(usize, Node)> = None;
        for pair in order.chunks(2) {
            if out_of_time() {
                return None;
            }
            let (a, b) = rayon::join(
                || open_at(eng, &base, pair[0]),
                || pair.get(1).and_then(|&o| open_at(eng, &base, o)),
            );
            if let Some(n) = a {
                best = Some((pair[0], n));
            } else if let Some(n) = b {
                best = Some((pair[1], n));
            }
            if best.is_some() {
                break;
            }
        }
        let (mut o, mut s) = best?;
        let better = |a: &Node, b: &Node| a.obj < b.obj - 1e-7 * b.obj.abs().max(1.0);
        // Local search: one step each way at once, then on in the better direction.
        let step = |o: usize, d: i64| -> Option<usize> {
            let n = o as i64 + d;
            (n >= 0 && n < tn as i64).then_some(n as usize)
        };
        let (down, up) = rayon::join(
            || step(o, -1).and_then(|n| open_at(eng, &base, n)),
            || step(o, 1).and_then(|n| open_at(eng, &base, n)),
        );
        let mut dir = 0i64;
        for (d, cand) in [(-1i64, down), (1, up)] {
            if let Some(n) = cand {
                if better(&n, &s) {
                    o = step(o, d).expect("the step was in range");
                    s = n;
                    dir = d;
                }
            }
        }
        while dir != 0 && !out_of_time() {
            let (Some(n1), n2) = (step(o, dir), step(o, 2 * dir)) else {
                break;
            };
            let (a, b) = rayon::join(|| open_at(eng, &base, n1), || n2.and_then(|n| open_at(eng, &base, n)));
            match a {
                Some(na) if better(&na, &s) => {
                    o = n1;
                    s = na;
                    match (n2, b) {
                        (Some(n2), Some(nb)) if better(&nb, &s) => {
                            o = n2;
                            s = nb;
                        }
                        _ => break,
                    }
                }
                _ => break,
            }
        }
        let _ = o;
        cur = s;
    }
    // Headcounts, a run of weeks at a time.
    cur = fix_runs(eng, cur, ints, is_gate, out_of_time)?;
    // Any integer still fractional (a later fix moved it): round and re-solve once.
    let rest: Vec<Edit> = ints
        .iter()
        .copied()
        .filter(|&j| frac(cur.x[j]) > INT_TOL)
        .map(|j| Edit::Fix(j, cur.x[j].round()))
        .collect();
    if !rest.is_empty() {
        cur = eng.edit(&cur, &rest)?;
    }
    let mut x = cur.x;
    for &j in ints {
        x[j] = x[j].round();
    }
    if lp.max_violation(&x) > 1e-6 {
        return None;
    }
    Some(Solved {
        objective: lp.objective(&x),
        x,
    })
}

/// A cell's staffing (one skill and channel, or the pod leads) over the
/// weeks: the integer variables of one name, `x_<role>_<channel>_tNN`.
fn cell_of(name: &str) -> &str {
    match name.rfind("_t") {
        Some(k) if name[k + 2..].bytes().all(|b| b.is_ascii_digit()) && name.len() > k + 2 => &name[..k],
        _ => name,
    }
}

/// Runs: maximal stretches of consecutive weeks of one cell whose LP values
/// are fractional and stay within half a person of the run's first week.
/// Fixing a whole run at one level keeps its weeks free of starts and
/// releases, which is what notice periods and minimum stays ask; fixing a
/// week alone leaves its neighbours to fight the flow rows.
fn runs(x: &[f64], cells: &[Vec<usize>]) -> Vec<Vec<usize>> {
    let mut out = Vec::new();
    for cell in cells {
        let mut run: Vec<usize> = Vec::new();
        for &j in cell {
            let fractional = frac(x[j]) > INT_TOL;
            let joins = fractional && run.first().is_none_or(|&f| (x[j] - x[f]).abs() <= 0.5);
            if !joins && !run.is_empty() {
                out.push(std::mem::take(&mut run));
            }
            if fractional {
                run.push(j);
            }
        }
        if !run.is_empty() {
            out.push(run);
        }
    }
    out
}

/// The headcount phase of the dive: repeatedly fixes the earliest run (the
/// costliest of those starting in the same week) at one whole level — the
/// cheaper of the run's mean rounded down and up — re-solving the LP so the
/// rest adapts. (Fixing the costliest run first instead reaches a first plan
/// sooner on the example, 675 LP solves, but ends the search at a worse
/// plan: 6.5 % against 5.6 %.) When no level fits the whole run, its first week alone is
/// fixed (nearest, up, down). None when even that dead-ends.
fn fix_runs(
    eng: &Engine,
    mut cur: Node,
    ints: &[usize],
    is_gate: &[bool],
    out_of_time: &dyn Fn() -> bool,
) -> Option<Node> {
    let lp = eng.lp;
    let mut by_cell: std::collections::BTreeMap<&str, Vec<usize>> = std::collections::BTreeMap::new();
    for &j in ints.iter().filter(|&&j| !is_gate[j]) {
        by_cell.entry(cell_of(&lp.vars[j].name)).or_default().push(j);
    }
    let period = |j: usize| lp.vars[j].period.unwrap_or(usize::MAX);
    let weight = |r: &[usize]| -> f64 { r.iter().map(|&j| lp.vars[j].cost.abs()).sum() };
    let cells: Vec<Vec<usize>> = by_cell
        .into_values()
        .map(|mut v| {
            v.sort_by_key(|&j| (period(j), j));
            v
        })
        .collect();
    loop {
        let all = runs(&cur.x, &cells);
        let Some(run) = all.into_iter().min_by(|a, b| {
            period(a[0])
                .cmp(&period(b[0]))
                .then(weight(b).total_cmp(&weight(a)))
                .then(a[0].cmp(&b[0]))
        }) else {
            return Some(cur);
        };
        let mean = run.iter().map(|&j| cur.x[j]).sum::<f64>() / run.len() as f64;
        let floor_lo = run.iter().map(|&j| lp.vars[j].lo.ceil()).fold(0.0, f64::max);
        // Both whole levels around the mean at once (in parallel); the cheaper
        // feasible one wins, the lower on a tie.
        let (lo, hi) = (
            Rounding::Down.apply(mean).max(floor_lo),
            Rounding::Up.apply(mean).max(floor_lo),
        );
        if out_of_time() {
            return None;
        }
        let at = |v: f64| -> Option<Node> {
            let edits: Vec<Edit> = run.iter().map(|&j| Edit::Fix(j, v)).collect();
            eng.edit(&cur, &edits)
        };
        let (a, b) = if lo == hi {
            (at(lo), None)
        } else {
            rayon::join(|| at(lo), || at(hi))
        };
        let mut next = match (a, b) {
            (Some(a), Some(b)) => Some(if b.obj < a.obj - 1e-7 * a.obj.abs().max(1.0) {
                b
            } else {
                a
            }),
            (a, b) => a.or(b),
        };
        if next.is_none() && run.len() > 1 {
            let j = run[0];
            for rule in [Rounding::Nearest, Rounding::Up, Rounding::Down] {
                if out_of_time() {
                    return None;
                }
                let v = rule.apply(cur.x[j]).max(lp.vars[j].lo.ceil());
                if let Some(n) = eng.edit(&cur, &[Edit::Fix(j, v)]) {
                    next = Some(n);
                    break;
                }
            }
        }
        cur = next?;
    }
}

#[derive(Clone, Copy)]
enum Rounding {
    Nearest,
    Up,
    Down,
}

impl Rounding {
    fn apply(self, v: f64) -> f64 {
        match self {
            Rounding::Nearest => (v + 1e-9).round(),
            Rounding::Up => (v - 1e-6).ceil(),
            Rounding::Down => (v + 1e-6).floor(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cell_is_a_variable_name_without_its_week() {
        assert_eq!(cell_of("x_domain_expert_pod_t03"), "x_domain_expert_pod");
        assert_eq!(cell_of("leads_t12"), "leads");
        // No week suffix: the name is its own cell.
        assert_eq!(cell_of("gate_annotation"), "gate_annotation");
        assert_eq!(cell_of("x_t"), "x_t");
        assert_eq!(cell_of("x_tab"), "x_tab");
    }

    #[test]
    fn runs_are_fractional_stretches_within_half_a_person_of_their_first_week() {
        // One cell over six weeks: 1.3 and 1.6 stay within 0.5 of each other;
        // the whole 2.0 ends the run; 1.4 starts one that 2.9 (1.5 away) ends.
        let x = [1.3, 1.6, 2.0, 1.4, 2.9, 3.2];
        let cells = vec![vec![0, 1, 2, 3, 4, 5], vec![]];
        assert_eq!(runs(&x, &cells), vec![vec![0, 1], vec![3], vec![4, 5]]);
        // A second cell's weeks never join the first's run.
        let cells = vec![vec![0], vec![1]];
        assert_eq!(runs(&x, &cells), vec![vec![0], vec![1]]);
        // All whole: nothing to fix.
        assert!(runs(&[1.0, 2.0], &[vec![0, 1]]).is_empty());
    }
}
