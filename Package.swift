// swift-tools-version: 6.1
// signed-follow: verifies wallet-signed social follows.
//
// Module arrows point one way:
//   Keccak <- Crypto <- SignedFollow <- Server <- SignedFollowCommand (the `signed-follow` executable)
// C libraries enter only through the `C`-prefixed system-library modules, used by Crypto.
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
        .library(name: "Crypto", targets: ["Crypto"]),
        .library(name: "SignedFollow", targets: ["SignedFollow"]),
        // The C modules, so that Benchmarks/ can time the raw C calls beside our wrappers.
        .library(name: "CSecp256k1", targets: ["CSecp256k1"]),
        .library(name: "CSodium", targets: ["CSodium"]),
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
        .target(name: "Keccak", swiftSettings: swiftSettings),
        .target(
            name: "Crypto",
            dependencies: ["Keccak", "CSecp256k1", "CSodium"],
            swiftSettings: swiftSettings
        ),
        .target(name: "SignedFollow", dependencies: ["Crypto", "Keccak"], swiftSettings: swiftSettings),
        .target(name: "Server", dependencies: ["SignedFollow"], swiftSettings: swiftSettings),
        .executableTarget(
            name: "SignedFollowCommand",
            dependencies: ["Server", "SignedFollow", "Crypto"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CryptoVectors",
            dependencies: ["Keccak", "Crypto", "CSodium"],
            exclude: ["Vectors"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SignedFollowTests",
            dependencies: ["SignedFollow", "Server", "Crypto"],
            swiftSettings: swiftSettings
        ),
    ]
)
