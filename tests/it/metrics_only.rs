//! `Sim::set_metrics_only`: analyses that report end metrics skip the weekly
//! series, and must get exactly the metrics of a full run.

use podsim::scenario;
use podsim::sim::Sim;
use std::path::Path;

fn bits(v: &[f64]) -> Vec<u64> {
    v.iter().map(|x| x.to_bits()).collect()
}

#[test]
fn metrics_only_runs_report_exactly_the_full_runs_metrics() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut checked = 0;
    for name in ["pod-vs-individual.toml", "mmc-validation.toml", "brooks-law.toml"] {
        let model = scenario::load(&dir.join(name)).expect("example is valid").model;
        let mut full = Sim::new(&model);
        // One Sim switched back and forth, as the driver's pool reuses them.
        let mut lean = Sim::new(&model);
        for s in 0..model.strategies.len() {
            for rep in 0..2 {
                let a = full.run(s, 42, rep);
                lean.set_metrics_only(true);
                let b = lean.run(s, 42, rep);
                assert_eq!(
                    bits(&a.metrics),
                    bits(&b.metrics),
                    "{name} strategy {s} replication {rep}"
                );
                assert!(b.series.is_empty(), "{name}: metrics-only runs keep no series");
                assert!(!a.series.is_empty());
                lean.set_metrics_only(false);
                let c = lean.run(s, 42, rep);
                assert_eq!(
                    bits(&c.metrics),
                    bits(&a.metrics),
                    "{name}: full again after metrics-only"
                );
                assert_eq!(c.series, a.series, "{name}: full again after metrics-only");
                checked += 1;
            }
        }
    }
    assert!(checked >= 6);
}
