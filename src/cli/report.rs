//! `podsim report DIR`: write report.html (self-contained) and report.md
//! for an output folder, with its charts. Also the report step of `run --report`.

use super::chart::{write_charts, ChartFormat};
use super::CliError;
use crate::charts::{self, style, RunData};
use crate::report::{self, Chart, Omitted, Scenario};
use clap::Args;
use std::path::{Path, PathBuf};

#[derive(Args, Debug)]
pub struct ReportArgs {
    /// Output folder written by `podsim run`.
    pub dir: PathBuf,
    /// Chart file formats to write into DIR/charts/ (report.md links the PNGs when written).
    #[arg(long, value_enum, default_value_t = ChartFormat::Both)]
    pub chart_format: ChartFormat,
    /// Print nothing on success.
    #[arg(long, short)]
    pub quiet: bool,
}

pub fn report(args: ReportArgs) -> Result<(), CliError> {
    let data = RunData::load(&args.dir)?;
    let written = write_report(&data, &args.dir, args.chart_format)?;
    if !args.quiet {
        println!("{}", written.join("\n"));
    }
    Ok(())
}

/// Loads the scenario the run came from, if it is still there and unchanged.
fn scenario_of(info: &crate::output::RunInfo) -> Result<crate::model::Model, String> {
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
    let mut list = Vec::new();
    for f in &w.figures {
        let svg = charts::render_svg(f, (style::WIDTH, style::HEIGHT))?;
        let file = charts_rel
            .join(format!("{}.{ext}", f.id))
            .to_string_lossy()
            .replace('\\', "/");
        list.push(Chart {
            id: f.id.to_string(),
            title: charts::chart_name(f.id).to_string(),
            caption: f.description().to_string(),
            svg,
            file,
        });
    }
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
    let doc = report::build(data, &scenario, &list, &omitted);
    let html_path = out.join("report.html");
    let md_path = out.join("report.md");
    crate::output::write_atomic(&html_path, report::html::render(&doc).as_bytes())?;
    crate::output::write_atomic(&md_path, report::markdown::render(&doc).as_bytes())?;
    Ok(vec![
        w.describe(),
        format!("wrote {}", html_path.display()),
        format!("wrote {}", md_path.display()),
    ])
}
