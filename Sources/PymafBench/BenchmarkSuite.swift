import Foundation

/// One stage's benchmark: a program that prints its figures next to the targets in
/// `../shared/docs/performance.md`. Never a timed test.
struct BenchmarkSuite {
    /// Name given on the command line (`pymaf-bench decode`).
    var name: String
    /// One line saying what it measures.
    var summary: String
    /// Runs the measurements and prints the figures.
    var run: () throws -> Void
}

/// Runs `python script arguments…` (a timing script in tools/, run from the repository root) and
/// returns what it printed; nil after printing why when it fails (`what` names the timing, the
/// script's stderr is shown: it holds the runtimes' log lines).
func runPythonTool(_ python: String, script: String, what: String, arguments: [String]) throws -> String? {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: python)
    process.arguments = [script] + arguments
    let output = Pipe(), messages = Pipe()
    process.standardOutput = output
    process.standardError = messages
    try process.run()
    let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    let log = String(decoding: messages.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
        print("   \(what) timing failed (\(python) \(script) exited \(process.terminationStatus)): \(text)\(log)")
        return nil
    }
    return text
}
