import Testing
@testable import Tensor

@Suite struct TensorValueTests {
    @Test func zeroFilledWithShapeCount() {
        let t = Tensor(shape: [2, 3, 4])
        #expect(t.count == 24)
        #expect(t.data.allSatisfy { $0 == 0 })
    }

    @Test func reshapeKeepsElements() {
        let t = Tensor(shape: [2, 3], data: [1, 2, 3, 4, 5, 6]).reshaped([3, 2])
        #expect(t.shape == [3, 2])
        #expect(t.data == [1, 2, 3, 4, 5, 6])
    }
}
