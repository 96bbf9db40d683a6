import Foundation
import GongjiReports
import GongjiStore

/// Putting a run's reports in place is a step the store knows about
/// (docs/formats.md, "Reports"): the results commit with a `publication`
/// row naming the staging folder, whose READY list names the same token;
/// the run is finished once its reports are in the out folder. Whatever a
/// fault left between the two, the next gongji that opens the out folder
/// or the store settles here, before anything else.
enum Publication {
    /// A test's way to stop a run at a moment of the publication as a kill
    /// -9 would (`GONGJI_FAULT=before-commit` or `after-commit`); nothing
    /// else reads it.
    static func fault(_ point: String) {
        if ProcessInfo.processInfo.environment["GONGJI_FAULT"] == point { kill(getpid(), SIGKILL) }
    }

    /// The staging folder `staging` in `out`, whose READY list names
    /// `token` and the store at `storePath`: finished when that store
    /// committed the token (and the run marked finished there), removed
    /// when it did not; left for later when the store cannot be read now.
    static func settle(staging: URL, out: URL, token: String, storePath: String, console: Console) {
        guard PostgresStore.isURI(storePath) || FileManager.default.fileExists(atPath: storePath) else {
            try? FileManager.default.removeItem(at: staging)  // no store holds its results
            return
        }
        do {
            let store = try GongjiStore.openStore(storePath)
            guard let publication = try store.pendingPublications().first(where: { $0.token == token }) else {
                try? FileManager.default.removeItem(at: staging)  // its store never committed it
                return
            }
            try ReportStage.finish(staging, into: out)
            try store.published(publication.run, finishedAt: Manifest.timestamp(Date()))
            console.info("\(out.path): put in place the reports of an interrupted run (its results were stored)")
        } catch {
            console.warning("\(staging.path): the reports of an interrupted run were left as they are: \(error)")
        }
    }

    /// Every publication the store at `store` waits for: finished from its
    /// staging folder; marked done when the out folder already holds its
    /// manifest; given up, and said, when its reports are gone.
    static func settle(_ store: any ResultStore, console: Console) {
        guard let pending = try? store.pendingPublications(), !pending.isEmpty else { return }
        for publication in pending {
            let staging = URL(fileURLWithPath: publication.staging, isDirectory: true)
            let out = URL(fileURLWithPath: publication.out, isDirectory: true)
            do {
                if FileManager.default.fileExists(atPath: staging.path) {
                    guard let locked = ReportStage.lock(staging) else { continue }  // its run is alive
                    defer { close(locked) }
                    guard ReportStage.header(staging)?.token == publication.token else { continue }
                    try ReportStage.finish(staging, into: out)
                    try store.published(publication.run, finishedAt: Manifest.timestamp(Date()))
                    console.info("\(out.path): put in place the reports of an interrupted run (its results were stored)")
                } else if let manifest = try? FileDigest.sha256(of: out.appendingPathComponent("manifest.json")),
                          manifest.hex == publication.manifestSHA256 {
                    try store.published(publication.run, finishedAt: Manifest.timestamp(Date()))
                } else {
                    try store.abandon(publication.run)
                    console.warning("\(out.path): the reports of the run stored as number \(publication.run) are gone (its staging folder was removed): run again to write them")
                }
            } catch {
                console.warning("\(out.path): the reports of an interrupted run could not be put in place yet: \(error)")
            }
        }
    }
}
