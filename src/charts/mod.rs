//! Charts: the only module that uses plotters.
//!
//! Shape of the module, so new chart families slot in:
//! - [`data`] reads an output folder (the CSVs `podsim run` wrote); charts
//!   never run the simulator.
//! - One file per chart family. Each has `prepare(&RunData) -> Result<T, Skip>`,
//!   which extracts what it draws or says why the chart does not apply, and
//!   `draw(&T, &DrawingArea)`, which draws into any area it is given (a PNG,
//!   an SVG, or a panel of a larger figure).
//! - [`Figure`] wraps one prepared chart; [`run_figures`] lists the figures
//!   of a simulation run. Optimiser and sweep charts will get their own data
//!   loader and `*_figures` function and reuse the rest.
//! - [`render_png`] / [`render_svg`] turn a figure into bytes, and
//!   [`write_figures`] writes them atomically into a folder.

pub mod backlog;
pub mod calibration;
pub mod certainty;
pub mod comparison;
pub mod evppi;
pub mod finish;
pub mod flip;
pub mod headcount;

mod layout;
pub mod pareto;
pub mod pbest;
pub mod plan;
mod raster;
pub mod senior;
pub mod style;
pub mod sweepline;
pub mod tornado;
pub mod waterfall;

use plotters::coord::Shift;
use plotters::drawing::DrawingAreaErrorKind;
use plotters::prelude::*;
use std::path::{Path, PathBuf};

pub use crate::results::{DataError, RunData, SweepData};

/// A drawing or writing failure.
#[derive(Debug, thiserror::Error)]
pub enum ChartError {
    #[error("drawing failed: {0}")]
    Draw(String),
    #[error("PNG encoding failed: {0}")]
    Png(String),
    #[error(transparent)]
    Output(#[from] crate::output::OutputError),
}

impl<E: std::error::Error + Send + Sync> From<DrawingAreaErrorKind<E>> for ChartError {
    fn from(e: DrawingAreaErrorKind<E>) -> Self {
        ChartError::Draw(e.to_string())
    }
}

/// Why a chart was not drawn (its data does not apply to this scenario).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skip(pub String);

/// Which files to write for each figure.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Formats {
    Png,
    Svg,
    Both,
}

impl Formats {
    pub fn png(self) -> bool {
        matches!(self, Formats::Png | Formats::Both)
    }
    pub fn svg(self) -> bool {
        matches!(self, Formats::Svg | Formats::Both)
    }
}

/// One prepared chart, ready to draw at any size on any backend.
#[derive(Clone, Debug)]
pub struct Figure {
    /// File stem, e.g. `strategy-comparison`.
    pub id: &'static str,
    /// The figure's title, as drawn.
    pub title: String,
    kind: Kind,
}

#[derive(Clone, Debug)]
enum Kind {
    Comparison(comparison::Comparison),
    Finish(finish::FinishWeeks),
    Headcount(headcount::Headcount),
    Backlog(backlog::Backlog),
    Senior(senior::SeniorTime),
    SweepLines(sweepline::SweepLines),
    Tornado(tornado::Tornado),
    Pareto(pareto::Pareto),
    Waterfall(waterfall::Waterfall),
    PBest(pbest::PBest),
    Deciding(flip::Deciding),
    Voi(evppi::Voi),
}

impl Figure {
    /// What the figure shows, in a sentence (for captions).
    pub fn description(&self) -> &'static str {
        match &self.kind {
            Kind::Comparison(_) => comparison::DESCRIPTION,
            Kind::Finish(_) => finish::DESCRIPTION,
            Kind::Headcount(_) => headcount::DESCRIPTION,
            Kind::Backlog(_) => backlog::DESCRIPTION,
            Kind::Senior(_) => senior::DESCRIPTION,
            Kind::SweepLines(_) => sweepline::DESCRIPTION,
            Kind::Tornado(_) => tornado::DESCRIPTION,
            Kind::Pareto(_) => pareto::DESCRIPTION,
            Kind::Waterfall(_) => waterfall::DESCRIPTION,
            Kind::PBest(_) => pbest::DESCRIPTION,
            Kind::Deciding(_) => flip::DESCRIPTION,
            Kind::Voi(_) => evppi::DESCRIPTION,
        }
    }

    /// Draws the figure into `area` (the whole area is painted).
    pub fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), ChartError> {
        style::register_fonts();
        match &self.kind {
            Kind::Comparison(c) => comparison::draw(c, area),
            Kind::Finish(c) => finish::draw(c, area),
            Kind::Headcount(c) => headcount::draw(c, area),
            Kind::Backlog(c) => backlog::draw(c, area),
            Kind::Senior(c) => senior::draw(c, area),
            Kind::SweepLines(c) => sweepline::draw(c, area),
            Kind::Tornado(c) => tornado::draw(c, area),
            Kind::Pareto(c) => pareto::draw(c, area),
            Kind::Waterfall(c) => waterfall::draw(c, area),
            Kind::PBest(c) => pbest::draw(c, area),
            Kind::Deciding(c) => flip::draw(c, area),
            Kind::Voi(c) => evppi::draw(c, area),
        }
    }
}

/// What [`render_png`], [`render_svg`] and [`write_figures`] draw: the run,
/// sweep and explain [`Figure`]s and the calibration charts alike, so every
/// chart goes through the same backends, size and atomic writes.
pub trait Drawable {
    /// File stem, e.g. `strategy-comparison`.
    fn stem(&self) -> String;
    /// Draws the chart into `area` (the whole area is painted).
    fn draw_on<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), ChartError>;
}

impl Drawable for Figure {
    fn stem(&self) -> String {
        self.id.to_string()
    }
    fn draw_on<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), ChartError> {
        self.draw(area)
    }
}

/// A chart left out, with the reason.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skipped {
    pub id: &'static str,
    pub reason: String,
}

/// A readable name for a chart id (for lists of charts not drawn).
pub fn chart_name(id: &str) -> &'static str {
    match id {
        comparison::ID => "Strategy comparison",
        finish::ID => "Finish-week distribution",
        backlog::ID => "Backlog burn-down",
        headcount::ID => "Headcount by channel",
        senior::ID => "Senior time breakdown",
        sweepline::ID => "Sweep lines",
        tornado::ID => "Sensitivity tornado",
        pareto::ID => "Pareto frontier",
        waterfall::ID => "Why the strategies differ",
        pbest::ID => "How often each is best over the worlds",
        flip::ID => "What would have to be true",
        evppi::ID => "Value of information",
        _ => "Chart",
    }
}

/// Chart ids of a simulation run, in report order.
pub const RUN_CHART_IDS: [&str; 5] = [comparison::ID, finish::ID, backlog::ID, headcount::ID, senior::ID];

/// Chart ids of a run over plausible worlds (`[uncertainty]`), in report order.
pub const WORLD_CHART_IDS: [&str; 3] = [pbest::ID, flip::ID, evppi::ID];

/// The figures of a simulation run, in report order, and the ones that do not
/// apply. The charts over worlds ([`WORLD_CHART_IDS`]) belong to runs with
/// `[uncertainty]` (uncertainty.json): without it they are not listed as
/// skipped (as a sweep's charts whose CSV is absent).
pub fn run_figures(d: &RunData) -> (Vec<Figure>, Vec<Skipped>) {
    let mut figs = Vec::new();
    let mut skipped = Vec::new();
    let mut add = |id: &'static str, r: Result<(String, Kind), Skip>| match r {
        Ok((title, kind)) => figs.push(Figure { id, title, kind }),
        Err(Skip(reason)) => skipped.push(Skipped { id, reason }),
    };
    add(
        comparison::ID,
        comparison::prepare(d).map(|c| (c.title.clone(), Kind::Comparison(c))),
    );
    add(
        finish::ID,
        finish::prepare(d).map(|c| (c.title.clone(), Kind::Finish(c))),
    );
    add(
        backlog::ID,
        backlog::prepare(d).map(|c| (c.title.clone(), Kind::Backlog(c))),
    );
    add(
        headcount::ID,
        headcount::prepare(d).map(|c| (c.title.clone(), Kind::Headcount(c))),
    );
    add(
        senior::ID,
        senior::prepare(d).map(|c| (c.title.clone(), Kind::Senior(c))),
    );
    if d.uncertainty.is_some() {
        add(pbest::ID, pbest::prepare(d).map(|c| (c.title.clone(), Kind::PBest(c))));
        add(flip::ID, flip::prepare(d).map(|c| (c.title.clone(), Kind::Deciding(c))));
        add(evppi::ID, evppi::prepare(d).map(|c| (c.title.clone(), Kind::Voi(c))));
    }
    (figs, skipped)
}

/// Chart ids of a sweep-like folder (sweep, sensitivity), in report order.
pub const SWEEP_CHART_IDS: [&str; 3] = [sweepline::ID, pareto::ID, tornado::ID];

/// Every chart of an optimiser folder, from the files `podsim optimise`
/// wrote (`podsim chart` redraws them without solving): the plan, the
/// frontier (with `--frontier`) and the price of certainty (with
/// `--target-probability`); those whose file is missing are not listed.
pub fn optimise_figures(d: &crate::results::OptimiseData) -> (Vec<Figure>, Vec<Skipped>) {
    let mut figs = Vec::new();
    let mut skipped = Vec::new();
    let mut add = |id: &'static str, r: Option<Result<Figure, Skip>>| match r {
        Some(Ok(f)) => figs.push(f),
        Some(Err(Skip(reason))) => skipped.push(Skipped { id, reason }),
        None => {}
    };
    let deadline = d.deadline_weeks.unwrap_or(f64::NAN);
    add(
        plan::ID,
        d.plan_csv.as_deref().map(|c| plan::figure(c, &d.scenario, deadline)),
    );
    add(
        plan::FRONTIER_ID,
        d.frontier_csv.as_deref().map(|c| plan::frontier_figure(c, &d.scenario)),
    );
    add(
        certainty::ID,
        d.certainty_csv
            .as_deref()
            .map(|c| certainty::figure(Some(c), &d.scenario, d.target_probability.unwrap_or(f64::NAN))),
    );
    (figs, skipped)
}

/// The figures of a sweep or sensitivity folder, and the ones that do not
/// apply. A chart whose CSV is absent is not listed as skipped (it belongs to
/// another command); one whose CSV is present but does not apply is.
pub fn sweep_figures(d: &SweepData) -> (Vec<Figure>, Vec<Skipped>) {
    let mut figs = Vec::new();
    let mut skipped = Vec::new();
    let mut add = |id: &'static str, present: bool, r: Result<(String, Kind), Skip>| match r {
        Ok((title, kind)) => figs.push(Figure { id, title, kind }),
        Err(Skip(reason)) if present => skipped.push(Skipped { id, reason }),
        Err(_) => {}
    };
    add(
        sweepline::ID,
        d.sweep.is_some(),
        sweepline::prepare(d).map(|c| (c.title.clone(), Kind::SweepLines(c))),
    );
    add(
        pareto::ID,
        d.pareto.is_some(),
        pareto::prepare(d).map(|c| (c.title.clone(), Kind::Pareto(c))),
    );
    add(
        tornado::ID,
        d.sensitivity.is_some(),
        tornado::prepare(d).map(|c| (c.title.clone(), Kind::Tornado(c))),
    );
    (figs, skipped)
}

/// The figure of an explain folder (the waterfall), or why it does not apply.
pub fn explain_figures(d: &crate::results::ExplainData) -> (Vec<Figure>, Vec<Skipped>) {
    match waterfall::prepare(d) {
        Ok(c) => (
            vec![Figure {
                id: waterfall::ID,
                title: c.title.clone(),
                kind: Kind::Waterfall(c),
            }],
            Vec::new(),
        ),
        Err(Skip(reason)) => (
            Vec::new(),
            vec![Skipped {
                id: waterfall::ID,
                reason,
            }],
        ),
    }
}

/// Renders a figure as a PNG image of `size` pixels.
pub fn render_png(fig: &impl Drawable, size: (u32, u32)) -> Result<Vec<u8>, ChartError> {
    let mut rgb = vec![0u8; size.0 as usize * size.1 as usize * 3];
    {
        let root = raster::CrispBitMap::with_buffer(&mut rgb, size).into_drawing_area();
        fig.draw_on(&root)?;
        root.present()?;
    }
    encode_png(&rgb, size)
}

fn encode_png(rgb: &[u8], (w, h): (u32, u32)) -> Result<Vec<u8>, ChartError> {
    let mut out = Vec::new();
    let mut enc = png::Encoder::new(&mut out, w, h);
    enc.set_color(png::ColorType::Rgb);
    enc.set_depth(png::BitDepth::Eight);
    enc.set_compression(png::Compression::Best);
    let mut writer = enc.write_header().map_err(|e| ChartError::Png(e.to_string()))?;
    writer
        .write_image_data(rgb)
        .map_err(|e| ChartError::Png(e.to_string()))?;
    writer.finish().map_err(|e| ChartError::Png(e.to_string()))?;
    Ok(out)
}

/// Renders a figure as an SVG document of `size` pixels (text stays text).
pub fn render_svg(fig: &impl Drawable, size: (u32, u32)) -> Result<String, ChartError> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, size).into_drawing_area();
        fig.draw_on(&root)?;
        root.present()?;
    }
    Ok(svg)
}

/// Writes every figure into `dir` (created if needed) as `<id>.png` and/or
/// `<id>.svg`, each atomically; removes files of `stale` chart ids (charts that
/// no longer apply), so the folder never shows an outdated chart.
pub fn write_figures(
    dir: &Path,
    figs: &[impl Drawable],
    stale: &[Skipped],
    formats: Formats,
) -> Result<Vec<PathBuf>, ChartError> {
    std::fs::create_dir_all(dir).map_err(|source| crate::output::OutputError::Io {
        path: dir.display().to_string(),
        source,
    })?;
    let mut written = Vec::new();
    for f in figs {
        let size = (style::WIDTH, style::HEIGHT);
        if formats.png() {
            let p = dir.join(format!("{}.png", f.stem()));
            crate::output::write_atomic(&p, &render_png(f, size)?)?;
            written.push(p);
        }
        if formats.svg() {
            let p = dir.join(format!("{}.svg", f.stem()));
            crate::output::write_atomic(&p, render_svg(f, size)?.as_bytes())?;
            written.push(p);
        }
    }
    crate::results::remove_chart_files(dir, stale.iter().map(|s| s.id))?;
    Ok(written)
}

/// Groups values by a key, keeping the order of first appearance.
pub fn group<K: Eq + std::hash::Hash + Clone, V>(items: impl Iterator<Item = (K, V)>) -> Vec<(K, Vec<V>)> {
    let mut order: Vec<(K, Vec<V>)> = Vec::new();
    let mut pos: std::collections::HashMap<K, usize> = std::collections::HashMap::new();
    for (k, v) in items {
        let i = *pos.entry(k.clone()).or_insert_with(|| {
            order.push((k, Vec::new()));
            order.len() - 1
        });
        order[i].1.push(v);
    }
    order
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::results::run_fixtures::{info, REPS_CSV, SUMMARY_CSV, TS_CSV};

    pub(crate) fn small_run() -> RunData {
        RunData::from_parts(
            Path::new("out"),
            info(&["a", "b"]),
            (SUMMARY_CSV, "summary.csv"),
            (REPS_CSV, "reps.csv"),
            (TS_CSV, "timeseries.csv"),
        )
        .unwrap()
    }

    #[test]
    fn figures_render_to_png_and_svg() {
        let d = small_run();
        let (figs, skipped) = run_figures(&d);
        let ids: Vec<&str> = figs.iter().map(|f| f.id).collect();
        assert!(
            ids.contains(&comparison::ID) && ids.contains(&finish::ID) && ids.contains(&backlog::ID),
            "{ids:?} {skipped:?}"
        );
        // No seniors and no headcount series in this tiny run.
        assert!(skipped.iter().any(|s| s.id == senior::ID));
        assert!(skipped.iter().any(|s| s.id == headcount::ID));
        for f in &figs {
            let png = render_png(f, (style::WIDTH, style::HEIGHT)).unwrap();
            assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
            let svg = render_svg(f, (style::WIDTH, style::HEIGHT)).unwrap();
            assert!(svg.starts_with("<svg"), "{}", &svg[..40]);
            assert!(svg.contains(&f.title.replace('&', "&amp;")), "{}: title missing", f.id);
        }
    }

    #[test]
    fn stale_charts_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("senior-time.png"), b"old").unwrap();
        write_figures(
            dir.path(),
            &[] as &[Figure],
            &[Skipped {
                id: senior::ID,
                reason: "no seniors".into(),
            }],
            Formats::Both,
        )
        .unwrap();
        assert!(!dir.path().join("senior-time.png").exists());
    }
}
