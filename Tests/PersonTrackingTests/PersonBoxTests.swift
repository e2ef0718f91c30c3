import Testing
@testable import PersonTracking

@Suite struct PersonBoxTests {
    @Test func squareUsesLongSideTimesScale() {
        let box = PersonBox(centerX: 100, centerY: 50, width: 40, height: 80).squared(scale: 1.5)
        #expect(box.width == 120 && box.height == 120)
        #expect(box.centerX == 100 && box.centerY == 50)
    }
}
