import Testing
@testable import Smoothing

@Suite struct OneEuroFilterTests {
    @Test func firstValuePassesAndConstantStays() {
        var filter = OneEuroFilter(minCutoff: 1, beta: 0.7)
        #expect(filter.filter(5, at: 0) == 5)
        for i in 1...10 { #expect(abs(filter.filter(5, at: Double(i) / 30) - 5) < 1e-12) }
    }

    @Test func stepIsSmoothedTowardTarget() {
        var filter = OneEuroFilter(minCutoff: 1, beta: 0)
        _ = filter.filter(0, at: 0)
        let first = filter.filter(1, at: 1.0 / 30)
        #expect(first > 0 && first < 1)
        var last = first
        for i in 2...300 { last = filter.filter(1, at: Double(i) / 30) }
        #expect(abs(last - 1) < 1e-6)
    }
}
