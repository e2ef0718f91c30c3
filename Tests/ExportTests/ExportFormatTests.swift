import Testing
@testable import Export

@Suite struct ExportFormatTests {
    @Test func parsesListAndReportsUnknown() {
        let parsed = ExportFormat.parseList("glb, PC2,fbx,glb")
        #expect(parsed.formats == [.glb, .pc2])
        #expect(parsed.unknown == ["fbx"])
    }
}
