import Foundation
import Testing
@testable import Pipeline

@Suite struct BoundedQueueTests {
    @Test func deliversInOrderThenNilAfterClose() {
        let queue = BoundedQueue<Int>(name: "numbers", capacity: 3)
        for i in 0..<3 { #expect(queue.push(i)) }
        queue.close()
        var out: [Int] = []
        while let i = queue.pop() { out.append(i) }
        #expect(out == [0, 1, 2])
        #expect(queue.pop() == nil)
        #expect(queue.highWaterMark == 3)
    }

    /// A full queue blocks its producer: with a consumer that is never faster than the producer,
    /// the queue never holds more than its capacity and the producer records waiting time.
    @Test func fullQueueBlocksProducer() {
        let queue = BoundedQueue<Int>(name: "numbers", capacity: 2)
        let produced = LockedCounter()
        let done = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            for i in 0..<10 {
                queue.push(i)
                produced.increment()
            }
            queue.close()
            done.signal()
        }
        // The producer can run ahead by at most the capacity while nothing is consumed: wait
        // (without a wall-clock bound on the producer) until it has pushed two, then check that
        // it stays blocked there.
        #expect(waitUntil { produced.value >= 2 })
        Thread.sleep(forTimeInterval: 0.05)
        #expect(produced.value == 2)
        var out: [Int] = []
        while let i = queue.pop() {
            out.append(i)
        }
        done.wait()
        #expect(out == Array(0..<10))
        #expect(queue.highWaterMark == 2)
        #expect(queue.producerWaitSeconds > 0)
    }

    @Test func cancelWakesBlockedProducerAndDropsElements() {
        let queue = BoundedQueue<Int>(name: "numbers", capacity: 1)
        queue.push(1)
        let result = LockedCounter()
        let done = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            if !queue.push(2) { result.increment() }
            done.signal()
        }
        Thread.sleep(forTimeInterval: 0.05)
        queue.cancel()
        done.wait()
        #expect(result.value == 1)
        #expect(queue.pop() == nil)
        #expect(queue.count == 0)
        #expect(!queue.push(3))
    }

    @Test func closeWakesBlockedConsumer() {
        let queue = BoundedQueue<Int>(name: "numbers", capacity: 4)
        let done = DispatchSemaphore(value: 0)
        let got = LockedCounter()
        DispatchQueue.global().async {
            if queue.pop() == nil { got.increment() }
            done.signal()
        }
        Thread.sleep(forTimeInterval: 0.05)
        queue.close()
        done.wait()
        #expect(got.value == 1)
    }
}

/// A counter shared between a test and the threads it starts.
/// Polls `condition` until it holds or `timeout` seconds pass; true when it held.
func waitUntil(timeout: Double = 30, _ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while !condition() {
        if Date() > deadline { return false }
        Thread.sleep(forTimeInterval: 0.001)
    }
    return true
}

final class LockedCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func increment(by n: Int = 1) { lock.withLock { count += n } }
    var value: Int { lock.withLock { count } }
}
