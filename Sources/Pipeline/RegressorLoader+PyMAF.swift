import Foundation
import PyMAF

extension PyMAFRegressor: BodyRegressor {}

extension RegressorLoader {
    /// PyMAF from the checkpoint, with the body model from the checkpoint's buffers or PyMAF's
    /// `data/` folder.
    public static let pyMAF = RegressorLoader { checkpoint, dataDirectory in
        try PyMAFRegressor(checkpoint: checkpoint, dataDirectory: dataDirectory)
    }
}
