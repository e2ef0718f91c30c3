import Foundation
import PyMAF
import Tensor

extension PyMAFRegressor: BodyRegressor {}

extension RegressorLoader {
    /// PyMAF from the checkpoint, with the body model from the checkpoint's buffers or PyMAF's
    /// `data/` folder. With `BLAS.threadCount` > 1, batches are split across that many workers
    /// and OpenBLAS is set to one thread for the rest of the run (`PyMAFRegressor.workers`): set
    /// once, so every product takes the same path and outputs do not depend on timing.
    public static let pyMAF = RegressorLoader { checkpoint, dataDirectory, precision in
        let model = try PyMAFRegressor(checkpoint: checkpoint, dataDirectory: dataDirectory, precision: precision)
        model.useWorkers(BLAS.threadCount)
        return model
    }
}
