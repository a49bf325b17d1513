/// The `Issued At:` date of a sign_content (docs/protocol.md section 5): the client's local
/// wall-clock time in one of the layouts the SDKs write, zero-padded as every SDK pads:
///
/// - `YYYY/MM/DD HH:mm` (the JS SDK),
/// - `DD/MM/YYYY HH:mm` (iOS, Flutter, Dart, the docs),
/// - `DD/MM/YYYY hh:mm` (Kotlin/Java: a 12-hour clock without AM/PM, a subset of the above).
///
/// The time zone is unknown, so the date is read as if it were UTC and only has to be
/// within 26 hours of the request's `timestamp`: 14 hours of time-zone offset either way
/// plus 12 hours of an unmarked 12-hour clock. `timestamp`, which the nonce binds,
/// carries the freshness.
public enum IssuedAt {
    /// How far the date may be from `timestamp`, either way.
    public static let toleranceMilliseconds: Int64 = 26 * 3600 * 1000

    /// Milliseconds since the epoch of `text` read as UTC, or nil when it is not one of
    /// the layouts or not a real calendar date and time.
    public static func milliseconds(_ text: Substring) -> Int64? {
        let utf8 = Array(text.utf8)
        // Both layouts are 16 characters: 10 for the date, a space, 5 for the time.
        guard utf8.count == 16, utf8[10] == UInt8(ascii: " "), utf8[13] == UInt8(ascii: ":") else { return nil }
        let year: Int64, month: Int64, day: Int64
        if utf8[4] == UInt8(ascii: "/"), utf8[7] == UInt8(ascii: "/") {
            guard let y = number(utf8[0..<4]), let m = number(utf8[5..<7]), let d = number(utf8[8..<10]) else { return nil }
            (year, month, day) = (y, m, d)
        } else if utf8[2] == UInt8(ascii: "/"), utf8[5] == UInt8(ascii: "/") {
            guard let d = number(utf8[0..<2]), let m = number(utf8[3..<5]), let y = number(utf8[6..<10]) else { return nil }
            (year, month, day) = (y, m, d)
        } else {
            return nil
        }
        guard let hour = number(utf8[11..<13]), let minute = number(utf8[14..<16]) else { return nil }
        guard (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day),
            (0...23).contains(hour), (0...59).contains(minute)
        else { return nil }
        return ((daysSinceEpoch(year: year, month: month, day: day) * 24 + hour) * 60 + minute) * 60_000
    }

    /// True when `text` is a real date within the tolerance of `timestamp`.
    public static func isPlausible(_ text: Substring, timestamp: Int64) -> Bool {
        guard let issued = milliseconds(text) else { return false }
        return isWithinTolerance(issued, of: timestamp)
    }

    /// True when `issued` is at most ``toleranceMilliseconds`` from `timestamp`, for any
    /// two values: their difference need not fit in an Int64 (a date before 1970 against
    /// a timestamp near Int64.max trapped in `abs(issued - timestamp)`).
    public static func isWithinTolerance(_ issued: Int64, of timestamp: Int64) -> Bool {
        let (difference, overflow) = issued.subtractingReportingOverflow(timestamp)
        return !overflow && difference.magnitude <= UInt64(toleranceMilliseconds)
    }

    /// How a client writes the date.
    public enum Layout: String, Sendable, CaseIterable {
        /// `YYYY/MM/DD HH:mm` (the JS SDK).
        case yearFirst
        /// `DD/MM/YYYY HH:mm` (iOS, Flutter, Dart, the docs).
        case dayFirst
        /// `DD/MM/YYYY hh:mm`, a 12-hour clock without AM/PM (Kotlin/Java).
        case dayFirst12Hour
    }

    /// `milliseconds` (read as UTC) written in `layout`, zero-padded.
    public static func format(_ milliseconds: Int64, _ layout: Layout) -> String {
        let minutes = milliseconds.quotientRoundingDown(by: 60_000)
        let days = minutes.quotientRoundingDown(by: 1440)
        let minuteOfDay = minutes - days * 1440
        var hour = minuteOfDay / 60
        let minute = minuteOfDay % 60
        let (year, month, day) = civilDate(daysSinceEpoch: days)
        if layout == .dayFirst12Hour { hour = hour % 12 == 0 ? 12 : hour % 12 }
        func pad(_ value: Int64, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        let time = "\(pad(hour, 2)):\(pad(minute, 2))"
        switch layout {
        case .yearFirst: return "\(pad(year, 4))/\(pad(month, 2))/\(pad(day, 2)) \(time)"
        case .dayFirst, .dayFirst12Hour: return "\(pad(day, 2))/\(pad(month, 2))/\(pad(year, 4)) \(time)"
        }
    }

    /// The proleptic Gregorian date `days` after 1970-01-01 (H. Hinnant's civil_from_days).
    private static func civilDate(daysSinceEpoch days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// The value of ASCII digits only, nil if any other character is present.
    private static func number(_ digits: ArraySlice<UInt8>) -> Int64? {
        var value: Int64 = 0
        for character in digits {
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(character) else { return nil }
            value = value * 10 + Int64(character - UInt8(ascii: "0"))
        }
        return value
    }

    private static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days from 1970-01-01 to the given proleptic Gregorian date (H. Hinnant's
    /// days_from_civil).
    private static func daysSinceEpoch(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}

extension Int64 {
    /// Floor division (rounds towards negative infinity).
    fileprivate func quotientRoundingDown(by divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
}
