import Foundation
import GongjiImport

/// The data folder of docs/formats.md: where each input lives and how messages name it.
public struct DataFolder: Sendable {
    public let root: URL
    /// Whether reading a CSV input also takes its SHA-256 (for manifest.json
    /// and the run log); `validate` writes neither and skips it.
    public var digests = true
    /// Whether the job is given `--province`: each file's counts then show
    /// its skipped rows too (read = accepted + rejected + skipped).
    public var filtered = false

    /// Fails with a message naming the folder when it does not exist.
    public init(path: String) throws(InputError) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw InputError(file: path, line: nil, message: "no such data folder")
        }
        guard isDirectory.boolValue else {
            throw InputError(file: path, line: nil, message: "is a file: --data names the folder that holds policy.yaml, persons.csv, ...")
        }
        root = URL(fileURLWithPath: path, isDirectory: true).standardizedFileURL
    }

    public var policy: URL { root.appendingPathComponent("policy.yaml") }
    var persons: URL { root.appendingPathComponent("persons.csv") }
    var openingBalances: URL { root.appendingPathComponent("opening-balances.csv") }
    var bindings: URL { root.appendingPathComponent("bindings.csv") }
    var events: URL { root.appendingPathComponent("events.csv") }
    var walletTransfers: URL { root.appendingPathComponent("wallet-transfers.csv") }
    var walletQuotas: URL { root.appendingPathComponent("wallet-quotas.csv") }
    var pots: URL { root.appendingPathComponent("pots.csv") }
    var potMembers: URL { root.appendingPathComponent("pot-members.csv") }
    var potDeposits: URL { root.appendingPathComponent("pot-deposits.csv") }
    /// The optional earmark inputs, in the order a run reads them (pots before their members and deposits).
    var earmarkFiles: [URL] { [walletTransfers, walletQuotas, pots, potMembers, potDeposits] }
    func contributions() -> [URL] { files(in: "contributions", withExtension: "csv") }
    func usage() -> [URL] { files(in: "usage", withExtension: "csv") }
    /// The platform's settlement records and their mutual-aid rows (`gongji audit`).
    func settlements() -> [URL] { files(in: "settlements", withExtension: "csv") }
    func mutualAid() -> [URL] { files(in: "mutual-aid", withExtension: "csv") }

    /// `bulletins/*.xml`, sorted by name so every run reads them in one order.
    public func bulletins() -> [URL] { files(in: "bulletins", withExtension: "xml") }

    func files(in folder: String, withExtension ext: String) -> [URL] {
        let url = root.appendingPathComponent(folder, isDirectory: true)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
        return names.filter { $0.lowercased().hasSuffix("." + ext) && !$0.hasPrefix(".") }
            .sorted()
            .map { url.appendingPathComponent($0) }
    }

    /// The CSV inputs the folder holds, in the order a run reads them.
    public func csvInputs() -> [URL] {
        func present(_ url: URL) -> [URL] { FileManager.default.fileExists(atPath: url.path) ? [url] : [] }
        return present(persons) + present(openingBalances) + contributions() + present(bindings) + present(events) + usage()
            + earmarkFiles.flatMap(present)
    }

    /// A file's size in bytes, through symbolic links (0 when unknown).
    static func size(of url: URL) -> Int64 {
        let path = url.resolvingSymlinksInPath().path
        return (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.int64Value ?? 0
    }

    /// The path relative to the data folder, as messages and reports show it.
    public func name(of url: URL) -> String {
        let base = root.path.hasSuffix("/") ? root.path : root.path + "/"
        let path = url.standardizedFileURL.path
        return path.hasPrefix(base) ? String(path.dropFirst(base.count)) : path
    }
}
