//! The blocking workers of [`super::LocalTimeStamper`]'s async interface: a few long-lived
//! threads, started on first use (one per core, at most [`MAX_WORKERS`]), that run the
//! development TSA's PKCS#11 signing and token verification, so that an async caller neither
//! blocks its executor nor starts a thread per token. (The evidence crate does not depend on
//! tokio; a server that has a blocking pool calls [`super::LocalTimeStamper::timestamp_blocking`]
//! on it instead.)

use std::future::Future;
use std::pin::Pin;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, PoisonError};
use std::task::{Context, Poll, Waker};

/// Most worker threads.
const MAX_WORKERS: usize = 4;

type Job = Box<dyn FnOnce() + Send + 'static>;

/// The queue of the workers; `None` if not one of them could start.
fn queue() -> Option<&'static Mutex<Sender<Job>>> {
    static QUEUE: OnceLock<Option<Mutex<Sender<Job>>>> = OnceLock::new();
    QUEUE
        .get_or_init(|| {
            let (sender, receiver) = channel::<Job>();
            let receiver = Arc::new(Mutex::new(receiver));
            let workers = std::thread::available_parallelism()
                .map_or(1, usize::from)
                .clamp(1, MAX_WORKERS);
            let started = (0..workers)
                .filter(|i| {
                    let receiver = Arc::clone(&receiver);
                    std::thread::Builder::new()
                        .name(format!("pli-dev-tsa-{i}"))
                        .spawn(move || work(&receiver))
                        .inspect_err(|error| {
                            tracing::error!(%error, "cannot start a development TSA worker thread");
                        })
                        .is_ok()
                })
                .count();
            (started > 0).then(|| Mutex::new(sender))
        })
        .as_ref()
}

/// A worker's loop: runs jobs until the queue is gone (never, in practice: it is static).
fn work(receiver: &Mutex<Receiver<Job>>) {
    loop {
        let job = lock(receiver).recv();
        match job {
            // A panicking job is caught so that the worker survives; its `Completion` has
            // marked the job finished while unwinding.
            Ok(job) => {
                let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(job));
            }
            Err(_) => return,
        }
    }
}

/// Runs `job` on a worker; the future resolves to its result, or `None` if no worker could
/// start or the job panicked.
pub(super) fn run_blocking<T, F>(job: F) -> BlockingJob<T>
where
    T: Send + 'static,
    F: FnOnce() -> T + Send + 'static,
{
    let shared = Arc::new(Mutex::new(JobState {
        value: None,
        finished: false,
        waker: None,
    }));
    let completion = Completion(Arc::clone(&shared));
    let task: Job = Box::new(move || {
        let value = job();
        lock(&completion.0).value = Some(value);
        drop(completion);
    });
    match queue() {
        // On failure the job, and with it `completion`, is dropped: the job is finished.
        Some(queue) => {
            let _ = lock(queue).send(task);
        }
        None => drop(task),
    }
    BlockingJob(shared)
}

struct JobState<T> {
    value: Option<T>,
    finished: bool,
    waker: Option<Waker>,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Marks the job finished when dropped — after storing the value, or while unwinding from a
/// panic — and wakes the waiting task.
struct Completion<T>(Arc<Mutex<JobState<T>>>);

impl<T> Drop for Completion<T> {
    fn drop(&mut self) {
        let waker = {
            let mut state = lock(&self.0);
            state.finished = true;
            state.waker.take()
        };
        if let Some(waker) = waker {
            waker.wake();
        }
    }
}

/// The result of a job run by [`run_blocking`].
pub(super) struct BlockingJob<T>(Arc<Mutex<JobState<T>>>);

impl<T> Future for BlockingJob<T> {
    type Output = Option<T>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<T>> {
        let mut state = lock(&self.0);
        if state.finished {
            Poll::Ready(state.value.take())
        } else {
            state.waker = Some(cx.waker().clone());
            Poll::Pending
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "unit tests")]

    use super::*;

    fn block_on<F: Future>(future: F) -> F::Output {
        struct Unpark(std::thread::Thread);
        impl std::task::Wake for Unpark {
            fn wake(self: Arc<Self>) {
                self.0.unpark();
            }
        }
        let waker = Waker::from(Arc::new(Unpark(std::thread::current())));
        let mut cx = Context::from_waker(&waker);
        let mut future = std::pin::pin!(future);
        loop {
            if let Poll::Ready(value) = future.as_mut().poll(&mut cx) {
                return value;
            }
            std::thread::park();
        }
    }

    #[test]
    fn jobs_run_on_the_same_few_threads() {
        let names: Vec<String> = (0..20)
            .map(|_| {
                block_on(run_blocking(|| {
                    std::thread::current().name().unwrap_or_default().to_owned()
                }))
                .unwrap()
            })
            .collect();
        let mut distinct = names.clone();
        distinct.sort();
        distinct.dedup();
        assert!(distinct.len() <= MAX_WORKERS, "{distinct:?}");
        assert!(
            names.iter().all(|n| n.starts_with("pli-dev-tsa-")),
            "{names:?}"
        );
    }

    #[test]
    fn a_panicking_job_resolves_to_none_and_the_workers_go_on() {
        #[allow(clippy::panic, reason = "the panic under test")]
        let panicked = block_on(run_blocking(|| -> u8 { panic!("job failure") }));
        assert_eq!(panicked, None);
        for _ in 0..(2 * MAX_WORKERS) {
            assert_eq!(block_on(run_blocking(|| 7)), Some(7));
        }
    }
}
