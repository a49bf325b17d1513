import Foundation

/// Where the CLI writes: standard output for results, standard error for warnings,
/// progress and failures. Tests bind a console that collects the lines. A closed pipe
/// (`signed-follow ... | head -1`) ends the output quietly.
public struct Console: Sendable {
    /// Writes a line of results.
    public let out: @Sendable (String) -> Void
    /// Writes a line of diagnostics.
    public let err: @Sendable (String) -> Void
    /// Rewrites the current progress line on a terminal; nil when standard error is not one.
    public let progress: (@Sendable (String) -> Void)?

    /// A console writing through the given functions.
    public init(
        out: @escaping @Sendable (String) -> Void, err: @escaping @Sendable (String) -> Void,
        progress: (@Sendable (String) -> Void)? = nil
    ) {
        self.out = out
        self.err = err
        self.progress = progress
    }

    /// The process's standard output and error; progress only when standard error is a
    /// terminal.
    public static let standard: Console = {
        var progress: (@Sendable (String) -> Void)?
        if isatty(2) == 1 {
            progress = { line in try? FileHandle.standardError.write(contentsOf: Data(("\r\u{1B}[K" + line).utf8)) }
        }
        return Console(
            out: { line in try? FileHandle.standardOutput.write(contentsOf: Data((line + "\n").utf8)) },
            err: { line in try? FileHandle.standardError.write(contentsOf: Data((line + "\n").utf8)) },
            progress: progress)
    }()

    /// The console of the running command.
    @TaskLocal public static var current = Console.standard
}
