//! Sweeps, sensitivity, Pareto frontiers and break-even search (issue #8).
//!
//! A sweep point is the scenario file with some numbers replaced: the file's
//! TOML document is edited at the locations a field path names
//! ([`path`]) and validated again exactly like a file, so every point gets
//! the same checks and located messages. Points are simulated with common
//! random numbers (the same seed and replication numbers everywhere), so
//! differences between points are paired, like differences between
//! strategies. No file I/O here: `cli::sweep` and `cli::sensitivity` read
//! and write; `output::sweep` formats.
//!
//! - [`grid`]: `--vary` values and the grid of points;
//! - [`sensitivity`]: one-at-a-time low/high variation, ranked (tornado);
//! - [`pareto`]: the frontier of (point, strategy) pairs on two metrics;
//! - [`breakeven`]: bisection for where two strategies are equal.

// Errors are the cold path and carry the context users need; their size is fine.
#![allow(clippy::result_large_err)]

pub mod breakeven;
pub mod grid;
pub mod pareto;
pub mod path;
pub mod sensitivity;

use crate::analysis::LEVEL;
use crate::model::Model;
use crate::runner::{drive, Cancelled, Control, Detail, Order, RepRange, Variant};
use crate::scenario::{self, LoadedScenario, ScenarioError};
use crate::sim::Layout;
use crate::stats::{self, Paired, Summary};
use path::{Param, PathError};
use std::collections::HashMap;

/// The scenario a sweep starts from: its validated model and its document.
#[derive(Clone, Debug)]
pub struct Base {
    pub model: Model,
    /// The file's TOML, edited per point.
    pub doc: toml::Table,
    /// The file's text, to locate validation errors.
    pub text: String,
    /// The file's name, for messages.
    pub file: String,
}

impl Base {
    /// From a loaded (already validated) scenario.
    pub fn new(loaded: &LoadedScenario) -> Result<Base, ScenarioError> {
        let doc: toml::Table = loaded.text.parse().map_err(|e: toml::de::Error| ScenarioError {
            file: loaded.path.clone(),
            line: None,
            column: None,
            field: None,
            message: e.message().to_string(),
            source_line: None,
            more: Vec::new(),
        })?;
        Ok(Base {
            model: loaded.model.clone(),
            doc,
            text: loaded.text.clone(),
            file: loaded.path.clone(),
        })
    }

    /// From scenario text (tests and tools).
    pub fn from_text(text: &str, file: &str) -> Result<Base, ScenarioError> {
        let model = scenario::parse_str(text, file)?;
        Base::new(&LoadedScenario {
            model,
            path: file.to_string(),
            hash: scenario::hash_bytes(text.as_bytes()),
            text: text.to_string(),
        })
    }

    /// Resolves a field path against this scenario.
    pub fn param(&self, path: &str) -> Result<Param, PathError> {
        path::resolve(path, &self.doc)
    }

    /// The scenario's horizon in weeks (bounds week fields).
    pub fn horizon_weeks(&self) -> f64 {
        self.model.horizon_weeks()
    }

    /// This scenario with `settings` written into it for good (`--set`):
    /// the edited document becomes the base of every point. Errors are
    /// located in the original file.
    pub fn with_settings(&self, settings: &[(&Param, f64)]) -> Result<Base, ScenarioError> {
        let model = self.variant(settings)?;
        let mut doc = self.doc.clone();
        for (p, x) in settings {
            path::set(&mut doc, p, *x).expect("checked by variant");
        }
        Ok(Base {
            model,
            doc,
            text: self.text.clone(),
            file: self.file.clone(),
        })
    }

    /// This scenario with every default written in, as `podsim show` resolves
    /// it, so that the assumptions the file leaves out can be varied like the
    /// ones it writes. The model is unchanged, and checked to be: a sweep of
    /// the resolved file must start from the same simulation as the file.
    pub fn with_defaults_written(&self) -> Result<Base, ScenarioError> {
        let here = |message: String| ScenarioError {
            file: self.file.clone(),
            line: None,
            column: None,
            field: None,
            message,
            source_line: None,
            more: Vec::new(),
        };
        let written = toml::to_string(&self.doc).map_err(|e| here(e.to_string()))?;
        let resolved = scenario::show::resolved_toml(&written, &self.file)?;
        let mut full = Base::from_text(&resolved, &self.file)?;
        if full.model != self.model {
            return Err(here(
                "internal error: the scenario with its defaults written in (`podsim show`) does not describe the same model \
                 as the file; please report it"
                    .into(),
            ));
        }
        // Messages still quote the file the user wrote.
        full.text = self.text.clone();
        Ok(full)
    }

    /// The model with `settings` applied, validated like a file. Errors name
    /// the point (`at sweep point overhead.cap = 0.99`) and, where it is
    /// written in the file, the field's line.
    pub fn variant(&self, settings: &[(&Param, f64)]) -> Result<Model, ScenarioError> {
        if settings.is_empty() {
            return Ok(self.model.clone());
        }
        let context = format!("at sweep point {}", describe(settings));
        let mut doc = self.doc.clone();
        for (p, x) in settings {
            path::set(&mut doc, p, *x).map_err(|message| ScenarioError {
                file: self.file.clone(),
                line: None,
                column: None,
                field: Some(p.path.clone()),
                message,
                source_line: None,
                more: Vec::new(),
            })?;
        }
        scenario::parse_table(&doc, &self.text, &self.file, &context)
    }
}

/// `a = 1, b = 2` for messages.
pub fn describe(settings: &[(&Param, f64)]) -> String {
    settings
        .iter()
        .map(|(p, x)| format!("`{} = {x}`", p.path))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A broken conservation invariant seen while simulating.
#[derive(Clone, Debug, PartialEq)]
pub struct Violation {
    pub point: usize,
    pub strategy: usize,
    pub replication: u64,
    pub what: String,
}

/// What [`simulate`] keeps of each distinct simulation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Keep {
    /// Every replication's value: for paired comparisons between cells.
    Columns,
    /// Summaries only (columns are dropped as each job completes): memory
    /// stays bounded however many points a grid has.
    Summaries,
}

/// Metric columns (or their summaries) of every simulated (point,
/// strategy): replication `i` of each column is replication `i` of the run
/// (common random numbers).
#[derive(Clone, Debug)]
pub struct Results {
    pub reps: u64,
    pub layout: Layout,
    /// `columns[job][metric][replication]` for each distinct job (empty
    /// with [`Keep::Summaries`]).
    columns: Vec<Vec<Vec<f64>>>,
    /// `summaries[job][metric]`, with [`Keep::Summaries`].
    summaries: Vec<Vec<Summary>>,
    /// `job[point][strategy]`: which job holds it (None: not simulated).
    job: Vec<Vec<Option<usize>>>,
}

impl Results {
    fn job_of(&self, point: usize, s: usize) -> Option<usize> {
        self.job.get(point)?.get(s).copied().flatten()
    }

    /// The metric column of strategy `s` at `point`, if it was simulated
    /// and kept ([`Keep::Columns`]).
    pub fn column(&self, point: usize, s: usize, m: usize) -> Option<&[f64]> {
        let j = self.job_of(point, s)?;
        self.columns.get(j).map(|c| c[m].as_slice())
    }

    /// Summary (mean, CI, percentiles) of a metric at a point.
    pub fn summary(&self, point: usize, s: usize, m: usize) -> Summary {
        match self.job_of(point, s).and_then(|j| self.summaries.get(j)) {
            Some(sm) => sm[m].clone(),
            None => Summary::of(self.column(point, s, m).unwrap_or(&[]), LEVEL),
        }
    }

    /// Paired difference `b - a` between two (point, strategy) cells on
    /// metric `m`, over the same replications (needs [`Keep::Columns`]).
    pub fn paired(&self, a: (usize, usize), b: (usize, usize), m: usize) -> Paired {
        stats::paired(
            self.column(a.0, a.1, m).unwrap_or(&[]),
            self.column(b.0, b.1, m).unwrap_or(&[]),
            LEVEL,
        )
    }

    /// Number of points.
    pub fn points(&self) -> usize {
        self.job.len()
    }

    /// Distinct (model, strategy) simulations behind the cells.
    pub fn distinct_jobs(&self) -> usize {
        self.columns.len().max(self.summaries.len())
    }

    /// Whether two cells are filled by the same simulation (the point
    /// leaves that strategy's scenario unchanged).
    pub fn shares_job(&self, a: (usize, usize), b: (usize, usize)) -> bool {
        let (x, y) = (self.job_of(a.0, a.1), self.job_of(b.0, b.1));
        x.is_some() && x == y
    }

    /// Whether two cells hold the same results (the same job, or equal
    /// summaries of every metric, bit for bit).
    pub fn same(&self, a: (usize, usize), b: (usize, usize)) -> bool {
        if self.job_of(a.0, a.1) == self.job_of(b.0, b.1) {
            return true;
        }
        (0..self.layout.metric_names.len())
            .all(|m| format!("{:?}", self.summary(a.0, a.1, m)) == format!("{:?}", self.summary(b.0, b.1, m)))
    }
}

/// The part of a strategy's model its replications depend on, as text
/// (Debug prints floats exactly): equal keys, equal simulations.
fn job_key(shared: &str, m: &Model, s: usize) -> String {
    format!("{shared}|{:?}", m.strategies[s])
}

fn shared_key(m: &Model) -> String {
    let mut shared = m.clone();
    shared.strategies.clear();
    shared.name.clear();
    shared.description = None;
    shared.seed = 0;
    shared.replications = 0;
    format!("{shared:?}")
}

fn hash(s: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    s.hash(&mut h);
    h.finish()
}

/// Distinct simulations needed for `strategies` of every model: a strategy
/// whose model is unchanged by a point (same shared settings, same
/// strategy) is simulated once and shared, which is exact since a
/// strategy's replication depends only on those and the seed.
pub fn plan_jobs(models: &[Model], strategies: &[usize]) -> JobPlan {
    // Keys are hashed to keep memory small; a hash match is confirmed by
    // comparing the full keys (recomputed: matches are few).
    let mut seen: HashMap<u64, Vec<usize>> = HashMap::new();
    let mut jobs: Vec<(usize, usize)> = Vec::new();
    let mut index = Vec::with_capacity(models.len());
    for (p, m) in models.iter().enumerate() {
        let shared = shared_key(m);
        let mut row = vec![None; m.strategies.len()];
        for &s in strategies {
            let key = job_key(&shared, m, s);
            let candidates = seen.entry(hash(&key)).or_default();
            let found = candidates.iter().copied().find(|&j| {
                let (jp, js) = jobs[j];
                job_key(&shared_key(&models[jp]), &models[jp], js) == key
            });
            let j = found.unwrap_or_else(|| {
                jobs.push((p, s));
                candidates.push(jobs.len() - 1);
                jobs.len() - 1
            });
            row[s] = Some(j);
        }
        index.push(row);
    }
    JobPlan { jobs, index }
}

/// The distinct simulations of a sweep and which cells they fill.
#[derive(Clone, Debug, PartialEq)]
pub struct JobPlan {
    /// (point, strategy) of each distinct simulation.
    pub jobs: Vec<(usize, usize)>,
    /// `index[point][strategy]`: the job that fills the cell, if any.
    pub index: Vec<Vec<Option<usize>>>,
}

/// Why [`simulate`] produced no results.
#[derive(Clone, Debug, PartialEq)]
pub enum Stopped {
    /// A conservation invariant broke (an engine bug).
    Violation(Violation),
    /// The cancellation flag was set (Ctrl-C).
    Cancelled,
}

impl From<Cancelled> for Stopped {
    fn from(_: Cancelled) -> Self {
        Stopped::Cancelled
    }
}

/// Simulates replications `0..reps` of `strategies` at every model (all
/// from the same scenario, so they share the metric layout) through the
/// Monte Carlo driver, one variant per distinct job, variant by variant so
/// a job's summaries can be taken as soon as it completes. Results are
/// collected by job index, so they do not depend on the thread count.
/// `control.tick` is called once per simulated replication; [`plan_jobs`]
/// says how many there will be.
pub fn simulate(
    models: &[Model],
    strategies: &[usize],
    seed: u64,
    reps: u64,
    keep: Keep,
    control: Control<'_>,
) -> Result<Results, Stopped> {
    assert!(!models.is_empty(), "a sweep has at least one point");
    assert!(reps > 0, "at least one replication");
    let layout = Layout::new(&models[0]);
    let JobPlan { jobs, index: job } = plan_jobs(models, strategies);
    let n_metrics = layout.metric_names.len();
    let variants: Vec<Variant<'_>> = jobs
        .iter()
        .map(|&(p, s)| Variant {
            model: &models[p],
            strategy: s,
        })
        .collect();
    let mut columns: Vec<Vec<Vec<f64>>> = vec![vec![Vec::new(); n_metrics]; jobs.len()];
    let mut summaries: Vec<Vec<Summary>> = Vec::new();
    let mut violation: Option<Violation> = None;
    let range = RepRange { first: 0, count: reps };
    drive(
        &variants,
        seed,
        range,
        Order::ByVariant,
        Detail::MetricsOnly,
        control,
        |j, rep, r| {
            if violation.is_some() {
                return;
            }
            if let Some(what) = r.invariant_violation {
                let (point, strategy) = jobs[j];
                violation = Some(Violation {
                    point,
                    strategy,
                    replication: rep,
                    what,
                });
                return;
            }
            for (m, v) in r.metrics.into_iter().enumerate().take(n_metrics) {
                columns[j][m].push(v);
            }
            if keep == Keep::Summaries && rep + 1 == reps {
                summaries.push(columns[j].iter().map(|c| Summary::of(c, LEVEL)).collect());
                columns[j] = Vec::new();
            }
        },
    )?;
    if let Some(v) = violation {
        return Err(Stopped::Violation(v));
    }
    if keep == Keep::Summaries {
        columns = Vec::new();
    }
    Ok(Results {
        reps,
        layout,
        columns,
        summaries,
        job,
    })
}

/// Index of a metric by name, or a message with a "did you mean".
pub fn metric_index(layout: &Layout, name: &str) -> Result<usize, String> {
    layout.metric_index(name).ok_or_else(|| {
        let names = || layout.metric_names.iter().map(String::as_str);
        let containing: Vec<&str> = names().filter(|m| !name.is_empty() && m.contains(name)).take(6).collect();
        let hint = match crate::scenario::spans::closest(name, names()) {
            Some(c) => format!(" (did you mean `{c}`?)"),
            None if !containing.is_empty() => format!(" (did you mean one of: {}?)", containing.join(", ")),
            None => String::new(),
        };
        format!(
            "unknown metric `{name}`{hint}; metrics are the columns of summary.csv, e.g. finish_week, cost_total, deep_focus_h_per_senior_week, coordination_hours"
        )
    })
}

/// Indexes of strategies by name (all when `names` is empty), or a message
/// with a "did you mean".
pub fn strategy_indexes(model: &Model, names: &[String]) -> Result<Vec<usize>, String> {
    if names.is_empty() {
        return Ok((0..model.strategies.len()).collect());
    }
    let all: Vec<&str> = model.strategies.iter().map(|s| s.name.as_str()).collect();
    let mut out = Vec::new();
    for n in names {
        let n = n.trim();
        let Some(i) = all.iter().position(|s| *s == n) else {
            let hint = crate::scenario::spans::closest(n, all.iter().copied())
                .map(|c| format!(" (did you mean \"{c}\"?)"))
                .unwrap_or_default();
            return Err(format!(
                "no strategy is named \"{n}\"{hint}; the strategies are {}",
                all.iter().map(|s| format!("\"{s}\"")).collect::<Vec<_>>().join(", ")
            ));
        };
        if !out.contains(&i) {
            out.push(i);
        }
    }
    Ok(out)
}

/// Splits a comma-separated list, keeping commas inside double quotes
/// (field paths with quoted names).
pub fn split_list(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut escaped = false;
    for c in s.chars() {
        match c {
            _ if escaped => {
                escaped = false;
                cur.push(c);
            }
            '\\' if quoted => {
                escaped = true;
                cur.push(c);
            }
            '"' => {
                quoted = !quoted;
                cur.push(c);
            }
            ',' if !quoted => out.push(std::mem::take(&mut cur).trim().to_string()),
            _ => cur.push(c),
        }
    }
    out.push(cur.trim().to_string());
    out.retain(|x| !x.is_empty());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) const SMALL: &str = r#"
name = "small"
horizon_weeks = 30
[[workstream]]
name = "a"
skill = "domain_expert"
backlog = 40
effort_hours = { dist = "lognormal", mean = 3.0, cv = 0.5 }
questions_per_item = 0.5
[seniors]
count = 2
[[strategy]]
name = "individual"
structure = "individual"
team = [{ role = "domain_expert", channel = "freelancer", count = 4 }]
[[strategy]]
name = "pods"
structure = "pods"
pods = { count = 1, pod_size = 4 }
team = [{ role = "domain_expert", channel = "pod", count = 4 }]
"#;

    #[test]
    fn variants_are_validated_with_the_point_named() {
        let base = Base::from_text(SMALL, "small.toml").unwrap();
        let p = base.param("strategy.pods.pod_size").unwrap();
        let m = base.variant(&[(&p, 3.0)]).unwrap();
        assert_eq!(m.strategies[1].pods.as_ref().unwrap().size, 3);
        let e = base.variant(&[(&p, 12.0)]).unwrap_err().to_string();
        assert!(e.contains("small.toml:19:21:"), "{e}");
        assert!(e.contains("`strategy[1].pods.pod_size`"), "{e}");
        assert!(e.contains("got 12"), "{e}");
        assert!(e.contains("at sweep point `strategy.pods.pod_size = 12`"), "{e}");
    }

    #[test]
    fn unchanged_strategies_are_simulated_once_and_results_do_not_depend_on_threads() {
        let base = Base::from_text(SMALL, "small.toml").unwrap();
        let p = base.param("strategy.pods.pod_size").unwrap();
        let models: Vec<Model> = [2.0, 4.0].iter().map(|&x| base.variant(&[(&p, x)]).unwrap()).collect();
        assert_eq!(
            plan_jobs(&models, &[0, 1]).jobs.len(),
            3,
            "individual is the same at both points"
        );
        let run = |threads| {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
            pool.install(|| simulate(&models, &[0, 1], 7, 3, Keep::Columns, Control::none()).unwrap())
        };
        let (a, b) = (run(1), run(2));
        for pt in 0..2 {
            for s in 0..2 {
                for m in 0..a.layout.metric_names.len() {
                    let (x, y) = (a.column(pt, s, m).unwrap(), b.column(pt, s, m).unwrap());
                    assert_eq!(
                        x.iter().map(|v| v.to_bits()).collect::<Vec<_>>(),
                        y.iter().map(|v| v.to_bits()).collect::<Vec<_>>()
                    );
                }
            }
        }
        // Shared cells are the very same numbers as a plain run.
        let direct = crate::runner::run_one(&models[1], 0, 7, 2);
        assert_eq!(a.column(1, 0, 0).unwrap()[2].to_bits(), direct.metrics[0].to_bits());
    }

    #[test]
    fn summaries_only_equal_summaries_of_columns() {
        let base = Base::from_text(SMALL, "small.toml").unwrap();
        let p = base.param("workstream.a.questions_per_item").unwrap();
        let models: Vec<Model> = [0.2, 0.5, 0.2]
            .iter()
            .map(|&x| base.variant(&[(&p, x)]).unwrap())
            .collect();
        let cols = simulate(&models, &[0, 1], 3, 4, Keep::Columns, Control::none()).unwrap();
        let sums = simulate(&models, &[0, 1], 3, 4, Keep::Summaries, Control::none()).unwrap();
        assert_eq!(cols.distinct_jobs(), 4, "points 0 and 2 are the same scenario");
        assert_eq!(sums.distinct_jobs(), 4);
        assert!(sums.column(0, 0, 0).is_none());
        for pt in 0..3 {
            for s in 0..2 {
                for m in 0..cols.layout.metric_names.len() {
                    assert_eq!(
                        format!("{:?}", cols.summary(pt, s, m)),
                        format!("{:?}", sums.summary(pt, s, m))
                    );
                }
            }
        }
        assert!(sums.same((0, 1), (2, 1)) && !sums.same((0, 1), (1, 1)));
    }

    #[test]
    fn lists_keep_quoted_commas() {
        assert_eq!(
            split_list(r#"a.b, strategy."x, y".c ,d"#),
            vec!["a.b", r#"strategy."x, y".c"#, "d"]
        );
        assert!(split_list(" , ").is_empty());
    }

    #[test]
    fn unknown_names_suggest() {
        let base = Base::from_text(SMALL, "small.toml").unwrap();
        let e = strategy_indexes(&base.model, &["pod".into()]).unwrap_err();
        assert!(e.contains("did you mean \"pods\""), "{e}");
        let layout = Layout::new(&base.model);
        assert!(metric_index(&layout, "cost_totl").unwrap_err().contains("cost_total"));
    }
}
