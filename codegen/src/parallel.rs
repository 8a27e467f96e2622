//! Work spread over threads: one queue, taken from in order by every thread, results in order.

use std::sync::atomic::{AtomicUsize, Ordering};

/// The machine's threads, at most `cap`.
pub(crate) fn threads(cap: usize) -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, cap.max(1))
}

/// `f` of every item, in the items' order, on up to `threads` threads (this one among them).
/// Threads take items in order as they finish the last, so put the largest first. `None` if a
/// thread panicked (a bug in `f`: nothing from outside may make it panic).
pub(crate) fn map<T: Sync, R: Send>(items: &[T], threads: usize, f: impl Fn(&T) -> R + Sync) -> Option<Vec<R>> {
    let threads = threads.clamp(1, items.len().max(1));
    if threads == 1 {
        return Some(items.iter().map(f).collect());
    }
    let next = AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(item) = items.get(i) else { return done };
            done.push((i, f(item)));
        }
    };
    let mut all: Vec<(usize, R)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (1..threads).map(|_| scope.spawn(work)).collect();
        let mut all = work();
        // every worker joined before any result is looked at: an unjoined panic would be the scope's
        let joined: Vec<_> = workers.into_iter().map(|w| w.join()).collect();
        for done in joined {
            all.extend(done.ok()?);
        }
        Some(all)
    })?;
    all.sort_by_key(|(i, _)| *i);
    Some(all.into_iter().map(|(_, r)| r).collect())
}

#[cfg(test)]
mod tests {
    #[test]
    fn results_come_in_the_items_order() {
        let items: Vec<u64> = (0..100).collect();
        for threads in [1, 2, 3, 200] {
            let squares = super::map(&items, threads, |i| i * i).unwrap();
            assert_eq!(squares, items.iter().map(|i| i * i).collect::<Vec<_>>());
        }
        assert_eq!(super::map(&[] as &[u8], 2, |_| 0), Some(Vec::new()));
    }

    #[test]
    fn a_panicking_thread_is_none() {
        let items: Vec<u64> = (0..8).collect();
        let result = std::panic::catch_unwind(|| super::map(&items, 2, |i| assert!(*i != 5)));
        // the panic is on this thread or a worker: either way no result is made up
        assert!(matches!(result, Err(_) | Ok(None)));
    }
}
