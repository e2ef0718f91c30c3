import BodyModel
import Foundation
import Render
import VideoIO

/// The synthetic sample clip: the procedural humanoid walking in place while it drifts across the
/// frame and turns away and back, rendered by `Render` over a plain background and encoded by
/// `VideoIO`. 4 s at 25 fps, 640×480.
public enum DemoClip {
    public static let width = 640
    public static let height = 480
    public static let frameRate = 25.0
    public static let frameCount = 100
    /// The plain background colour.
    public static let background = SIMD3<UInt8>(208, 208, 200)

    /// Joint rotations of frame `index`, (24, 3, 3) row-major, camera frame (the root includes
    /// the x half-turn).
    public static func rotations(frame index: Int) -> [Float] {
        let t = Float(index) / Float(frameRate)
        let stride = 2 * Float.pi * t  // one stride cycle per second
        let degrees = Float.pi / 180
        var r = DemoMeanParameters.rotations
        func set(_ joint: Int, _ m: [Float]) { for k in 0..<9 { r[9 * joint + k] = m[k] } }
        let yaw = 70 * degrees * sin(2 * Float.pi * t / 4)
        set(0, multiply([1, 0, 0, 0, -1, 0, 0, 0, -1], DemoMeanParameters.rotationY(yaw)))
        let hip = 25 * degrees * sin(stride)
        set(1, DemoMeanParameters.rotationX(-hip))
        set(2, DemoMeanParameters.rotationX(hip))
        set(4, DemoMeanParameters.rotationX((8 + 40 * max(0, sin(stride + 1.2))) * degrees))
        set(5, DemoMeanParameters.rotationX((8 + 40 * max(0, sin(stride + 1.2 + .pi))) * degrees))
        set(16, multiply(DemoMeanParameters.rotationX(hip), DemoMeanParameters.rotationZ(-65 * degrees)))
        set(17, multiply(DemoMeanParameters.rotationX(-hip), DemoMeanParameters.rotationZ(65 * degrees)))
        set(18, DemoMeanParameters.rotationY((-15 - 10 * max(0, sin(stride))) * degrees))
        set(19, DemoMeanParameters.rotationY((15 + 10 * max(0, -sin(stride))) * degrees))
        set(3, DemoMeanParameters.rotationY(-6 * degrees * sin(stride)))
        return r
    }

    /// The full-image camera of frame `index`: the body about 70% of the frame height, drifting
    /// sideways and bobbing with the stride. `centre` is the rest body's vertical centre.
    static func camera(frame index: Int, centre: Float) -> SIMD4<Float> {
        let t = Float(index) / Float(frameRate)
        let sy: Float = 0.8
        let sx = sy * Float(height) / Float(width)
        let tx = 0.45 * sin(2 * Float.pi * t / 4 + 0.6)
        let ty = -centre + 0.015 * cos(4 * Float.pi * t)
        return SIMD4(sx, sy, tx, ty)
    }

    /// Renders and encodes the clip to `url` (temporary name, renamed when complete).
    public static func write(body: ProceduralHumanoid, to url: URL) throws {
        let model = try body.bodyModel()
        let rasterizer = try MeshRasterizer(faces: body.faces, vertexCount: body.vertexCount)
        let albedo = MeshAlbedo.perVertex(body.clothingAlbedo)
        let betas = [Float](repeating: 0, count: 10)
        let rest = model.forward(betas: betas, rotations: rotations(frame: 0)).vertices
        let ys = stride(from: 1, to: rest.count, by: 3).map { rest[$0] }
        let centre = (ys.min()! + ys.max()!) / 2
        let encoder = try VideoEncoder(url: url, width: width, height: height, frameRate: frameRate)
        let plain = RGBImage(width: width, height: height, fill: background)
        for index in 0..<frameCount {
            let vertices = model.forward(betas: betas, rotations: rotations(frame: index)).vertices
            var targets = [plain]
            try rasterizer.draw([MeshInstance(vertices: vertices, camera: camera(frame: index, centre: centre), albedo: albedo)],
                                width: width, height: height, onto: &targets)
            try encoder.append(VideoFrame(index: index, time: Double(index) / frameRate, width: width, height: height, rgb: targets[0].rgb))
        }
        try encoder.finish()
    }

    static func multiply(_ a: [Float], _ b: [Float]) -> [Float] {
        var c = [Float](repeating: 0, count: 9)
        for i in 0..<3 {
            for j in 0..<3 {
                var sum: Float = 0
                for k in 0..<3 { sum += a[3 * i + k] * b[3 * k + j] }
                c[3 * i + j] = sum
            }
        }
        return c
    }
}
