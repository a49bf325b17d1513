import ArgumentParser
import Foundation

/// `signed-follow`: the service and the tools dApp developers and auditors use with it.
struct SignedFollowRoot: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "signed-follow",
        abstract: "Verifies wallet-signed social follows: the service, test keys, signed requests, audits.",
        discussion: """
            Exit codes: 0 success, 1 rejected request or failed check, 2 usage error.
            Start with: signed-follow keygen --out alice.json --seed alice
            """,
        subcommands: [
            Serve.self, Keygen.self, Register.self, Login.self, Follow.self, Unfollow.self, Batch.self,
            Following.self, Followers.self, Status.self, Sign.self, Explain.self, Audit.self, GenLoad.self,
            SelfTest.self, ShowConfiguration.self,
        ])
}

/// Runs `signed-follow` with its arguments and maps every outcome to the exit codes the
/// CLI promises: 0 success, 1 a rejected request or a failed check, 2 a usage error.
public enum CommandLineInterface {
    /// The exit code of a usage error.
    public static let usageExitCode: Int32 = 2

    /// Runs the process's arguments and exits with the code.
    public static func main() async -> Never {
        exit(await run(Array(CommandLine.arguments.dropFirst())))
    }

    /// Runs `arguments` (without the program name), writing to ``Console/current``, and
    /// returns the exit code.
    public static func run(_ arguments: [String]) async -> Int32 {
        let console = Console.current
        let command: any ParsableCommand
        do {
            command = try SignedFollowRoot.parseAsRoot(arguments)
        } catch {
            return report(error, console)
        }
        do {
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                var command = command
                try command.run()
            }
            return 0
        } catch {
            return report(error, console)
        }
    }

    /// Prints what ArgumentParser has to say about `error` and returns the exit code.
    private static func report(_ error: any Error, _ console: Console) -> Int32 {
        let code = SignedFollowRoot.exitCode(for: error)
        let message = SignedFollowRoot.fullMessage(for: error)
        if code == .success {
            if !message.isEmpty { console.out(message) }
            return 0
        }
        if !message.isEmpty { console.err(message) }
        if code == .validationFailure { return usageExitCode }
        return code == .failure ? 1 : code.rawValue
    }
}
