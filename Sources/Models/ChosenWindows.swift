import LinearAlgebra

extension CallWindowModel {
    /// Each account's chosen window: the window of highest predicted RPC probability (the first on ties).
    public static func chosenWindows(_ probabilities: Matrix) -> [Int] {
        (0..<probabilities.rows).map { row in
            var best = 0
            for window in 1..<probabilities.columns
            where probabilities.storage[row * probabilities.columns + window] > probabilities.storage[row * probabilities.columns + best] {
                best = window
            }
            return best
        }
    }
}
