import Testing
@testable import BodyModel

@Suite struct PersonFrameTests {
    @Test func keepsFields() {
        let frame = PersonFrame(
            trackID: 1, frameIndex: 7, time: 0.25, box: [10, 20, 30, 30], predCam: [1, 0, 0], origCam: [0.1, 0.2, 0, 0],
            betas: [Float](repeating: 0, count: 10), rotations: [Float](repeating: 0, count: 216),
            pose: [Float](repeating: 0, count: 72), vertices: [], joints: [Float](repeating: 0, count: 147))
        #expect(frame.frameIndex == 7 && frame.trackID == 1)
        #expect(frame.rotations.count == 24 * 9)
    }
}
