// swift-tools-version: 6.1
// Benchmarks for signed-follow, kept in their own package (as swift-nio does) so that the
// benchmark harness, its malloc interposer and OpenSSL never become dependencies of the
// root package. Run from this directory: `python3 ratios.py` (or `swift package benchmark`).
//
// Two kinds of target:
// - Benchmarks/CryptoBenchmarks: an ordo-one/benchmark suite (the plugin runs every
//   executable target whose folder is directly in Benchmarks/).
// - Sources/WritePathBenchmark: a plain release executable that times throughput with
//   hundreds of requests in flight, which the harness's one-sample-at-a-time loop cannot
//   do; `python3 write_path.py` builds and runs it (and `ratios.py` calls that).
// - Sources/ReadPathBenchmark: the read path, `python3 read_path.py`.
// - Sources/NonceSearchBenchmark: the Flutter/Dart nonce search against a recovery,
//   `taskset -c 0 .build/release/NonceSearchBenchmark`.
// - Sources/StarkBenchmark: StarkNet verify and Pedersen against StarkWare's crypto-cpp
//   (dlopened), `taskset -c 0 .build/release/StarkBenchmark`.
import PackageDescription

let package = Package(
    name: "signed-follow-benchmarks",
    dependencies: [
        .package(name: "signed-follow", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        // OpenSSL 3 libcrypto, the reference SHA3-256 (Debian: libssl-dev). Benchmarks only.
        .systemLibrary(
            name: "COpenSSLCrypto",
            pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"])]
        ),
        .executableTarget(
            name: "CryptoBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "Keccak", package: "signed-follow"),
                .product(name: "WalletCrypto", package: "signed-follow"),
                .product(name: "CSecp256k1", package: "signed-follow"),
                .product(name: "CSodium", package: "signed-follow"),
                "COpenSSLCrypto",
            ],
            path: "Benchmarks/CryptoBenchmarks",
            swiftSettings: [.swiftLanguageMode(.v6)],
            plugins: [
                .plugin(name: "BenchmarkPlugin", package: "benchmark")
            ]
        ),
        // The write path's throughput: decode + verify + group commit on one core against
        // raw secp256k1 recovery, and durable follows per second (see BENCHMARKS.md).
        // No malloc interposer here: it is not linked into this target.
        .executableTarget(
            name: "WritePathBenchmark",
            dependencies: [
                .product(name: "SignedFollow", package: "signed-follow"),
                .product(name: "SignedFollowClient", package: "signed-follow"),
                .product(name: "WalletCrypto", package: "signed-follow"),
                .product(name: "Keccak", package: "signed-follow"),
                .product(name: "CSecp256k1", package: "signed-follow"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Sources/WritePathBenchmark",
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        // The read path: builds a graph of 1,000,000 edges among 100,000 users and times
        // page reads in-process; `python3 read_path.py` also serves it over HTTP for wrk.
        .executableTarget(
            name: "ReadPathBenchmark",
            dependencies: [
                .product(name: "SignedFollow", package: "signed-follow"),
                .product(name: "SignedFollowClient", package: "signed-follow"),
                .product(name: "WalletCrypto", package: "signed-follow"),
                .product(name: "Keccak", package: "signed-follow"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Sources/ReadPathBenchmark",
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        // The Flutter/Dart nonce search against a secp256k1 recovery (BENCHMARKS.md).
        .executableTarget(
            name: "NonceSearchBenchmark",
            dependencies: [
                .product(name: "SignedFollow", package: "signed-follow"),
                .product(name: "WalletCrypto", package: "signed-follow"),
                .product(name: "Keccak", package: "signed-follow"),
            ],
            path: "Sources/NonceSearchBenchmark",
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        // StarkNet ECDSA verification and the Pedersen hash against StarkWare's C++
        // (libcrypto_c_exports.so of crypto-cpp-py, loaded at run time; no link dependency).
        .executableTarget(
            name: "StarkBenchmark",
            dependencies: [
                .product(name: "WalletCrypto", package: "signed-follow")
            ],
            path: "Sources/StarkBenchmark",
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
    ]
)
