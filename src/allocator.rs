//! The process's allocator: mimalloc, with two of its defaults changed. The one place of the
//! binary with `unsafe` code (two settings of the allocator and the kernel); nothing else here.

/// mimalloc instead of the system's allocator: the run allocates millions of small rows on
/// several threads, where glibc's per-thread arenas kept freed memory resident. The reader
/// processes are this same binary, so they use it too. Measured in docs/performance.md.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `mi_option_purge_delay` in mimalloc.h (v3, the version the crate builds by default; the sys
/// crate does not name it). The test below checks it against mimalloc's own default.
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Two of mimalloc's defaults cost memory here and gain no time measured (docs/performance.md):
/// memory the run lets go of goes back to the system at once, not after a second (the peak is
/// reached while the KPIs and the workbook build on what the earlier stages freed: 50 MiB), and
/// transparent huge pages, 2 MiB pages on every thread's heap (40 MiB on the benchmark's
/// inputs; 114 MiB instead of 66 for a small report). mimalloc reads its huge-page option once,
/// before `main`, so they are turned off for the process instead (inherited by the readers).
pub fn tune() {
    // SAFETY: sets one of mimalloc's integer options, which it allows at any time.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 0) }
    #[cfg(target_os = "linux")]
    // SAFETY: a prctl call with integer arguments only; a kernel without it returns an error,
    // left as is (the run only keeps more memory).
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The option number is mimalloc's purge delay: read before [`tune`] runs, it
    /// holds its documented default (1000 ms in v3); after, it is 0, and huge pages are off.
    #[test]
    fn the_allocator_is_tuned_as_meant() {
        // SAFETY: reads one of mimalloc's integer options.
        let purge_delay = || unsafe { libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY) };
        assert_eq!(purge_delay(), 1000);
        tune();
        assert_eq!(purge_delay(), 0);
        #[cfg(target_os = "linux")]
        // SAFETY: a prctl query with integer arguments only.
        assert_eq!(
            unsafe { libc::prctl(libc::PR_GET_THP_DISABLE, 0, 0, 0, 0) },
            1
        );
    }
}
