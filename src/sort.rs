//! One stable sort for the engine. Every `sort_by` call site compiles its own copy of the
//! standard library's sort (about 3 KB of WebAssembly each); sorting indices through a `dyn`
//! comparator compiles it once. The lists sorted here are short (lots, rewards, days).

use std::cmp::Ordering;

/// Sorts indices stably by `cmp`.
pub(crate) fn indices(idx: &mut [usize], cmp: &dyn Fn(usize, usize) -> Ordering) {
    idx.sort_by(|a, b| cmp(*a, *b));
}

/// The indices `0..len` in the stable order of `cmp`.
pub(crate) fn order(len: usize, cmp: &dyn Fn(usize, usize) -> Ordering) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..len).collect();
    indices(&mut idx, cmp);
    idx
}

/// `items` in the stable order of `cmp`.
pub(crate) fn sorted<T>(items: Vec<T>, cmp: &dyn Fn(&T, &T) -> Ordering) -> Vec<T> {
    let idx = order(items.len(), &|a, b| cmp(&items[a], &items[b]));
    let mut slots: Vec<Option<T>> = items.into_iter().map(Some).collect();
    idx.into_iter().filter_map(|i| slots[i].take()).collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn sorting_is_stable_and_keeps_every_item() {
        let items = vec![(3, 'a'), (1, 'b'), (3, 'c'), (0, 'd'), (1, 'e')];
        let out = super::sorted(items, &|x, y| x.0.cmp(&y.0));
        assert_eq!(out, vec![(0, 'd'), (1, 'b'), (1, 'e'), (3, 'a'), (3, 'c')]);
    }
}
