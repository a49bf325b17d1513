import HummingbirdCore
import Logging
import NIOCore

extension HTTPServerBuilder {
    /// HTTP/1.1 as `.http1()` serves it, with each connection's requests handled on the
    /// event loop that owns the connection instead of Swift's global concurrency pool.
    ///
    /// With `.http1()` every request crosses threads twice: the event loop reads it and
    /// resumes the connection's task on a pool thread, which hands the response back to
    /// the event loop. On two cores those hops (a wake-up and a context switch each) cost
    /// more than a `follow_status` read (BENCHMARKS.md, "Read path").
    static func http1OnEventLoops() -> HTTPServerBuilder {
        HTTPServerBuilder { responder in EventLoopBoundHTTP1Channel(base: HTTP1Channel(responder: responder)) }
    }
}

/// `HTTP1Channel` whose connection task prefers its channel's event loop as executor.
struct EventLoopBoundHTTP1Channel: ServerChildChannel {
    typealias Value = HTTP1Channel.Value

    let base: HTTP1Channel

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        base.setup(channel: channel, logger: logger)
    }

    func handle(value: Value, logger: Logger) async {
        await withTaskExecutorPreference(EventLoopTaskExecutor(value.channel.eventLoop)) {
            await base.handle(value: value, logger: logger)
        }
    }
}

/// Runs jobs on one NIO event loop: enqueued from that loop they run after the current
/// task of the loop, without a wake-up; from elsewhere they wake it.
final class EventLoopTaskExecutor: TaskExecutor {
    private let eventLoop: any EventLoop

    init(_ eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute {
            job.runSynchronously(on: self.asUnownedTaskExecutor())
        }
    }
}
