import Foundation

/// Progress of a run on standard error: a redrawn bar on a terminal, plain periodic lines otherwise.
///
/// On a terminal the line is rewritten in place at most every `terminalInterval` seconds:
///
///     [##########..........]  120/240 frames  14.8 frames/s  ETA 0:08
///
/// When standard error is a file or a pipe (CI logs), a plain line is written every
/// `plainInterval` seconds instead, so logs stay readable. `Style.silent` (`--quiet`) writes
/// nothing. The reporter is thread-safe: the pipeline's last stage calls `advance` as frames
/// complete.
public final class ProgressReporter: @unchecked Sendable {
    /// How progress is shown.
    public enum Style: Sendable, Equatable {
        /// A bar redrawn in place (standard error is a terminal).
        case terminal
        /// A plain line every few seconds (standard error is a file or pipe).
        case plain
        /// Nothing (`--quiet`).
        case silent

        /// `.terminal` when standard error is a terminal, else `.plain`; `.silent` when `quiet`.
        public static func forStandardError(quiet: Bool) -> Style {
            if quiet { return .silent }
            return isatty(STDERR_FILENO) == 1 ? .terminal : .plain
        }
    }

    private let lock = NSLock()
    private let style: Style
    private let write: @Sendable (String) -> Void
    private let clock: @Sendable () -> Double
    private var total: Int?
    private var done = 0
    private var start: Double?
    private var lastDraw: Double = -.infinity

    /// Seconds between redraws of the bar.
    public var terminalInterval: Double = 0.2
    /// Seconds between plain lines.
    public var plainInterval: Double = 5

    /// Creates a reporter.
    ///
    /// - Parameters:
    ///   - style: How to show progress.
    ///   - total: Frames expected, when known (drives the bar and the ETA).
    ///   - write: Where text goes (standard error by default).
    ///   - clock: Monotonic seconds (injected by tests).
    public init(
        style: Style, total: Int?,
        write: @escaping @Sendable (String) -> Void = { FileHandle.standardError.write(Data($0.utf8)) },
        clock: @escaping @Sendable () -> Double = { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }
    ) {
        self.style = style
        self.total = total.flatMap { $0 > 0 ? $0 : nil }
        self.write = write
        self.clock = clock
    }

    /// Records `count` more finished frames and redraws when due.
    public func advance(by count: Int = 1) {
        lock.withLock {
            let now = clock()
            if start == nil { start = now }
            done += count
            if let total, done > total { self.total = done }
            switch style {
            case .silent:
                return
            case .terminal where now - lastDraw >= terminalInterval:
                lastDraw = now
                write("\r" + line(now: now) + "\u{1B}[K")
            case .plain where now - lastDraw >= plainInterval:
                lastDraw = now
                write(line(now: now) + "\n")
            default:
                return
            }
        }
    }

    /// Writes the final state and ends the bar's line.
    public func finish() {
        lock.withLock {
            let now = clock()
            switch style {
            case .silent:
                return
            case .terminal:
                write("\r" + line(now: now, final: true) + "\u{1B}[K\n")
            case .plain:
                write(line(now: now, final: true) + "\n")
            }
        }
    }

    /// Frames finished so far.
    public var framesDone: Int { lock.withLock { done } }

    /// The progress line at time `now` (no terminal control characters).
    func line(now: Double, final: Bool = false) -> String {
        let elapsed = start.map { now - $0 } ?? 0
        let rate = elapsed > 0 ? Double(done) / elapsed : 0
        var parts: [String] = []
        if let total {
            if style == .terminal { parts.append(Self.bar(fraction: Double(done) / Double(total), width: 24)) }
            parts.append("\(done)/\(total) frames")
        } else {
            parts.append("\(done) frames")
        }
        parts.append(String(format: "%.1f frames/s", rate))
        if final {
            parts.append("in " + Self.clockText(elapsed))
        } else if let total, rate > 0 {
            parts.append("ETA " + Self.clockText(Double(total - done) / rate))
        }
        return parts.joined(separator: "  ")
    }

    /// `[#####.....]` for `fraction` in 0…1.
    static func bar(fraction: Double, width: Int) -> String {
        let filled = Int((min(max(fraction, 0), 1) * Double(width)).rounded(.down))
        return "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "]"
    }

    /// `m:ss`, or `h:mm:ss` from an hour.
    static func clockText(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        if s >= 3600 { return String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) }
        return String(format: "%d:%02d", s / 60, s % 60)
    }
}
