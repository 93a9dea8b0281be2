//! The conservation checks of MODEL.md §10, run at the end of every
//! replication.

use super::*;

impl Sim<'_> {
    /// MODEL.md §10 conservation: every item is exactly once queued, in
    /// progress or done; every person's and senior's paid hours equal the sum
    /// of their categories.
    pub(super) fn check_invariants(&self) -> Option<String> {
        let now = self.end;
        // Items: live = created - accepted - escape-reworks finished, and every
        // live item is in exactly one place.
        let mut places = 0u64;
        for q in &self.queues {
            places += q.iter().filter(|Reverse(k)| matches!(k.what, QWhat::Item(_))).count() as u64;
        }
        for w in &self.ws {
            places += w.gated.len() as u64;
        }
        for p in &self.people {
            places += p.parked.len() as u64 + p.resumable.len() as u64;
            match p.state {
                PState::Working { .. } | PState::Blocked { .. } => places += 1,
                PState::Task { .. } if p.task_item.is_some() => places += 1,
                _ => {}
            }
        }
        places += self.reviews.pending.len() as u64 + self.reviews.pod_queue.len() as u64;
        let in_blocks: u64 = self
            .resp
            .iter()
            .flat_map(|r| r.current.iter().chain(r.blocks.iter()))
            .map(|t| match t.kind {
                TaskKind::ReviewBlock { batch } => self.reviews.batches[batch as usize].len() as u64,
                _ => 0,
            })
            .sum();
        places += in_blocks;
        let live = self.live_items();
        if places != live {
            return Some(format!(
                "{live} live items but {places} found in queues, hands or reviews"
            ));
        }
        for (i, p) in self.people.iter().enumerate() {
            let paid = p.left.unwrap_or(now) - p.joined;
            let sum: f64 = p.hours.iter().sum();
            if (paid - sum).abs() > 1e-6 * paid.max(1.0) {
                return Some(format!("person {i}: paid {paid} h but categories sum to {sum} h"));
            }
        }
        for (i, r) in self.resp.iter().enumerate() {
            let paid = self.seat_hours(i, now);
            let sum: f64 = r.hours.iter().sum();
            if (paid - sum).abs() > 1e-6 * paid.max(1.0) {
                return Some(format!("responder {i}: paid {paid} h but categories sum to {sum} h"));
            }
        }
        None
    }
}
