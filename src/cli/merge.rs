//! `podsim merge DIR...`: combine shard folders into exactly the files a
//! single run writes.

use super::common::{self, print_comparison, write_charts, ChartFormat, Format};
use super::CliError;
use crate::aggregate::Aggregate;
use crate::output::{self, RunInfo};
use crate::{analysis, scenario};
use std::path::{Path, PathBuf};

pub fn merge(dirs: &[PathBuf], out: &Path, force: bool, quiet: bool, no_charts: bool) -> Result<(), CliError> {
    let mut parts: Vec<(RunInfo, Aggregate)> = Vec::new();
    for d in dirs {
        common::stop_if_interrupted()?;
        parts.push(crate::results::read_shard(d).map_err(|e| CliError::Input(e.to_string()))?);
    }
    parts.sort_by_key(|(info, _)| info.first_replication);
    let (first_info, _) = &parts[0];
    let total = first_info.shard.as_ref().map_or(0, |s| s.total_replications);
    for (info, _) in &parts[1..] {
        let same = info.scenario_sha256 == first_info.scenario_sha256
            && info.seed == first_info.seed
            && info.podsim_version == first_info.podsim_version
            && info.shard.as_ref().map(|s| s.total_replications) == Some(total);
        if !same {
            return Err(CliError::Input(format!(
                "{} and the other shards come from different runs (scenario hash, seed, version or replication count differ)",
                info.scenario_path
            )));
        }
    }
    let mut it = parts.into_iter();
    let (mut info, mut agg) = it.next().expect("at least one folder");
    if agg.first_rep != 0 {
        return Err(CliError::Input(format!(
            "no shard starts at replication 0 (the first starts at {})",
            agg.first_rep
        )));
    }
    let mut wall = info.timing.wall_time_s;
    let mut threads = info.timing.threads;
    for (i, a) in it {
        wall += i.timing.wall_time_s;
        threads = threads.max(i.timing.threads);
        agg.append(a).map_err(CliError::Input)?;
    }
    if agg.count != total {
        return Err(CliError::Input(format!(
            "the shards cover {} of {total} replications; a shard is missing",
            agg.count
        )));
    }
    info.replications = total;
    info.first_replication = 0;
    info.shard = None;
    info.timing.wall_time_s = wall;
    info.timing.threads = threads;
    let an = analysis::analyse(&agg);
    common::stop_if_interrupted()?;
    output::prepare_dir(out, force)?;
    output::write_run(out, &agg, &an, &info)?;
    // The scenario, when the file is at hand unchanged: the comparison
    // table and the refined thresholds need it.
    let loaded = scenario::load(Path::new(&info.scenario_path))
        .ok()
        .filter(|s| s.hash == info.scenario_sha256);
    // Results over worlds, exactly as a single run writes them.
    if let (Some(record), false) = (&info.uncertainty, agg.inputs.is_empty()) {
        let mut results = crate::uncertainty::analyse::analyse(&agg, &record.basis);
        match loaded.as_ref().map(crate::uncertainty::load) {
            Some(Ok((base, spec))) => {
                let pool = common::thread_pool(None)?;
                common::refine_thresholds(&pool, &base, &spec, &mut results, info.seed, total, quiet)?;
            }
            _ if !quiet => errln!(
                "(scenario file {} not available unchanged: thresholds from the fit over the worlds, not refined by the break-even search)",
                info.scenario_path
            ),
            _ => {}
        }
        output::uncertainty::write(out, &results, record)?;
    } else {
        output::uncertainty::remove(out)?;
    }
    // The comparison table needs the scenario; print it when the file is at hand.
    match loaded {
        Some(s) => print_comparison(&s.model, &agg, &an, &info, Format::Text, false)?,
        _ if !quiet => errln!(
            "(scenario file {} not available unchanged: files written, table skipped)",
            info.scenario_path
        ),
        _ => {}
    }
    // The merged folder is a whole run: draw its charts as `run` does.
    if !no_charts {
        let data = crate::charts::RunData::load(out)?;
        let written = write_charts(&data, out, ChartFormat::Both.into())?;
        if !quiet {
            errln!("{}", written.describe());
        }
    }
    if !quiet {
        errln!("merged {total} replications into {}", out.display());
    }
    Ok(())
}
