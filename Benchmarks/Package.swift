// swift-tools-version: 6.1
// Benchmarks for signed-follow, kept in their own package (as swift-nio does) so that the
// benchmark harness, its malloc interposer and OpenSSL never become dependencies of the
// root package. Run from this directory: `python3 ratios.py` (or `swift package benchmark`).
import PackageDescription

let package = Package(
    name: "signed-follow-benchmarks",
    dependencies: [
        .package(name: "signed-follow", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
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
    ]
)
