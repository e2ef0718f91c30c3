/// A pipeline stage: a synchronous state machine, unaware of queues and threads.
///
/// The pipeline feeds inputs in order through `process` and calls `finish` once at the end
/// of the stream so the stage can flush what it holds back (a batch, a filter's look-ahead).
/// Tests drive stages directly, frame by frame.
public protocol Stage {
    associatedtype Input
    associatedtype Output
    /// Consumes one input and returns the outputs that are complete now (possibly none).
    mutating func process(_ input: Input) throws -> [Output]
    /// Flushes everything still held at end of stream.
    mutating func finish() throws -> [Output]
}
