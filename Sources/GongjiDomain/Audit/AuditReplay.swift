/// What the audit remembers across months: the settlements replayed (by ID,
/// each one's total: all A11 and A12 need of it, and a city month's 200,000
/// whole records would weigh 50 MiB more; docs/audit.md "At city scale"),
/// those reversed, and each one's fingerprint (patient, time, amounts) for A11.
struct AuditState: Sendable {
    struct Fingerprint: Hashable, Sendable {
        var patient: UInt64
        var time: Timestamp
        var own: Int64, aid: Int64, cash: Int64
    }
    var replayed: [String: Money] = [:]
    var reversed: Set<String> = []
    var fingerprints: [Fingerprint: String] = [:]
}

extension Settlement {
    /// Replays `month` from the platform's settlement records instead of
    /// settling its claims (docs/audit.md): each account moves by the
    /// platform's amounts (the patient's `acct_pay`, each mutual-aid row
    /// from its payer), with the openings, credits, events, bindings and
    /// thresholds as in a run, and every payment is checked against the
    /// rules in force at that moment. `aid`: the month's mutual-aid rows,
    /// by settlement ID; rows naming no settlement of the data are the
    /// caller's (A09). The month's credits post at its end.
    public mutating func audit(_ month: YearMonth, settlements: [PlatformSettlement],
                               aid: [String: [MutualAidPayment]]) -> AuditMonth {
        let monthCredits = inputs.credits.credits(in: month)
        inputs.credits.release(month)
        open(month)
        var result = AuditMonth(month: month)
        // Room for the month at once: growing doubles the tables while both copies live.
        audit.replayed.reserveCapacity(audit.replayed.count + settlements.count)
        audit.fingerprints.reserveCapacity(audit.fingerprints.count + settlements.count)
        // The job hands them over in order already; sorting a copy would hold the month twice.
        let inOrder = zip(settlements, settlements.dropFirst()).allSatisfy { !PlatformSettlement.order($1, $0) }
        var touched = IndexSet64(count: inputs.persons.count)  // the accounts `balances` gives
        for settlement in inOrder ? settlements : settlements.sorted(by: PlatformSettlement.order) {
            earmarks.advance(to: settlement.time, accounts: &ledger)
            result.settlements += 1
            if let index = inputs.persons.index(of: settlement.patient.key) { _ = touched.insert(index) }
            for row in aid[settlement.id] ?? [] {
                if let index = inputs.persons.index(of: row.payer.key) { _ = touched.insert(index) }
            }
            if settlement.reverses != nil {
                result.reversals += 1
                reverse(settlement, rows: aid[settlement.id] ?? [], into: &result)
            } else {
                replay(settlement, rows: aid[settlement.id] ?? [], into: &result)
            }
        }
        _ = earmarks.close(month: month, accounts: &ledger)
        result.balances = ledger.close(month: month, credits: monthCredits?.column, frozen: earmarks.frozenByIndex,
                                       only: touched)
        return result
    }

    private func finding(_ settlement: PlatformSettlement, payer: ResidentID? = nil, _ code: FindingCode, _ amount: Money,
                         _ detail: FindingDetail) -> AuditFinding {
        AuditFinding(settlement: settlement.id, time: settlement.time, region: settlement.region, patient: settlement.patient,
                     payer: payer, code: code, amountAtRisk: Money(fen: abs(amount.fen)), detail: detail)
    }

    /// The account's balance less its frozen quota; nil without an account.
    private func free(_ key: UInt64) -> Money? {
        guard let index = inputs.persons.index(of: key), let balance = ledger.balance(index: index) else { return nil }
        return balance - earmarks.frozen(index)
    }

    private mutating func replay(_ settlement: PlatformSettlement, rows: [MutualAidPayment], into result: inout AuditMonth) {
        // A11: the same setl_id again is the same record twice: flagged, not replayed.
        if let earlier = audit.replayed[settlement.id] {
            result.findings.append(finding(settlement, .duplicate, earlier, .repeatedID))
            return
        }
        let fingerprint = AuditState.Fingerprint(patient: settlement.patient.key, time: settlement.time,
                                                 own: settlement.ownAccount.fen, aid: settlement.mutualAid.fen,
                                                 cash: settlement.cash.fen)
        audit.replayed[settlement.id] = settlement.total
        // Another ID with the same patient, time and amounts, not reversed: the money moved twice.
        if let twin = audit.fingerprints[fingerprint], !audit.reversed.contains(twin) {
            result.findings.append(finding(settlement, .duplicate, settlement.total, .sameAs(twin)))
        } else {
            audit.fingerprints[fingerprint] = settlement.id
        }
        let patient = settlement.patient.key
        // The patient's own account.
        let held = free(patient) ?? .zero
        let own = min(settlement.ownAccount, max(held, .zero))
        if settlement.ownAccount > own {
            result.findings.append(finding(settlement, .beyondBalance, settlement.ownAccount - own,
                                           .beyondBalance(held: max(held, .zero), paid: settlement.ownAccount)))
        }
        if own.fen > 0 { ledger.spendOwn(patient, own) }
        // The mutual-aid rows against the declared sum (A09), and the patient's own money left (A08).
        let rowsTotal = checkMutualAid(settlement, rows, into: &result)
        let left = free(patient) ?? .zero
        if rowsTotal.fen > 0, left.fen > 0 {
            result.findings.append(finding(settlement, .ownAccountFirst, min(left, rowsTotal), .ownAccountHeld(left)))
        }
        for row in rows { pay(row, for: settlement, into: &result) }
        checkBalance(settlement.balanceAfter, of: settlement.patient, settlement, payer: nil, into: &result)
        // A13: cash the relatives could have paid under the rules, after this settlement's own family payments.
        if settlement.cash.fen > 0 {
            let available = relativesHold(for: settlement)
            if available.fen > 0 {
                result.findings.append(finding(settlement, .couldHaveShared, min(available, settlement.cash),
                                               .relativesHeld(available)))
            }
        }
    }

    /// One relative's payment: the rules first (one code, the most specific),
    /// then the balance it came from.
    private mutating func pay(_ row: MutualAidPayment, for settlement: PlatformSettlement, into result: inout AuditMonth) {
        let verdict = rules(for: row, settlement)
        if row.channel == .quota, verdict.finding == nil {
            payFromQuota(row, for: settlement, into: &result)
            return
        }
        let held = free(row.payer.key)
        let paid = min(row.amount, max(held ?? .zero, .zero))
        if let (code, detail) = verdict.finding {
            result.findings.append(finding(settlement, payer: row.payer, code, row.amount, detail))
        } else if row.amount > paid {
            result.findings.append(finding(settlement, payer: row.payer, .beyondBalance, row.amount - paid,
                                           .beyondBalance(held: max(held ?? .zero, .zero), paid: row.amount)))
        } else if let threshold = verdict.threshold, let held, held - paid < threshold {
            let after = held - paid
            result.findings.append(finding(settlement, payer: row.payer, .belowThreshold, min(paid, threshold - after),
                                           .belowThreshold(after: after, threshold: threshold)))
        }
        if paid.fen > 0 { ledger.shareOut(row.payer.key, paid) }
        checkBalance(row.payerBalanceAfter, of: row.payer, settlement, payer: row.payer, into: &result)
    }

    /// A quota payment the rules allow: it draws on the quota's unused
    /// amount, which is frozen in the payer's account (docs/rules.md section
    /// 4b), not on the free balance; beyond the unused amount (or the
    /// account, if less) is A07. No threshold applies to a quota.
    private mutating func payFromQuota(_ row: MutualAidPayment, for settlement: PlatformSettlement,
                                       into result: inout AuditMonth) {
        let unused = earmarks.quotaUnused(sharer: row.payer, beneficiary: settlement.patient)
        let held = min(unused, max(ledger.balance(row.payer.key) ?? .zero, .zero))
        let paid = min(row.amount, held)
        if row.amount > paid {
            result.findings.append(finding(settlement, payer: row.payer, .beyondBalance, row.amount - paid,
                                           .beyondBalance(held: held, paid: row.amount)))
        }
        if paid.fen > 0 {
            earmarks.useQuota(sharer: row.payer, beneficiary: settlement.patient, amount: paid)
            ledger.shareOut(row.payer.key, paid)
        }
        checkBalance(row.payerBalanceAfter, of: row.payer, settlement, payer: row.payer, into: &result)
    }

    /// A09: the mutual-aid rows' sum against `acct_mulaid_pay`. Returns the rows' sum.
    private func checkMutualAid(_ settlement: PlatformSettlement, _ rows: [MutualAidPayment],
                                into result: inout AuditMonth) -> Money {
        let total = rows.reduce(Money.zero) { $0 + $1.amount }
        if total != settlement.mutualAid {
            result.findings.append(finding(settlement, .mutualAidMismatch, total - settlement.mutualAid,
                                           .mutualAidDiffers(declared: settlement.mutualAid, rows: total)))
        }
        return total
    }

    /// A10: a balance the platform reported against the replayed one.
    private func checkBalance(_ reported: Money?, of person: ResidentID, _ settlement: PlatformSettlement, payer: ResidentID?,
                              into result: inout AuditMonth) {
        guard let reported else { return }
        result.balancesReported += 1
        let replayed = ledger.balance(person.key) ?? .zero
        if reported == replayed {
            result.balancesMatched += 1
        } else {
            result.findings.append(finding(settlement, payer: payer, .balanceDiffers, reported - replayed,
                                           .balanceDiffers(reported: reported, replayed: replayed)))
        }
    }

    /// What the rules say of one payment: a finding (A01-A06), or none
    /// and the threshold the payer must keep.
    private func rules(for row: MutualAidPayment, _ settlement: PlatformSettlement)
        -> (finding: (FindingCode, FindingDetail)?, threshold: Money?) {
        let day = settlement.time.day
        guard let payer = inputs.persons[row.payer.key], payer.scheme == .employee else {
            return ((.noBinding, .payerUnknown), nil)
        }
        if row.channel == .quota { return (quotaFinding(row, settlement), nil) }
        let bindings = settler.family.bindings(ofBeneficiary: settlement.patient.key)
            .filter { $0.authorizer == row.payer && $0.isInDateRange(on: day) }
        guard !bindings.isEmpty else { return ((.noBinding, .noBinding(channel: .binding)), nil) }
        var first: Refusal?
        for binding in bindings {
            switch settler.check(binding, claim: settlement.claim, on: day) {
            case let .success(eligible): return (nil, eligible.threshold)
            case let .failure(refusal): first = first ?? refusal
            }
        }
        guard let refusal = first else { return (nil, nil) }
        return (Self.code(of: refusal), nil)
    }

    /// The finding code of a refusal: the most specific (A05 rather than A01
    /// for a binding ended by the payer's death).
    static func code(of refusal: Refusal) -> (FindingCode, FindingDetail) {
        switch refusal {
        case let .ended(_, ending): (ending.side == .authorizer ? .payerEnded : .noBinding, .refused(refusal))
        case .authorizerNotInsured, .authorizerHasNoAccount: (.noBinding, .refused(refusal))
        case .differentRegions, .differentProvinces, .outsideRegion, .noFamilyRule: (.scope, .refused(refusal))
        case .relationNotAllowed: (.relation, .refused(refusal))
        case .categoryNotShareable: (.category, .refused(refusal))
        // Without a known threshold the rules refuse the payer's money (rule R1): all of it is at risk.
        case .thresholdUnknown: (.belowThreshold, .refused(refusal))
        }
    }

    /// A quota payment needs a quota of the payer for the patient in force
    /// that day (set, not ended, neither side's insurance ended: docs/rules.md
    /// section 4b); not for a resident premium.
    private func quotaFinding(_ row: MutualAidPayment, _ settlement: PlatformSettlement) -> (FindingCode, FindingDetail)? {
        let day = settlement.time.day
        let quotas = inputs.earmarks.quotas.filter {
            $0.sharer == row.payer && $0.beneficiary == settlement.patient && $0.setOn <= day
        }
        guard !quotas.isEmpty else { return (.noBinding, .noBinding(channel: .quota)) }
        let ended = inputs.events.filter { event in
            event.date <= day && (event.kind == .death || event.kind == .leftScheme || event.kind == .movedRegion)
        }
        if let payerEnd = ended.first(where: { $0.person == row.payer }) {
            return (.payerEnded, .refused(.ended(binding: quotas[0].id, Ending(event: payerEnd, side: .authorizer))))
        }
        guard quotas.contains(where: { quota in
            (quota.endedOn.map { day < $0 } ?? true) && !ended.contains { $0.person == settlement.patient }
        }) else { return (.noBinding, .noBinding(channel: .quota)) }
        if settlement.category == .residentPremium {
            return (.category, .refused(.categoryNotShareable(.residentPremium, region: inputs.persons.regions[
                inputs.persons.index(of: row.payer.key) ?? 0], on: day)))
        }
        return nil
    }

    /// What the patient's relatives hold above their thresholds now, through
    /// bindings the rules allow for this settlement.
    private func relativesHold(for settlement: PlatformSettlement) -> Money {
        let day = settlement.time.day
        var counted: Set<UInt64> = []
        var total = Money.zero
        for binding in settler.family.bindings(ofBeneficiary: settlement.patient.key) where binding.isInDateRange(on: day) {
            guard !counted.contains(binding.authorizer.key),
                  case let .success(eligible) = settler.check(binding, claim: settlement.claim, on: day),
                  let held = free(binding.authorizer.key) else { continue }
            counted.insert(binding.authorizer.key)
            let excess = held - (eligible.threshold ?? .zero)
            if excess.fen > 0 { total += excess }
        }
        return total
    }

    /// A reversal (its amounts negated) gives the money back to the accounts
    /// it came from, once, and only for a settlement replayed before (A12).
    private mutating func reverse(_ settlement: PlatformSettlement, rows: [MutualAidPayment], into result: inout AuditMonth) {
        guard let original = settlement.reverses, audit.replayed[original] != nil else {
            result.findings.append(finding(settlement, .badReversal, settlement.total,
                                           .reversalWithoutOriginal(settlement.reverses ?? "")))
            return
        }
        guard !audit.reversed.contains(original) else {
            result.findings.append(finding(settlement, .badReversal, settlement.total, .reversedTwice(original)))
            return
        }
        audit.reversed.insert(original)
        _ = checkMutualAid(settlement, rows, into: &result)
        if settlement.ownAccount.fen < 0 { ledger.refundOwn(settlement.patient.key, Money(fen: -settlement.ownAccount.fen)) }
        for row in rows where row.amount.fen < 0 {
            ledger.refundShared(row.payer.key, Money(fen: -row.amount.fen))
            // A quota payment reversed goes back into the quota, frozen again (while the quota is in force).
            if row.channel == .quota { earmarks.useQuota(sharer: row.payer, beneficiary: settlement.patient, amount: row.amount) }
            checkBalance(row.payerBalanceAfter, of: row.payer, settlement, payer: row.payer, into: &result)
        }
        checkBalance(settlement.balanceAfter, of: settlement.patient, settlement, payer: nil, into: &result)
    }
}
