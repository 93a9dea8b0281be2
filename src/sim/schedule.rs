//! The future-event schedule: a 4-ary min-heap ordered by (time, insertion
//! sequence), so events at the same time fire in the order they were
//! scheduled and every run is deterministic.
//!
//! Why not `std::collections::BinaryHeap`: the engine pops and pushes one
//! event per step, so the queue is a fifth of its instructions. Here the
//! (time, sequence) pair is one `u128` key (time is never negative, so its
//! bits order like the number), compared in one step instead of a float
//! comparison and a tie-break, and four children per node halve the depth
//! (sift-down touches one cache line of children per level).
//!
//! Cancellation is by handle: [`Schedule::cancel`] marks the entry dead and
//! [`Schedule::pop`] skips it, which keeps both operations O(log n) without
//! searching the heap.

/// Identifies a scheduled event, for cancellation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Handle(u64);

/// Children per heap node.
const ARITY: usize = 4;

#[derive(Clone, Copy)]
struct Entry<E> {
    /// Time bits in the high half, insertion sequence in the low half.
    key: u128,
    event: E,
}

impl<E> Entry<E> {
    fn time(&self) -> f64 {
        f64::from_bits((self.key >> 64) as u64)
    }
    fn seq(&self) -> u64 {
        self.key as u64
    }
}

pub struct Schedule<E> {
    heap: Vec<Entry<E>>,
    next_seq: u64,
    now: f64,
    /// Sequence numbers of cancelled entries still in the heap (sorted not needed: small).
    cancelled: Vec<u64>,
}

impl<E: Copy> Default for Schedule<E> {
    fn default() -> Self {
        Self::new()
    }
}

/// Events are small `Copy` values (an enum of indices), so entries are moved
/// by copy through the heap's hole rather than swapped.
impl<E: Copy> Schedule<E> {
    pub fn new() -> Self {
        Schedule {
            heap: Vec::new(),
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
    #[inline]
    pub fn at(&mut self, time: f64, event: E) -> Handle {
        debug_assert!(
            time >= self.now - 1e-9,
            "event scheduled in the past: {time} < {}",
            self.now
        );
        // `+ 0.0` turns -0.0 into +0.0, whose bits order first; NaN is clamped too.
        let time = if time >= self.now { time + 0.0 } else { self.now };
        let seq = self.next_seq;
        self.next_seq += 1;
        let key = (u128::from(time.to_bits()) << 64) | u128::from(seq);
        self.heap.push(Entry { key, event });
        self.sift_up(self.heap.len() - 1);
        Handle(seq)
    }

    /// Schedules `event` `delay` hours from now.
    #[inline]
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
    #[inline]
    pub fn pop(&mut self) -> Option<(f64, E)> {
        loop {
            let e = self.pop_min()?;
            if !self.cancelled.is_empty() {
                if let Some(i) = self.cancelled.iter().position(|&s| s == e.seq()) {
                    self.cancelled.swap_remove(i);
                    continue;
                }
            }
            self.now = e.time();
            return Some((self.now, e.event));
        }
    }

    /// Time of the earliest live event without removing it.
    pub fn peek_time(&mut self) -> Option<f64> {
        loop {
            let e = self.heap.first()?;
            if let Some(i) = self.cancelled.iter().position(|&s| s == e.seq()) {
                self.cancelled.swap_remove(i);
                self.pop_min();
                continue;
            }
            return Some(e.time());
        }
    }

    pub fn len(&self) -> usize {
        self.heap.len() - self.cancelled.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn pop_min(&mut self) -> Option<Entry<E>> {
        let last = self.heap.pop()?;
        if self.heap.is_empty() {
            return Some(last);
        }
        let top = std::mem::replace(&mut self.heap[0], last);
        self.sift_down(0);
        Some(top)
    }

    /// Moves the entry at `i` up to its place (keys are unique: strict
    /// order). Parents move down into the hole; the entry is written once.
    #[inline]
    fn sift_up(&mut self, mut i: usize) {
        let entry = self.heap[i];
        while i > 0 {
            let parent = (i - 1) / ARITY;
            if self.heap[parent].key <= entry.key {
                break;
            }
            self.heap[i] = self.heap[parent];
            i = parent;
        }
        self.heap[i] = entry;
    }

    /// Moves the entry at `i` down to its place: the smallest child moves up
    /// into the hole at each level; the entry is written once.
    fn sift_down(&mut self, mut i: usize) {
        let n = self.heap.len();
        let entry = self.heap[i];
        loop {
            let first = i * ARITY + 1;
            if first >= n {
                break;
            }
            let end = (first + ARITY).min(n);
            let mut best = first;
            let mut best_key = self.heap[first].key;
            for c in first + 1..end {
                let k = self.heap[c].key;
                if k < best_key {
                    best = c;
                    best_key = k;
                }
            }
            if entry.key <= best_key {
                break;
            }
            self.heap[i] = self.heap[best];
            i = best;
        }
        self.heap[i] = entry;
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

    #[test]
    fn many_random_events_pop_sorted_by_time_then_insertion() {
        // A deterministic scramble of times with many ties, against a sort.
        let mut s = Schedule::new();
        let mut expected = Vec::new();
        let mut x = 12345u64;
        for i in 0..5_000u64 {
            x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            let t = ((x >> 40) % 200) as f64 * 0.5;
            s.at(t, i);
            expected.push((t, i));
        }
        expected.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        let got: Vec<_> = std::iter::from_fn(|| s.pop()).collect();
        assert_eq!(got, expected);
    }

    #[test]
    fn interleaved_pushes_and_pops_stay_ordered() {
        let mut s = Schedule::new();
        let mut last = (0.0, 0u64);
        let mut x = 99u64;
        let mut n = 0;
        for i in 0..20_000u64 {
            x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            if x >> 62 != 0 {
                s.after(((x >> 32) % 16) as f64 * 0.25, i);
            } else if let Some((t, e)) = s.pop() {
                assert!(t > last.0 || (t == last.0 && e > last.1), "{:?} after {last:?}", (t, e));
                last = (t, e);
                n += 1;
            }
        }
        assert!(n > 1_000);
    }

    #[test]
    fn negative_zero_is_time_zero() {
        let mut s = Schedule::new();
        s.at(0.0, 'a');
        s.at(-0.0, 'b');
        s.at(1.0, 'c');
        let got: Vec<_> = std::iter::from_fn(|| s.pop().map(|(_, e)| e)).collect();
        assert_eq!(got, ['a', 'b', 'c']);
    }
}
