//! Work order, deadlines, availability and the pipeline gates' rows of the
//! staffing model (docs/OPTIMISER.md §4): split from the other row groups by
//! concept (issue #13).

use super::*;

impl Builder<'_> {
    /// Work order, deadlines, availability and the pipeline gates.
    pub(super) fn work_rows(&mut self) {
        let Ctx { c, tn, .. } = self.ctx;
        let Builder { lp, ix, .. } = self;
        for (w, st) in c.streams.iter().enumerate() {
            let name = format!("{}_w{w}", clean(&st.name));
            for (kind, cum) in [("backlog", &ix.cb[w]), ("arrivals", &ix.ca[w])] {
                for t in 1..tn {
                    if let (Some(a), Some(b)) = (cum[t - 1], cum[t]) {
                        // Work done in a period is not negative.
                        lp.row(
                            format!("order_{kind}_{name}_t{t:02}"),
                            Group::Availability,
                            Some(t),
                            vec![(b, 1.0), (a, -1.0)],
                            Sense::Ge,
                            0.0,
                        );
                    }
                }
            }
            if let Some(last) = ix.cb[w][st.due_period] {
                lp.row(
                    format!("due_backlog_{name}"),
                    Group::Deadline,
                    Some(st.due_period),
                    vec![(last, 1.0)],
                    Sense::Eq,
                    st.backlog_work,
                );
            }
            for t in 0..tn {
                if let Some(a) = ix.ca[w][t] {
                    let due = st.due_by[t];
                    if due > 0.0 {
                        match ix.z[w][t] {
                            // Gated arrivals are due once the gate is open.
                            Some(z) => {
                                lp.row(
                                    format!("due_arrivals_{name}_t{t:02}"),
                                    Group::Deadline,
                                    Some(t),
                                    vec![(a, 1.0), (z, -due)],
                                    Sense::Ge,
                                    0.0,
                                );
                            }
                            None => {
                                lp.row(
                                    format!("due_arrivals_{name}_t{t:02}"),
                                    Group::Deadline,
                                    Some(t),
                                    vec![(a, 1.0)],
                                    Sense::Ge,
                                    due,
                                );
                            }
                        }
                    }
                }
                let Some(z) = ix.z[w][t] else { continue };
                // Nothing of a gated stream is done before its gate opens.
                if let Some(b) = ix.cb[w][t] {
                    lp.row(
                        format!("avail_backlog_{name}_t{t:02}"),
                        Group::Availability,
                        Some(t),
                        vec![(b, 1.0), (z, -st.backlog_work)],
                        Sense::Le,
                        0.0,
                    );
                }
                if let Some(a) = ix.ca[w][t] {
                    lp.row(
                        format!("avail_gated_{name}_t{t:02}"),
                        Group::Availability,
                        Some(t),
                        vec![(a, 1.0), (z, -st.arrived_by[t])],
                        Sense::Le,
                        0.0,
                    );
                }
                // The gate opens at the start of t only if each predecessor has done its fraction by then.
                for (gi, &(g, frac)) in st.gates.iter().enumerate() {
                    let need = frac * c.streams[g].backlog_work;
                    let before = if t == 0 { None } else { Some(t - 1) };
                    let pred = before.map(|b| (b, ix.cb[g][b]));
                    match pred {
                        // By the start of period 0 nothing is done.
                        None => {
                            if need > 0.0 {
                                lp.row(
                                    format!("gate_{name}_{gi}_t{t:02}"),
                                    Group::Gate,
                                    Some(t),
                                    vec![(z, need)],
                                    Sense::Le,
                                    0.0,
                                );
                            }
                        }
                        Some((_, Some(cum))) => {
                            lp.row(
                                format!("gate_{name}_{gi}_t{t:02}"),
                                Group::Gate,
                                Some(t),
                                vec![(z, need), (cum, -1.0)],
                                Sense::Le,
                                0.0,
                            );
                        }
                        // After the predecessor's due period its backlog is done: the gate may open.
                        Some((_, None)) => {}
                    }
                }
                if t + 1 < tn {
                    if let Some(next) = ix.z[w][t + 1] {
                        lp.row(
                            format!("gate_order_{name}_t{t:02}"),
                            Group::Gate,
                            Some(t),
                            vec![(z, 1.0), (next, -1.0)],
                            Sense::Le,
                            0.0,
                        );
                    }
                }
            }
        }

        // Gate binaries for the search, predecessors first.
        for w in topological(c) {
            let st = &c.streams[w];
            if st.gates.is_empty() {
                continue;
            }
            let z: Vec<usize> = ix.z[w].iter().flatten().copied().collect();
            let preds = st
                .gates
                .iter()
                .map(|&(g, frac)| {
                    (
                        ix.cb[g].clone(),
                        frac * c.streams[g].backlog_work,
                        c.streams[g].backlog_work,
                    )
                })
                .collect();
            lp.gates.push(GateSet { z, preds });
        }
    }
}

/// Streams ordered so that every gate's predecessor comes before the gated stream.
fn topological(c: &Coeffs) -> Vec<usize> {
    let n = c.streams.len();
    let mut out = Vec::with_capacity(n);
    let mut done = vec![false; n];
    while out.len() < n {
        let before = out.len();
        for w in 0..n {
            if !done[w] && c.streams[w].gates.iter().all(|&(g, _)| done[g]) {
                done[w] = true;
                out.push(w);
            }
        }
        if out.len() == before {
            // A cycle (validation rejects them); keep the rest in index order.
            out.extend((0..n).filter(|&w| !done[w]));
            break;
        }
    }
    out
}
