import Testing
@testable import BodyModel

/// Camera maths against PyMAF's formulas (torch float32 for the projection, float64 numpy for
/// `orig_cam`). Tolerance 1e-4·(1 + |ref|).
@Suite struct WeakPerspectiveCameraTests {
    let fixture = BodyModelFixture.shared

    @Test func projectionMatchesPyMAF() {
        let joints = fixture.floats("joints49"), cams = fixture.floats("cams"), reference = fixture.floats("projected")
        for n in 0..<fixture.int("count") {
            let uv = WeakPerspectiveCamera.project(
                points: Array(joints[n * 147..<(n + 1) * 147]), camera: SIMD3(cams[3 * n], cams[3 * n + 1], cams[3 * n + 2]))
            #expect(maxScaledError(uv, Array(reference[n * 98..<(n + 1) * 98])) <= 1e-4)
        }
    }

    @Test func origCamMatchesPyMAF() {
        let cams = fixture.floats("cams"), boxes = fixture.floats("boxes"), reference = fixture.floats("orig_cam")
        let size = fixture.ints("image_size")
        for n in 0..<fixture.int("count") {
            let cam = SIMD3(cams[3 * n], cams[3 * n + 1], cams[3 * n + 2])
            let box = SIMD4(boxes[4 * n], boxes[4 * n + 1], boxes[4 * n + 2], boxes[4 * n + 3])
            let orig = WeakPerspectiveCamera.origCam(predCam: cam, box: box, imageWidth: size[0], imageHeight: size[1])
            #expect(maxScaledError([orig[0], orig[1], orig[2], orig[3]], Array(reference[4 * n..<4 * n + 4])) <= 1e-4)
        }
    }

    /// A point on the optical axis at the camera's own depth lands at the crop centre shifted by t.
    @Test func translationDepthFollowsScale() {
        let t = WeakPerspectiveCamera.translation(camera: SIMD3(1, 0.1, -0.2))
        #expect(abs(t.z - 2 * 5000 / 224) < 1e-3 && t.x == 0.1 && t.y == -0.2)
    }
}
