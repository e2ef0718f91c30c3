import ArgumentParser

/// `pymaf-video`: the command line over the Pipeline library. Parsing and exit codes only.
@main
struct PymafVideo: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pymaf-video",
        abstract: "Per-frame 3D human body meshes (PyMAF, SMPL) from video, smoothed and exported.",
        subcommands: [ProbeCommand.self, VideoIODemoCommand.self, RegressCommand.self]
    )
}
