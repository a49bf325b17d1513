import Foundation

// TEMPORARY: switches for side-by-side measurements of one binary; removed before merge.
enum Experiment {
    static let environment = ProcessInfo.processInfo.environment
    static let foundationJSON = environment["SFX_FOUNDATION_JSON"] != nil
    static let uncachedMetrics = environment["SFX_UNCACHED_METRICS"] != nil
    static let pinToEventLoop = environment["SFX_PIN"] != nil
    static let eventLoopThreads = environment["SFX_ELG"].flatMap { Int($0) }
    static let skipRequestID = environment["SFX_SKIP_ID"] != nil
    static let skipMetrics = environment["SFX_SKIP_METRICS"] != nil
    static let skipCORS = environment["SFX_SKIP_CORS"] != nil
    static let skipLog = environment["SFX_SKIP_LOG"] != nil
}
