import DemoAssets
import Dispatch
import Foundation
import Render

/// `pymaf-bench render`: overlay rendering at 1080p with an SMPL-sized mesh (the procedural body
/// at 6960 vertices / 13824 faces, close to SMPL's 6890 / 13776), the person 80% of the frame
/// height. Prints the median thread-CPU and wall ms/frame of 15 frames after 3 warm-ups, single thread.
extension BenchmarkSuite {
    static var render: BenchmarkSuite {
        BenchmarkSuite(name: "render", summary: "overlay render + mattes, 1080p, SMPL-sized mesh (ms/frame, 1 thread)") {
        let body = ProceduralHumanoid(detail: .smplSized)
        var vertices = body.vTemplate  // rest pose turned into the camera frame (y down, z away)
        for i in 0..<body.vertexCount {
            vertices[3 * i + 1] = -vertices[3 * i + 1]
            vertices[3 * i + 2] = -vertices[3 * i + 2]
        }
        let frame = RGBImage(width: 1920, height: 1080, fill: SIMD3(90, 110, 130))
        // The body is ~1.75 m tall: sy = 0.8·2/1.75 puts it at 80% of the height.
        let sy: Float = 0.8 * 2 / 1.75
        let person = MeshInstance(vertices: vertices, camera: SIMD4(sy * 1080 / 1920, sy, 0, 0.3), id: 0)
        var second = person
        second.camera = SIMD4(sy * 0.8 * 1080 / 1920, sy * 0.8, 0.5, 0.3)
        second.id = 1
        print("   mesh: \(body.vertexCount) vertices, \(body.faceCount) faces; frame 1920x1080")

        /// Median wall and thread-CPU milliseconds of 15 runs after 3 warm-ups (CPU time is the
        /// figure to trust on a busy machine).
        func median(_ label: String, _ work: () throws -> Void) rethrows {
            for _ in 0..<3 { try work() }
            var wall: [Double] = [], cpu: [Double] = []
            for _ in 0..<15 {
                var c0 = timespec(), c1 = timespec()
                clock_gettime(CLOCK_THREAD_CPUTIME_ID, &c0)
                let start = DispatchTime.now().uptimeNanoseconds
                try work()
                wall.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
                clock_gettime(CLOCK_THREAD_CPUTIME_ID, &c1)
                cpu.append(Double(c1.tv_sec - c0.tv_sec) * 1e3 + Double(c1.tv_nsec - c0.tv_nsec) / 1e6)
            }
            wall.sort()
            cpu.sort()
            print("   \(label): \(String(format: "%.2f", cpu[7])) ms/frame CPU, \(String(format: "%.2f", wall[7])) ms wall")
        }

        for samples in [2, 3, 4] {
            let renderer = try OverlayRenderer(faces: body.faces, vertexCount: body.vertexCount,
                                               options: RasterOptions(samplesPerAxis: samples))
            try median("overlay, 1 person, \(samples)x\(samples) samples") { _ = try renderer.render(frame, meshes: [person]) }
        }
        let renderer = try OverlayRenderer(faces: body.faces, vertexCount: body.vertexCount)
        try median("overlay + mattes, 1 person, 3x3") { _ = try renderer.render(frame, meshes: [person], mattes: true) }
        try median("overlay + mattes, 2 people, 3x3") { _ = try renderer.render(frame, meshes: [person, second], mattes: true) }
        let panels = try OverlayRenderer(faces: body.faces, vertexCount: body.vertexCount,
                                         settings: RenderSettings(sideView: true, emptyBackground: true, withRaw: true))
        try median("raw + overlay + empty_bg + sideview, 1 person, 3x3") { _ = try panels.render(frame, meshes: [person]) }
        let copyOnly = try OverlayRenderer(faces: body.faces, vertexCount: body.vertexCount)
        try median("no person (frame copy only)") { _ = try copyOnly.render(frame, meshes: []) }
    }
    }
}
