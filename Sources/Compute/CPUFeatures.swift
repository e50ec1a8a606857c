#if canImport(Glibc)
import Glibc
#endif

/// What the running CPU offers beyond the AVX2 + FMA the package is built for, read once. Only the
/// element-wise kernels look: WideMath's AVX-512 forms give the same bits as the AVX2 ones, faster.
public enum CPUFeatures {
    /// The AVX-512 subsets WideMath is compiled for (`skylake-avx512`: F, CD, BW, DQ, VL), from the
    /// flags line of /proc/cpuinfo (false where it cannot be read, and on other systems and
    /// architectures), unless the environment sets `JUDGEFLOW_AVX512=0`.
    public static let avx512: Bool = {
        #if arch(x86_64) && canImport(Glibc)
        if let setting = getenv("JUDGEFLOW_AVX512"), String(cString: setting) == "0" { return false }
        guard let file = fopen("/proc/cpuinfo", "r") else { return false }
        defer { fclose(file) }
        var line: UnsafeMutablePointer<CChar>?
        var capacity = 0
        defer { free(line) }
        while getline(&line, &capacity, file) > 0 {
            guard let line else { break }
            let text = String(cString: line)
            guard text.hasPrefix("flags") else { continue }
            let flags = Set(text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }))
            return ["avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl"].allSatisfy { flags.contains($0) }
        }
        return false
        #else
        return false
        #endif
    }()
}
