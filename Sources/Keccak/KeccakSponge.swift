// The sponge construction over Keccak-f[1600] (FIPS 202 section 4), shared by every
// hash of this module. Non-generic, so the permutation and the absorb loop are
// compiled once, optimised, inside this module.

/// A sponge: the state, and how many bytes of the current block are absorbed.
///
/// The rate and the domain padding are passed in by the caller (a `KeccakHasher`),
/// which knows them statically.
@usableFromInline
struct KeccakSponge: Sendable {
    @usableFromInline var state = KeccakState()
    /// Bytes of the current block already absorbed, in `0..<rate`.
    @usableFromInline var offset = 0

    @usableFromInline
    init() {}

    /// XORs `input` into the state, permuting after each full block of `rate` bytes.
    @usableFromInline
    mutating func absorb(_ input: UnsafeRawBufferPointer, rate: Int) {
        guard var source = input.baseAddress, input.count > 0 else { return }
        var remaining = input.count
        var offset = self.offset
        withUnsafeMutableBytes(of: &state.lanes) { stateBytes in
            let state = stateBytes.baseAddress!
            // Top up a partly absorbed block byte by byte.
            if offset != 0 {
                let count = min(remaining, rate - offset)
                xorBytes(source, into: state + offset, count: count)
                source += count
                remaining -= count
                offset += count
                guard offset == rate else { return }
                keccakF1600(state)
                offset = 0
            }
            // Whole blocks, a lane at a time.
            let lanesPerBlock = rate / 8
            while remaining >= rate {
                for lane in 0..<lanesPerBlock {
                    let word = UInt64(littleEndian: source.loadUnaligned(fromByteOffset: lane * 8, as: UInt64.self))
                    let current = state.load(fromByteOffset: lane * 8, as: UInt64.self)
                    state.storeBytes(of: current ^ word, toByteOffset: lane * 8, as: UInt64.self)
                }
                keccakF1600(state)
                source += rate
                remaining -= rate
            }
            // The tail starts a new block.
            if remaining > 0 {
                xorBytes(source, into: state, count: remaining)
                offset = remaining
            }
        }
        self.offset = offset
    }

    /// Pads the absorbed message with `domainPadding` ... 0x80, permutes once more, and
    /// copies the first `output.count` bytes of the state (at most one block) to `output`.
    ///
    /// Works on a copy, so the sponge itself can go on absorbing.
    @usableFromInline
    func squeeze(rate: Int, domainPadding: UInt8, into output: UnsafeMutableRawBufferPointer) {
        precondition(output.count <= rate, "a Keccak digest is at most one block long")
        var padded = state
        let offset = self.offset
        withUnsafeMutableBytes(of: &padded.lanes) { stateBytes in
            stateBytes[offset] ^= domainPadding
            stateBytes[rate - 1] ^= 0x80
            keccakF1600(stateBytes.baseAddress!)
            output.copyMemory(from: UnsafeRawBufferPointer(rebasing: stateBytes[0..<output.count]))
        }
    }
}

@inline(__always)
private func xorBytes(_ source: UnsafeRawPointer, into destination: UnsafeMutableRawPointer, count: Int) {
    for index in 0..<count {
        let byte = source.load(fromByteOffset: index, as: UInt8.self)
        let current = destination.load(fromByteOffset: index, as: UInt8.self)
        destination.storeBytes(of: current ^ byte, toByteOffset: index, as: UInt8.self)
    }
}
