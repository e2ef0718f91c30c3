import Foundation

/// The back-pressure between two pipeline stages: a first-in first-out queue that holds at most
/// `capacity` elements.
///
/// A full queue blocks its producer in `push` until the consumer takes an element; an empty queue
/// blocks its consumer in `pop` until the producer adds one or closes the queue. Because every edge
/// of the pipeline is one of these, the memory a run holds is bounded by the sum of the capacities
/// (times the size of an element), never by the length of the video, and a slow stage slows the
/// ones before it instead of letting work pile up.
///
/// Two ways to end a queue:
/// - `close()` is the producer's end of stream: the consumer still receives everything queued,
///   then `pop` returns `nil`.
/// - `cancel()` is the consumer's "stop sending": queued elements are dropped, a blocked producer
///   wakes up and `push` returns `false` from then on, so the producer knows to stop.
///
///     let frames = BoundedQueue<VideoFrame>(name: "decoded frames", capacity: 8)
///     // producer (one thread)              // consumer (another thread)
///     frames.push(frame)                    while let frame = frames.pop() { … }
///     frames.close()
///
/// The queue also counts what a benchmark or a test wants to see: the most elements it ever held
/// (`highWaterMark`) and the time its producer spent blocked on a full queue (`producerWaitSeconds`)
/// and its consumer on an empty one (`consumerWaitSeconds`).
///
/// Complexity: `push` and `pop` are amortized O(1).
public final class BoundedQueue<Element: Sendable>: @unchecked Sendable {
    // All stored state below is guarded by `condition`.
    private let condition = NSCondition()
    private var buffer: [Element?]
    private var head = 0
    private var stored = 0
    private var closed = false
    private var cancelled = false
    private var maxStored = 0
    private var producerWait: Double = 0
    private var consumerWait: Double = 0

    /// What the queue carries, for timings and error messages ("decoded frames").
    public let name: String
    /// The most elements the queue holds before `push` blocks.
    public let capacity: Int

    /// Creates an empty, open queue.
    ///
    /// - Parameters:
    ///   - name: What the queue carries, as reported in timings.
    ///   - capacity: The most elements held before a producer blocks; at least 1.
    public init(name: String, capacity: Int) {
        precondition(capacity >= 1, "BoundedQueue \(name): capacity \(capacity) must be at least 1")
        self.name = name
        self.capacity = capacity
        self.buffer = [Element?](repeating: nil, count: capacity)
    }

    /// Appends `element`, blocking while the queue is full.
    ///
    /// - Returns: `true` when the element was queued; `false` when the consumer cancelled the queue
    ///   (the element is dropped and the producer should stop).
    /// - Precondition: the queue is not closed.
    @discardableResult
    public func push(_ element: Element) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        precondition(!closed, "BoundedQueue \(name): push after close")
        if stored == capacity && !cancelled {
            let start = DispatchTime.now().uptimeNanoseconds
            while stored == capacity && !cancelled { condition.wait() }
            producerWait += Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        }
        if cancelled { return false }
        buffer[(head + stored) % capacity] = element
        stored += 1
        maxStored = max(maxStored, stored)
        condition.broadcast()
        return true
    }

    /// Removes and returns the oldest element, blocking while the queue is empty and open.
    ///
    /// - Returns: The next element, or `nil` once the queue is closed and drained, or cancelled.
    public func pop() -> Element? {
        condition.lock()
        defer { condition.unlock() }
        if stored == 0 && !closed && !cancelled {
            let start = DispatchTime.now().uptimeNanoseconds
            while stored == 0 && !closed && !cancelled { condition.wait() }
            consumerWait += Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        }
        if cancelled || stored == 0 { return nil }
        let element = buffer[head]
        buffer[head] = nil
        head = (head + 1) % capacity
        stored -= 1
        condition.broadcast()
        return element
    }

    /// Ends the stream from the producer's side: the consumer drains what is queued, then gets `nil`.
    public func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }

    /// Stops the stream from the consumer's side: queued elements are dropped, blocked callers wake,
    /// later pushes return `false` and later pops return `nil`.
    public func cancel() {
        condition.lock()
        cancelled = true
        for i in buffer.indices { buffer[i] = nil }
        stored = 0
        condition.broadcast()
        condition.unlock()
    }

    /// Number of elements queued now.
    public var count: Int { locked { stored } }
    /// The most elements the queue ever held at once.
    public var highWaterMark: Int { locked { maxStored } }
    /// Seconds the producer spent blocked because the queue was full (back-pressure).
    public var producerWaitSeconds: Double { locked { producerWait } }
    /// Seconds the consumer spent blocked because the queue was empty (starvation).
    public var consumerWaitSeconds: Double { locked { consumerWait } }
    /// Whether the consumer cancelled the queue.
    public var isCancelled: Bool { locked { cancelled } }

    private func locked<T>(_ body: () -> T) -> T {
        condition.lock()
        defer { condition.unlock() }
        return body()
    }
}
