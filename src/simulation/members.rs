//! The cohort's members: each one's state in both scenarios, found by member id.
//!
//! The simulator looks a member up on every order, and in a large cohort the lookup waits on
//! memory more than it computes. With a `HashMap<String, usize>` an order missed the cache on
//! the table's entry (32 bytes each) and again on the id's heap string; `perf annotate` put a
//! fifth of a run on the first of those loads. Here the table holds 8-byte slots (part of the
//! id's hash and the member's number), and an id of up to 22 bytes is kept inline beside the
//! member's state, which the order reads next anyway.

use super::cohort::Fnv;
use super::MemberState;
use crate::calendar::Instant;
use std::hash::Hasher;

/// A member id: inline up to 22 bytes (most ids are), else on the heap.
enum MemberId {
    Inline { len: u8, bytes: [u8; 22] },
    Heap(Box<str>),
}

impl MemberId {
    fn new(id: &str) -> MemberId {
        let mut bytes = [0; 22];
        match (bytes.get_mut(..id.len()), u8::try_from(id.len())) {
            (Some(head), Ok(len)) => {
                head.copy_from_slice(id.as_bytes());
                MemberId::Inline { len, bytes }
            }
            _ => MemberId::Heap(id.into()),
        }
    }

    fn is(&self, id: &str) -> bool {
        match self {
            MemberId::Inline { len, bytes } => &bytes[..usize::from(*len)] == id.as_bytes(),
            MemberId::Heap(own) => **own == *id,
        }
    }
}

struct Member {
    id: MemberId,
    /// The instant of the member's latest order, the same in both scenarios.
    last: Option<Instant>,
    /// Whether the promotion has not touched the member yet: both scenarios' states are then
    /// the baseline's, kept once in `states[0]` (`states[1]` stays empty).
    twin: bool,
    states: [MemberState; 2],
}

/// The members in the order they first appeared, and an open-addressing table from id to
/// number. A slot is `tag << 32 | number + 1` (0 when empty), where the tag is 32 bits of
/// the id's hash: it picks the slot and rules out most other ids without reading them.
#[derive(Default)]
pub(super) struct Members {
    slots: Vec<u64>,
    list: Vec<Member>,
    /// Whether members start as twins (see [`Member`]).
    twins: bool,
}

/// FNV-1a (as for splitting a cohort by member), folded to 32 bits.
fn tag(id: &str) -> u32 {
    let mut h = Fnv::default();
    h.write(id.as_bytes());
    let h = h.finish();
    (h ^ (h >> 32)) as u32
}

impl Members {
    /// No members yet; with `twins`, each starts with one state for both scenarios.
    pub fn new(twins: bool) -> Members {
        Members {
            twins,
            ..Members::default()
        }
    }

    pub fn len(&self) -> usize {
        self.list.len()
    }

    /// Makes room for `n` more members, so that the list does not grow (and copy itself)
    /// while they come.
    pub fn reserve(&mut self, n: usize) {
        self.list.reserve(n);
        self.start_table();
        let want = (self.list.len() + n).saturating_mul(2).next_power_of_two();
        while self.slots.len() < want {
            self.grow();
        }
    }

    /// The member's number, the member being added on their first order; `None` only past
    /// 4 billion members.
    pub fn number(&mut self, id: &str) -> Option<usize> {
        self.start_table();
        let tag = tag(id);
        let mask = self.slots.len() - 1;
        let mut at = tag as usize & mask;
        loop {
            let slot = self.slots[at];
            if slot == 0 {
                break;
            }
            if (slot >> 32) as u32 == tag {
                let m = (slot & 0xffff_ffff) as usize - 1;
                if self.list[m].id.is(id) {
                    return Some(m);
                }
            }
            at = (at + 1) & mask;
        }
        let m = self.list.len();
        let number = u32::try_from(m + 1).ok().filter(|&n| n != u32::MAX)?;
        self.list.push(Member {
            id: MemberId::new(id),
            last: None,
            twin: self.twins,
            states: Default::default(),
        });
        self.slots[at] = u64::from(tag) << 32 | u64::from(number);
        // At most half full, so that a probe ends soon.
        if self.list.len() * 2 > self.slots.len() {
            self.grow();
        }
        Some(m)
    }

    /// Asks the CPU to start loading the table slot where `id` would be found, so that the
    /// lookup of an order still to come does not wait for memory.
    pub fn prefetch(&self, id: &str) {
        let Some(mask) = self.slots.len().checked_sub(1) else {
            return;
        };
        let at = tag(id) as usize & mask;
        #[cfg(target_arch = "x86_64")]
        // SAFETY: a prefetch is a hint; it does not fault and reads nothing into the program.
        unsafe {
            use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
            _mm_prefetch::<_MM_HINT_T0>(self.slots.as_ptr().wrapping_add(at).cast());
        }
        #[cfg(not(target_arch = "x86_64"))]
        let _ = at;
    }

    /// The table's first 1,024 slots, made on first use.
    fn start_table(&mut self) {
        if self.slots.is_empty() {
            self.slots = vec![0; 1024];
        }
    }

    fn grow(&mut self) {
        let bigger = vec![0; self.slots.len() * 2];
        let old = std::mem::replace(&mut self.slots, bigger);
        let mask = self.slots.len() - 1;
        for slot in old.into_iter().filter(|&s| s != 0) {
            let mut at = (slot >> 32) as usize & mask;
            while self.slots[at] != 0 {
                at = (at + 1) & mask;
            }
            self.slots[at] = slot;
        }
    }

    /// The instant of member `m`'s latest order.
    pub fn last(&self, m: usize) -> Option<Instant> {
        self.list[m].last
    }

    pub fn set_last(&mut self, m: usize, at: Instant) {
        self.list[m].last = Some(at);
    }

    /// Whether member `m`'s scenarios still share the baseline's state.
    pub fn is_twin(&self, m: usize) -> bool {
        self.list[m].twin
    }

    /// Gives member `m`'s promotion scenario a state of its own: a copy of the baseline's,
    /// which until now stood for both.
    pub fn untwin(&mut self, m: usize) {
        let member = &mut self.list[m];
        if member.twin {
            member.states[1] = member.states[0].clone();
            member.twin = false;
        }
    }

    /// How many members are still twins.
    #[cfg(test)]
    pub fn twins_left(&self) -> usize {
        self.list.iter().filter(|m| m.twin).count()
    }

    /// Every member's states and whether they are twins, in the order members first appeared.
    pub fn states_mut(&mut self) -> impl Iterator<Item = (&mut [MemberState; 2], bool)> {
        self.list.iter_mut().map(|m| (&mut m.states, m.twin))
    }
}

impl std::ops::Index<usize> for Members {
    type Output = [MemberState; 2];
    fn index(&self, m: usize) -> &[MemberState; 2] {
        &self.list[m].states
    }
}

impl std::ops::IndexMut<usize> for Members {
    fn index_mut(&mut self, m: usize) -> &mut [MemberState; 2] {
        &mut self.list[m].states
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::HashMap;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        /// Members are numbered in order of first appearance, and the same id always finds
        /// the same number: as a `HashMap` from id to number would have it, across the table's
        /// growth, tags that collide (short and similar ids), and ids too long to keep inline;
        /// prefetching and reserving room change nothing.
        #[test]
        fn ids_get_the_numbers_a_map_would_give(
            ids in prop::collection::vec(
                prop_oneof![
                    (0u32..800).prop_map(|n| format!("m{n}")),
                    "[a-c]{0,3}",
                    "[a-z0-9-]{20,40}",
                ],
                0..1200,
            ),
            expected in prop_oneof![Just(0usize), 0usize..3000],
        ) {
            let mut members = Members::default();
            // Room made ahead for however many are expected changes nothing either.
            members.reserve(expected);
            let mut map: HashMap<String, usize> = HashMap::new();
            for id in &ids {
                // A prefetch is only a hint: before the table exists, or for ids not in it.
                members.prefetch(id);
                let next = map.len();
                let want = *map.entry(id.clone()).or_insert(next);
                prop_assert_eq!(members.number(id), Some(want), "{}", id);
            }
            prop_assert_eq!(members.len(), map.len());
        }
    }

    #[test]
    fn ids_up_to_22_bytes_are_kept_inline_and_longer_ones_on_the_heap() {
        assert!(matches!(MemberId::new(""), MemberId::Inline { len: 0, .. }));
        assert!(matches!(
            MemberId::new(&"x".repeat(22)),
            MemberId::Inline { len: 22, .. }
        ));
        assert!(matches!(MemberId::new(&"x".repeat(23)), MemberId::Heap(_)));
        assert!(MemberId::new("会员-001").is("会员-001"));
        assert!(!MemberId::new("m1").is("m10"));
    }
}
