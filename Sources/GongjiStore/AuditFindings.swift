import Foundation
import GRDB
import GongjiDomain

/// The findings of `gongji audit`, kept beside the month they were found in
/// (SPEC "Audit of settlement records"; docs/audit.md, "In the store"):
/// table `audit_finding`, one row per finding, in both store kinds.
///
/// A finding is filed under its settlement's province (its region's first
/// two digits); a mutual-aid row naming no settlement of the data (A09) has
/// no region and is filed under its payer's (`regionOf`), else under `''`.
/// `seq` numbers the findings of a month and province from 1 in the order
/// the audit lists them (settlement order), so an audit of some provinces
/// and one of all give the same rows.
struct FindingRows {
    struct Row {
        var seq: Int64
        var province: String
        var finding: AuditFinding
        var detail: String
    }

    var rows: [Row] = []

    init(_ findings: [AuditFinding], detail: (AuditFinding) -> String, regionOf: (ResidentID) -> RegionCode?) {
        var next: [String: Int64] = [:]
        for finding in findings {
            let region = finding.region ?? finding.payer.flatMap(regionOf) ?? finding.patient.flatMap(regionOf)
            let province = region.map(Provinces.code) ?? ""
            next[province, default: 0] += 1
            rows.append(Row(seq: next[province]!, province: province, finding: finding, detail: detail(finding)))
        }
    }

    /// Only the rows `scope` writes: its provinces', and `''` in a run of all.
    func within(_ scope: ProvinceScope) -> [Row] {
        rows.filter { $0.province.isEmpty ? scope == .all : scope.contains($0.province) }
    }

    static let columns = ["month", "province", "seq", "run_id", "setl_id", "setl_time", "region_code", "certno", "payer_certno",
                          "code", "amount_at_risk_fen", "detail"]
}

extension StoreWriter {
    /// Replaces the findings of `month` (of the scope's provinces) with
    /// `findings`; `detail` gives each its words (the store keeps English,
    /// as it keeps a claim's refusals).
    public func replaceFindings(_ month: YearMonth, run: Int64, findings: [AuditFinding],
                                detail: (AuditFinding) -> String, regionOf: (ResidentID) -> RegionCode?) throws {
        let rows = Rows.of(.column, month: month, only: only)
        try db.execute(sql: "DELETE FROM audit_finding WHERE \(rows.condition)", arguments: rows.arguments)
        let insert = try insert("INSERT INTO audit_finding VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        for row in FindingRows(findings, detail: detail, regionOf: regionOf).within(scope) {
            let f = row.finding
            var step = insert.text(month.text).text(row.province).int(row.seq).int(run).text(f.settlement).text(f.time?.text)
                .text(f.region?.text)
            step = f.patient.map { step.id($0) } ?? step.null()
            step = f.payer.map { step.id($0) } ?? step.null()
            try step.text(f.code.rawValue).int(f.amountAtRisk.fen).text(row.detail).step()
        }
    }
}

extension PostgresWriter {
    public func replaceFindings(_ month: YearMonth, run: Int64, findings: [AuditFinding],
                                detail: (AuditFinding) -> String, regionOf: (ResidentID) -> RegionCode?) throws {
        try connection.execute("DELETE FROM audit_finding WHERE month = $1 AND \(scopeCondition("province"))", [.text(month.text)])
        let rows = FindingRows(findings, detail: detail, regionOf: regionOf).within(scope)
        try connection.copy("audit_finding", columns: FindingRows.columns) { copy in
            for row in rows {
                let f = row.finding
                try copy.row()
                copy.text(month.text); copy.text(row.province); copy.int(row.seq); copy.int(run); copy.text(f.settlement)
                copy.text(f.time?.text); copy.text(f.region?.text)
                if let patient = f.patient { copy.id(patient) } else { copy.text(nil as String?) }
                if let payer = f.payer { copy.id(payer) } else { copy.text(nil as String?) }
                copy.text(f.code.rawValue); copy.int(f.amountAtRisk.fen); copy.text(row.detail)
            }
        }
    }
}

/// The table, for both store kinds' schemas (SQLite's migration v8-audit,
/// PostgreSQL's schema version 3).
enum AuditFindingTable {
    static func create(integer: String) -> [String] {
        ["""
        CREATE TABLE audit_finding (
            month TEXT NOT NULL, province TEXT NOT NULL, seq \(integer) NOT NULL, run_id \(integer) NOT NULL,
            setl_id TEXT NOT NULL, setl_time TEXT, region_code TEXT, certno TEXT, payer_certno TEXT,
            code TEXT NOT NULL, amount_at_risk_fen \(integer) NOT NULL, detail TEXT NOT NULL,
            PRIMARY KEY (month, province, seq))
        """]
    }
}
