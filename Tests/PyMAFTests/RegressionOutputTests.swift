import Testing
@testable import PyMAF

@Suite struct RegressionOutputTests {
    @Test func holdsBatch() {
        let out = RegressionOutput(
            count: 1, vertexCount: 2, theta: .init(repeating: 0, count: 85), rotations: .init(repeating: 0, count: 216),
            vertices: .init(repeating: 0, count: 6), joints: .init(repeating: 0, count: 147), predCam: [1, 0, 0],
            thetaIterations: .init(repeating: 0, count: 340))
        #expect(out.thetaIterations.count == 4 * out.count * 85)
    }
}
