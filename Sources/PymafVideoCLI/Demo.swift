import ArgumentParser
import Foundation
import Pipeline

/// `pymaf-video demo`: the whole pipeline with no user files (what `make demo` runs).
struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the whole pipeline on the embedded sample clip (untrained demo weights unless PyMAF's data/ is present).",
        usage: "pymaf-video demo [--data_dir <data_dir>] [--output_folder <output_folder>] [--quiet]")

    @Option(name: .customLong("data_dir"), help: "PyMAF's data folder; demo assets are generated under <data_dir>/demo.")
    var dataDirectory = "data"

    @Option(name: .customLong("output_folder"), help: "Results go to <output_folder>/<NAME>/.")
    var outputFolder = "output"

    @Flag(help: "No progress on standard error.")
    var quiet = false

    mutating func run() throws {
        var (configuration, demoWeights): (RunConfiguration, Bool)
        do {
            (configuration, demoWeights) = try DemoSetup.configuration(
                dataDirectory: URL(fileURLWithPath: dataDirectory), outputFolder: URL(fileURLWithPath: outputFolder))
        } catch {
            PymafVideo.fail(error)
        }
        configuration.quiet = quiet
        configuration.arguments = CommandLine.arguments
        if demoWeights {
            PymafVideo.note("""
                pymaf-video demo: using UNTRAINED demo weights and a procedural body (no PyMAF files found under \(dataDirectory)/). \
                Every person gets the mean pose: this shows the pipeline working, not PyMAF's accuracy.
                For real results put PyMAF's data/ folder here (data/pretrained_model/PyMAF_model_checkpoint.pt, \
                data/smpl/SMPL_NEUTRAL.pkl, …) and run `make demo` again, or:
                  pymaf-video --vid_file your_clip.mp4 --checkpoint data/pretrained_model/PyMAF_model_checkpoint.pt --data_dir data
                """)
        } else {
            PymafVideo.note("pymaf-video demo: using PyMAF's checkpoint and SMPL from \(dataDirectory)/")
        }
        try PymafVideo.execute(configuration)
    }
}
