//! `podsim backtest SCENARIO --history FILE --from DATE --to DATE`: the
//! past period simulated with the scenario's roster (and, with --fitted, the
//! values `podsim fit` wrote), compared with the history week by week.

use super::common::{control, progress_bar, stop_if_interrupted, thread_pool, ChartFormat};
use super::history::{self, HistoryArgs};
use super::CliError;
use crate::backtest;
use crate::charts::calibration::{self, Backtest, BacktestStream, CalibrationChart};
use crate::fit::time;
use crate::output::{self, calibration as words};
use crate::scenario;
use clap::Args;
use std::path::PathBuf;

/// The period's scenario, written beside the results so every simulated
/// input can be seen (and rerun with `podsim run`).
pub const PERIOD_SCENARIO: &str = "period-scenario.toml";

#[derive(Args, Debug)]
pub struct BacktestArgs {
    /// Scenario file (TOML): the roster that worked then is its strategy's team.
    pub scenario: PathBuf,
    /// History files of the period (repeatable).
    #[arg(long, required = true)]
    pub history: Vec<PathBuf>,
    #[command(flatten)]
    pub read: HistoryArgs,
    /// First day of the period, YYYY-MM-DD (UTC).
    #[arg(long)]
    pub from: String,
    /// Day after the period, YYYY-MM-DD (UTC); whole weeks from --from are compared.
    #[arg(long)]
    pub to: String,
    /// A fragment written by `podsim fit`, merged into the scenario first.
    #[arg(long)]
    pub fitted: Option<PathBuf>,
    /// The strategy whose team worked then (default: the first).
    #[arg(long)]
    pub strategy: Option<String>,
    /// Replications.
    #[arg(long, default_value_t = 200, value_parser = clap::value_parser!(u64).range(20..=100_000))]
    pub reps: u64,
    /// Random seed (default: the scenario's `seed`).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Output folder (default: output/<scenario file name>-backtest/).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Write into an existing folder even if podsim did not create it.
    #[arg(long)]
    pub force: bool,
    /// Worker threads (default: RAYON_NUM_THREADS, else all cores). Results do not depend on it.
    #[arg(long)]
    pub threads: Option<usize>,
    /// Do not draw the chart.
    #[arg(long)]
    pub no_charts: bool,
    /// Chart file formats.
    #[arg(long, value_enum, default_value_t = ChartFormat::Both)]
    pub chart_format: ChartFormat,
    /// No progress bar or chatter; results only.
    #[arg(long, short)]
    pub quiet: bool,
}

pub fn backtest(a: BacktestArgs) -> Result<(), CliError> {
    let from = time::parse_date(&a.from).map_err(|e| CliError::Input(format!("--from: {e}")))?;
    let to = time::parse_date(&a.to).map_err(|e| CliError::Input(format!("--to: {e}")))?;
    let loaded = scenario::load(&a.scenario)?;
    let mut text = loaded.text.clone();
    if let Some(f) = &a.fitted {
        let frag =
            std::fs::read_to_string(f).map_err(|e| CliError::Input(format!("{}: cannot read: {e}", f.display())))?;
        text = crate::fit::fragment::merge_text(&text, &loaded.path, &frag, &f.display().to_string())
            .map_err(CliError::Input)?;
    }
    let doc: toml::Table = text
        .parse()
        .map_err(|e| CliError::Input(format!("{}: {e}", loaded.path)))?;
    let h = history::read(&a.history, &a.read, a.quiet)?;
    let names: Vec<String> = loaded.model.workstreams.iter().map(|w| w.name.clone()).collect();
    let actual = backtest::actual(&h, &names, from, to).map_err(CliError::Input)?;
    let strategy = match &a.strategy {
        None => 0,
        Some(s) => loaded
            .model
            .strategies
            .iter()
            .position(|x| &x.name == s)
            .ok_or_else(|| CliError::Input(format!("--strategy: the scenario has no strategy named \"{s}\"")))?,
    };
    let period = backtest::period_scenario(&doc, &actual, strategy).map_err(CliError::Input)?;
    let period_text = format!(
        "# The scenario {} as `podsim backtest` simulated {} to {}: the history's open items as backlog,\n# its created dates as arrivals_at_weeks, and the roster its assignees show as the team and plan.\n{}",
        loaded.path,
        a.from,
        a.to,
        toml::to_string(&period).map_err(|e| CliError::Runtime(e.to_string()))?
    );
    let model = scenario::parse_str(&period_text, &format!("{} (backtest period)", loaded.path))?;
    let seed = a.seed.unwrap_or(model.seed);
    let pool = thread_pool(a.threads)?;
    let bar = progress_bar(a.reps, a.quiet);
    let tick = || bar.inc(1);
    let outcome = pool
        .install(|| backtest::run(&model, strategy, &actual, seed, a.reps, control(&tick)))
        .map_err(|_| CliError::Interrupted)?;
    bar.finish_and_clear();
    stop_if_interrupted()?;
    let dir = a.out.clone().unwrap_or_else(|| {
        let d = super::common::default_out_dir(&a.scenario);
        let stem = d.file_name().map_or("run".into(), |s| s.to_string_lossy().into_owned());
        d.with_file_name(format!("{stem}-backtest"))
    });
    output::prepare_dir(&dir, a.force)?;
    output::write_atomic(&dir.join(PERIOD_SCENARIO), period_text.as_bytes())?;
    let csv = words::backtest_csv(&outcome, actual.from);
    output::write_atomic(&dir.join(words::BACKTEST_CSV), csv.as_bytes())?;
    let summary = words::backtest(&outcome, &actual, &model.strategies[strategy], seed, a.reps);
    output::write_atomic(&dir.join("backtest.txt"), summary.as_bytes())?;
    outln!("{summary}");
    if !a.no_charts {
        let chart = CalibrationChart::Backtest(Backtest {
            subtitle: format!(
                "{} to {}, strategy \"{}\", {} replications, seed {}: {} of the actual weeks inside the band ({})",
                a.from,
                a.to,
                model.strategies[strategy].name,
                a.reps,
                seed,
                crate::metrics::format::significant(outcome.coverage * 100.0, 3) + " %",
                if outcome.calibrated { "calibrated" } else { "MISCALIBRATED" }
            ),
            streams: outcome
                .streams
                .iter()
                .map(|s| BacktestStream {
                    name: s.workstream.clone(),
                    weeks: s.weeks.clone(),
                })
                .collect(),
            note: "Each week: the simulated items finished (backlog items accepted) across replications, P10 to P90, and the history's count. About 80 % of the weeks fall inside when the model is calibrated.".into(),
        });
        let files = calibration::write(&dir.join("charts"), &[chart], a.chart_format.into())
            .map_err(|e| CliError::Runtime(e.to_string()))?;
        if !a.quiet {
            errln!(
                "wrote {} chart file(s) to {}",
                files.len(),
                dir.join("charts").display()
            );
        }
    }
    if !a.quiet {
        errln!("results in {}", dir.display());
    }
    Ok(())
}
