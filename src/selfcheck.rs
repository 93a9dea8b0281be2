//! The selfcheck (validation) suite: podsim against known results (closed forms and a
//! published experiment), each row with its source. `podsim selfcheck` runs
//! it and writes docs/VALIDATION.md; the release-mode test suite asserts
//! every row passes.

use crate::aggregate::Aggregate;
use crate::model::{Model, HOURS_PER_WEEK};
use crate::runner::{self, Cancelled, Control, RepRange};
use crate::scenario::parse_str;
use crate::sim::{Layout, M};
use crate::stats::{self, Summary};

/// One line of the validation table.
#[derive(Clone, Debug)]
pub struct Row {
    pub check: String,
    pub expected: String,
    pub simulated: String,
    pub pass: bool,
    pub source: &'static str,
}

/// Replications used by each statistical check.
#[derive(Clone, Copy, Debug)]
pub struct Effort {
    pub reps: u64,
}

impl Default for Effort {
    fn default() -> Self {
        Effort { reps: 40 }
    }
}

const ERLANG: &str = "Erlang C (Gross & Harris, Fundamentals of Queueing Theory)";
const LITTLE: &str = "Little's law, L = lambda W (Little 1961)";
const BROOKS: &str = "MODEL.md §5 closed form E / (n (1 - c n^2)) (Brooks 1975; Abdel-Hamid & Madnick 1991)";
const AH_TABLE: &str = "Abdel-Hamid & Madnick 1991, communication overhead table";
/// Relative tolerance for Little's law over a finite window (edge effects).
pub const LITTLE_TOLERANCE: f64 = 0.005;
const MADACHY: &str = "Madachy 2008, Brooks's-law model (adding people late; in spirit)";

fn run(model: &Model, seed: u64, reps: u64, control: Control<'_>) -> Result<Aggregate, Cancelled> {
    let mut agg = Aggregate::new(
        Layout::new(model),
        model.strategies.iter().map(|s| s.name.clone()).collect(),
        0,
    );
    runner::run_into(model, seed, RepRange { first: 0, count: reps }, control, &mut agg)?;
    Ok(agg)
}

/// An M/M/c scenario: arrivals lambda/h, exponential effort 1/mu h, c servers.
pub fn mmc_scenario(lambda: f64, mu: f64, c: u32, horizon_weeks: f64, warmup_weeks: f64) -> String {
    format!(
        r#"name = "M/M/{c} lambda {lambda} mu {mu}"
horizon_weeks = {horizon_weeks}
warmup_weeks = {warmup_weeks}
[[workstream]]
name = "queue"
skill = "domain_expert"
arrivals_per_week = {}
effort_hours = {{ dist = "exponential", mean = {} }}
defect_rate = 0.0
questions_per_item = 0.0
[seniors]
count = 0
[overhead]
coefficient = 0.0
[channels.employee]
attrition_per_year = 0.0
[[strategy]]
name = "c = {c}"
structure = "individual"
review_fraction = 0.0
ops_requests_per_contributor_week = 0.0
team = [{{ role = "domain_expert", channel = "employee", count = {c} }}]
"#,
        lambda * HOURS_PER_WEEK,
        1.0 / mu
    )
}

/// A deterministic one-group project: `n` people, total effort `effort` hours
/// split into `per_person` equal items each.
pub fn brooks_scenario(n: u32, effort: f64, per_person: u32, coefficient: f64) -> String {
    let items = n * per_person;
    format!(
        r#"name = "brooks {n}"
horizon_weeks = 5000
[[workstream]]
name = "w"
skill = "ml_engineer"
backlog = {items}
effort_hours = {{ dist = "fixed", value = {} }}
defect_rate = 0.0
questions_per_item = 0.0
[seniors]
count = 0
[overhead]
coefficient = {coefficient}
[channels.employee]
attrition_per_year = 0.0
[[strategy]]
name = "one group"
structure = "individual"
review_fraction = 0.0
ops_requests_per_contributor_week = 0.0
team = [{{ role = "ml_engineer", channel = "employee", count = {n} }}]
"#,
        effort / items as f64
    )
}

fn fmt_ci(s: &Summary) -> String {
    format!("{:.4} (99 % CI {:.4} to {:.4})", s.mean, s.ci_low, s.ci_high)
}

fn model_of(text: &str) -> Model {
    parse_str(text, "validation").expect("validation scenarios are valid")
}

/// Runs every check. `brooks_text` is the Brooks's-law example scenario.
/// Stops between replications once `control.cancel` is set.
pub fn run_all(effort: Effort, brooks_text: &str, control: Control<'_>) -> Result<Vec<Row>, Cancelled> {
    let mut rows = Vec::new();
    // Erlang C across loads, including M/M/1 and rho = 0.95.
    let cases: [(f64, f64, u32, f64, f64); 5] = [
        (4.0, 1.0, 5, 250.0, 5.0),
        (0.5, 1.0, 1, 250.0, 5.0),
        (9.0, 1.0, 10, 250.0, 5.0),
        (2.0, 0.5, 6, 500.0, 10.0),
        (0.95, 1.0, 1, 2500.0, 250.0),
    ];
    for (i, &(lambda, mu, c, horizon, warm)) in cases.iter().enumerate() {
        let model = model_of(&mmc_scenario(lambda, mu, c, horizon, warm));
        let agg = run(&model, 1000 + i as u64, effort.reps, control)?;
        let rho = lambda / (c as f64 * mu);
        let wq = Summary::of(agg.column(0, M::QueueWaitMean as usize), 0.99);
        let pw = Summary::of(agg.column(0, M::PWait as usize), 0.99);
        let exact_wq = stats::erlang_c_wq(lambda, mu, c);
        let exact_pw = stats::erlang_c(lambda, mu, c);
        let label = format!("M/M/{c}, lambda {lambda}/h, mu {mu}/h (rho {rho:.2})");
        rows.push(Row {
            check: format!("{label}: mean wait in queue (h)"),
            expected: format!("{exact_wq:.4}"),
            simulated: fmt_ci(&wq),
            pass: wq.ci_low <= exact_wq && exact_wq <= wq.ci_high,
            source: ERLANG,
        });
        rows.push(Row {
            check: format!("{label}: P(wait)"),
            expected: format!("{exact_pw:.4}"),
            simulated: fmt_ci(&pw),
            pass: pw.ci_low <= exact_pw && exact_pw <= pw.ci_high,
            source: ERLANG,
        });
        if i == 0 {
            // Little's law for the queue and the whole system, per replication.
            // A finite window has edge effects of order (items in the system
            // at its ends) / (items through it): the check asks that the
            // relative gap is within LITTLE_TOLERANCE with 99 % confidence.
            for (name, l, w) in [
                ("queue: (Lq - lambda Wq) / Lq", M::QueueLenMean, M::QueueWaitMean),
                ("system: (L - lambda W) / L", M::WipMean, M::SojournMean),
            ] {
                let ls = agg.column(0, l as usize);
                let ws = agg.column(0, w as usize);
                let lam = agg.column(0, M::ThroughputPerHour as usize);
                let d: Vec<f64> = (0..ls.len()).map(|k| (ls[k] - lam[k] * ws[k]) / ls[k]).collect();
                let s = Summary::of(&d, 0.99);
                rows.push(Row {
                    check: format!("{label}: Little's law, {name}"),
                    expected: format!("0 (within ±{:.1} %)", 100.0 * LITTLE_TOLERANCE),
                    simulated: format!(
                        "{:.3} % (99 % CI {:.3} % to {:.3} %)",
                        100.0 * s.mean,
                        100.0 * s.ci_low,
                        100.0 * s.ci_high
                    ),
                    pass: s.ci_low > -LITTLE_TOLERANCE && s.ci_high < LITTLE_TOLERANCE,
                    source: LITTLE,
                });
            }
        }
    }

    // Brooks' closed form and the overhead table, deterministic.
    let total = 10_000.0;
    for (n, table) in [
        (5u32, 0.015),
        (10, 0.06),
        (15, 0.135),
        (20, 0.24),
        (25, 0.375),
        (30, 0.54),
    ] {
        let model = model_of(&brooks_scenario(n, total, 3, 0.0006));
        let m = runner::run_one(&model, 0, 1, 0).metrics;
        let finish = m[M::FinishWeek as usize] * HOURS_PER_WEEK;
        let exact = stats::brooks_completion(total, n, 0.0006, 0.8);
        rows.push(Row {
            check: format!("Brooks: {total} h of fixed effort, one group of {n}: completion (h)"),
            expected: format!("{exact:.9}"),
            simulated: format!("{finish:.9}"),
            pass: (finish - exact).abs() <= 1e-9 * exact,
            source: BROOKS,
        });
        let share = m[M::CoordinationHours as usize] / (n as f64 * finish);
        rows.push(Row {
            check: format!("Overhead of a group of {n}: coordination share of paid hours"),
            expected: format!("{:.1} %", 100.0 * table),
            simulated: format!("{:.1} %", 100.0 * share),
            pass: (share - table).abs() < 1e-9,
            source: AH_TABLE,
        });
    }

    // Madachy's experiment in spirit: the larger late addition finishes later.
    let model = model_of(brooks_text);
    let idx = |name: &str| model.strategies.iter().position(|s| s.name == name);
    if let (Some(keep), Some(five), Some(ten)) = (idx("keep 15"), idx("add 5 at week 8"), idx("add 10 at week 8")) {
        let agg = run(&model, model.seed, effort.reps, control)?;
        let f = M::FinishWeek as usize;
        let d = stats::paired(agg.column(five, f), agg.column(ten, f), 0.99).diff;
        let k = Summary::of(agg.column(keep, f), 0.99);
        let a5 = Summary::of(agg.column(five, f), 0.99);
        let a10 = Summary::of(agg.column(ten, f), 0.99);
        rows.push(Row {
            check: "Late project (15 people, week-14 deadline): adding 10 at week 8 finishes later than adding 5"
                .into(),
            expected: "difference > 0".into(),
            simulated: format!(
                "keep 15: {:.1} wk, +5: {:.1} wk, +10: {:.1} wk; +10 minus +5: {:.2} wk (99 % CI {:.2} to {:.2})",
                k.mean, a5.mean, a10.mean, d.mean, d.ci_low, d.ci_high
            ),
            pass: d.ci_low > 0.0,
            source: MADACHY,
        });
    }
    Ok(rows)
}

/// The validation table as Markdown.
pub fn markdown(rows: &[Row], effort: Effort) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let passed = rows.iter().filter(|r| r.pass).count();
    let _ = writeln!(out, "# Validation\n");
    let _ = writeln!(
        out,
        "podsim {} against known results. Regenerate with\n\n```sh\ncargo run --release -- selfcheck --out docs/VALIDATION.md\n```\n",
        env!("CARGO_PKG_VERSION")
    );
    let _ = writeln!(
        out,
        "Statistical rows use {} replications with fixed seeds and pass when the closed-form value lies inside the simulated 99 % confidence interval (Student t over replications). Deterministic rows must agree to 1e-9. The test suite runs this table in release mode and fails if any row fails.\n",
        effort.reps
    );
    let _ = writeln!(out, "**{passed} of {} checks pass.**\n", rows.len());
    let _ = writeln!(out, "| check | expected | simulated | result | source |");
    let _ = writeln!(out, "|---|---|---|---|---|");
    for r in rows {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            r.check,
            r.expected,
            r.simulated,
            if r.pass { "pass" } else { "**FAIL**" },
            r.source
        );
    }
    out
}
