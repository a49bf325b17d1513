// swift-tools-version: 6.1
// signed-follow: verifies wallet-signed social follows.
//
// Module arrows point one way:
//   Keccak <- WalletCrypto <- SignedFollow <- Server <- SignedFollowCLI <- SignedFollowCommand
//                                         <- SignedFollowClient <- SignedFollowCLI
// (SignedFollowCLI holds the subcommands of the `signed-follow` executable, so that tests
// can run them in-process; the executable only calls it. SignedFollowClient signs requests
// as each client does, from test identities, for the CLI, the tests, the fuzzer and the
// benchmarks; the service does not link it.)
// C libraries enter only through the `C`-prefixed system-library modules, used by WalletCrypto.
//
// WalletCrypto lives in Sources/Crypto (the design card's layout). Its module cannot be
// called `Crypto`: swift-crypto, which Hummingbird's dependencies bring into the graph,
// ships a module of that name, and module names must be unique in a package graph.
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "signed-follow",
    products: [
        .executable(name: "signed-follow", targets: ["SignedFollowCommand"]),
        .library(name: "Keccak", targets: ["Keccak"]),
        .library(name: "WalletCrypto", targets: ["WalletCrypto"]),
        .library(name: "SignedFollow", targets: ["SignedFollow"]),
        .library(name: "SignedFollowClient", targets: ["SignedFollowClient"]),
        // The C modules, so that Benchmarks/ can time the raw C calls beside our wrappers.
        .library(name: "CSecp256k1", targets: ["CSecp256k1"]),
        .library(name: "CSodium", targets: ["CSodium"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        // The CLI's HTTP client (already in the graph through HummingbirdTesting).
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.30.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.80.0"),
        // Property-based tests of hostile input (issue 6); a test-only dependency.
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
    ],
    targets: [
        // libsecp256k1 0.2.0 with its recovery module (Debian: libsecp256k1-dev).
        .systemLibrary(
            name: "CSecp256k1",
            pkgConfig: "libsecp256k1",
            providers: [.apt(["libsecp256k1-dev"])]
        ),
        // libsodium 1.0.18 for ed25519 (Debian: libsodium-dev).
        .systemLibrary(
            name: "CSodium",
            pkgConfig: "libsodium",
            providers: [.apt(["libsodium-dev"])]
        ),
        // Optimised in debug builds too: the permutation is most of the cost of a follow's
        // nonce search (docs/protocol.md section 5a), and at -Onone a search in vain takes
        // seconds of a test run's two cores instead of a tenth of that.
        .target(name: "Keccak", swiftSettings: swiftSettings + [.unsafeFlags(["-O"], .when(configuration: .debug))]),
        .target(
            name: "WalletCrypto",
            dependencies: ["Keccak", "CSecp256k1", "CSodium"],
            path: "Sources/Crypto",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "SignedFollow",
            dependencies: [
                "WalletCrypto", "Keccak",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "SignedFollowClient",
            dependencies: ["SignedFollow", "WalletCrypto", "Keccak"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Server",
            dependencies: [
                "SignedFollow", "WalletCrypto", "Keccak",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "SignedFollowCLI",
            dependencies: [
                "Server", "SignedFollow", "SignedFollowClient", "WalletCrypto", "Keccak",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "SignedFollowCommand",
            dependencies: ["SignedFollowCLI"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CryptoVectors",
            dependencies: ["Keccak", "WalletCrypto", "CSodium"],
            exclude: ["Vectors"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SignedFollowTests",
            dependencies: [
                "SignedFollow", "SignedFollowClient", "Server", "SignedFollowCLI", "WalletCrypto", "Keccak",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            exclude: ["Vectors"],
            swiftSettings: swiftSettings
        ),
    ]
)
