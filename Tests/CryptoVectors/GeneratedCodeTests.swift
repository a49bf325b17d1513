import Foundation
import Testing

/// Generated sources still match their generators: `Sources/Keccak/KeccakF1600.swift` is
/// written by `scripts/gen_keccak_permutation.py`, which also proves each chi expression;
/// an edit by hand, or a generator changed without regenerating, fails here.
@Suite("Generated code")
struct GeneratedCodeTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    @Test("KeccakF1600.swift is exactly what scripts/gen_keccak_permutation.py writes")
    func keccakPermutation() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Self.root.appendingPathComponent("scripts/gen_keccak_permutation.py").path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let generated = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let committed = try Data(contentsOf: Self.root.appendingPathComponent("Sources/Keccak/KeccakF1600.swift"))
        #expect(
            generated == committed, "regenerate: python3 scripts/gen_keccak_permutation.py > Sources/Keccak/KeccakF1600.swift")
    }
}
