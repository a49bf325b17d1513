// swift-tools-version: 6.1
// A libFuzzer target for signed-follow's hostile input (issue 6), kept in its own package
// (as Benchmarks/ is) so the root package builds nothing for it. Run it with
// `scripts/fuzz.sh [SECONDS]` from the repository's root; see Fuzz/README.md.
//
// The script builds in release with `-sanitize=fuzzer,address` on every Swift module of
// the graph (ours, GRDB, swift-log, service-lifecycle): libFuzzer's coverage
// instrumentation and AddressSanitizer, and libFuzzer's `main` at the link. The entry point
// is a `@_cdecl` function in a module without top-level code, hence `-parse-as-library`.
import PackageDescription

let package = Package(
    name: "signed-follow-fuzz",
    dependencies: [
        .package(name: "signed-follow", path: "..")
    ],
    targets: [
        .executableTarget(
            name: "RequestFuzzer",
            dependencies: [
                .product(name: "SignedFollow", package: "signed-follow"),
                .product(name: "SignedFollowClient", package: "signed-follow"),
                .product(name: "WalletCrypto", package: "signed-follow"),
                .product(name: "Keccak", package: "signed-follow"),
            ],
            swiftSettings: [.swiftLanguageMode(.v6), .unsafeFlags(["-parse-as-library"])]
        )
    ]
)
