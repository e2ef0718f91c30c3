import Testing
@testable import Pipeline

/// A stage that emits inputs in pairs, holding an odd one back until `finish`.
private struct Pairing: Stage {
    var held: Int?
    mutating func process(_ input: Int) throws -> [[Int]] {
        if let first = held { held = nil; return [[first, input]] }
        held = input
        return []
    }
    mutating func finish() throws -> [[Int]] {
        defer { held = nil }
        return held.map { [[$0]] } ?? []
    }
}

@Suite struct StageTests {
    @Test func stageFlushesOnFinish() throws {
        var stage = Pairing()
        var out: [[Int]] = []
        for i in 1...5 { out += try stage.process(i) }
        out += try stage.finish()
        #expect(out == [[1, 2], [3, 4], [5]])
    }
}
