import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Server
@_spi(Benchmarks) import SignedFollow
import SignedFollowClient

/// The service with its writer never started, as during shutdown: verified writes cannot
/// be committed and must answer 50301.
enum StoppedWriterService {
    static func answer(
        databasePath: String, request: @escaping @Sendable (Int64) -> SignedRequest
    ) async throws -> (answer: Answer, before: StoreCounts, after: StoreCounts) {
        let clock = TestClock()
        let (service, logger) = try TestService.makeService(databasePath: databasePath, logLevel: .critical, clock: clock)
        let before = try service.store.counts()
        let application = Application(router: service.router(), logger: logger)
        let answer = try await withThrowingTaskGroup(of: Void.self) { group in
            // Start and immediately stop the writer, so it is in its shut-down state.
            group.addTask { try await service.writer.run() }
            group.cancelAll()
            try await group.waitForAll()
            return try await application.test(.router) { client in
                try await TestService(service: service, client: client, clock: clock).send(Routes.follow, request(clock.now))
            }
        }
        let after = try service.store.counts()
        try service.store.close()
        return (answer, before, after)
    }
}
