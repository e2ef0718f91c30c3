import Foundation
import Testing
@testable import PersonTracking

@Suite struct BoxTableTests {
    static func write(_ text: String, _ name: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("boxtable-\(UUID().uuidString)-\(name)")
        try Data(text.utf8).write(to: url)
        return url
    }

    /// PyMAF's tracklet format: corners normalized by the frame size, squared to the long side later.
    @Test func readsPyMAFTracklets() throws {
        let json = """
        [
          {"idx": 3, "frames": [
            {"frame_id": 0, "rect": {"tl": {"x": 0.25, "y": 0.1}, "br": {"x": 0.5, "y": 0.9}}},
            {"frame_id": 1, "rect": {"tl": {"x": 0.3, "y": 0.1}, "br": {"x": 0.55, "y": 0.9}}}
          ]},
          {"idx": 7, "frames": [{"frame_id": 1, "rect": {"tl": {"x": 0, "y": 0}, "br": {"x": 0.1, "y": 0.2}}}]}
        ]
        """
        let table = try BoxTable(contentsOf: try Self.write(json, "t.json"))
        #expect(table.units == .normalized)
        let f0 = table.boxes(forFrame: 0, width: 200, height: 100)
        #expect(f0.count == 1 && f0[0].track == 3)
        #expect(f0[0].box == PersonBox(centerX: 75, centerY: 50, width: 50, height: 80))
        // PyMAF: bbox = [x_c, y_c, max(w, h), max(w, h)] with bbox_scale 1.0.
        #expect(f0[0].box.squared() == PersonBox(centerX: 75, centerY: 50, width: 80, height: 80))
        #expect(table.boxes(forFrame: 1, width: 200, height: 100).map(\.track) == [3, 7])
        #expect(table.boxes(forFrame: 2, width: 200, height: 100).isEmpty)
    }

    @Test func readsCSVWithHeaderAndComments() throws {
        let csv = "frame,track,cx,cy,w,h\n# a comment\n0,1,100,50,40,80\n\n2,1,110.5,52,40,80\r\n2,4,300,60,20,30\n"
        let table = try BoxTable(contentsOf: try Self.write(csv, "b.csv"))
        #expect(table.units == .pixels)
        #expect(table.boxes(forFrame: 0, width: 1, height: 1).map(\.box) == [PersonBox(centerX: 100, centerY: 50, width: 40, height: 80)])
        #expect(table.boxes(forFrame: 2, width: 1, height: 1).map(\.track) == [1, 4])
    }

    @Test(arguments: [
        ("0,1,100,50,40,80\n1,1,100,50,40\n", 2, "expected 6"),
        ("0,1,100,50,40,80\n0,x,100,50,40,80\n", 2, "track must be"),
        ("0,1,100,50,40,80\n\n1,1,100,50,-4,80\n", 3, "positive"),
        ("0,1,100,50,40,80\n0,1,101,50,40,80\n", 2, "twice"),
        ("-1,1,100,50,40,80\n", 1, "frame must be"),
        ("0,1,nan,50,40,80\n", 1, "cx must be"),
        ("frame,track,x,y,w,h\n0,1,1,1,1,1\n", 1, "header"),
        ("[\n {\"idx\": 0, \"frames\": [\n  {\"frame_id\": 0}\n ]}\n]", 3, "no \"rect\""),
        ("[\n {\"idx\": 0, \"frames\": [\n  {\"frame_id\": 0, \"rect\": {\"tl\": {\"x\": 0.1, \"y\": 0.1},\n   \"br\": {\"x\": \"a\", \"y\": 0.2}}}\n ]}\n]", 3, "rect.br.x"),
        ("[\n {\"idx\": 0, \"frames\": [\n  {\"frame_id\": 0, \"rect\": {\"tl\": {\"x\": 0.5, \"y\": 0.1}, \"br\": {\"x\": 0.2, \"y\": 0.2}}}\n ]}\n]", 3, "br must lie"),
        ("[\n {\"idx\": -2, \"frames\": []}\n]", 2, "idx"),
        ("[\n {\"idx\": 0,\n  \"frames\": [1, }\n]", 3, "invalid JSON"),
        ("[{\"idx\": 0, \"frames\": []}]", 0, "no boxes"),
    ])
    func malformedFilesNameTheLine(text: String, line: Int, reason: String) throws {
        let url = try Self.write(text, text.hasPrefix("[") ? "bad.json" : "bad.csv")
        do {
            _ = try BoxTable(contentsOf: url)
            Issue.record("accepted a malformed file: \(text)")
        } catch let PersonTrackingError.malformedBoxFile(path, errorLine, message) {
            #expect(path == url.path)
            #expect(errorLine == line, "\(message)")
            #expect(message.contains(reason), "\(message)")
        }
    }

    @Test func missingFileIsAnError() {
        #expect(throws: PersonTrackingError.self) { try BoxTable(contentsOf: URL(fileURLWithPath: "/nonexistent/boxes.csv")) }
    }
}
