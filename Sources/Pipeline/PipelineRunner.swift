import Foundation

/// Wires stages together with bounded queues and runs each on its own serial Dispatch queue.
///
/// A run is a chain: one source (a function producing elements until `nil`), any number of
/// `Stage`s, and sinks. Every edge is a `BoundedQueue`, so memory is bounded by the capacities and
/// a slow stage blocks the ones before it (back-pressure). Each node handles its inputs one at a
/// time in arrival order, so order is preserved end to end.
///
///     let runner = PipelineRunner()
///     let frames = runner.source("decode", capacity: 8) { try decoder.nextFrame() }
///     let boxes = runner.stage("track", tracker, input: frames, capacity: 8)
///     runner.sink("export", input: boxes) { try writer.add($0) } finish: { try writer.finish() }
///     let timings = try runner.run()
///
/// Ending a run:
/// - At end of input the source closes its queue; each stage drains it, calls `finish`, and closes
///   its own output, so every writer is finished.
/// - `requestStop()` (Ctrl-C) makes the source stop early and close its queue: the same drain
///   follows, and `wasStopped` is `true`.
/// - When a node throws, the runner keeps the first error, stops the source, cancels the failing
///   node's input (upstream nodes see `push` fail and stop) and closes its output (downstream
///   nodes drain and finish what they already have). `run()` then throws that error.
public final class PipelineRunner: @unchecked Sendable {
    private let lock = NSLock()
    private var nodes: [Node] = []
    private var started = false
    private var stopRequested = false
    private var sourceStoppedEarly = false
    private var failure: Error?
    private var timings: [String: StageTiming] = [:]
    private let label: String

    /// Creates an empty runner; `label` prefixes the Dispatch queue names.
    public init(label: String = "pymaf-video") {
        self.label = label
    }

    /// Whether the source stopped early because of `requestStop()` (a stop requested after the
    /// source ran out changes nothing).
    public var wasStopped: Bool { lock.withLock { sourceStoppedEarly } }

    /// Asks the source to stop producing; what is in flight still drains through every stage.
    /// Safe to call from any thread, any number of times.
    public func requestStop() {
        lock.withLock { stopRequested = true }
    }

    /// Adds the source: `next` is called repeatedly on the source's queue until it returns `nil`,
    /// throws, or a stop is requested.
    ///
    /// - Returns: The queue the source fills, to be consumed by exactly one node.
    public func source<Output: Sendable>(
        _ name: String, capacity: Int, _ next: @escaping () throws -> Output?
    ) -> BoundedQueue<Output> {
        let output = BoundedQueue<Output>(name: name, capacity: capacity)
        add(name: name) { [unowned self] meter in
            defer { output.close() }
            while true {
                if self.shouldStopSource {
                    self.lock.withLock { if self.stopRequested { self.sourceStoppedEarly = true } }
                    return
                }
                let element: Output?
                do {
                    element = try meter.busy { try next() }
                } catch {
                    self.fail(error)
                    return
                }
                guard let element else { return }
                meter.outputs += 1
                if !output.push(element) { return }
            }
        }
        return output
    }

    /// Adds a stage that consumes `input` and fills a new queue of capacity `capacity`.
    ///
    /// - Returns: The stage's output queue, to be consumed by exactly one node.
    public func stage<S: Stage>(
        _ name: String, _ stage: S, input: BoundedQueue<S.Input>, capacity: Int
    ) -> BoundedQueue<S.Output> where S.Output: Sendable {
        let output = BoundedQueue<S.Output>(name: name, capacity: capacity)
        let box = StageBox(stage)
        add(name: name, input: input) { [unowned self] meter in
            defer { output.close() }
            let emit: ([S.Output]) -> Bool = { elements in
                for element in elements {
                    meter.outputs += 1
                    if !output.push(element) { return false }
                }
                return true
            }
            while let element = input.pop() {
                meter.inputs += 1
                do {
                    let produced = try meter.busy { try box.stage.process(element) }
                    if !emit(produced) { input.cancel(); return }
                } catch {
                    input.cancel()
                    self.fail(error)
                    return
                }
            }
            do {
                _ = emit(try meter.busy { try box.stage.finish() })
            } catch {
                self.fail(error)
            }
        }
        return output
    }

    /// Adds a sink: a stage at the end of the chain whose outputs, if any, are discarded.
    public func sink<S: Stage>(_ name: String, _ stage: S, input: BoundedQueue<S.Input>) {
        let box = StageBox(stage)
        add(name: name, input: input) { [unowned self] meter in
            while let element = input.pop() {
                meter.inputs += 1
                do {
                    _ = try meter.busy { try box.stage.process(element) }
                } catch {
                    input.cancel()
                    self.fail(error)
                    return
                }
            }
            do {
                _ = try meter.busy { try box.stage.finish() }
            } catch {
                self.fail(error)
            }
        }
    }

    /// Starts every node, waits until all have ended, and returns their timings in the order they
    /// were added.
    ///
    /// - Throws: The first error a node threw (the other nodes have drained and finished).
    public func run() throws -> [StageTiming] {
        let nodes = lock.withLock { () -> [Node] in
            precondition(!started, "PipelineRunner.run called twice")
            started = true
            return self.nodes
        }
        let group = DispatchGroup()
        for node in nodes {
            let queue = DispatchQueue(label: "\(label).\(node.name)", qos: .userInitiated)
            queue.async(group: group) { [unowned self] in
                let meter = StageMeter()
                let start = DispatchTime.now().uptimeNanoseconds
                node.body(meter)
                let wall = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
                self.record(StageTiming(
                    name: node.name, busySeconds: meter.busySeconds, wallSeconds: wall,
                    inputs: meter.inputs, outputs: meter.outputs,
                    waitingForInputSeconds: node.inputWait(), queueHighWaterMark: node.inputHighWater()))
            }
        }
        group.wait()
        let (error, timings) = lock.withLock { (failure, self.timings) }
        if let error { throw error }
        return nodes.compactMap { timings[$0.name] }
    }

    /// Timings of the nodes that have ended, also after `run()` threw.
    public var finishedTimings: [StageTiming] {
        let (nodes, timings) = lock.withLock { (self.nodes, self.timings) }
        return nodes.compactMap { timings[$0.name] }
    }

    // MARK: - Internals

    private var shouldStopSource: Bool { lock.withLock { stopRequested || failure != nil } }

    private func fail(_ error: Error) {
        lock.withLock {
            if failure == nil { failure = error }
        }
    }

    private func record(_ timing: StageTiming) {
        lock.withLock { timings[timing.name] = timing }
    }

    private func add(name: String, body: @escaping (StageMeter) -> Void) {
        appendNode(Node(name: name, body: body, inputWait: { 0 }, inputHighWater: { 0 }))
    }

    private func add<Input>(name: String, input: BoundedQueue<Input>, body: @escaping (StageMeter) -> Void) {
        appendNode(Node(
            name: name, body: body, inputWait: { input.consumerWaitSeconds }, inputHighWater: { input.highWaterMark }))
    }

    private func appendNode(_ node: Node) {
        lock.withLock {
            precondition(!started, "PipelineRunner: nodes must be added before run()")
            precondition(!nodes.contains { $0.name == node.name }, "PipelineRunner: two nodes named \(node.name)")
            nodes.append(node)
        }
    }
}

/// What one node of a run did: how long it worked and how much it handled.
public struct StageTiming: Sendable, Codable, Equatable {
    /// The node's name ("decode", "regress", …).
    public var name: String
    /// Seconds spent inside the stage's own code (`process`, `finish`, or the source's `next`).
    public var busySeconds: Double
    /// Seconds from the node's start to its end.
    public var wallSeconds: Double
    /// Elements taken from the input queue.
    public var inputs: Int
    /// Elements put on the output queue.
    public var outputs: Int
    /// Seconds the node waited on an empty input queue.
    public var waitingForInputSeconds: Double
    /// The most elements its input queue ever held.
    public var queueHighWaterMark: Int

    public init(
        name: String, busySeconds: Double, wallSeconds: Double, inputs: Int, outputs: Int,
        waitingForInputSeconds: Double = 0, queueHighWaterMark: Int = 0
    ) {
        self.name = name
        self.busySeconds = busySeconds
        self.wallSeconds = wallSeconds
        self.inputs = inputs
        self.outputs = outputs
        self.waitingForInputSeconds = waitingForInputSeconds
        self.queueHighWaterMark = queueHighWaterMark
    }
}

extension Array where Element == StageTiming {
    /// The stage that limits throughput: the one with the most busy time.
    public var bottleneck: StageTiming? { self.max { $0.busySeconds < $1.busySeconds } }
}

/// Counts one node's work; touched only on that node's queue.
private final class StageMeter {
    var busySeconds: Double = 0
    var inputs = 0
    var outputs = 0

    func busy<T>(_ body: () throws -> T) rethrows -> T {
        let start = DispatchTime.now().uptimeNanoseconds
        defer { busySeconds += Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }
        return try body()
    }
}

/// A node of the chain: its name and the loop it runs on its own queue.
private struct Node: @unchecked Sendable {
    var name: String
    var body: (StageMeter) -> Void
    var inputWait: () -> Double
    var inputHighWater: () -> Int
}

/// Holds a stage that is handed to its queue once and only ever used there.
private final class StageBox<S: Stage>: @unchecked Sendable {
    var stage: S
    init(_ stage: S) { self.stage = stage }
}
