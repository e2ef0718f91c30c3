import Foundation
import VideoIO

// `pymaf-bench [suite ...]`: runs the named suites, or all of them, printing figures.
// Each suite lives in its own file; list it here.
let suites: [BenchmarkSuite] = [.tensor, .tensorTrunk, .decode, .export, .checkpoint, .tracking, .render, .regress, .pipeline]

// FFmpeg's own chatter (encoder statistics) stays out of the figures.
FFmpegLogLevel.set(.quiet)

let requested = Array(CommandLine.arguments.dropFirst())
let unknown = requested.filter { name in !suites.contains { $0.name == name } }
if !unknown.isEmpty {
    FileHandle.standardError.write(Data("pymaf-bench: unknown suite \(unknown.joined(separator: ", ")); available: \(suites.map(\.name).joined(separator: ", "))\n".utf8))
    exit(2)
}
for suite in suites where requested.isEmpty || requested.contains(suite.name) {
    print("== \(suite.name): \(suite.summary)")
    do {
        try suite.run()
    } catch {
        print("   failed: \(error)")
    }
}
