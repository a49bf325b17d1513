import Keccak

/// How a follow's written nonce binds the request: the action word and the timestamp it
/// is the sha3_224 of (docs/protocol.md section 4 check 5 and section 5a items 4 and 5).
///
/// The nonce is `sha3_224(userid + W + target_userid + T)`. The JS SDK writes the body's
/// `action` as W and its `timestamp` as T. The iOS SDK writes `unfollow` for a cancel and
/// the Flutter/Dart SDKs `FollowAction.follow` / `FollowAction.unfollow`, so W may be any
/// spelling of the body's action. The Flutter/Dart SDKs read the clock again after the
/// wallet signed, so T may be up to ``maxDelayMilliseconds`` before the body's timestamp,
/// never after it. T is the follow's signed timestamp: it orders the follow against the
/// pair's other requests and keys its nonce (docs/protocol.md section 5a).
public struct FollowNonce: Sendable, Equatable {
    /// The nonce.
    public let digest: Digest224
    /// W: the action word it was computed over.
    public let actionWord: String
    /// T: the timestamp it was computed over, ms.
    public let timestamp: Int64

    /// How far T may be before the body's timestamp, in ms (section 5a item 5).
    public static let maxDelayMilliseconds: Int64 = 120_000

    /// The action words a nonce may be computed over for a request whose body says
    /// `action`, `action` itself first.
    public static func actionWords(for action: String) -> [String] {
        let spellings = action == "follow" ? ["follow", "FollowAction.follow"] : ["cancel", "unfollow", "FollowAction.unfollow"]
        return [action] + spellings.filter { $0 != action }
    }

    /// The nonce `written` when it is over the body's own timestamp with one of the action
    /// words: at most three hashes.
    public static func atBodyTimestamp(
        _ written: Digest224, userid: String, action: String, targetUserid: String, timestamp: Int64
    ) -> FollowNonce? {
        for word in actionWords(for: action) {
            let digest = SignedDigests.followNonce(userid: userid, action: word, targetUserid: targetUserid, timestamp: timestamp)
            if digest == written { return FollowNonce(digest: digest, actionWord: word, timestamp: timestamp) }
        }
        return nil
    }
}

/// The search for a nonce over a timestamp before the body's (section 5a item 5): the
/// candidates T from `timestamp - 1` down to `timestamp - 120000`, newest first, whose
/// minute agrees with the `Issued At` minute modulo 15, each hashed with every action word.
///
/// The client wrote `Issued At` from the same clock read as T, in its local time. Every
/// time-zone offset in use is a whole number of quarter hours, so the local minute and the
/// UTC minute of T agree modulo 15: of the at most three minutes the 120 s span touches,
/// one is searched, so at most 60,000 timestamps. Each candidate costs one Keccak
/// permutation per action word: the hasher is primed with `userid + W + target_userid`
/// and with T's digits above the last five, which the candidates of a run of 100,000 ms
/// share, and absorbs only the last five.
public struct FollowNonceSearch: Sendable {
    /// The nonce written in the text.
    public let written: Digest224
    /// The request's fields.
    public let userid: String, action: String, targetUserid: String
    /// The body's timestamp.
    public let timestamp: Int64
    /// The `Issued At` date's minute of the hour (0 to 59).
    public let issuedAtMinute: Int64

    /// A search for `written` in the request's candidates; `issuedAt` is the text's date
    /// read as UTC, in ms.
    public init(written: Digest224, userid: String, action: String, targetUserid: String, timestamp: Int64, issuedAt: Int64) {
        self.written = written
        self.userid = userid
        self.action = action
        self.targetUserid = targetUserid
        self.timestamp = timestamp
        issuedAtMinute = Self.floorModulo(Self.floorDivide(issuedAt, 60_000), 60)
    }

    /// The runs of candidate timestamps, newest first: each a closed range within one
    /// minute, listed from its upper end.
    public var candidateRanges: [ClosedRange<Int64>] {
        // Request timestamps are positive; a value at or below 0 has no earlier candidates
        // (and nothing below can overflow).
        guard timestamp > 0 else { return [] }
        let lowest = max(0, timestamp - FollowNonce.maxDelayMilliseconds)
        var ranges: [ClosedRange<Int64>] = []
        var upper = timestamp - 1
        while upper >= lowest {
            let minute = Self.floorDivide(upper, 60_000)
            let start = max(lowest, minute * 60_000)
            if Self.floorModulo(minute - issuedAtMinute, 15) == 0 { ranges.append(start...upper) }
            upper = minute * 60_000 - 1
        }
        return ranges
    }

    /// The most hashes the search can cost: candidates times action words.
    public var worstCaseHashes: Int {
        candidateRanges.reduce(0) { $0 + $1.count } * FollowNonce.actionWords(for: action).count
    }

    /// The nonce when one candidate gives it, and the hashes computed.
    public func run() -> (nonce: FollowNonce?, hashes: Int) {
        let words = FollowNonce.actionWords(for: action)
        let primed = words.map { word in
            var hasher = SHA3_224()
            hasher.update(userid)
            hasher.update(word)
            hasher.update(targetUserid)
            return hasher
        }
        var hashes = 0
        var digits = [UInt8](repeating: 0, count: 5)
        for range in candidateRanges {
            var group: Int64 = -1
            var groupHashers = primed
            for candidate in range.reversed() {
                // T's digits above the last five, shared by 100,000 consecutive candidates.
                let high = candidate / 100_000
                if high != group {
                    group = high
                    groupHashers = primed
                    if high > 0 { for index in groupHashers.indices { groupHashers[index].update(String(high)) } }
                }
                let low = Self.lowDigits(candidate, padded: high > 0, into: &digits)
                for (index, hasher) in groupHashers.enumerated() {
                    var hasher = hasher
                    digits.withUnsafeBytes { hasher.update(UnsafeRawBufferPointer(rebasing: $0[(5 - low)...])) }
                    hashes += 1
                    if hasher.finalize() == written {
                        return (FollowNonce(digest: written, actionWord: words[index], timestamp: candidate), hashes)
                    }
                }
            }
        }
        return (nil, hashes)
    }

    /// Writes the last five decimal digits of `value` (zero-padded when `padded`, else
    /// without leading zeros, for a value below 100,000) at the end of `digits`; returns
    /// how many it wrote.
    private static func lowDigits(_ value: Int64, padded: Bool, into digits: inout [UInt8]) -> Int {
        var rest = value % 100_000
        var count = 0
        repeat {
            digits[4 - count] = UInt8(ascii: "0") + UInt8(rest % 10)
            rest /= 10
            count += 1
        } while count < 5 && (padded || rest > 0)
        return count
    }

    private static func floorDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
        let quotient = value / divisor
        return value % divisor != 0 && value < 0 ? quotient - 1 : quotient
    }

    private static func floorModulo(_ value: Int64, _ divisor: Int64) -> Int64 {
        let remainder = value % divisor
        return remainder < 0 ? remainder + divisor : remainder
    }
}
