import ArgumentParser

/// `pymaf-video`: the command line over the Pipeline library. Parsing and exit codes only.
@main
struct PymafVideo: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pymaf-video",
        abstract: "Per-frame 3D human body meshes (PyMAF, SMPL) from video, smoothed and exported.",
        usage: "pymaf-video (--vid_file <file> | --image_folder <folder> | --img_file <image>) [<options>]\n  pymaf-video demo",
        discussion: PymafVideo.guide,
        subcommands: [Demo.self, ProbeCommand.self, RegressCommand.self]
    )

    @OptionGroup var options: RunOptions
}
