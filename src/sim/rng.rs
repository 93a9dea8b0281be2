//! Random streams. Each (replication, purpose, key, stream) gets its own
//! xoshiro256++ generator whose 256-bit state is derived from the run seed by
//! a fixed mixing function, so a draw never depends on thread scheduling or
//! on what another entity drew.
//!
//! Common random numbers (MODEL.md §2): item k of workstream w draws from the
//! stream (seed, replication, ITEM, w) at stream position k, whatever the
//! strategy, so strategies face exactly the same work.
//!
//! Why xoshiro256++ and not a cryptographic generator: an item draws a
//! handful of numbers from its own stream, so opening a stream must cost
//! about as much as a draw. ChaCha computes a whole block (and a key setup)
//! per stream; here opening one is six SplitMix64 finalisers. Statistical
//! quality: Blackman & Vigna, "Scrambled Linear Pseudorandom Number
//! Generators", ACM Trans. Math. Softw. 47(4), 2021, report that xoshiro256++
//! passes TestU01 BigCrush and PractRand without systematic failures (see
//! docs/PERFORMANCE.md). Its state is filled with SplitMix64 outputs, the
//! seeding the authors recommend, so nearby keys give unrelated states.

use rand::rngs::Xoshiro256PlusPlus;
use rand::SeedableRng;

/// The generator of every stream (rand's xoshiro256++: value-stable, it is
/// checked there against the authors' reference output).
pub type StreamRng = Xoshiro256PlusPlus;

/// What a stream is for; part of its key.
#[derive(Clone, Copy, Debug)]
#[repr(u64)]
pub enum Purpose {
    Item = 1,
    Arrivals = 2,
    Person = 3,
    Policy = 4,
}

/// SplitMix64's increment (the golden ratio in 64 bits).
const GAMMA: u64 = 0x9E37_79B9_7F4A_7C15;

/// SplitMix64's finaliser: a bijective, well-mixing 64-bit hash.
#[inline]
pub fn mix64(mut z: u64) -> u64 {
    z = z.wrapping_add(GAMMA);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Offsets that make the second hash lane a different function of the inputs.
const LANE_B: [u64; 4] = [
    0x6A09_E667_F3BC_C908,
    0xBB67_AE85_84CA_A73B,
    0x3C6E_F372_FE94_F82B,
    0xA54F_F53A_5F1D_36F1,
];

/// (seed, replication, purpose, key) hashed once, so that opening stream
/// position k of it costs only the per-position mixing.
///
/// Two independent 64-bit lanes: two different streams share a state only
/// if both lanes collide (probability about 2^-128 per pair), where one lane
/// would make a collision likely among the ~10^10 streams of a large run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StreamKey {
    a: u64,
    b: u64,
}

impl StreamKey {
    pub fn new(seed: u64, rep: u64, purpose: Purpose, key: u64) -> Self {
        let p = (purpose as u64) << 56;
        let a = mix64(seed ^ mix64(rep ^ mix64(p ^ mix64(key))));
        let b = mix64((seed ^ LANE_B[0]) ^ mix64((rep ^ LANE_B[1]) ^ mix64((p ^ LANE_B[2]) ^ mix64(key ^ LANE_B[3]))));
        StreamKey { a, b }
    }

    /// The generator at stream position `stream`: its state is two SplitMix64
    /// outputs seeded from each lane mixed with the position.
    #[inline]
    pub fn stream(&self, stream: u64) -> StreamRng {
        let x = self.a ^ mix64(stream);
        let y = self.b ^ mix64(stream ^ LANE_B[0]);
        let words = [
            mix64(x),
            mix64(x.wrapping_add(GAMMA)),
            mix64(y),
            mix64(y.wrapping_add(GAMMA)),
        ];
        let mut seed = [0u8; 32];
        for (chunk, w) in seed.chunks_exact_mut(8).zip(words) {
            chunk.copy_from_slice(&w.to_le_bytes());
        }
        StreamRng::from_seed(seed)
    }
}

/// A generator for (seed, replication, purpose, key), positioned at `stream`.
pub fn stream(seed: u64, rep: u64, purpose: Purpose, key: u64, stream: u64) -> StreamRng {
    StreamKey::new(seed, rep, purpose, key).stream(stream)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::Rng;

    fn first_four(mut r: StreamRng) -> Vec<u64> {
        (0..4).map(|_| r.next_u64()).collect()
    }

    #[test]
    fn same_key_same_numbers() {
        assert_eq!(
            first_four(stream(1, 2, Purpose::Item, 3, 4)),
            first_four(stream(1, 2, Purpose::Item, 3, 4))
        );
    }

    #[test]
    fn a_stream_key_opens_the_same_streams_as_stream() {
        let key = StreamKey::new(1, 2, Purpose::Item, 3);
        for k in [0, 1, 4, u64::MAX] {
            assert_eq!(first_four(key.stream(k)), first_four(stream(1, 2, Purpose::Item, 3, k)));
        }
    }

    #[test]
    fn different_keys_differ() {
        let first = |s, r, p, k, st| stream(s, r, p, k, st).next_u64();
        let base = first(1, 2, Purpose::Item, 3, 4);
        assert_ne!(base, first(9, 2, Purpose::Item, 3, 4));
        assert_ne!(base, first(1, 9, Purpose::Item, 3, 4));
        assert_ne!(base, first(1, 2, Purpose::Person, 3, 4));
        assert_ne!(base, first(1, 2, Purpose::Item, 9, 4));
        assert_ne!(base, first(1, 2, Purpose::Item, 3, 9));
    }

    /// Neighbouring stream positions (items k and k+1) must look independent:
    /// the correlation of their first uniforms over many keys is near zero,
    /// and each position's first uniform has mean 1/2 and variance 1/12.
    #[test]
    fn neighbouring_positions_are_uncorrelated() {
        let n = 20_000u64;
        let key = StreamKey::new(20261129, 0, Purpose::Item, 0);
        let u = |k: u64| (key.stream(k).next_u64() >> 11) as f64 / (1u64 << 53) as f64;
        let (mut sx, mut sxx, mut sxy) = (0.0, 0.0, 0.0);
        for k in 0..n {
            let (x, y) = (u(k), u(k + 1));
            sx += x;
            sxx += x * x;
            sxy += (x - 0.5) * (y - 0.5);
        }
        let nf = n as f64;
        let mean = sx / nf;
        let var = sxx / nf - mean * mean;
        let corr = sxy / nf / (1.0 / 12.0);
        // Standard errors: mean 0.002, variance 0.0005, correlation 0.007; 5 sigma.
        assert!((mean - 0.5).abs() < 0.01, "mean {mean}");
        assert!((var - 1.0 / 12.0).abs() < 0.0025, "variance {var}");
        assert!(corr.abs() < 0.035, "lag-1 correlation {corr}");
    }
}
