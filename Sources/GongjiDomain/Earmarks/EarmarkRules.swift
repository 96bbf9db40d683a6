/// Which form of the national medical-insurance wallet a region has
/// (docs/rules.md section 4b, policy key `wallet.model`).
public enum WalletModel: String, CaseIterable, Hashable, Sendable {
    /// From 2024-12-02: money moves into a relative's wallet.
    case transfer
    /// From 2026-01-09: a quota stays frozen in the sharer's account.
    case quota
}

/// A time of day in minutes, 00:00 to 23:59 (`"22:00"`).
public struct TimeOfDay: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let minutes: Int

    public init?(minutes: Int) {
        guard (0..<1440).contains(minutes) else { return nil }
        self.minutes = minutes
    }

    /// `HH:MM`.
    public init?(text: some StringProtocol) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ $0.count == 2 && $0.allSatisfy(\.isASCII) }),
              let hour = Int(parts[0]), let minute = Int(parts[1]), hour < 24, minute < 60 else { return nil }
        self.init(minutes: hour * 60 + minute)
    }

    public var second: Int { minutes * 60 }
    public static func < (lhs: TimeOfDay, rhs: TimeOfDay) -> Bool { lhs.minutes < rhs.minutes }
    public var description: String {
        let hour = minutes / 60, minute = minutes % 60
        return (hour < 10 ? "0" : "") + "\(hour):" + (minute < 10 ? "0" : "") + "\(minute)"
    }
}

/// A span of the day in which no transfer may be sent, wrapping midnight
/// when it ends before it starts (`22:00-06:00`); the end is exclusive.
public struct QuietHours: Hashable, Sendable, CustomStringConvertible {
    public var start: TimeOfDay
    public var end: TimeOfDay

    public init(start: TimeOfDay, end: TimeOfDay) {
        self.start = start
        self.end = end
    }

    /// `HH:MM-HH:MM`.
    public init?(text: some StringProtocol) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, let start = TimeOfDay(text: parts[0]), let end = TimeOfDay(text: parts[1]) else { return nil }
        self.init(start: start, end: end)
    }

    public func contains(second: Int) -> Bool {
        let minute = second / 60
        if start <= end { return start.minutes <= minute && minute < end.minutes }
        return minute >= start.minutes || minute < end.minutes
    }

    public var description: String { "\(start)-\(end)" }
}

/// A region's wallet in force (policy list `wallet`, docs/policy.md).
public struct WalletRule: Hashable, Sendable {
    public var model: WalletModel
    /// Transfer model: at most this much a transfer.
    public var transferMax: Money
    /// Transfer model: at most this many transfers a sender a day.
    public var transfersPerDay: Int
    public var quietHours: QuietHours?
    /// An unaccepted transfer returns to the sender at this time the next day.
    public var returnAt: TimeOfDay

    public init(model: WalletModel, transferMax: Money = Money(fen: 200_000), transfersPerDay: Int = 3,
                quietHours: QuietHours? = QuietHours(text: "22:00-06:00"),
                returnAt: TimeOfDay = TimeOfDay(minutes: 360)!) {
        self.model = model
        self.transferMax = transferMax
        self.transfersPerDay = transfersPerDay
        self.quietHours = quietHours
        self.returnAt = returnAt
    }
}

/// A region's family-pot rule in force (policy list `pot`, docs/policy.md).
public struct PotRule: Hashable, Sendable {
    /// A deposit may take the creator's balance down to this, no lower.
    public var floor: Money
    /// Per pot, by calendar month of the deposit.
    public var depositsPerMonth: Int
    /// Creator events that dissolve the pot.
    public var dissolveOn: Set<LifeEventKind>

    public init(floor: Money, depositsPerMonth: Int, dissolveOn: Set<LifeEventKind> = [.death, .leftScheme, .movedRegion]) {
        self.floor = floor
        self.depositsPerMonth = depositsPerMonth
        self.dissolveOn = dissolveOn
    }
}
