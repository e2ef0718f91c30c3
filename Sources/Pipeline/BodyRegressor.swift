import BodyModel
import Foundation
import PyMAF
import Tensor

/// What the pipeline needs from the network: the body model its meshes are made of, and one
/// call per batch of crops. PyMAF's `PyMAFRegressor` is the product's; tests and benchmarks may
/// supply others through `RegressorLoader`.
public protocol BodyRegressor: AnyObject {
    /// The body model the regressed meshes use.
    var bodyModel: SMPLModel { get }
    /// Regresses a batch of normalized crops, (N, 3, 224, 224).
    func regress(_ crops: Tensor) throws -> RegressionOutput
}

/// How a run obtains its network from the configuration's checkpoint and data folder.
public struct RegressorLoader: Sendable {
    /// Loads the network computing in `precision` (already checked with
    /// `PyMAFRegressor.availablePrecision`); errors become `RunError.modelInvalid` naming the
    /// checkpoint.
    public var load: @Sendable (_ checkpoint: URL, _ dataDirectory: URL, _ precision: Precision) throws -> any BodyRegressor

    public init(load: @escaping @Sendable (_ checkpoint: URL, _ dataDirectory: URL, _ precision: Precision) throws -> any BodyRegressor) {
        self.load = load
    }
}
