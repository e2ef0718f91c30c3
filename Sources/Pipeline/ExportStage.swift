import Export

/// Hands every person of every frame to the export session and passes the frame on unchanged;
/// `finish` completes every file (also after Ctrl-C, so the files are whole).
struct ExportStage: Stage {
    let session: ExportSession

    init(session: ExportSession) {
        self.session = session
    }

    mutating func process(_ input: FrameResult) throws -> [FrameResult] {
        for person in input.people { try session.add(person) }
        return [input]
    }

    mutating func finish() throws -> [FrameResult] {
        try session.finish()
        return []
    }
}
