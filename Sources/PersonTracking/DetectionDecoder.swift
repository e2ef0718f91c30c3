import Foundation

/// Turns the detector's raw outputs into detections, as MediaPipe's BlazePose graph does:
/// SSD anchors, sigmoid scores with clamping, box/keypoint decoding, weighted NMS.
///
/// Reproduces `SsdAnchorsCalculator` (5 layers, strides 8, 16, 32, 32, 32, two anchors per
/// layer, fixed size, layers of equal stride merged: 28²·2 + 14²·2 + 7²·6 = 2254),
/// `TensorsToDetectionsCalculator` (12 values per anchor: x, y, w, h then 4 keypoints, all
/// divided by 224 and offset by the anchor centre; score = sigmoid(clamp(logit, ±100))) and
/// `NonMaxSuppressionCalculator` (weighted, IoU > 0.3).
struct DetectionDecoder {
    static let valuesPerAnchor = 12
    static let keypointCount = 4

    /// Anchor centres in normalized input coordinates, in the model's output order (y, x, anchor).
    let anchors: [SIMD2<Float>]
    let inputSize: Float
    var scoreThreshold: Float
    var nmsThreshold: Float

    init(inputSize: Int, scoreThreshold: Float, nmsThreshold: Float = 0.3) {
        anchors = Self.ssdAnchors(inputSize: inputSize, strides: [8, 16, 32, 32, 32], anchorsPerLayer: 2)
        self.inputSize = Float(inputSize)
        self.scoreThreshold = scoreThreshold
        self.nmsThreshold = nmsThreshold
    }

    /// SSD anchor centres: consecutive layers with one stride share a grid, each adding its anchors per cell.
    static func ssdAnchors(inputSize: Int, strides: [Int], anchorsPerLayer: Int) -> [SIMD2<Float>] {
        var anchors: [SIMD2<Float>] = []
        var layer = 0
        while layer < strides.count {
            var last = layer
            while last + 1 < strides.count && strides[last + 1] == strides[layer] { last += 1 }
            let perCell = anchorsPerLayer * (last - layer + 1)
            let grid = (inputSize + strides[layer] - 1) / strides[layer]
            for y in 0..<grid {
                for x in 0..<grid {
                    let centre = SIMD2<Float>((Float(x) + 0.5) / Float(grid), (Float(y) + 0.5) / Float(grid))
                    anchors += repeatElement(centre, count: perCell)
                }
            }
            layer = last + 1
        }
        return anchors
    }

    /// `sigmoid(clamp(logit, −100, 100))`.
    static func score(logit: Float) -> Float {
        1 / (1 + Foundation.exp(-min(max(logit, -100), 100)))
    }

    /// Detections in normalized region coordinates, after thresholding and weighted NMS,
    /// highest score first.
    /// - Parameters:
    ///   - regressors: `(anchors, 12)`.
    ///   - logits: `(anchors)`.
    func decode(regressors: UnsafeBufferPointer<Float>, logits: UnsafeBufferPointer<Float>) -> [PersonDetection] {
        var candidates: [PersonDetection] = []
        for (i, anchor) in anchors.enumerated() {
            let score = Self.score(logit: logits[i])
            guard score >= scoreThreshold else { continue }
            let r = regressors.baseAddress! + i * Self.valuesPerAnchor
            let cx = r[0] / inputSize + anchor.x, cy = r[1] / inputSize + anchor.y
            let w = r[2] / inputSize, h = r[3] / inputSize
            let keypoints = (0..<Self.keypointCount).map { k in
                SIMD2<Float>(r[4 + 2 * k] / inputSize + anchor.x, r[5 + 2 * k] / inputSize + anchor.y)
            }
            candidates.append(PersonDetection(score: score, box: DetectionRect(xMin: cx - w / 2, yMin: cy - h / 2, width: w, height: h),
                                              keypoints: keypoints))
        }
        return weightedNonMaxSuppression(candidates)
    }

    /// Groups detections overlapping the best remaining one by IoU > `nmsThreshold` and
    /// replaces each group by its score-weighted mean box and keypoints, keeping the top score.
    func weightedNonMaxSuppression(_ detections: [PersonDetection]) -> [PersonDetection] {
        var remaining = detections.sorted { $0.score > $1.score }
        var result: [PersonDetection] = []
        while let top = remaining.first {
            var group: [PersonDetection] = [top]
            var rest: [PersonDetection] = []
            for other in remaining.dropFirst() {
                if other.box.iou(top.box) > nmsThreshold { group.append(other) } else { rest.append(other) }
            }
            let total = group.reduce(0) { $0 + $1.score }
            var merged = top
            var xMin: Float = 0, yMin: Float = 0, xMax: Float = 0, yMax: Float = 0
            var keypoints = [SIMD2<Float>](repeating: .zero, count: top.keypoints.count)
            for d in group {
                xMin += d.box.xMin * d.score; yMin += d.box.yMin * d.score
                xMax += (d.box.xMin + d.box.width) * d.score; yMax += (d.box.yMin + d.box.height) * d.score
                for k in keypoints.indices { keypoints[k] += d.keypoints[k] * d.score }
            }
            merged.box = DetectionRect(xMin: xMin / total, yMin: yMin / total, width: (xMax - xMin) / total, height: (yMax - yMin) / total)
            merged.keypoints = keypoints.map { $0 / total }
            result.append(merged)
            remaining = rest
        }
        return result
    }
}

extension PersonDetection {
    /// Maps a detection from normalized region coordinates to frame pixels.
    func mapped(from region: DetectionRegion) -> PersonDetection {
        let origin = SIMD2<Float>(region.originX, region.originY)
        return PersonDetection(
            score: score,
            box: DetectionRect(xMin: region.originX + box.xMin * region.side, yMin: region.originY + box.yMin * region.side,
                               width: box.width * region.side, height: box.height * region.side),
            keypoints: keypoints.map { origin + $0 * region.side })
    }
}
