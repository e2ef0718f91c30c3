import Testing
@testable import ModelIO

@Suite struct ScalarTypeTests {
    @Test func byteWidths() {
        #expect(ScalarType.float32.byteWidth == 4)
        #expect(ScalarType.bfloat16.byteWidth == 2)
        #expect(ScalarType.int64.byteWidth == 8)
        #expect(ScalarType.bool.byteWidth == 1)
    }
}
