import GongjiDomain
import GongjiStore

extension StoreWriting {
    /// The tests' accounts are arrays of rows, as a store reads them back.
    func replaceMonth(_ month: YearMonth, run: Int64, balances: [AccountMonth], settlements: [ClaimSettlement],
                      clearing: [ClearingItem], earmarks: EarmarkMonth? = nil, keepBaseline: Bool) throws {
        try replaceMonth(month, run: run, balances: AccountMonths(balances), settlements: settlements, clearing: clearing,
                         earmarks: earmarks, keepBaseline: keepBaseline)
    }
}
