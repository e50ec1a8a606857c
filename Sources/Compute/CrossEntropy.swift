/// Softmax cross-entropy over a vocabulary with a per-position loss mask (loss only on chosen spans).
#if canImport(Glibc)
import Glibc
#endif

/// Returns the mean loss over positions with mask > 0, and writes dlogits (N, V) = (softmax − onehot)·mask / count,
/// the gradient of that mean. Rows are independent; the loss sum runs in Double in row order.
public func crossEntropyForwardBackward(dlogits: UnsafeMutablePointer<Float>?, logits: UnsafePointer<Float>, targets: UnsafePointer<Int32>,
                                        mask: UnsafePointer<Float>, n: Int, vocab: Int) -> Float {
    var count: Float = 0
    for r in 0..<n { count += mask[r] }
    guard count > 0 else {
        if let dlogits { dlogits.initialize(repeating: 0, count: n * vocab) }
        return 0
    }
    var total = 0.0
    let scratch = UnsafeMutableBufferPointer<Float>.allocate(capacity: vocab)
    defer { scratch.deallocate() }
    for r in 0..<n {
        let x = logits + r * vocab
        let w = mask[r]
        if w == 0 {
            if let dlogits { (dlogits + r * vocab).initialize(repeating: 0, count: vocab) }
            continue
        }
        var maxValue = -Float.infinity
        for i in 0..<vocab { maxValue = max(maxValue, x[i]) }
        let e = scratch.baseAddress!
        expShifted(out: e, inp: x, count: vocab, shift: maxValue)
        var sum: Float = 0
        for i in 0..<vocab { sum += e[i] }
        let target = Int(targets[r])
        let logProb = x[target] - maxValue - logf(sum)
        total += Double(-logProb * w)
        if let dlogits {
            let d = dlogits + r * vocab
            let scale = w / sum / count
            for i in 0..<vocab { d[i] = e[i] * scale }
            d[target] -= w / count
        }
    }
    return Float(total / Double(count))
}
