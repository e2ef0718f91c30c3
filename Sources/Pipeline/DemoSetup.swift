import DemoAssets
import Foundation

/// What `make demo` runs: the whole pipeline on the embedded sample clip, with PyMAF's real
/// checkpoint when the user has put it under `data/`, and otherwise with the generated demo
/// assets (untrained weights, procedural body).
public enum DemoSetup {
    /// The configuration for the demo run and whether it uses the untrained demo weights.
    ///
    /// - Parameters:
    ///   - dataDirectory: PyMAF's `data/` folder; generated assets go to `data/demo/`.
    ///   - outputFolder: Where results go.
    /// - Throws: `RunError.outputNotWritable` when the demo assets cannot be generated.
    public static func configuration(dataDirectory: URL, outputFolder: URL) throws(RunError) -> (RunConfiguration, demoWeights: Bool) {
        let assets: DemoAssetPaths
        let demoFolder = dataDirectory.appendingPathComponent("demo", isDirectory: true)
        do {
            assets = try DemoAssets.prepare(in: demoFolder)
        } catch {
            throw .outputNotWritable(path: demoFolder.path, reason: "cannot generate the demo assets: \(error)")
        }
        var configuration = RunConfiguration(input: .video(assets.sampleClip))
        configuration.dataDirectory = dataDirectory
        configuration.outputFolder = outputFolder
        configuration.detectorModel = dataDirectory.appendingPathComponent("models/pose_detection.tflite")
        let real = dataDirectory.appendingPathComponent("pretrained_model/PyMAF_model_checkpoint.pt")
        let haveReal = FileManager.default.fileExists(atPath: real.path)
            && FileManager.default.fileExists(atPath: dataDirectory.appendingPathComponent("smpl/SMPL_NEUTRAL.pkl").path)
        configuration.checkpoint = haveReal ? real : assets.checkpoint
        configuration.smoothing = .standard
        configuration.exportFormats = [.glb]
        configuration.mattes = true
        return (configuration, !haveReal)
    }
}
