import Foundation

/// Where the embedded default's files are.
public struct DemoAssetPaths: Sendable, Equatable {
    /// The folder holding them (`data/demo`).
    public var directory: URL
    /// Untrained PyMAF checkpoint (PyTorch zip format, real architecture, demo body's SMPL buffers).
    public var checkpoint: URL
    /// The procedural body model as NumPy arrays (smplx buffer names and layouts).
    public var bodyModel: URL
    /// Synthetic sample clip of the humanoid walking and turning.
    public var sampleClip: URL
}

/// The embedded default: everything `make demo` needs when the user has no PyMAF files.
///
/// ```swift
/// let paths = try DemoAssets.prepare(in: URL(fileURLWithPath: "data/demo"))
/// // run the pipeline on paths.sampleClip with paths.checkpoint
/// ```
///
/// The weights are untrained: the network predicts the mean pose wherever the person is. The
/// files are deterministic (seeded), so a regenerated folder holds the same tensors.
public enum DemoAssets {
    /// Seed of the checkpoint's random weights.
    public static let seed: UInt64 = 20_211_010

    /// Creates whatever is missing under `directory` and returns the paths. Existing files are
    /// kept. Each file is written under a temporary name and renamed when complete.
    ///
    /// - Throws: `DemoAssetsError` naming the file that could not be written and why.
    /// - Complexity: a few seconds when everything is missing (mostly the 180 MB checkpoint).
    public static func prepare(in directory: URL) throws(DemoAssetsError) -> DemoAssetPaths {
        let paths = DemoAssetPaths(
            directory: directory,
            checkpoint: directory.appendingPathComponent(DemoAssetNames.checkpoint),
            bodyModel: directory.appendingPathComponent(DemoAssetNames.bodyModel),
            sampleClip: directory.appendingPathComponent(DemoAssetNames.sampleClip))
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw .cannotWrite(directory, reason: error.localizedDescription)
        }
        let exists = { (url: URL) in FileManager.default.fileExists(atPath: url.path) }
        if exists(paths.checkpoint) && exists(paths.bodyModel) && exists(paths.sampleClip) { return paths }
        let body = ProceduralHumanoid(detail: .demo)
        if !exists(paths.bodyModel) { try attempt(paths.bodyModel) { try body.writeNPZ(to: paths.bodyModel) } }
        if !exists(paths.checkpoint) { try attempt(paths.checkpoint) { try DemoCheckpoint.write(body: body, seed: seed, to: paths.checkpoint) } }
        if !exists(paths.sampleClip) { try attempt(paths.sampleClip) { try DemoClip.write(body: body, to: paths.sampleClip) } }
        return paths
    }

    static func attempt(_ url: URL, _ work: () throws -> Void) throws(DemoAssetsError) {
        do {
            try work()
        } catch {
            throw .cannotWrite(url, reason: String(describing: error))
        }
    }
}

/// Why the demo assets could not be prepared.
public enum DemoAssetsError: Error, Equatable, CustomStringConvertible {
    /// A file or folder could not be written.
    case cannotWrite(URL, reason: String)

    public var description: String {
        switch self {
        case let .cannotWrite(url, reason):
            "demo assets: cannot write \(url.path): \(reason). Check that the folder is writable and has about 200 MB free."
        }
    }
}
