import Foundation
import Testing
@testable import Pipeline

/// A manual clock and a text sink for driving the reporter.
private final class Recorder: @unchecked Sendable {
    private let lock = NSLock()
    private var text = ""
    private var now: Double = 100
    func write(_ s: String) { lock.withLock { text += s } }
    func tick(_ seconds: Double) { lock.withLock { now += seconds } }
    var output: String { lock.withLock { text } }
    var time: Double { lock.withLock { now } }
}

@Suite struct ProgressReporterTests {
    @Test func terminalBarShowsCountRateAndETA() {
        let recorder = Recorder()
        let progress = ProgressReporter(style: .terminal, total: 100, write: { recorder.write($0) }, clock: { recorder.time })
        progress.terminalInterval = 0  // redraw at every frame
        progress.advance()  // starts the clock at frame 1
        for _ in 0..<50 {
            recorder.tick(0.1)
            progress.advance()
        }
        // 51 frames in 5 s: 10.2 frames/s, 49 left → about 5 s.
        let last = recorder.output.components(separatedBy: "\r").last ?? ""
        #expect(last.hasPrefix("[############............]  51/100 frames  10.2 frames/s  ETA 0:05"))
        progress.finish()
        #expect(recorder.output.hasSuffix("51/100 frames  10.2 frames/s  in 0:05\u{1B}[K\n"))
    }

    @Test func plainLinesArePeriodicAndHaveNoControlCharacters() {
        let recorder = Recorder()
        let progress = ProgressReporter(style: .plain, total: nil, write: { recorder.write($0) }, clock: { recorder.time })
        for _ in 0..<120 {
            progress.advance()
            recorder.tick(0.1)
        }
        progress.finish()
        let lines = recorder.output.split(separator: "\n")
        // One line at the first frame, then one every 5 s of the 12 s, plus the final line.
        #expect(lines.count == 4)
        #expect(!recorder.output.contains("\r") && !recorder.output.contains("\u{1B}"))
        #expect(lines.last == "120 frames  10.0 frames/s  in 0:12")
    }

    @Test func quietWritesNothing() {
        let recorder = Recorder()
        let progress = ProgressReporter(style: .silent, total: 10, write: { recorder.write($0) }, clock: { recorder.time })
        for _ in 0..<10 { progress.advance(); recorder.tick(1) }
        progress.finish()
        #expect(recorder.output.isEmpty)
        #expect(progress.framesDone == 10)
    }

    @Test func clockText() {
        #expect(ProgressReporter.clockText(5) == "0:05")
        #expect(ProgressReporter.clockText(125) == "2:05")
        #expect(ProgressReporter.clockText(3725) == "1:02:05")
    }
}
