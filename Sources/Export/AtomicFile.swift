import Foundation

/// A file written under a temporary name in its final folder and renamed when complete,
/// so an interrupted run never leaves a truncated file under the final name.
///
///     let file = try AtomicFile(url: url)
///     try file.write(bytes)
///     try file.commit()      // or file.discard()
final class AtomicFile {
    let url: URL
    let temporaryURL: URL
    private var handle: FileHandle?

    init(url: URL) throws {
        self.url = url
        temporaryURL = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).partial-\(ProcessInfo.processInfo.processIdentifier)")
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        } catch {
            throw ExportError.cannotWrite(path: url.deletingLastPathComponent().path, reason: "\(error.localizedDescription)")
        }
        guard FileManager.default.createFile(atPath: temporaryURL.path, contents: nil) else {
            throw ExportError.cannotWrite(path: temporaryURL.path, reason: "the file cannot be created")
        }
        do {
            handle = try FileHandle(forWritingTo: temporaryURL)
        } catch {
            throw ExportError.cannotWrite(path: temporaryURL.path, reason: "\(error.localizedDescription)")
        }
    }

    func write(_ data: Data) throws {
        guard let handle else { throw ExportError.cannotWrite(path: url.path, reason: "already closed") }
        do { try handle.write(contentsOf: data) } catch {
            throw ExportError.cannotWrite(path: temporaryURL.path, reason: "\(error.localizedDescription)")
        }
    }

    func write(_ bytes: [UInt8]) throws { try write(Data(bytes)) }

    /// Overwrites bytes at `offset` (a header field known only at the end).
    func patch(_ bytes: [UInt8], at offset: UInt64) throws {
        guard let handle else { throw ExportError.cannotWrite(path: url.path, reason: "already closed") }
        do {
            let end = try handle.offset()
            try handle.seek(toOffset: offset)
            try handle.write(contentsOf: Data(bytes))
            try handle.seek(toOffset: end)
        } catch {
            throw ExportError.cannotWrite(path: temporaryURL.path, reason: "\(error.localizedDescription)")
        }
    }

    /// Appends the whole content of `spool` in chunks (memory stays bounded).
    func append(contentsOf spool: SpoolFile) throws {
        try spool.forEachChunk { try write($0) }
    }

    /// Closes the file and renames it to its final name.
    func commit() throws {
        do {
            try handle?.close()
            handle = nil
            committed = true
            if FileManager.default.fileExists(atPath: url.path) { try FileManager.default.removeItem(at: url) }
            try FileManager.default.moveItem(at: temporaryURL, to: url)
        } catch {
            throw ExportError.cannotWrite(path: url.path, reason: "\(error.localizedDescription)")
        }
    }

    /// Closes the handle but keeps the temporary path reserved, for writers that create the
    /// file themselves (ZIP archives); `commit` still renames it.
    func discardHandleKeepingFile() {
        try? handle?.close()
        handle = nil
    }

    /// Closes and deletes the temporary file.
    func discard() {
        try? handle?.close()
        handle = nil
        try? FileManager.default.removeItem(at: temporaryURL)
    }

    private var committed = false

    deinit { if !committed { discard() } }
}

/// An append-only scratch file with an in-memory buffer, opened only while flushing, so that
/// many tracks × streams hold no file descriptors and at most `capacity` bytes each.
final class SpoolFile {
    let url: URL
    private var buffer = Data()
    private let capacity: Int
    private(set) var byteCount: Int = 0

    init(url: URL, capacity: Int = 1 << 18) throws {
        self.url = url
        self.capacity = capacity
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
            throw ExportError.cannotWrite(path: url.path, reason: "the temporary file cannot be created")
        }
    }

    func append(_ data: Data) throws {
        buffer.append(data)
        byteCount += data.count
        if buffer.count >= capacity { try flush() }
    }

    func append(_ bytes: [UInt8]) throws { try append(Data(bytes)) }

    func append(floats: [Float]) throws {
        try append(floats.withUnsafeBufferPointer { Data(buffer: $0) })
    }

    func flush() throws {
        guard !buffer.isEmpty else { return }
        do {
            let handle = try FileHandle(forWritingTo: url)
            defer { try? handle.close() }
            try handle.seekToEnd()
            try handle.write(contentsOf: buffer)
        } catch {
            throw ExportError.cannotWrite(path: url.path, reason: "\(error.localizedDescription)")
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Reads the spool back from the start in chunks of at most `chunkSize` bytes.
    func forEachChunk(chunkSize: Int = 1 << 20, _ body: (Data) throws -> Void) throws {
        try flush()
        let handle: FileHandle
        do { handle = try FileHandle(forReadingFrom: url) } catch {
            throw ExportError.cannotRead(path: url.path, reason: "\(error.localizedDescription)")
        }
        defer { try? handle.close() }
        while true {
            let chunk: Data?
            do { chunk = try handle.read(upToCount: chunkSize) } catch {
                throw ExportError.cannotRead(path: url.path, reason: "\(error.localizedDescription)")
            }
            guard let chunk, !chunk.isEmpty else { break }
            try body(chunk)
        }
    }

    /// Reads fixed-size records (`recordSize` bytes) in order, several at a time.
    func forEachRecordBatch(recordSize: Int, recordsPerBatch: Int = 1024, _ body: (Data) throws -> Void) throws {
        try forEachChunk(chunkSize: recordSize * recordsPerBatch, body)
    }

    func remove() { try? FileManager.default.removeItem(at: url) }
}
