// swift-tools-version: 6.0
import PackageDescription

// Module cut: see README.md ("Modules") and each Sources/<Module>/README.md.
// Only VideoIO imports CFFmpeg and only Tensor imports COpenBLAS and CKernels.
let package = Package(
    name: "pymaf-video",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "pymaf-video", targets: ["PymafVideoCLI"]),
        .executable(name: "pymaf-bench", targets: ["PymafBench"]),
        .executable(name: "ExportVerify", targets: ["ExportVerify"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.19"),
        // SHA-256 of the input and checkpoint for run.json (BoringSSL's, with the CPU's SHA instructions).
        .package(url: "https://github.com/apple/swift-crypto", "3.12.0"..<"5.0.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CFFmpeg",
            pkgConfig: "libavformat",
            providers: [.apt(["libavformat-dev", "libavcodec-dev", "libswscale-dev", "libavutil-dev"])]
        ),
        .systemLibrary(
            name: "COpenBLAS",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]
        ),
        .target(name: "VideoIO", dependencies: ["CFFmpeg"], exclude: ["README.md"]),
        // Our own C kernels (run-time ISA dispatch, so no unsafe flags).
        .target(name: "CKernels"),
        .target(name: "Tensor", dependencies: ["COpenBLAS", "CKernels"], exclude: ["README.md"]),
        .target(name: "ModelIO", dependencies: [.product(name: "ZIPFoundation", package: "ZIPFoundation")], exclude: ["README.md"]),
        .target(name: "BodyModel", dependencies: ["Tensor"], exclude: ["README.md"]),
        .target(name: "PyMAF", dependencies: ["Tensor", "ModelIO", "BodyModel"], exclude: ["README.md"]),
        .target(name: "PersonTracking", dependencies: ["Tensor", "ModelIO", "VideoIO"], exclude: ["README.md"]),
        .target(name: "Smoothing", dependencies: ["BodyModel"], exclude: ["README.md"]),
        .target(name: "Export", dependencies: ["BodyModel", "ModelIO", .product(name: "ZIPFoundation", package: "ZIPFoundation")], exclude: ["README.md"]),
        .target(name: "Render", dependencies: ["BodyModel"], exclude: ["README.md"]),
        .target(name: "DemoAssets", dependencies: ["Tensor", "ModelIO", "BodyModel", "Render", "VideoIO"], exclude: ["README.md"]),
        .target(
            name: "Pipeline",
            dependencies: [
                "VideoIO", "Tensor", "ModelIO", "BodyModel", "PyMAF", "PersonTracking",
                "Smoothing", "Export", "Render", "DemoAssets", .product(name: "Crypto", package: "swift-crypto"),
            ],
            exclude: ["README.md"]
        ),
        .executableTarget(
            name: "PymafVideoCLI",
            dependencies: ["Pipeline", "VideoIO", "Smoothing", "PyMAF", "Tensor", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .executableTarget(
            name: "PymafBench",
            dependencies: [
                "VideoIO", "Tensor", "ModelIO", "BodyModel", "PyMAF", "PersonTracking",
                "Smoothing", "Export", "Render", "DemoAssets", "Pipeline",
            ]
        ),
        .executableTarget(name: "ExportVerify", dependencies: ["Export", "BodyModel"]),
        .testTarget(name: "VideoIOTests", dependencies: ["VideoIO"]),
        .testTarget(name: "TensorTests", dependencies: ["Tensor"]),
        .testTarget(name: "ModelIOTests", dependencies: ["ModelIO"], resources: [.copy("Fixtures")]),
        .testTarget(name: "BodyModelTests", dependencies: ["BodyModel", "ModelIO", "Tensor"], resources: [.copy("Fixtures")]),
        .testTarget(name: "PyMAFTests", dependencies: ["PyMAF", "ModelIO", "BodyModel", "Tensor"], resources: [.copy("Fixtures")]),
        .testTarget(name: "PersonTrackingTests", dependencies: ["PersonTracking", "VideoIO", "ModelIO", "Tensor"], resources: [.copy("Fixtures")]),
        .testTarget(name: "SmoothingTests", dependencies: ["Smoothing", "BodyModel"]),
        .testTarget(name: "ExportTests", dependencies: ["Export", "BodyModel", "ModelIO"], resources: [.copy("Golden")]),
        .testTarget(name: "RenderTests", dependencies: ["Render", "BodyModel"], resources: [.copy("Golden")]),
        .testTarget(name: "DemoAssetsTests", dependencies: ["DemoAssets", "BodyModel", "ModelIO", "VideoIO", "Render"]),
        .testTarget(name: "PipelineTests", dependencies: ["Pipeline", "DemoAssets", "VideoIO", "ModelIO", "BodyModel"]),
    ]
)
