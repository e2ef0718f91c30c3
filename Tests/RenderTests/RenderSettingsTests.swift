import Testing
@testable import Render

@Suite struct RenderSettingsTests {
    @Test func defaultsMatchReferenceDemo() {
        let settings = RenderSettings()
        #expect(!settings.sideView && !settings.emptyBackground && !settings.withRaw)
        #expect(settings.renderRatio == 1)
    }
}
