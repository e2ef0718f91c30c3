import Foundation

/// Biovision BVH: the SMPL skeleton's motion in centimetres, Y-up.
///
/// Root channels `Xposition Yposition Zposition Zrotation Xrotation Yrotation`, other joints
/// `Zrotation Xrotation Yrotation` (R = Rz·Rx·Ry, degrees, each angle unwrapped to within 180°
/// of the previous frame). ROOT OFFSET is 0 and the position channels hold the absolute pelvis
/// position; joint OFFSETs are rest offsets from the parent (the person's shape). Joints are
/// declared and written depth-first. One motion line per video frame (`Frame Time` = 1/fps);
/// frames missing from the track repeat the previous line.
final class BVHWriter: TrackFormatWriter {
    static let centimetresPerMetre = 100.0

    private let url: URL
    private let motion: SpoolFile
    private let fps: Double
    private let parents: [Int]
    private let depthFirst: [Int]
    private var lineCount = 0
    private var lastFrame: (index: Int, line: [UInt8])?
    private var previousAngles: [SIMD3<Double>]?

    init(url: URL, spoolURL: URL, fps: Double, parents: [Int]) throws {
        self.url = url
        self.fps = fps
        self.parents = parents
        depthFirst = Self.depthFirstOrder(parents: parents)
        motion = try SpoolFile(url: spoolURL)
    }

    static func depthFirstOrder(parents: [Int]) -> [Int] {
        var order: [Int] = []
        func visit(_ j: Int) {
            order.append(j)
            for child in parents.indices where parents[child] == j { visit(child) }
        }
        for root in parents.indices where parents[root] < 0 { visit(root) }
        return order
    }

    func append(_ frame: ExportFrame) throws {
        if let last = lastFrame {
            for _ in 0..<max(0, frame.frameIndex - last.index - 1) {
                try motion.append(last.line)
                lineCount += 1
            }
        }
        var angles = [SIMD3<Double>](repeating: .zero, count: parents.count)
        for j in parents.indices {
            var e = RotationMath.eulerZXYDegrees(RotationMath.matrix(xyzw: frame.pose.rotation(j)))
            if let previous = previousAngles?[j] {
                for k in 0..<3 { e[k] = RotationMath.unwrapDegrees(e[k], near: previous[k]) }
            }
            angles[j] = e
        }
        previousAngles = angles
        var text = TextBuffer(reservingCapacity: 1024)
        let p = frame.pose.rootPosition * Self.centimetresPerMetre
        for (k, value) in [p.x, p.y, p.z].enumerated() {
            if k > 0 { text.append(byte: 32) }
            text.append(value, decimals: 6)
        }
        for j in depthFirst {
            for k in 0..<3 {
                text.append(byte: 32)
                text.append(angles[j][k], decimals: 6)
            }
        }
        text.append(byte: 10)
        try motion.append(text.bytes)
        lineCount += 1
        lastFrame = (frame.frameIndex, text.bytes)
    }

    func finish(rig: ExportRig) throws -> [URL] {
        var text = TextBuffer()
        text.append("HIERARCHY\n")
        func offset(_ j: Int) -> SIMD3<Double> {
            parents[j] < 0 ? .zero : rig.localOffset(j) * Self.centimetresPerMetre
        }
        func declare(_ j: Int, depth: Int) {
            let indent = String(repeating: "  ", count: depth)
            text.append(indent + (parents[j] < 0 ? "ROOT " : "JOINT ") + rig.jointNames[j] + "\n" + indent + "{\n")
            let o = offset(j)
            text.append(indent + "  OFFSET ")
            text.append(o.x, decimals: 6)
            text.append(" ")
            text.append(o.y, decimals: 6)
            text.append(" ")
            text.append(o.z, decimals: 6)
            text.append("\n")
            text.append(indent + (parents[j] < 0
                ? "  CHANNELS 6 Xposition Yposition Zposition Zrotation Xrotation Yrotation\n"
                : "  CHANNELS 3 Zrotation Xrotation Yrotation\n"))
            let children = parents.indices.filter { parents[$0] == j }
            for child in children { declare(child, depth: depth + 1) }
            if children.isEmpty {
                // End site: the joint's own rest offset direction, 10 % of its bone (1 cm if none).
                let bone = offset(j)
                let length = (bone * bone).sum().squareRoot()
                let tip = length > 0 ? bone * 0.1 : SIMD3(0, 1, 0)
                text.append(indent + "  End Site\n" + indent + "  {\n" + indent + "    OFFSET ")
                text.append(tip.x, decimals: 6)
                text.append(" ")
                text.append(tip.y, decimals: 6)
                text.append(" ")
                text.append(tip.z, decimals: 6)
                text.append("\n" + indent + "  }\n")
            }
            text.append(indent + "}\n")
        }
        for root in parents.indices where parents[root] < 0 { declare(root, depth: 0) }
        text.append("MOTION\nFrames: \(lineCount)\nFrame Time: ")
        text.append(1 / fps, decimals: 8)
        text.append("\n")
        let file = try AtomicFile(url: url)
        do {
            try file.write(text.data)
            try file.append(contentsOf: motion)
            try file.commit()
        } catch {
            file.discard()
            throw error
        }
        motion.remove()
        return [url]
    }

    func discard() { motion.remove() }
}
