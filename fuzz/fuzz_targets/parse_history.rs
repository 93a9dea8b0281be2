//! Any bytes given to the history readers (Jira CSV, mapped CSV, Label
//! Studio JSON), strict or dropping bad rows, give a history or a located
//! error — never a panic; a history that reads is fitted without one too.
#![no_main]

use libfuzzer_sys::fuzz_target;
use podsim::fit::csvread::{self, Field};
use podsim::fit::history::{History, Options};
use std::sync::atomic::AtomicBool;

static NEVER: AtomicBool = AtomicBool::new(false);

fuzz_target!(|data: &[u8]| {
    let map = [("hours".to_string(), Field::EffortHours), ("start".to_string(), Field::Created)];
    for drop_bad_rows in [false, true] {
        let opts = Options { drop_bad_rows, zone: None, workstream: None, cancel: &NEVER };
        let mut results = Vec::new();
        let mut h = History::default();
        results.push(csvread::read(data, "fuzz.csv", csvread::JIRA_COLUMNS, &[], &opts, &mut h).map(|()| h));
        let mut h = History::default();
        results.push(csvread::read(data, "fuzz.csv", &[], &map, &opts, &mut h).map(|()| h));
        let mut h = History::default();
        results.push(podsim::fit::labelstudio::read(data, "fuzz.json", &opts, &mut h).map(|()| h));
        for r in results {
            match r {
                Ok(h) if h.items.len() <= 200 => {
                    let s = podsim::fit::Settings { resamples: 20, gof_resamples: 5, ..Default::default() };
                    let _ = podsim::fit::fit(&h, &s);
                }
                Ok(_) => {}
                Err(e) => assert!(!e.to_string().is_empty()),
            }
        }
    }
});
