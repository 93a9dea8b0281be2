//! The future-event schedule: two 4-ary min-heaps (near and far events, see
//! [`Schedule`]) ordered by (time, insertion sequence), so events at the
//! same time fire in the order they were scheduled and every run is
//! deterministic.
//!
//! Why not `std::collections::BinaryHeap`: the engine pops and pushes one
//! event per step, so the queue is a fifth of its instructions. Here the
//! (time, sequence) pair is compared as one integer (time is never negative,
//! so its bits order like the number) instead of a float comparison and a
//! tie-break, four children per node halve the depth, and an entry is 24
//! bytes (time bits, a 32-bit sequence, an event of at most 12 bytes), so
//! entries move through the heap as a few register copies.
//!
//! There is no cancellation: the engine supersedes an event by bumping a
//! token that the handler checks, which costs nothing when nothing is
//! superseded (the common case) and keeps `pop` free of a check for it.

/// Children per heap node.
const ARITY: usize = 4;

#[derive(Clone, Copy)]
struct Entry<E> {
    time_bits: u64,
    seq: u32,
    event: E,
}

impl<E> Entry<E> {
    #[inline(always)]
    fn key(&self) -> u128 {
        (u128::from(self.time_bits) << 32) | u128::from(self.seq)
    }
}

/// Events due more than this many hours after now go to the far heap.
/// A tuning constant only: the order of events does not depend on it.
/// Callgrind, Sim::run inclusive (M/M/c --reps 2 / pods --reps 4): 168 h
/// 139.0 M / 260.4 M, 24 h 138.5 M / 253.6 M, 8 h 138.4 M / 250.0 M, 4 h
/// 134.4 M / 243.9 M, 2 h 130.4 M / 239.7 M, 0.5 h 124.7 M / 238.4 M: a
/// small near heap (the events due within minutes) pays most; 0.125 h is
/// worse again on M/M/c (131.5 M), so 0.5 h is kept.
const NEAR_HOURS: f64 = 0.5;

/// Two heaps over one key space: the near heap holds what is due within
/// [`NEAR_HOURS`] of the time it was scheduled (segment ends, tasks, the
/// next arrival), the far heap what is due later (leaves, defects found,
/// ops requests, week starts). Popping takes the smaller of the two tops,
/// so events fire in exactly the (time, sequence) order of one heap, while
/// the frequent near events sift through a shallow heap instead of one
/// deepened by many far-future events that wait there for weeks.
pub struct Schedule<E> {
    near: Heap<E>,
    far: Heap<E>,
    next_seq: u32,
    now: f64,
}

impl<E: Copy> Default for Schedule<E> {
    fn default() -> Self {
        Self::new()
    }
}

impl<E: Copy> Schedule<E> {
    pub fn new() -> Self {
        Schedule {
            near: Heap { heap: Vec::new() },
            far: Heap { heap: Vec::new() },
            next_seq: 0,
            now: 0.0,
        }
    }

    /// Empties the schedule and resets the clock, keeping allocations for reuse.
    pub fn clear(&mut self) {
        self.near.heap.clear();
        self.far.heap.clear();
        self.next_seq = 0;
        self.now = 0.0;
    }

    /// The time of the last event popped (0 before any).
    pub fn now(&self) -> f64 {
        self.now
    }

    /// Schedules `event` at absolute time `time`. Times in the past are a bug
    /// in the caller: they are clamped to now so the clock never runs backwards.
    // Always inlined: an event built by the caller then goes straight into
    // the heap slot from registers (passed by reference, its bytes were
    // written piecewise and read back whole, a store-forwarding stall that
    // cost a third of this function).
    #[inline(always)]
    pub fn at(&mut self, time: f64, event: E) {
        debug_assert!(
            time >= self.now - 1e-9,
            "event scheduled in the past: {time} < {}",
            self.now
        );
        // `+ 0.0` turns -0.0 into +0.0, whose bits order first; NaN is clamped too.
        let time = if time >= self.now { time + 0.0 } else { self.now };
        if self.next_seq == u32::MAX {
            self.renumber();
        }
        let seq = self.next_seq;
        self.next_seq += 1;
        let entry = Entry {
            time_bits: time.to_bits(),
            seq,
            event,
        };
        if time > self.now + NEAR_HOURS {
            self.far.push(entry);
        } else {
            self.near.push(entry);
        }
    }

    /// Schedules `event` `delay` hours from now.
    #[inline(always)]
    pub fn after(&mut self, delay: f64, event: E) {
        self.at(self.now + delay.max(0.0), event)
    }

    /// Removes and returns the earliest event, advancing the clock.
    #[inline]
    pub fn pop(&mut self) -> Option<(f64, E)> {
        let far_first = match (self.near.heap.first(), self.far.heap.first()) {
            (Some(n), Some(f)) => f.key() < n.key(),
            (None, Some(_)) => true,
            (_, None) => false,
        };
        let e = if far_first {
            self.far.pop_min()
        } else {
            self.near.pop_min()
        }?;
        self.now = f64::from_bits(e.time_bits);
        Some((self.now, e.event))
    }

    /// Time of the earliest event without removing it.
    pub fn peek_time(&self) -> Option<f64> {
        let near = self.near.heap.first().map(Entry::key);
        let far = self.far.heap.first().map(Entry::key);
        let key = match (near, far) {
            (Some(n), Some(f)) => n.min(f),
            (n, f) => n.or(f)?,
        };
        Some(f64::from_bits((key >> 32) as u64))
    }

    pub fn len(&self) -> usize {
        self.near.heap.len() + self.far.heap.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// After 2^32 - 1 insertions in one run (an hour-long replication), the
    /// pending entries of both heaps are renumbered 0.. in their current
    /// order: ties keep firing in insertion order. A sorted array is a
    /// valid heap.
    #[cold]
    fn renumber(&mut self) {
        let mut order: Vec<(u128, bool, usize)> = (self.near.heap.iter().enumerate())
            .map(|(i, e)| (e.key(), false, i))
            .chain(self.far.heap.iter().enumerate().map(|(i, e)| (e.key(), true, i)))
            .collect();
        order.sort_unstable_by_key(|o| o.0);
        for (rank, &(_, far, i)) in order.iter().enumerate() {
            let heap = if far { &mut self.far } else { &mut self.near };
            heap.heap[i].seq = rank as u32;
        }
        self.near.heap.sort_unstable_by_key(Entry::key);
        self.far.heap.sort_unstable_by_key(Entry::key);
        self.next_seq = order.len() as u32;
    }
}

/// One 4-ary min-heap of entries.
struct Heap<E> {
    heap: Vec<Entry<E>>,
}

/// Events are small `Copy` values (an enum of indices), so entries are moved
/// by copy through the heap's hole rather than swapped.
impl<E: Copy> Heap<E> {
    #[inline(always)]
    fn push(&mut self, entry: Entry<E>) {
        self.heap.push(entry);
        self.sift_up(self.heap.len() - 1);
    }

    #[inline]
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
    #[inline(never)]
    fn sift_up(&mut self, mut i: usize) {
        let entry = self.heap[i];
        let key = entry.key();
        while i > 0 {
            let parent = (i - 1) / ARITY;
            if self.heap[parent].key() <= key {
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
        let heap = &mut self.heap[..];
        let n = heap.len();
        let entry = heap[i];
        let key = entry.key();
        loop {
            let first = i * ARITY + 1;
            // A full node (every level but the last): the smallest of four
            // as a tournament of two pairs, so the two first comparisons are
            // independent, on one bounds check for the four children.
            let (best, best_key) = if let Some(kids) = heap.get(first..first + ARITY) {
                let k = [kids[0].key(), kids[1].key(), kids[2].key(), kids[3].key()];
                let (a, ka) = if k[1] < k[0] { (1, k[1]) } else { (0, k[0]) };
                let (b, kb) = if k[3] < k[2] { (3, k[3]) } else { (2, k[2]) };
                if kb < ka {
                    (first + b, kb)
                } else {
                    (first + a, ka)
                }
            } else if first < n {
                let mut best = first;
                let mut best_key = heap[first].key();
                for (c, e) in heap.iter().enumerate().skip(first + 1) {
                    let k = e.key();
                    if k < best_key {
                        best = c;
                        best_key = k;
                    }
                }
                (best, best_key)
            } else {
                break;
            };
            if key <= best_key {
                break;
            }
            heap[i] = heap[best];
            i = best;
        }
        heap[i] = entry;
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
    fn ties_keep_insertion_order_across_a_sequence_renumbering() {
        let mut s = Schedule::new();
        s.next_seq = u32::MAX - 3;
        for i in 0..8 {
            s.at(if i % 2 == 0 { 5.0 } else { 1.0 }, i);
        }
        assert_eq!(s.next_seq, 8, "renumbered once, at the fourth insertion");
        let got: Vec<_> = std::iter::from_fn(|| s.pop().map(|(_, e)| e)).collect();
        assert_eq!(got, [1, 3, 5, 7, 0, 2, 4, 6]);
    }

    #[test]
    fn ties_between_the_near_and_far_heaps_fire_in_insertion_order() {
        // Times in units of NEAR_HOURS so the test keeps splitting the heaps
        // whatever the window is tuned to.
        let h = NEAR_HOURS;
        let mut s = Schedule::new();
        s.at(3.0 * h, "far, first");
        s.at(2.5 * h, "near");
        assert_eq!(s.pop(), Some((2.5 * h, "near")));
        // Now 2.5 windows: 3 is within one window, so this one goes to the near heap.
        s.at(3.0 * h, "near, second");
        s.at(2.9 * h, "near, earlier");
        assert_eq!((s.near.heap.len(), s.far.heap.len()), (2, 1));
        assert_eq!(s.len(), 3);
        assert_eq!(s.peek_time(), Some(2.9 * h));
        let got: Vec<_> = std::iter::from_fn(|| s.pop().map(|(_, e)| e)).collect();
        assert_eq!(got, ["near, earlier", "far, first", "near, second"]);
    }

    #[test]
    fn renumbering_keeps_the_order_across_both_heaps() {
        let mut s = Schedule::new();
        s.next_seq = u32::MAX - 3;
        for i in 0..8 {
            // Even events far, odd ones near, ties within each.
            s.at(if i % 2 == 0 { 4.0 * NEAR_HOURS } else { NEAR_HOURS / 2.0 }, i);
        }
        assert_eq!(s.next_seq, 8);
        let got: Vec<_> = std::iter::from_fn(|| s.pop().map(|(_, e)| e)).collect();
        assert_eq!(got, [1, 3, 5, 7, 0, 2, 4, 6]);
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
