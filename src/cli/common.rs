//! Pieces several subcommands share: output formats and folders, worker
//! threads, progress bars, shards, Ctrl-C, the chart and report steps that
//! follow a run, and the set-up common to `sweep` and `sensitivity`. No
//! subcommand file imports another's; what two of them need lives here.

use super::CliError;
use crate::aggregate::Aggregate;
use crate::analysis;
use crate::charts::{self, style, Figure, Formats, RunData, Skipped, SweepData};
use crate::model::Model;
use crate::output::sweep::{ParamInfo, SweepInfo};
use crate::output::{table, write_atomic, RunInfo};
use crate::report::{self, Chart, Omitted, Scenario};
use crate::runner::{Control, RepRange};
use crate::scenario::{self, LoadedScenario};
use crate::sweep::path::Param;
use crate::sweep::{self, grid, Base, Keep, Results, Stopped};
use clap::{Args, ValueEnum};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;

/// Standard output format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
}

pub fn parse_shard(s: &str) -> Result<(u64, u64), String> {
    let (i, n) = s
        .split_once('/')
        .ok_or_else(|| format!("expected i/n such as 2/8, got {s:?}"))?;
    let i: u64 = i
        .trim()
        .parse()
        .map_err(|_| format!("expected a shard number, got {i:?}"))?;
    let n: u64 = n
        .trim()
        .parse()
        .map_err(|_| format!("expected a shard count, got {n:?}"))?;
    if n == 0 || i == 0 || i > n {
        return Err(format!("expected 1 <= i <= n, got {i}/{n}"));
    }
    Ok((i, n))
}

/// The replications of shard i of n out of `total`: contiguous, balanced blocks.
pub fn shard_range(i: u64, n: u64, total: u64) -> RepRange {
    let first = (i - 1) * total / n;
    let end = i * total / n;
    RepRange {
        first,
        count: end - first,
    }
}

/// Upper bound on replications from the command line, as for scenarios.
pub const MAX_REPS: u64 = crate::scenario::validate::limits::MAX_REPLICATIONS as u64;

/// The Monte Carlo driver's control for a command: Ctrl-C cancels, `tick`
/// reports progress.
pub fn control(tick: &(dyn Fn() + Sync)) -> Control<'_> {
    Control {
        cancel: &super::INTERRUPTED,
        tick,
    }
}

/// Exit status when standard output is closed under us: what a shell
/// reports for a process ended by SIGPIPE (128 + 13).
pub const CLOSED_STDOUT: i32 = 141;

/// Writes to standard output (the `out!` and `outln!` macros). A closed
/// pipe ends the process quietly with [`CLOSED_STDOUT`]; other write
/// errors are reported once on standard error and end it with status 1.
pub fn write_stdout(args: std::fmt::Arguments<'_>) {
    let mut stdout = std::io::stdout().lock();
    let written = stdout.write_fmt(args).and_then(|()| stdout.flush());
    match written {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => std::process::exit(CLOSED_STDOUT),
        Err(e) => {
            write_stderr(format_args!("error: cannot write to standard output: {e}\n"));
            std::process::exit(1);
        }
    }
}

/// Writes to standard error (the `errln!` macro), ignoring failures.
pub fn write_stderr(args: std::fmt::Arguments<'_>) {
    let _ = std::io::stderr().lock().write_fmt(args);
}

/// `Err(Interrupted)` once Ctrl-C was pressed: checked before a command's
/// first write, so an interrupted command writes nothing.
pub fn stop_if_interrupted() -> Result<(), CliError> {
    if super::INTERRUPTED.load(Ordering::SeqCst) {
        Err(CliError::Interrupted)
    } else {
        Ok(())
    }
}

pub fn thread_pool(threads: Option<usize>) -> Result<rayon::ThreadPool, CliError> {
    // Without --threads, rayon's default applies (RAYON_NUM_THREADS, else all cores).
    let requested = match threads {
        Some(0) => return Err(CliError::Input("--threads: expected at least 1".into())),
        Some(t) => t,
        None => 0,
    };
    rayon::ThreadPoolBuilder::new()
        .num_threads(requested)
        .build()
        .map_err(|e| CliError::Runtime(format!("cannot start worker threads: {e}")))
}

/// Help for `--metric`: every metric of the catalogue by name (per
/// workstream, role and channel metrics come on top; summary.csv lists all).
pub fn metric_help(what: &str) -> String {
    let names: Vec<&str> = crate::metrics::M::ALL.iter().map(|m| m.name()).collect();
    format!(
        "{what} One of: {}; or a per-workstream, per-role or per-channel metric (the `metric` column of summary.csv).",
        names.join(", ")
    )
}

/// The scenario's name for output folders: the file's stem, except for a
/// file named `scenario.toml` (what `podsim init DIR` writes), which is
/// named by its folder, so that programmes started with `init` do not
/// overwrite each other's results.
pub fn scenario_name(scenario: &Path) -> String {
    let stem = scenario
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "run".into());
    if stem != INIT_STEM {
        return stem;
    }
    let folder = scenario
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map(Path::to_path_buf)
        .or_else(|| std::env::current_dir().ok())
        .and_then(|p| std::fs::canonicalize(&p).ok().or(Some(p)))
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()));
    folder.filter(|f| !f.is_empty()).unwrap_or(stem)
}

/// The stem of the file `podsim init` writes.
const INIT_STEM: &str = "scenario";

/// output/<scenario name>/ (see [`scenario_name`]).
pub fn default_out_dir(scenario: &Path) -> PathBuf {
    PathBuf::from("output").join(scenario_name(scenario))
}

/// output/<scenario name>-<kind>/: the folder of `sweep`, `sensitivity`,
/// break-even and `optimise`, beside the run's (never inside it, so each
/// command's folder carries its own marker and none overwrites another).
pub fn default_out_dir_of(scenario: &Path, kind: &str) -> PathBuf {
    PathBuf::from("output").join(format!("{}-{kind}", scenario_name(scenario)))
}

/// A progress bar on a terminal; hidden when stderr is not one or with --quiet.
pub fn progress_bar(total: u64, quiet: bool) -> ProgressBar {
    styled_bar(
        Some(total),
        quiet,
        "{bar:40.cyan/blue} {pos}/{len} replications  {per_sec}  ETA {eta}",
    )
}

/// [`progress_bar`] over the bytes of input files being read.
pub fn bytes_bar(total: u64, quiet: bool) -> ProgressBar {
    styled_bar(
        Some(total),
        quiet,
        "{bar:40.cyan/blue} {bytes}/{total_bytes} read  {bytes_per_sec}  ETA {eta}",
    )
}

/// [`progress_bar`] for work whose amount is not known ahead: a count.
pub fn counter_bar(what: &str, quiet: bool) -> ProgressBar {
    styled_bar(
        None,
        quiet,
        &format!("{{spinner}} {{pos}} {what}  {{per_sec}}  {{elapsed}}"),
    )
}

fn styled_bar(total: Option<u64>, quiet: bool, template: &str) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(total, ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template(template)
            .expect("valid template")
            .progress_chars("=> "),
    );
    bar
}

/// Prints the comparison (text or JSON) for a finished run.
pub fn print_comparison(
    model: &Model,
    agg: &Aggregate,
    an: &analysis::Analysis,
    info: &RunInfo,
    format: Format,
    shard: bool,
) -> Result<(), CliError> {
    match format {
        // A shard is a part: its comparison would mislead; the merge prints it.
        Format::Text if shard => {}
        Format::Text => out!("{}", table::render(model, agg, an)),
        Format::Json => {
            let v = table::render_json(model, agg, an, info);
            outln!("{}", serde_json::to_string_pretty(&v).expect("report serialises"));
        }
    }
    Ok(())
}

// ---- The chart and report steps after a run (also `podsim chart`, `podsim report`).

/// `--chart-format`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ChartFormat {
    Png,
    Svg,
    Both,
}

impl From<ChartFormat> for Formats {
    fn from(f: ChartFormat) -> Formats {
        match f {
            ChartFormat::Png => Formats::Png,
            ChartFormat::Svg => Formats::Svg,
            ChartFormat::Both => Formats::Both,
        }
    }
}

impl From<charts::DataError> for CliError {
    fn from(e: charts::DataError) -> Self {
        if e.is_input() {
            CliError::Input(e.to_string())
        } else {
            CliError::Runtime(e.to_string())
        }
    }
}

impl From<charts::ChartError> for CliError {
    fn from(e: charts::ChartError) -> Self {
        CliError::Runtime(e.to_string())
    }
}

/// What a chart step wrote and left out.
pub struct Written {
    pub dir: PathBuf,
    pub figures: Vec<Figure>,
    pub files: Vec<PathBuf>,
    pub skipped: Vec<Skipped>,
}

impl Written {
    /// A short account for the terminal.
    pub fn describe(&self) -> String {
        let mut out = format!(
            "wrote {} chart(s) ({} file(s)) to {}",
            self.figures.len(),
            self.files.len(),
            self.dir.display()
        );
        for s in &self.skipped {
            out.push_str(&format!("\n  skipped {}: {}", s.id, s.reason));
        }
        out
    }
}

/// The charts folder of an output folder.
pub use crate::results::charts_dir;

/// Renders every chart of `data` into `out/charts/`.
pub fn write_charts(data: &RunData, out: &Path, formats: Formats) -> Result<Written, CliError> {
    let (figures, skipped) = charts::run_figures(data);
    let w = write_figures(figures, skipped, out, formats)?;
    // Without uncertainty.json the charts over worlds do not apply and are
    // not listed as skipped; files an earlier run over worlds left here go.
    if data.uncertainty.is_none() {
        crate::results::remove_chart_files(&w.dir, charts::WORLD_CHART_IDS)?;
    }
    Ok(w)
}

/// Renders every chart of a sweep or sensitivity folder into `out/charts/`.
pub fn write_sweep_charts(data: &SweepData, out: &Path, formats: Formats) -> Result<Written, CliError> {
    let (figures, skipped) = charts::sweep_figures(data);
    write_figures(figures, skipped, out, formats)
}

/// Renders every chart of an optimiser folder into `out/charts/`.
pub fn write_optimise_charts(
    data: &crate::results::OptimiseData,
    out: &Path,
    formats: Formats,
) -> Result<Written, CliError> {
    let (figures, skipped) = charts::optimise_figures(data);
    write_figures(figures, skipped, out, formats)
}

fn write_figures(
    figures: Vec<Figure>,
    skipped: Vec<Skipped>,
    out: &Path,
    formats: Formats,
) -> Result<Written, CliError> {
    let dir = charts_dir(out);
    let files = charts::write_figures(&dir, &figures, &skipped, formats)?;
    Ok(Written {
        dir,
        figures,
        files,
        skipped,
    })
}

/// Draws the waterfall of the explain files in `out` into `out/charts/`;
/// returns the terminal account.
pub fn explain_charts_of(out: &Path, formats: Formats) -> Result<String, CliError> {
    let Some(data) = crate::results::ExplainData::load(out)? else {
        return Err(CliError::Runtime(format!(
            "{}: explain.csv was not written",
            out.display()
        )));
    };
    let (figures, skipped) = charts::explain_figures(&data);
    Ok(write_figures(figures, skipped, out, formats)?.describe())
}

/// Loads the folder written by `sweep` or `sensitivity` in `out` and draws
/// its charts (shared by those commands); returns the terminal account.
pub fn sweep_charts_of(out: &Path, formats: Formats) -> Result<String, CliError> {
    let data = SweepData::load(out)?;
    Ok(write_sweep_charts(&data, out, formats)?.describe())
}

/// Loads the scenario the run came from, if it is still there and unchanged.
fn scenario_of(info: &RunInfo) -> Result<Model, String> {
    let path = Path::new(&info.scenario_path);
    if !path.is_file() {
        return Err(format!(
            "the scenario file {} was not found from the current folder",
            info.scenario_path
        ));
    }
    match crate::scenario::load(path) {
        Ok(s) if s.hash == info.scenario_sha256 => Ok(s.model),
        Ok(_) => Err(format!(
            "the scenario file {} has changed since the run (its SHA-256 differs from run.json)",
            info.scenario_path
        )),
        Err(e) => Err(format!(
            "the scenario file {} no longer loads ({})",
            info.scenario_path,
            e.to_string().lines().next().unwrap_or("")
        )),
    }
}

/// Writes the charts, report.html and report.md into `out`; returns a line per thing written.
pub fn write_report(data: &RunData, out: &Path, format: ChartFormat) -> Result<Vec<String>, CliError> {
    let w = write_charts(data, out, format.into())?;
    let ext = if format == ChartFormat::Svg { "svg" } else { "png" };
    let charts_rel = w.dir.strip_prefix(out).unwrap_or(&w.dir).to_path_buf();
    // A figure as the report shows it: inlined SVG, linked image file.
    let report_chart = |f: &Figure| -> Result<Chart, CliError> {
        Ok(Chart {
            id: f.id.to_string(),
            title: charts::chart_name(f.id).to_string(),
            caption: f.description().to_string(),
            svg: charts::render_svg(f, (style::WIDTH, style::HEIGHT))?,
            file: charts_rel
                .join(format!("{}.{ext}", f.id))
                .to_string_lossy()
                .replace('\\', "/"),
        })
    };
    let list: Vec<Chart> = w.figures.iter().map(report_chart).collect::<Result<_, _>>()?;
    let omitted: Vec<Omitted> = w
        .skipped
        .iter()
        .map(|s| Omitted {
            title: charts::chart_name(s.id).to_string(),
            reason: s.reason.clone(),
        })
        .collect();
    let model = scenario_of(&data.info);
    let scenario = match &model {
        Ok(m) => Scenario::Loaded(m),
        Err(why) => Scenario::Unavailable {
            why: why.clone(),
            channel_defaults: Box::new(crate::model::Channel::ALL.map(crate::scenario::validate::default_channel)),
        },
    };
    let mut doc = report::build(data, &scenario, &list, &omitted);
    let mut said = vec![w.describe()];
    if let Some(e) = crate::results::ExplainData::load(out)? {
        // `podsim explain` ran beside this run: its section goes before the
        // assumptions, with the waterfall redrawn like the run's charts.
        let (figures, skipped) = charts::explain_figures(&e);
        let files = charts::write_figures(&w.dir, &figures, &skipped, format.into())?;
        said.push(format!(
            "wrote {} explain chart file(s) to {}",
            files.len(),
            w.dir.display()
        ));
        let chart = figures.first().map(report_chart).transpose()?;
        let blocks = report::explain::section(&e, &data.info.scenario_sha256, chart);
        doc.insert_before("Scenario", blocks);
    } else if data.info.strategies.len() > 1 {
        let blocks = report::explain::not_yet(&data.info.scenario_path, data.info.seed, &out.display().to_string());
        doc.insert_before("Scenario", blocks);
    }
    let html_path = out.join("report.html");
    let md_path = out.join("report.md");
    write_atomic(&html_path, report::html::render(&doc).as_bytes())?;
    write_atomic(&md_path, report::markdown::render(&doc).as_bytes())?;
    said.push(format!("wrote {}", html_path.display()));
    said.push(format!("wrote {}", md_path.display()));
    Ok(said)
}

// ---- What `sweep` and `sensitivity` share.

/// Options every sweep-like command shares with `run`.
#[derive(Args, Debug)]
pub struct CommonArgs {
    /// Replications per strategy at every point (default: the scenario's `replications`).
    #[arg(long)]
    pub reps: Option<u64>,
    /// Random seed (default: the scenario's `seed`); the same at every point.
    #[arg(long)]
    pub seed: Option<u64>,
    /// Output folder (the default depends on the command; see its --help).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Write into an existing folder even if podsim did not create it.
    #[arg(long)]
    pub force: bool,
    /// Worker threads (default: RAYON_NUM_THREADS, else all cores). Results do not depend on it.
    #[arg(long)]
    pub threads: Option<usize>,
    /// Change a field for the whole run before anything is varied, e.g.
    /// `--set 'strategy."elastic bench".scaling.bench_premium=1.5'`. Repeatable.
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub set: Vec<String>,
    /// Standard output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// No progress bar or chatter; results only.
    #[arg(long, short)]
    pub quiet: bool,
    /// Do not write charts into <out>/charts/.
    #[arg(long)]
    pub no_charts: bool,
    /// Chart file formats.
    #[arg(long, value_enum, default_value_t = ChartFormat::Both)]
    pub chart_format: ChartFormat,
}

/// What `sweep` and `sensitivity` set up the same way.
pub struct Setup {
    pub loaded: LoadedScenario,
    pub base: Base,
    pub reps: u64,
    pub seed: u64,
    pub out_dir: PathBuf,
    pub pool: rayon::ThreadPool,
    pub chatty: bool,
    pub hide_bar: bool,
    /// The `--set` fields and their values.
    pub set: Vec<(Param, f64)>,
    /// Charts to write after the files (None with --no-charts).
    pub charts: Option<crate::charts::Formats>,
}

pub fn setup(scenario_path: &Path, common: &CommonArgs, kind: &str) -> Result<Setup, CliError> {
    let loaded = scenario::load(scenario_path)?;
    let mut base = Base::new(&loaded)?;
    let mut set: Vec<(Param, f64)> = Vec::new();
    for item in &common.set {
        let (path, value) = grid::split_vary(item).map_err(|e| CliError::Input(format!("--set: {e}")))?;
        let param = base
            .param(path)
            .map_err(|e| CliError::Input(format!("--set {}: {e}", loaded.path)))?;
        let x = match grid::parse_values(value).map_err(input(&format!("--set {path}")))?[..] {
            [x] => x,
            _ => {
                return Err(CliError::Input(format!(
                    "--set {path}: expected one value (use --vary for several), got `{value}`"
                )))
            }
        };
        if let Some((other, _)) = set
            .iter()
            .find(|(o, _)| o.locations.iter().any(|l| param.locations.contains(l)))
        {
            return Err(CliError::Input(format!("--set {path}: overlaps --set {}", other.path)));
        }
        set.push((param, x));
    }
    if !set.is_empty() {
        let settings: Vec<(&Param, f64)> = set.iter().map(|(p, x)| (p, *x)).collect();
        base = base.with_settings(&settings)?;
    }
    let reps = common.reps.unwrap_or(loaded.model.replications as u64);
    if reps == 0 || reps > MAX_REPS {
        return Err(CliError::Input(format!(
            "--reps: expected between 1 and {MAX_REPS}, got {reps}"
        )));
    }
    let seed = common.seed.unwrap_or(loaded.model.seed);
    let out_dir = common
        .out
        .clone()
        .unwrap_or_else(|| default_out_dir_of(scenario_path, kind));
    let pool = thread_pool(common.threads)?;
    Ok(Setup {
        loaded,
        base,
        reps,
        seed,
        out_dir,
        pool,
        chatty: !common.quiet && common.format == Format::Text,
        hide_bar: common.quiet || common.format == Format::Json,
        set,
        charts: (!common.no_charts).then_some(common.chart_format.into()),
    })
}

impl Setup {
    pub fn info(&self, kind: &str, strategies: &[usize], wall: f64) -> SweepInfo {
        let m = &self.loaded.model;
        SweepInfo {
            podsim_version: env!("CARGO_PKG_VERSION").to_string(),
            kind: kind.into(),
            scenario_name: m.name.clone(),
            scenario_path: self.loaded.path.clone(),
            scenario_sha256: self.loaded.hash.clone(),
            seed: self.seed,
            replications: self.reps,
            strategies: strategies.iter().map(|&s| m.strategies[s].name.clone()).collect(),
            scenario_strategies: m.strategies.iter().map(|s| s.name.clone()).collect(),
            threads: self.pool.current_num_threads(),
            wall_time_s: wall,
            parameters: Vec::new(),
            set: self.set.iter().map(|(p, x)| param_info(p, vec![*x])).collect(),
            points: 0,
            distinct_simulations: 0,
            metrics: Vec::new(),
            pareto: None,
            delta: None,
            defaults_not_varied: None,
            breakeven: None,
        }
    }

    /// Simulates `models` for `strategies` with a progress bar.
    pub fn simulate(&self, models: &[Model], strategies: &[usize], keep: Keep) -> Result<Results, CliError> {
        let jobs = sweep::plan_jobs(models, strategies).jobs.len() as u64;
        let bar = progress_bar(jobs * self.reps, self.hide_bar);
        let tick = || bar.inc(1);
        let r = self
            .pool
            .install(|| sweep::simulate(models, strategies, self.seed, self.reps, keep, control(&tick)));
        bar.finish_and_clear();
        r.map_err(|stopped| match stopped {
            Stopped::Cancelled => CliError::Interrupted,
            Stopped::Violation(v) => CliError::Runtime(format!(
                "internal error: conservation invariant broken in strategy \"{}\" at point {}, replication {}: {}",
                models[v.point].strategies[v.strategy].name, v.point, v.replication, v.what
            )),
        })
    }

    pub fn json(&self, v: &serde_json::Value) {
        outln!("{}", serde_json::to_string_pretty(v).expect("report serialises"));
    }

    pub fn write_info(&self, name: &str, info: &SweepInfo) -> Result<(), CliError> {
        let json = serde_json::to_string_pretty(info).expect("info serialises");
        write_atomic(&self.out_dir.join(name), format!("{json}\n").as_bytes())?;
        Ok(())
    }

    /// Draws the folder's charts (after the table, so a chart failure never
    /// hides the results), reading the files just written as `podsim chart` does.
    pub fn charts(&self) -> Result<(), CliError> {
        if let Some(formats) = self.charts {
            let said = sweep_charts_of(&self.out_dir, formats)?;
            if self.chatty {
                errln!("{said}");
            }
        }
        Ok(())
    }

    pub fn done(&self, what: &str, wall: f64) {
        if self.chatty {
            errln!(
                "\n{what} in {wall:.1} s; seed {}; results in {}",
                self.seed,
                self.out_dir.display()
            );
        }
    }
}

pub fn input(context: &str) -> impl Fn(String) -> CliError + '_ {
    move |m| CliError::Input(format!("{context}: {m}"))
}

pub fn param_info(p: &Param, values: Vec<f64>) -> ParamInfo {
    ParamInfo {
        path: p.path.clone(),
        locations: p.locations.iter().map(ToString::to_string).collect(),
        values,
    }
}

/// Refines the thresholds of a run over worlds with the break-even search
/// (`uncertainty::refine`; shared by `run` and `merge`, so both write the
/// same uncertainty.json), on `pool`, with its own progress bar.
pub fn refine_thresholds(
    pool: &rayon::ThreadPool,
    base: &Base,
    spec: &crate::uncertainty::Spec,
    results: &mut crate::uncertainty::analyse::Results,
    seed: u64,
    reps: u64,
    hide_bar: bool,
) -> Result<(), CliError> {
    use crate::uncertainty::refine;
    let targets = refine::targets(results, spec);
    if targets.is_empty() {
        return Ok(());
    }
    let bar = progress_bar(
        refine::max_simulations(spec, &targets, reps, base.horizon_weeks()),
        hide_bar,
    );
    let tick = || bar.inc(1);
    let done = pool.install(|| refine::refine(base, spec, results, &targets, seed, reps, control(&tick)));
    bar.finish_and_clear();
    done.map_err(|stop| match stop {
        refine::Stopped::Cancelled => CliError::Interrupted,
        refine::Stopped::Violation(what) => CliError::Runtime(format!(
            "internal error: conservation invariant broken while refining a threshold in {what}"
        )),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_partition_the_replications() {
        for total in [1, 7, 100, 1001] {
            for n in 1..=7.min(total) {
                let mut next = 0;
                for i in 1..=n {
                    let r = shard_range(i, n, total);
                    assert_eq!(r.first, next);
                    next += r.count;
                }
                assert_eq!(next, total);
            }
        }
    }

    #[test]
    fn shard_syntax() {
        assert_eq!(parse_shard("2/8"), Ok((2, 8)));
        assert!(parse_shard("0/8").is_err());
        assert!(parse_shard("9/8").is_err());
        assert!(parse_shard("2-8").is_err());
    }
}
