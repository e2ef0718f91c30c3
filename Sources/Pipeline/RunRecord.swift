import Foundation
import VideoIO

/// The product's version, written into `run.json` and every export that records its tool.
public enum PymafVideoVersion {
    public static let current = "0.1.0"
}

/// `run.json`: what ran, on what, how long each stage took, and how it ended.
///
/// Written to the run folder at the end of every run that got as far as creating it, also when
/// the run was interrupted or failed, so a folder of results always says where it came from.
public struct RunRecord: Codable, Sendable, Equatable {
    /// How the run ended.
    public enum Status: String, Codable, Sendable {
        case completed, interrupted, failed
    }

    /// A file the run read, identified by its digest.
    public struct FileDigest: Codable, Sendable, Equatable {
        public var path: String
        public var bytes: Int
        public var sha256: String

        /// Reads `url` and records its size and SHA-256.
        public init(of url: URL) throws {
            path = url.path
            bytes = (try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? NSNumber)?.intValue ?? 0
            sha256 = try SHA256Digest.hexDigest(ofFileAt: url)
        }
    }

    /// Frame counts.
    public struct Frames: Codable, Sendable, Equatable {
        /// Frames decoded (within `--frames` when given).
        public var decoded = 0
        /// Frames in which at least one person was regressed.
        public var processed = 0
        /// Frames without anyone to regress.
        public var skipped = 0
        /// First and last frame index handled (full-video numbering), when any.
        public var first: Int?
        public var last: Int?

        public init() {}
    }

    /// The input stream as decoded.
    public struct Video: Codable, Sendable, Equatable {
        public var width: Int
        public var height: Int
        public var framesPerSecond: Double
        public var rotation: Int

        public init(width: Int, height: Int, framesPerSecond: Double, rotation: Int) {
            self.width = width
            self.height = height
            self.framesPerSecond = framesPerSecond
            self.rotation = rotation
        }
    }

    public var tool = "pymaf-video"
    public var version = PymafVideoVersion.current
    public var arguments: [String]
    public var status: Status = .completed
    /// The error that ended the run, when it failed.
    public var error: String?
    public var startedAt: Date
    public var finishedAt: Date?
    public var elapsedSeconds: Double = 0
    public var input: FileDigest?
    /// Input files read, when the input is a folder of images (their count, not their digests).
    public var inputImageCount: Int?
    public var checkpoint: FileDigest?
    /// Whether the weights are the untrained demo weights (meshes then show only the mean pose).
    public var demoWeights = false
    /// Where the body model came from (checkpoint buffers or PyMAF's data folder).
    public var bodyModel: String?
    public var video: Video?
    public var frameRange: [Int]?
    public var frames = Frames()
    /// Track ids written.
    public var tracks: [Int] = []
    /// Per-stage timings in pipeline order.
    public var stages: [StageTiming] = []
    /// Settings that shape the results (batch size, smoothing, tracking, render options).
    public var settings: [String: String] = [:]
    /// Files written, relative to the run folder.
    public var outputs: [String] = []
    public var warnings: [String] = []

    public init(arguments: [String], startedAt: Date = Date()) {
        self.arguments = arguments
        self.startedAt = startedAt
    }

    /// Writes the record as pretty-printed JSON to `folder/run.json` (temp name, then rename).
    ///
    /// - Throws: `RunError.outputNotWritable`.
    public func write(toFolder folder: URL) throws(RunError) {
        let url = folder.appendingPathComponent("run.json")
        do {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            encoder.dateEncodingStrategy = .iso8601
            try encoder.encode(self).write(to: url, options: .atomic)
        } catch {
            throw .outputNotWritable(path: url.path, reason: error.localizedDescription)
        }
    }

    /// Reads a `run.json` written by `write(toFolder:)`.
    public static func read(from url: URL) throws -> RunRecord {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(RunRecord.self, from: Data(contentsOf: url))
    }
}
