//! The CLI's allocator: mimalloc, called without its aligned entry points where Rust's
//! alignment needs nothing more than what every mimalloc block has.
//!
//! mimalloc instead of the system allocator because the simulator allocates and frees a few
//! small blocks per member and order, and glibc's free lists took a quarter of a run
//! (`make bench-simulate`). The `mimalloc` crate passes every call through
//! `mi_malloc_aligned` and `mi_realloc_aligned`, whose alignment checks cost the simulator's
//! million-order run 1.2% of its instructions (its wallets and tier windows grow by
//! reallocation about 700,000 times); blocks of 8-byte alignment or less need none of them.

use std::alloc::{GlobalAlloc, Layout};

pub struct Mimalloc;

/// Every mimalloc block is aligned to at least a machine word, 8 bytes on 64-bit targets
/// (Rust's own `System` allocator relies on the same of `malloc`).
const WORD: usize = std::mem::size_of::<usize>();

fn plain(layout: &Layout) -> bool {
    layout.align() <= WORD
}

// SAFETY: each call forwards to mimalloc with the layout's size, and to its aligned entry
// points whenever the alignment asked for is more than a word; `mi_free` frees blocks from
// either kind of call.
unsafe impl GlobalAlloc for Mimalloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if plain(&layout) {
            libmimalloc_sys::mi_malloc(layout.size()).cast()
        } else {
            mimalloc::MiMalloc.alloc(layout)
        }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if plain(&layout) {
            libmimalloc_sys::mi_zalloc(layout.size()).cast()
        } else {
            mimalloc::MiMalloc.alloc_zeroed(layout)
        }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, _layout: Layout) {
        libmimalloc_sys::mi_free(ptr.cast());
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if plain(&layout) {
            libmimalloc_sys::mi_realloc(ptr.cast(), new_size).cast()
        } else {
            mimalloc::MiMalloc.realloc(ptr, layout, new_size)
        }
    }
}

#[cfg(test)]
mod tests {
    /// Blocks of every small size and alignment come back aligned as asked, keep their bytes
    /// when they grow or shrink, and free, whichever entry point made them.
    #[test]
    fn blocks_are_aligned_as_asked_and_keep_their_bytes_across_reallocation() {
        use std::alloc::{GlobalAlloc, Layout};
        let a = super::Mimalloc;
        for align in [1, 2, 4, 8, 16, 32, 64, 4096] {
            for size in [1, 7, 8, 24, 96, 1000, 70_000] {
                let layout = Layout::from_size_align(size, align).unwrap();
                // SAFETY: non-zero sizes; each block is freed once, with its layout.
                unsafe {
                    let p = a.alloc(layout);
                    assert!(
                        !p.is_null() && (p as usize).is_multiple_of(align),
                        "{size} {align}"
                    );
                    for i in 0..size {
                        *p.add(i) = i as u8;
                    }
                    let q = a.realloc(p, layout, size * 3);
                    assert!((q as usize).is_multiple_of(align), "{size} {align} grown");
                    assert!((0..size).all(|i| *q.add(i) == i as u8));
                    let r = a.realloc(q, Layout::from_size_align(size * 3, align).unwrap(), size);
                    assert!((r as usize).is_multiple_of(align), "{size} {align} shrunk");
                    assert!((0..size).all(|i| *r.add(i) == i as u8));
                    a.dealloc(r, layout);
                    let z = a.alloc_zeroed(layout);
                    assert!(
                        (z as usize).is_multiple_of(align) && (0..size).all(|i| *z.add(i) == 0)
                    );
                    a.dealloc(z, layout);
                }
            }
        }
    }
}
