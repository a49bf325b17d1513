/// StarkWare's Pedersen hash, as StarkNet uses it for addresses, typed data and
/// `compute_hash_on_elements`.
///
/// H(a, b) = [P0 + a_low * P1 + a_high * P2 + b_low * P3 + b_high * P4].x, where `low` is
/// the low 248 bits and `high` the remaining 4, and P0..P4 are the constant points of
/// StarkWare's pedersen_params.json (CONSTANT_POINTS[0] and [2...5]).
public enum Pedersen {
    /// The Pedersen hash of two felts.
    public static func hash(_ a: Felt, _ b: Felt) -> Felt {
        let tables = Tables.shared
        var sum = JacobianPoint(Tables.shift)
        accumulate(a.value, low: tables.p1, high: tables.p2, into: &sum)
        accumulate(b.value, low: tables.p3, high: tables.p4, into: &sum)
        // The sum is never infinity for the standard points (crypto-cpp asserts the same).
        return Felt(sum.affine!.x)
    }

    /// `compute_hash_on_elements`: h = 0, h = H(h, x) for each element, then H(h, count).
    public static func hash(elements: [Felt]) -> Felt {
        let folded = elements.reduce(Felt.zero) { hash($0, $1) }
        return hash(folded, Felt(UInt64(elements.count)))
    }

    /// sum += low(value) * lowTable's point + high(value) * highTable's point.
    @inline(__always)
    private static func accumulate(
        _ value: UInt256, low: FixedBaseTable, high: FixedBaseTable, into sum: inout JacobianPoint
    ) {
        low.accumulate(value, into: &sum)  // reads bits 0..<248 only
        high.accumulate(UInt256(value.w3 >> 56), into: &sum)
    }

    /// The constant points and their tables, built once at first use.
    private struct Tables: Sendable {
        /// P0, the shift point every sum starts from.
        static let shift = AffinePoint(
            x: "0x49ee3eba8c1600700ee1b87eb599f16716b0b1022947733551fde4050ca6804",
            y: "0x3ca0cfe4b3bc6ddf346d49d06ea0ed34e621062c0e056c1d0405d266e10268a")

        static let shared = Tables()

        let p1, p2, p3, p4: FixedBaseTable

        private init() {
            let points = [
                AffinePoint(
                    x: "0x234287dcbaffe7f969c748655fca9e58fa8120b6d56eb0c1080d17957ebe47b",
                    y: "0x3b056f100f96fb21e889527d41f4e39940135dd7a6c94cc6ed0268ee89e5615"),
                AffinePoint(
                    x: "0x4fa56f376c83db33f9dab2656558f3399099ec1de5e3018b7a6932dba8aa378",
                    y: "0x3fa0984c931c9e38113e0c0e47e4401562761f92a7a23b45168f4e80ff5b54d"),
                AffinePoint(
                    x: "0x4ba4cc166be8dec764910f75b45f74b40c690c74709e90f3aa372f0bd2d6997",
                    y: "0x40301cf5c1751f4b971e46c4ede85fcac5c59a5ce5ae7c48151f27b24b219c"),
                AffinePoint(
                    x: "0x54302dcb0e6cc1c6e44cca8f61a63bb2ca65048d53fb325d36ff12c49a58202",
                    y: "0x1b77b3e37d13504b348046268d8ae25ce98ad783c25561a879dcc77e99c2426"),
            ]
            // 248 low bits in 31 windows of 8 (7,905 points, 506 KB a table); the 4 high
            // bits in one window.
            p1 = FixedBaseTable(base: points[0], windowBits: 8, windowCount: 31)
            p2 = FixedBaseTable(base: points[1], windowBits: 4, windowCount: 1)
            p3 = FixedBaseTable(base: points[2], windowBits: 8, windowCount: 31)
            p4 = FixedBaseTable(base: points[3], windowBits: 4, windowCount: 1)
        }
    }
}
