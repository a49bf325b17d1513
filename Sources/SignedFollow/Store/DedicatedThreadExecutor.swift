import Foundation

/// A task executor with a thread of its own, for the group-commit writer's loop.
///
/// Under load the two threads of Swift's cooperative pool are busy verifying signatures,
/// and a task resumed there (the writer's loop after each commit, after each
/// materialisation, after a submission wakes it) waits behind the jobs queued before it:
/// about a millisecond each time here, on a commit cycle of about four (BENCHMARKS.md,
/// "Load, crashes and memory"). The loop's task prefers this executor instead, so it
/// resumes at once; the answers it gives still run on the pool, in their callers' tasks.
final class DedicatedThreadExecutor: TaskExecutor, @unchecked Sendable {
    // `jobs` and `stopping` are guarded by `condition`.
    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []
    private var stopping = false

    /// Starts the thread, named `name` (at most 15 bytes: the kernel's limit, which
    /// `top -H` and `perf` show).
    init(name: String) {
        precondition(name.utf8.count <= 15, "a thread name has at most 15 bytes")
        let thread = Thread { [self] in
            // Set from the thread itself: Foundation on Linux names the system thread only then.
            Thread.current.name = name
            runJobs()
        }
        thread.start()
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    /// Lets the thread end once it has run every job enqueued: call it when no task
    /// prefers this executor any more.
    func stop() {
        condition.lock()
        stopping = true
        condition.signal()
        condition.unlock()
    }

    private func runJobs() {
        var batch: [UnownedJob] = []
        while true {
            condition.lock()
            while jobs.isEmpty && !stopping { condition.wait() }
            if jobs.isEmpty {
                condition.unlock()
                return
            }
            swap(&batch, &jobs)
            condition.unlock()
            for job in batch { job.runSynchronously(on: asUnownedTaskExecutor()) }
            batch.removeAll(keepingCapacity: true)
        }
    }
}
