//! The future-event schedule: a binary heap ordered by (time, insertion
//! sequence), so events at the same time fire in the order they were
//! scheduled and every run is deterministic.
//!
//! Cancellation is by handle: [`Schedule::cancel`] marks the entry dead and
//! [`Schedule::pop`] skips it, which keeps both operations O(log n) without
//! searching the heap.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

/// Identifies a scheduled event, for cancellation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Handle(u64);

struct Entry<E> {
    time: f64,
    seq: u64,
    event: E,
}

impl<E> PartialEq for Entry<E> {
    fn eq(&self, other: &Self) -> bool {
        self.seq == other.seq
    }
}
impl<E> Eq for Entry<E> {}
impl<E> PartialOrd for Entry<E> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl<E> Ord for Entry<E> {
    // BinaryHeap is a max-heap: reverse so the earliest (time, seq) is on top.
    fn cmp(&self, other: &Self) -> Ordering {
        other.time.total_cmp(&self.time).then_with(|| other.seq.cmp(&self.seq))
    }
}

pub struct Schedule<E> {
    heap: BinaryHeap<Entry<E>>,
    next_seq: u64,
    now: f64,
    /// Sequence numbers of cancelled entries still in the heap (sorted not needed: small).
    cancelled: Vec<u64>,
}

impl<E> Default for Schedule<E> {
    fn default() -> Self {
        Self::new()
    }
}

impl<E> Schedule<E> {
    pub fn new() -> Self {
        Schedule {
            heap: BinaryHeap::new(),
            next_seq: 0,
            now: 0.0,
            cancelled: Vec::new(),
        }
    }

    /// Empties the schedule and resets the clock, keeping allocations for reuse.
    pub fn clear(&mut self) {
        self.heap.clear();
        self.cancelled.clear();
        self.next_seq = 0;
        self.now = 0.0;
    }

    /// The time of the last event popped (0 before any).
    pub fn now(&self) -> f64 {
        self.now
    }

    /// Schedules `event` at absolute time `time`. Times in the past are a bug
    /// in the caller: they are clamped to now so the clock never runs backwards.
    pub fn at(&mut self, time: f64, event: E) -> Handle {
        debug_assert!(
            time >= self.now - 1e-9,
            "event scheduled in the past: {time} < {}",
            self.now
        );
        let time = if time < self.now { self.now } else { time };
        let seq = self.next_seq;
        self.next_seq += 1;
        self.heap.push(Entry { time, seq, event });
        Handle(seq)
    }

    /// Schedules `event` `delay` hours from now.
    pub fn after(&mut self, delay: f64, event: E) -> Handle {
        self.at(self.now + delay.max(0.0), event)
    }

    /// Cancels a pending event; cancelling one already fired or cancelled is a no-op.
    pub fn cancel(&mut self, h: Handle) {
        if h.0 < self.next_seq && !self.cancelled.contains(&h.0) {
            self.cancelled.push(h.0);
        }
    }

    /// Removes and returns the earliest live event, advancing the clock.
    pub fn pop(&mut self) -> Option<(f64, E)> {
        while let Some(e) = self.heap.pop() {
            if let Some(i) = self.cancelled.iter().position(|&s| s == e.seq) {
                self.cancelled.swap_remove(i);
                continue;
            }
            self.now = e.time;
            return Some((e.time, e.event));
        }
        None
    }

    /// Time of the earliest live event without removing it.
    pub fn peek_time(&mut self) -> Option<f64> {
        loop {
            let e = self.heap.peek()?;
            if let Some(i) = self.cancelled.iter().position(|&s| s == e.seq) {
                self.cancelled.swap_remove(i);
                self.heap.pop();
                continue;
            }
            return Some(e.time);
        }
    }

    pub fn len(&self) -> usize {
        self.heap.len() - self.cancelled.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pops_in_time_order() {
        let mut s = Schedule::new();
        s.at(3.0, "c");
        s.at(1.0, "a");
        s.at(2.0, "b");
        let got: Vec<_> = std::iter::from_fn(|| s.pop().map(|(_, e)| e)).collect();
        assert_eq!(got, ["a", "b", "c"]);
    }

    #[test]
    fn ties_fire_in_insertion_order() {
        let mut s = Schedule::new();
        for i in 0..100 {
            s.at(5.0, i);
        }
        let got: Vec<_> = std::iter::from_fn(|| s.pop().map(|(_, e)| e)).collect();
        assert_eq!(got, (0..100).collect::<Vec<_>>());
    }

    #[test]
    fn clock_advances_to_popped_event() {
        let mut s = Schedule::new();
        s.at(2.5, ());
        assert_eq!(s.now(), 0.0);
        s.pop();
        assert_eq!(s.now(), 2.5);
        s.after(1.0, ());
        assert_eq!(s.pop().unwrap().0, 3.5);
    }

    #[test]
    fn cancelled_events_never_fire() {
        let mut s = Schedule::new();
        let a = s.at(1.0, "a");
        s.at(2.0, "b");
        s.cancel(a);
        assert_eq!(s.len(), 1);
        assert_eq!(s.pop().map(|(_, e)| e), Some("b"));
        assert!(s.pop().is_none());
    }

    #[test]
    fn cancelling_a_fired_event_is_a_no_op() {
        let mut s = Schedule::new();
        let a = s.at(1.0, "a");
        s.pop();
        s.cancel(a);
        s.at(2.0, "b");
        assert_eq!(s.pop().map(|(_, e)| e), Some("b"));
    }

    #[test]
    fn preemption_reschedules_by_cancel_and_insert() {
        // A task due at 10 is preempted at 4 by a 2-hour interruption: its
        // completion moves to 12 and only the new completion fires.
        let mut s = Schedule::new();
        let done = s.at(10.0, "task done");
        s.at(4.0, "interrupt");
        assert_eq!(s.pop().map(|(_, e)| e), Some("interrupt"));
        s.cancel(done);
        s.after(10.0 - 4.0 + 2.0, "task done");
        assert_eq!(s.pop(), Some((12.0, "task done")));
        assert!(s.is_empty());
    }

    #[test]
    fn peek_skips_cancelled() {
        let mut s = Schedule::new();
        let a = s.at(1.0, 'a');
        s.at(2.0, 'b');
        s.cancel(a);
        assert_eq!(s.peek_time(), Some(2.0));
    }
}
