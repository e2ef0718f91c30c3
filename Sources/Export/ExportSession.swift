import BodyModel
import Foundation

/// The video the exports belong to.
public struct ExportVideo: Sendable, Equatable {
    /// Base name of the output files (`NAME_0001.glb`).
    public var name: String
    /// Nominal frame rate (BVH frame time, USD time codes, PC2 sample rate).
    public var fps: Double
    /// Upright frame size in pixels.
    public var width: Int
    public var height: Int

    public init(name: String, fps: Double, width: Int, height: Int) {
        self.name = name
        self.fps = fps
        self.width = width
        self.height = height
    }
}

/// What an `ExportSession` writes besides the chosen formats.
public struct ExportOptions: Sendable, Equatable {
    /// `--export`: per-track animation and geometry files.
    public var formats: [ExportFormat]
    /// `tracks/<id:04d>.npz` (and `output.pkl` with `vibePickle`).
    public var parameterTracks: Bool
    /// `output.pkl` in PyMAF/VIBE layout (with `parameterTracks`).
    public var vibePickle: Bool
    /// Add a Mesh with the exact vertices as `points.timeSamples` to the USDA.
    public var bakeUSDPoints: Bool
    /// The smoothing settings as JSON, stored in every `.npz` (`"null"` when not smoothed).
    public var smoothingDescription: String
    /// Plate camera focal length in pixels; nil = the image diagonal (`PlateCamera`).
    public var focalLength: Double?

    public init(formats: [ExportFormat], parameterTracks: Bool = true, vibePickle: Bool = true, bakeUSDPoints: Bool = false,
                smoothingDescription: String = "null", focalLength: Double? = nil) {
        self.formats = formats
        self.parameterTracks = parameterTracks
        self.vibePickle = vibePickle
        self.bakeUSDPoints = bakeUSDPoints
        self.smoothingDescription = smoothingDescription
        self.focalLength = focalLength
    }
}

/// Every per-person file of one run, written while frames stream in.
///
/// Call `add(_:)` for each `PersonFrame` (any interleaving of tracks; within a track, frame
/// indices and times strictly increase), then `finish()` once. Memory does not grow with the
/// video's length: per-frame data goes to OBJ/PC2 files directly or to spool files in a hidden
/// folder inside the output folder, and the animation files are assembled from the spools at
/// `finish`. Every file is written under a temporary name and renamed when complete; `cancel()`
/// removes the temporary files and keeps only completed ones.
///
///     let session = try ExportSession(outputFolder: out, video: video, options: options, bodyModel: smpl)
///     for frame in frames { try session.add(frame) }
///     let written = try session.finish()
public final class ExportSession {
    public let outputFolder: URL
    public let video: ExportVideo
    public let options: ExportOptions
    let body: ExportBodyModel
    let camera: PlateCamera
    private let spoolFolder: URL
    private let faceLines: [UInt8]
    private var tracks: [Int: TrackExport] = [:]
    private var finished = false

    init(outputFolder: URL, video: ExportVideo, options: ExportOptions, body: ExportBodyModel) throws {
        self.outputFolder = outputFolder
        self.video = video
        self.options = options
        self.body = body
        camera = PlateCamera(imageWidth: video.width, imageHeight: video.height, focalLength: options.focalLength)
        spoolFolder = outputFolder.appendingPathComponent(".export-spool-\(ProcessInfo.processInfo.processIdentifier)")
        faceLines = OBJWriter.faceLines(body.faces)
        do {
            try FileManager.default.createDirectory(at: spoolFolder, withIntermediateDirectories: true)
        } catch {
            throw ExportError.cannotWrite(path: spoolFolder.path, reason: "\(error.localizedDescription)")
        }
    }

    /// Output file for a track: `NAME_<id:04d><suffix>`.
    func trackURL(_ trackID: Int, _ suffix: String) -> URL {
        outputFolder.appendingPathComponent("\(video.name)_\(Self.padded(trackID, 4))\(suffix)")
    }

    static func padded(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    /// Exports one person in one frame.
    public func add(_ frame: PersonFrame) throws {
        guard !finished else { throw ExportError.sessionFinished }
        let track = try tracks[frame.trackID] ?? makeTrack(frame.trackID)
        tracks[frame.trackID] = track
        try track.append(frame)
    }

    private func makeTrack(_ id: Int) throws -> TrackExport {
        guard id >= 0 else { throw ExportError.invalidFrame(trackID: id, frameIndex: -1, reason: "negative track id") }
        let spool = spoolFolder.appendingPathComponent("track\(id)")
        var writers: [TrackFormatWriter] = []
        for format in options.formats {
            switch format {
            case .glb:
                writers.append(try GLBWriter(url: trackURL(id, ".glb"), spoolURL: spool.appendingPathExtension("glb"),
                                             camera: camera, name: "\(video.name)_\(Self.padded(id, 4))", jointCount: body.parents.count))
            case .pc2:
                writers.append(try PC2Writer(url: trackURL(id, ".pc2"), restURL: trackURL(id, "_rest.obj"),
                                             pointCount: body.vertexCount, faceLines: faceLines))
            case .bvh:
                writers.append(try BVHWriter(url: trackURL(id, ".bvh"), spoolURL: spool.appendingPathExtension("bvh"),
                                             fps: video.fps, parents: body.parents))
            case .usda:
                writers.append(try USDAWriter(url: trackURL(id, ".usda"), spoolPrefix: spool.appendingPathExtension("usda"),
                                              camera: camera, fps: video.fps, bakePoints: options.bakeUSDPoints))
            case .obj:
                writers.append(OBJSequenceWriter(folder: outputFolder.appendingPathComponent("meshes/\(Self.padded(id, 4))"),
                                                 faceLines: faceLines))
            }
        }
        let parameters = options.parameterTracks
            ? try ParameterTrackWriter(trackID: id, vertexCount: body.vertexCount, spoolFolder: spoolFolder) : nil
        return TrackExport(id: id, writers: writers, parameters: parameters, camera: camera, body: body)
    }

    /// Completes every file and returns the URLs written (sorted by path).
    @discardableResult
    public func finish() throws -> [URL] {
        guard !finished else { throw ExportError.sessionFinished }
        finished = true
        defer { try? FileManager.default.removeItem(at: spoolFolder) }
        var written: [URL] = []
        let ordered = tracks.keys.sorted().compactMap { tracks[$0] }
        for track in ordered {
            let rig = body.makeRig(track.meanBetas)
            for writer in track.writers { written += try writer.finish(rig: rig) }
            if let parameters = track.parameters {
                let url = outputFolder.appendingPathComponent("tracks/\(Self.padded(track.id, 4)).npz")
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try parameters.writeNPZ(to: url, fps: video.fps, camera: camera, smoothing: options.smoothingDescription)
                written.append(url)
            }
        }
        if options.parameterTracks && options.vibePickle {
            let url = outputFolder.appendingPathComponent("output.pkl")
            try VIBEPickleWriter.write(tracks: ordered.compactMap(\.parameters), to: url)
            written.append(url)
        }
        for track in ordered { track.parameters?.remove() }
        return written.sorted { $0.path < $1.path }
    }

    /// Stops without completing: removes temporary and spool files (completed files stay).
    public func cancel() {
        finished = true
        for track in tracks.values {
            for writer in track.writers { writer.discard() }
            track.parameters?.remove()
        }
        try? FileManager.default.removeItem(at: spoolFolder)
    }
}

/// What the exporters need of the body model: topology, skeleton and the rest rig for a shape.
struct ExportBodyModel {
    var faces: [UInt32]  // (F, 3)
    var vertexCount: Int
    var parents: [Int]
    var makeRig: ([Float]) -> ExportRig  // β (10) → rig
}

/// One track's writers and running state.
final class TrackExport {
    let id: Int
    let writers: [TrackFormatWriter]
    let parameters: ParameterTrackWriter?
    private let camera: PlateCamera
    private let body: ExportBodyModel
    private var last: (frameIndex: Int, time: Double)?
    private var previousRotations: [Float]?
    private var betaSum = [Double](repeating: 0, count: 10)
    private var count = 0

    init(id: Int, writers: [TrackFormatWriter], parameters: ParameterTrackWriter?, camera: PlateCamera, body: ExportBodyModel) {
        self.id = id
        self.writers = writers
        self.parameters = parameters
        self.camera = camera
        self.body = body
    }

    /// The track's mean β: its rig's rest shape (equal to the one shape in per-track mode).
    var meanBetas: [Float] { betaSum.map { Float($0 / Double(max(count, 1))) } }

    func append(_ frame: PersonFrame) throws {
        if let last, frame.frameIndex <= last.frameIndex || frame.time <= last.time {
            throw ExportError.invalidFrame(trackID: id, frameIndex: frame.frameIndex,
                                           reason: "frame index and time must increase along a track (previous: frame \(last.frameIndex) at \(last.time) s)")
        }
        guard frame.betas.count == betaSum.count else {
            throw ExportError.invalidFrame(trackID: id, frameIndex: frame.frameIndex, reason: "betas has \(frame.betas.count) values, expected 10")
        }
        var exported = try ExportFrame(frame, camera: camera, vertexCount: body.vertexCount, jointCount: body.parents.count)
        exported.alignRotations(to: previousRotations)
        previousRotations = exported.pose.rotations
        try parameters?.append(frame, translation: exported.translation)
        for writer in writers { try writer.append(exported) }
        for i in 0..<betaSum.count { betaSum[i] += Double(frame.betas[i]) }
        count += 1
        last = (frame.frameIndex, frame.time)
    }
}

/// OBJ sequences: `meshes/<id:04d>/<frame:06d>.obj`, written as frames arrive.
final class OBJSequenceWriter: TrackFormatWriter {
    let folder: URL
    private let faceLines: [UInt8]
    private var frameCount = 0

    init(folder: URL, faceLines: [UInt8]) {
        self.folder = folder
        self.faceLines = faceLines
    }

    func append(_ frame: ExportFrame) throws {
        let url = folder.appendingPathComponent("\(ExportSession.padded(frame.frameIndex, 6)).obj")
        try OBJWriter.write(vertices: frame.vertices, faceLines: faceLines,
                            header: "# track \(frame.trackID) frame \(frame.frameIndex) t=\(frame.time) s: Y-up, metres\n", to: url)
        frameCount += 1
    }

    /// The folder (files were completed one by one as frames arrived).
    func finish(rig: ExportRig) throws -> [URL] { frameCount > 0 ? [folder] : [] }

    func discard() {}
}
