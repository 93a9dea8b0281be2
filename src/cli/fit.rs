//! `podsim fit FILE... --format ...`: fit a team's history into a scenario
//! fragment (with bootstrap intervals as `[uncertainty]` entries) and a fit
//! report (summary, effort histogram with the fitted curve and QQ plot, and
//! arrivals per week, per workstream). docs/CALIBRATION.md.

use super::common::{control, counter_bar, stop_if_interrupted, ChartFormat};
use super::history::{self, HistoryArgs};
use super::CliError;
use crate::charts::calibration::{self, CalibrationChart};
use crate::fit::{self, Settings};
use crate::output::{self, calibration as words};
use clap::Args;
use std::path::PathBuf;

#[derive(Args, Debug)]
pub struct FitArgs {
    /// History files (all of one format).
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    #[command(flatten)]
    pub history: HistoryArgs,
    /// Write the scenario fragment (TOML) here (default: print it).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Overwrite the --out file if it exists (and write the report into a
    /// folder podsim did not create).
    #[arg(long)]
    pub force: bool,
    /// Folder for the fit report and its charts (default: output/<first file name>-fit/).
    #[arg(long)]
    pub report: Option<PathBuf>,
    /// Do not draw the report's charts.
    #[arg(long)]
    pub no_charts: bool,
    /// Chart file formats.
    #[arg(long, value_enum, default_value_t = ChartFormat::Both)]
    pub chart_format: ChartFormat,
    /// Seed of the bootstrap resamples (printed; the same seed gives the same intervals).
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Bootstrap resamples for the 90 % intervals.
    #[arg(long, default_value_t = 200, value_parser = clap::value_parser!(u64).range(20..=100_000))]
    pub resamples: u64,
    /// The channel whose attrition the assignees' tenure estimates.
    #[arg(long, default_value = "freelancer", value_parser = ["employee", "freelancer", "pod", "bench"])]
    pub channel: String,
    /// An assignee with activity in the last this many weeks of the history is still there (censored).
    #[arg(long, default_value_t = 4.0)]
    pub censor_weeks: f64,
    /// Fit only the history before this day, YYYY-MM-DD (UTC): items created
    /// from then on are left out, and items resolved later count as open.
    /// With --from, for fitting an earlier window and backtesting a later one.
    #[arg(long)]
    pub to: Option<String>,
    /// Leave out items resolved before this day, YYYY-MM-DD (UTC).
    #[arg(long)]
    pub from: Option<String>,
    /// Only the fragment and the files: no summary, no progress bar.
    #[arg(long, short)]
    pub quiet: bool,
}

pub fn fit(a: FitArgs) -> Result<(), CliError> {
    if !(a.censor_weeks >= 0.0 && a.censor_weeks.is_finite()) {
        return Err(CliError::Input(format!(
            "--censor-weeks: expected 0 or more, got {}",
            a.censor_weeks
        )));
    }
    if let Some(p) = &a.out {
        if p.exists() && !a.force {
            return Err(CliError::Input(format!(
                "{} already exists; pass --force to overwrite it",
                p.display()
            )));
        }
    }
    let date = |d: &Option<String>, flag: &str| {
        d.as_deref()
            .map(crate::fit::time::parse_date)
            .transpose()
            .map_err(|e| CliError::Input(format!("{flag}: {e}")))
    };
    let (from, to) = (date(&a.from, "--from")?, date(&a.to, "--to")?);
    if let (Some(f), Some(t)) = (from, to) {
        if t <= f {
            return Err(CliError::Input("--to must be after --from".into()));
        }
    }
    let mut h = history::read(&a.files, &a.history, a.quiet)?;
    let outside = h.window(from, to);
    if outside > 0 && !a.quiet {
        errln!(
            "{outside} item(s) outside {} to {} left out",
            a.from.as_deref().unwrap_or("the start"),
            a.to.as_deref().unwrap_or("the end")
        );
    }
    let settings = Settings {
        seed: a.seed,
        resamples: a.resamples as usize,
        channel: a.channel.clone(),
        censor_weeks: a.censor_weeks,
        ..Settings::default()
    };
    let bar = counter_bar("bootstrap resamples", a.quiet);
    let tick = || bar.inc(1);
    let report = fit::fit_with(&h, &settings, control(&tick)).map_err(|_| CliError::Interrupted)?;
    bar.finish_and_clear();
    stop_if_interrupted()?;
    let source = a
        .files
        .iter()
        .map(|f| f.display().to_string())
        .collect::<Vec<_>>()
        .join(", ");
    let fragment = fit::fragment::render(&report, &source, h.rows, h.dropped_rows());
    let summary = format!("{}\n{}", words::reading(&h), words::fit(&report));
    // The report folder: summary and charts.
    let dir = a.report.clone().unwrap_or_else(|| {
        let stem = a.files[0]
            .file_stem()
            .map_or("history".into(), |s| s.to_string_lossy().into_owned());
        PathBuf::from("output").join(format!("{stem}-fit"))
    });
    output::prepare_dir(&dir, a.force)?;
    let mut md = format!("# Fit report\n\n```text\n{summary}```\n");
    if !a.no_charts {
        let mut charts = Vec::new();
        for w in &report.workstreams {
            if let Ok(e) = &w.effort {
                charts.push(CalibrationChart::Effort {
                    workstream: w.name.clone(),
                    fit: e.clone(),
                });
            }
            if let Ok(ar) = &w.arrivals {
                charts.push(CalibrationChart::Arrivals {
                    workstream: w.name.clone(),
                    arrivals: ar.clone(),
                });
            }
        }
        let files = calibration::write(&dir.join("charts"), &charts, a.chart_format.into())
            .map_err(|e| CliError::Runtime(e.to_string()))?;
        let ext = if a.chart_format == ChartFormat::Svg {
            "svg"
        } else {
            "png"
        };
        for c in &charts {
            md.push_str(&format!("\n![{0}](charts/{0}.{ext})\n", c.id()));
        }
        if !a.quiet {
            errln!(
                "wrote {} chart file(s) to {}",
                files.len(),
                dir.join("charts").display()
            );
        }
    }
    output::write_atomic(&dir.join("fit-report.md"), md.as_bytes())?;
    output::write_atomic(&dir.join("fragment.toml"), fragment.as_bytes())?;
    match &a.out {
        Some(p) => {
            output::write_atomic(p, fragment.as_bytes())?;
            if !a.quiet {
                outln!("{summary}");
                outln!("wrote {}", p.display());
            }
        }
        None => {
            if !a.quiet {
                errln!("{summary}");
            }
            out!("{fragment}");
        }
    }
    if !a.quiet {
        errln!("wrote {} (fit-report.md, fragment.toml)", dir.display());
    }
    Ok(())
}
