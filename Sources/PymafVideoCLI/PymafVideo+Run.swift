import ArgumentParser
import Dispatch
import Foundation
import Pipeline
import Tensor
import VideoIO

extension PymafVideo {
    static let guide = """
        Reads a video (or images), finds and follows every person, regresses SMPL meshes with PyMAF, \
        and writes <output_folder>/<NAME>/: output.pkl and tracks/<id>.npz (parameters), \
        NAME_result.mp4 (overlay, unless --no_render), meshes/ (--save_obj), NAME_<id>.glb/.pc2/.bvh/.usda \
        (--export), mattes/ (--mattes) and run.json.

        Exit status: 0 done, 1 internal failure, 2 bad arguments, 3 input not readable, \
        4 model files missing or invalid, 5 output not writable, 130 interrupted (Ctrl-C; \
        files written so far are complete).

        Examples:
          pymaf-video --vid_file clip.mp4
          pymaf-video --vid_file clip.mp4 --frames 120:240 --mattes --smooth --export glb,bvh
          pymaf-video --vid_file clip.mp4 --recon_result_file output/clip/output.pkl --sideview
        """

    mutating func run() throws {
        let configuration: RunConfiguration
        do {
            configuration = try options.configuration(arguments: CommandLine.arguments)
        } catch {
            Self.fail(error)
        }
        try Self.execute(configuration)
    }

    /// Runs `configuration`, Ctrl-C stopping it cleanly, and exits with the error's status on failure.
    static func execute(_ configuration: RunConfiguration) throws {
        // What FFmpeg would print (encoder statistics, concealment notes) reaches run.json as
        // warnings or a typed error instead.
        FFmpegLogLevel.set(.quiet)
        let run = PipelineRun(configuration: configuration, regressor: .pyMAF)
        let interrupts = InterruptHandler { run.requestStop() }
        defer { interrupts.cancel() }
        do {
            let record = try run.run()
            if !configuration.quiet {
                let folder = configuration.runFolder.path
                note("wrote \(folder) (\(record.frames.processed) frames with people, \(record.tracks.count) track(s)); see \(folder)/run.json")
                if let forced = ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] {
                    note("note: OPENBLAS_CORETYPE=\(forced) made OpenBLAS use its \(BLAS.coreName) kernels; unset it to let OpenBLAS choose the fastest for this CPU")
                }
            }
        } catch {
            fail(error)
        }
    }

    /// Prints one line and exits with the error's status.
    static func fail(_ error: RunError) -> Never {
        note("pymaf-video: \(error.description)")
        Foundation.exit(error.exitStatus.rawValue)
    }

    static func note(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    /// The subcommands, by the name that selects them.
    static let subcommandsByName: [String: ParsableCommand.Type] = [
        "demo": Demo.self, "probe": ProbeCommand.self, "regress": RegressCommand.self,
    ]

    /// Parses and runs; argument errors exit with status 2 (bad arguments) instead of the
    /// parser's 64, so every failure has the documented status.
    ///
    /// A subcommand is parsed on its own: ArgumentParser lets a parent command claim any of its
    /// flags written after a subcommand's name, and the run's flags live on the root, so
    /// `regress --checkpoint X` or `demo --output_folder Y` would otherwise set the root's.
    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        if let name = arguments.first, let subcommand = subcommandsByName[name] {
            parseAndRun(subcommand, arguments: Array(arguments.dropFirst()))
        } else {
            parseAndRun(PymafVideo.self, arguments: arguments)
        }
    }

    private static func parseAndRun(_ command: ParsableCommand.Type, arguments: [String]) {
        do {
            var parsed = try command.parseAsRoot(arguments)
            try parsed.run()
        } catch {
            let code = command.exitCode(for: error)
            if code == .success || code.rawValue == 130 { command.exit(withError: error) }
            let message = command.fullMessage(for: error)
            if !message.isEmpty { note(message) }
            Foundation.exit(code == .validationFailure ? ExitStatus.badArguments.rawValue : code.rawValue)
        }
    }
}

/// Ctrl-C: the first asks the run to stop and finish its files; a second one exits at once.
final class InterruptHandler: @unchecked Sendable {
    private let source: DispatchSourceSignal
    private let lock = NSLock()
    private var count = 0

    init(stop: @escaping @Sendable () -> Void) {
        signal(SIGINT, SIG_IGN)
        source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.setEventHandler { [unowned self] in
            let seen = self.lock.withLock { () -> Int in
                self.count += 1
                return self.count
            }
            if seen == 1 {
                PymafVideo.note("\npymaf-video: stopping after the frames in flight (Ctrl-C again to quit at once)")
                stop()
            } else {
                _exit(ExitStatus.interrupted.rawValue)
            }
        }
        source.resume()
    }

    func cancel() {
        source.cancel()
        signal(SIGINT, SIG_DFL)
    }
}
