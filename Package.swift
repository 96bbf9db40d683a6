// swift-tools-version: 6.1
import PackageDescription

// No unsafeFlags: the libraries can be used by another package. The hot
// loops' dynamic exclusivity checks (a tenth of a city's run, in the CSV
// reader's and writer's, the claim spool's and the bulk insert's stored
// properties) are left out per property with `@exclusivity(unchecked)`,
// where each says why (docs/architecture.md, "Speed").

let package = Package(
    name: "gongji",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "gongji", targets: ["gongji"]),
        // The readers' fuzz targets (Scripts/fuzz.sh builds them with libFuzzer).
        .executable(name: "gongji-fuzz", targets: ["GongjiFuzz"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    ],
    targets: [
        // libxml2, behind one system-library target: all C contact in one place.
        .systemLibrary(
            name: "CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"])]
        ),
        // Domain values, dated policy and the calculators. No files, no terminal.
        .target(name: "GongjiDomain", dependencies: ["CPrefetch"]),
        // Readers for every input format: files → domain values + diagnostics.
        .target(
            name: "GongjiImport",
            dependencies: [
                "GongjiDomain",
                "CLibXML2",
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        // zlib, to deflate the workbooks' parts (XLSXWriter): the reports' only C contact.
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        // Report renderers (Markdown, CSV, JSON, SVG, XLSX) and the atomic file writer.
        .target(name: "GongjiReports", dependencies: ["GongjiDomain", "CZlib", "CDirectIO"]),
        // SQLite's C API, for the store's bulk inserts (GRDB links the same library).
        .systemLibrary(
            name: "CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        // libpq, PostgreSQL's C client, for the store on a server (docs/store.md,
        // "Why libpq": its binary COPY measured faster than postgres-nio's text
        // COPY, and it adds no build time).
        .systemLibrary(
            name: "CLibPQ",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"])]
        ),
        // The store: embedded SQLite, or PostgreSQL: imported data, results per month, run log.
        .target(
            name: "GongjiStore",
            dependencies: [
                "GongjiDomain",
                "CSQLite",
                "CLibPQ",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        // The jobs a user runs: data folder → importers → calculators → reports.
        .target(
            name: "GongjiPipeline",
            dependencies: [
                "GongjiDomain",
                "GongjiImport",
                "GongjiReports",
                "GongjiStore",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // glibc's malloc.h (mallopt), for the command line's memory setting.
        .systemLibrary(name: "CMalloc", path: "Sources/CMalloc"),
        // A prefetch hint for the domain's one walk that waits on memory (AccountLedger.close).
        .systemLibrary(name: "CPrefetch", path: "Sources/CPrefetch"),
        // O_DIRECT, for the large reports' writes past the page cache (AtomicFile.Stream).
        .systemLibrary(name: "CDirectIO", path: "Sources/CDirectIO"),
        // The thin command line.
        .executableTarget(
            name: "gongji",
            dependencies: [
                "GongjiPipeline",
                "CMalloc",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Fuzz targets for the CSV, bulletin and policy readers, and the masking oracle: with -DFUZZING, libFuzzer's
        // entry; without, a replayer of saved inputs.
        .executableTarget(name: "GongjiFuzz", dependencies: ["GongjiImport", "GongjiDomain", "GongjiReports"]),
        // What the test targets share (temporary folders).
        .target(name: "GongjiTestSupport", path: "Tests/GongjiTestSupport"),
        .testTarget(name: "GongjiDomainTests", dependencies: ["GongjiDomain"]),
        .testTarget(name: "GongjiImportTests", dependencies: ["GongjiImport", "GongjiDomain", "GongjiTestSupport"]),
        .testTarget(name: "GongjiReportsTests", dependencies: ["GongjiReports", "GongjiDomain", "GongjiTestSupport"]),
        .testTarget(name: "GongjiStoreTests",
                    dependencies: ["GongjiStore", "GongjiDomain", "GongjiTestSupport",
                                   .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "GongjiPipelineTests",
                    dependencies: ["GongjiPipeline", "GongjiDomain", "GongjiStore", "GongjiReports", "GongjiTestSupport"]),
        .testTarget(
            name: "GongjiEndToEndTests",
            dependencies: ["gongji", "GongjiPipeline", "GongjiStore", "GongjiDomain", "GongjiTestSupport"],
            exclude: ["Fixtures"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
