import LinearAlgebra

extension Matrix {
    /// A new matrix of the given rows, in the order given (for subsamples: warm starts, EM on sampled accounts).
    func gatheringRows(_ rows: [Int]) -> Matrix {
        let p = columns
        return storage.withUnsafeBufferPointer { raw in
            Matrix(rows: rows.count, columns: p) { target in
                for (r, row) in rows.enumerated() {
                    for j in 0..<p { target[r * p + j] = raw[row * p + j] }
                }
            }
        }
    }
}
