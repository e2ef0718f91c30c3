import Foundation

/// The last node of a run: counts what came out of the pipeline and moves the progress bar.
///
/// Shared with the code that writes `run.json`, hence a locked class.
final class RunTally: @unchecked Sendable {
    private let lock = NSLock()
    private var counts = RunRecord.Frames()
    private var trackIDs: Set<Int> = []
    let progress: ProgressReporter

    init(progress: ProgressReporter) {
        self.progress = progress
    }

    func count(_ result: FrameResult) {
        lock.withLock {
            counts.decoded += 1
            if result.people.isEmpty { counts.skipped += 1 } else { counts.processed += 1 }
            counts.first = min(counts.first ?? result.index, result.index)
            counts.last = max(counts.last ?? result.index, result.index)
            for person in result.people { trackIDs.insert(person.trackID) }
        }
        progress.advance()
    }

    var frames: RunRecord.Frames { lock.withLock { counts } }
    var tracks: [Int] { lock.withLock { trackIDs.sorted() } }

    /// The stage form of the tally, to end the chain.
    struct Sink: Stage {
        let tally: RunTally
        mutating func process(_ input: FrameResult) throws -> [Never] {
            tally.count(input)
            return []
        }
        mutating func finish() throws -> [Never] { [] }
    }
}

/// Warnings stages raise while running, each kept once, in order (for `run.json`).
final class RunWarnings: @unchecked Sendable {
    private let lock = NSLock()
    private var messages: [String] = []

    func add(_ message: String) {
        lock.withLock { if !messages.contains(message) { messages.append(message) } }
    }

    var all: [String] { lock.withLock { messages } }
}
