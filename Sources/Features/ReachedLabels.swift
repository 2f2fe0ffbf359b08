extension FeatureBuilder {
    /// Days after a snapshot in which a right-party contact counts as the snapshot's account being reached.
    public static let reachedWithinDays = 7

    /// 1 where the customer of row `rows[i]` of `table` had a right-party contact in [T, T + `days`) after the row's
    /// as-of date T, else 0: the treatment of the observational call-effect design and of its Qini evaluation.
    public func reachedLabels(_ rows: [Int], of table: FeatureTable, withinDays days: Int) -> [Double] {
        var reachedByDate: [Int32: Set<Int32>] = [:]
        for date in Set(rows.map { table.asOf[$0] }) {
            let attempts = contactAttempts(from: date, to: date + Int32(days))
            reachedByDate[date] = Set(attempts.filter(\.rightPartyContact).map(\.customer))
        }
        return rows.map { reachedByDate[table.asOf[$0]]!.contains(table.customers[$0]) ? 1 : 0 }
    }
}
