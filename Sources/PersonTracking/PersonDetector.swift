import Foundation
import ModelIO
import Tensor
import VideoIO

/// The MediaPipe BlazePose person detector (`pose_detection.tflite`), run by our own engine.
///
/// Loads the TFLite file once (sparse fp16 weights densified and dequantized at load), then for
/// each call samples a square region of the frame onto the 224×224 input (bilinear, black
/// outside the frame, `pixel/127.5 − 1`), runs the graph on one thread, decodes the 2254
/// anchors and merges overlapping boxes by weighted NMS.
///
///     let detector = try PersonDetector(modelURL: url)
///     for person in detector.detect(frame) { print(person.score, person.bodyBox()) }
///
/// Not thread-safe: it reuses its activation buffers. Use one detector per thread.
public final class PersonDetector {
    /// Where `make models` puts the model, relative to the repository root.
    public static let defaultModelPath = "data/models/pose_detection.tflite"
    /// Body box side = `2·|kp1 − kp0|·factor` (see ``PersonDetection/bodyBox(factor:)``).
    public static let defaultBodyBoxFactor: Float = 0.9

    /// Minimum sigmoid score of a detection (MediaPipe's `min_detection_confidence`, 0.5).
    public var scoreThreshold: Float {
        get { decoder.scoreThreshold }
        set { decoder.scoreThreshold = newValue }
    }

    /// The model's input side in pixels (224).
    public let inputSize: Int
    private let graph: DetectorGraph
    private var decoder: DetectionDecoder
    private var arena: [Float]
    private var scratch: [Float] = []
    private let regressorOutput: Int
    private let logitOutput: Int

    /// Loads the detector.
    /// - Throws: `PersonTrackingError.detectorModelMissing` when the file is absent,
    ///   `TFLiteError` when it is corrupt, `PersonTrackingError.unsupportedDetectorGraph` when
    ///   it is not a graph this engine runs.
    public init(modelURL: URL, scoreThreshold: Float = 0.5) throws {
        guard FileManager.default.fileExists(atPath: modelURL.path) else {
            throw PersonTrackingError.detectorModelMissing(path: modelURL.path)
        }
        let model = try TFLiteModel(contentsOf: modelURL)
        graph = try DetectorGraph(model: model)
        guard graph.inputShape.h == graph.inputShape.w else {
            throw PersonTrackingError.unsupportedDetectorGraph(path: modelURL.path, reason: "input \(graph.inputShape) is not square")
        }
        inputSize = graph.inputShape.h
        decoder = DetectionDecoder(inputSize: inputSize, scoreThreshold: scoreThreshold)
        let anchors = decoder.anchors.count
        guard graph.outputs.count == 2,
              let regressors = graph.outputs.firstIndex(where: { $0.shape == [1, anchors, DetectionDecoder.valuesPerAnchor] }),
              let logits = graph.outputs.firstIndex(where: { $0.shape == [1, anchors, 1] }) else {
            throw PersonTrackingError.unsupportedDetectorGraph(
                path: modelURL.path, reason: "outputs \(graph.outputs.map(\.shape)), expected [1, \(anchors), 12] and [1, \(anchors), 1]")
        }
        regressorOutput = regressors
        logitOutput = logits
        arena = [Float](repeating: 0, count: graph.arenaSize)
    }

    /// People in the whole frame (letterboxed onto the input), highest score first.
    public func detect(_ frame: VideoFrame) -> [PersonDetection] {
        detect(frame, in: .letterbox(width: frame.width, height: frame.height))
    }

    /// People inside a square region of the frame, sampled at the detector's resolution;
    /// coordinates are frame pixels.
    public func detect(_ frame: VideoFrame, in region: DetectionRegion) -> [PersonDetection] {
        guard region.side.isFinite, region.side >= 1, region.originX.isFinite, region.originY.isFinite else { return [] }
        runNetwork(frame, region: region)
        let o = arena.withUnsafeBufferPointer { a in
            decoder.decode(regressors: UnsafeBufferPointer(rebasing: a[graph.outputs[regressorOutput].offset...]),
                           logits: UnsafeBufferPointer(rebasing: a[graph.outputs[logitOutput].offset...]))
        }
        return o.map { $0.mapped(from: region) }
    }

    /// The raw network outputs for a region: regressors `(2254, 12)` and logits `(2254)`.
    func rawOutputs(_ frame: VideoFrame, in region: DetectionRegion) -> (regressors: [Float], logits: [Float]) {
        runNetwork(frame, region: region)
        let anchors = decoder.anchors.count
        let r = graph.outputs[regressorOutput].offset, l = graph.outputs[logitOutput].offset
        return (Array(arena[r..<(r + anchors * DetectionDecoder.valuesPerAnchor)]), Array(arena[l..<(l + anchors)]))
    }

    /// The network input for a region: `(224, 224, 3)` NHWC in [−1, 1] (what another runtime
    /// needs to run the same model on the same pixels).
    public func inputTensor(_ frame: VideoFrame, in region: DetectionRegion) -> [Float] {
        fillInput(frame, region: region)
        return Array(arena[graph.inputOffset..<(graph.inputOffset + graph.inputShape.count)])
    }

    private func runNetwork(_ frame: VideoFrame, region: DetectionRegion) {
        fillInput(frame, region: region)
        graph.run(arena: &arena, scratch: &scratch)
    }

    /// Samples the region onto the input: output pixel (x, y) reads the frame at
    /// `originX + (x + 0.5)·side/224 − 0.5` (same for y), bilinear over pixel centres, with
    /// pixels outside the frame black (0 → −1).
    private func fillInput(_ frame: VideoFrame, region: DetectionRegion) {
        let size = inputSize
        let scale = region.side / Float(size)
        let width = frame.width, height = frame.height
        // Per output column: the left source column and its weight (clamped so a region far
        // outside the frame stays a finite, convertible coordinate).
        let columns = (0..<size).map { ox -> (Int, Float) in
            let sx = min(max(region.originX + (Float(ox) + 0.5) * scale - 0.5, -2), Float(width) + 1)
            let fx = sx.rounded(.down)
            return (Int(fx), sx - fx)
        }
        frame.rgb.withUnsafeBufferPointer { rgb in
            arena.withUnsafeMutableBufferPointer { a in
                let out = a.baseAddress! + graph.inputOffset  // (224, 224, 3)
                let zero: (Float, Float, Float) = (0, 0, 0)
                func pixel(_ x: Int, _ y: Int) -> (Float, Float, Float) {
                    guard x >= 0, x < width, y >= 0, y < height else { return zero }
                    let p = (y * width + x) * 3
                    return (Float(rgb[p]), Float(rgb[p + 1]), Float(rgb[p + 2]))
                }
                for oy in 0..<size {
                    let sy = min(max(region.originY + (Float(oy) + 0.5) * scale - 0.5, -2), Float(height) + 1)
                    let fy = sy.rounded(.down), y0 = Int(fy), wy = sy - fy
                    for ox in 0..<size {
                        let (x0, wx) = columns[ox]
                        let p00 = pixel(x0, y0), p01 = pixel(x0 + 1, y0), p10 = pixel(x0, y0 + 1), p11 = pixel(x0 + 1, y0 + 1)
                        let o = out + (oy * size + ox) * 3
                        let top0 = p00.0 * (1 - wx) + p01.0 * wx, bottom0 = p10.0 * (1 - wx) + p11.0 * wx
                        let top1 = p00.1 * (1 - wx) + p01.1 * wx, bottom1 = p10.1 * (1 - wx) + p11.1 * wx
                        let top2 = p00.2 * (1 - wx) + p01.2 * wx, bottom2 = p10.2 * (1 - wx) + p11.2 * wx
                        o[0] = (top0 * (1 - wy) + bottom0 * wy) / 127.5 - 1
                        o[1] = (top1 * (1 - wy) + bottom1 * wy) / 127.5 - 1
                        o[2] = (top2 * (1 - wy) + bottom2 * wy) / 127.5 - 1
                    }
                }
            }
        }
    }
}

@available(*, unavailable)
extension PersonDetector: Sendable {}
