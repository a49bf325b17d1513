#if canImport(Glibc)
import Glibc
#endif

/// libFuzzer's entry point: one input, run against the target its first byte picks
/// (``FuzzInput``). A trap, an ASan report or a leak is a finding; every rejection the
/// code under test throws is expected.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    guard let start else { return 0 }
    FuzzInput(UnsafeRawBufferPointer(start: start, count: count)).run()
    return 0
}

/// libFuzzer's start-up hook: with `SIGNED_FOLLOW_FUZZ_WRITE_SEEDS=DIR` set, writes the
/// seed corpus (``SeedCorpus``) into DIR and exits instead of fuzzing.
@_cdecl("LLVMFuzzerInitialize")
public func initialize(
    _ argc: UnsafeMutablePointer<CInt>?, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>?
) -> CInt {
    if let directory = getenv("SIGNED_FOLLOW_FUZZ_WRITE_SEEDS") {
        exit(SeedCorpus.write(to: String(cString: directory)) ? 0 : 1)
    }
    return 0
}
