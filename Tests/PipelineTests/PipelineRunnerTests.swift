import Foundation
import Testing
@testable import Pipeline

/// Doubles every input; remembers how often `finish` ran.
private struct Doubling: Stage {
    var finished: LockedCounter
    mutating func process(_ input: Int) throws -> [Int] { [input * 2] }
    mutating func finish() throws -> [Int] { finished.increment(); return [] }
}

/// Groups inputs in batches of `size`, flushing the rest at the end (like the crop batcher).
private struct Batching: Stage {
    var size: Int
    var held: [Int] = []
    mutating func process(_ input: Int) throws -> [[Int]] {
        held.append(input)
        if held.count < size { return [] }
        defer { held.removeAll() }
        return [held]
    }
    mutating func finish() throws -> [[Int]] {
        defer { held.removeAll() }
        return held.isEmpty ? [] : [held]
    }
}

/// Collects what reaches the end of the chain.
private struct Collecting<T: Sendable>: Stage {
    var sink: Collected<T>
    mutating func process(_ input: T) throws -> [Never] { sink.append(input); return [] }
    mutating func finish() throws -> [Never] { sink.finish(); return [] }
}

private struct Failing: Stage {
    var at: Int
    mutating func process(_ input: Int) throws -> [Int] {
        if input == at { throw RunError.stageFailed(stage: "failing", reason: "input \(input)") }
        return [input]
    }
    mutating func finish() throws -> [Int] { [] }
}

final class Collected<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [T] = []
    private var finishes = 0
    func append(_ item: T) { lock.withLock { items.append(item) } }
    func finish() { lock.withLock { finishes += 1 } }
    var values: [T] { lock.withLock { items } }
    var finishCount: Int { lock.withLock { finishes } }
}

@Suite struct PipelineRunnerTests {
    @Test func preservesOrderAndBatchesAndFinishesEveryStage() throws {
        let runner = PipelineRunner()
        var next = 0
        let numbers = runner.source("numbers", capacity: 2) { () -> Int? in
            defer { next += 1 }
            return next < 1000 ? next : nil
        }
        let finished = LockedCounter()
        let doubled = runner.stage("double", Doubling(finished: finished), input: numbers, capacity: 3)
        let batches = runner.stage("batch", Batching(size: 7), input: doubled, capacity: 1)
        let collected = Collected<[Int]>()
        runner.sink("collect", Collecting(sink: collected), input: batches)
        let timings = try runner.run()

        #expect(collected.values.flatMap { $0 } == (0..<1000).map { $0 * 2 })
        #expect(collected.values.dropLast().allSatisfy { $0.count == 7 })
        #expect(collected.values.last?.count == 1000 % 7)
        #expect(finished.value == 1)
        #expect(collected.finishCount == 1)
        #expect(timings.map(\.name) == ["numbers", "double", "batch", "collect"])
        #expect(timings[0].outputs == 1000)
        #expect(timings[1].inputs == 1000 && timings[1].outputs == 1000)
        #expect(timings[2].outputs == 143)
        // No queue ever held more than its capacity.
        #expect(timings[1].queueHighWaterMark <= 2 && timings[2].queueHighWaterMark <= 3 && timings[3].queueHighWaterMark <= 1)
    }

    /// Each stage runs on its own queue: while the sink is held on its first element, the source
    /// keeps producing into the queue. Were they run one after the other, the source could not
    /// get ahead and the sink's wait would give up.
    @Test func stagesRunConcurrently() throws {
        let runner = PipelineRunner()
        let produced = LockedCounter()
        var next = 0
        let numbers = runner.source("numbers", capacity: 4) { () -> Int? in
            defer { next += 1 }
            guard next < 30 else { return nil }
            produced.increment()
            return next
        }
        let collected = Collected<Int>()
        let sourceRanAhead = LockedCounter()
        runner.sink("collect", WaitingForSource(sink: collected, produced: produced, ranAhead: sourceRanAhead), input: numbers)
        let timings = try runner.run()
        #expect(collected.values == Array(0..<30))
        #expect(sourceRanAhead.value == 1)
        #expect(timings.bottleneck != nil)
    }

    /// A stop request ends the source early; everything already produced still drains and every
    /// stage's `finish` runs.
    @Test func stopDrainsAndFinishes() throws {
        let runner = PipelineRunner()
        var next = 0
        let numbers = runner.source("numbers", capacity: 2) { () -> Int? in
            defer { next += 1 }
            if next == 50 { runner.requestStop() }
            return next
        }
        let finished = LockedCounter()
        let doubled = runner.stage("double", Doubling(finished: finished), input: numbers, capacity: 2)
        let collected = Collected<Int>()
        runner.sink("collect", Collecting(sink: collected), input: doubled)
        _ = try runner.run()
        #expect(runner.wasStopped)
        #expect(collected.values == (0...50).map { $0 * 2 })
        #expect(finished.value == 1)
        #expect(collected.finishCount == 1)
    }

    /// A failing stage stops the source, and the stages after it still finish what they hold.
    @Test func failureStopsUpstreamAndFinishesDownstream() throws {
        let runner = PipelineRunner()
        var next = 0
        let numbers = runner.source("numbers", capacity: 2) { () -> Int? in
            defer { next += 1 }
            return next < 100_000 ? next : nil
        }
        let passed = runner.stage("fail", Failing(at: 20), input: numbers, capacity: 2)
        let collected = Collected<Int>()
        runner.sink("collect", Collecting(sink: collected), input: passed)
        #expect(throws: RunError.stageFailed(stage: "failing", reason: "input 20")) { try runner.run() }
        #expect(collected.values == Array(0..<20))
        #expect(collected.finishCount == 1)
        #expect(next < 100)
    }
}

/// A sink that, on its first element, waits for the source to have produced three more.
private struct WaitingForSource: Stage {
    var sink: Collected<Int>
    var produced: LockedCounter
    var ranAhead: LockedCounter
    mutating func process(_ input: Int) throws -> [Never] {
        if input == 0, waitUntil({ produced.value >= 4 }) { ranAhead.increment() }
        sink.append(input)
        return []
    }
    mutating func finish() throws -> [Never] { [] }
}
