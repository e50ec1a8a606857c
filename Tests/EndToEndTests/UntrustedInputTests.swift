import Foundation
import Testing

/// `judgeflow eval` on files a user did not make with this JudgeFlow: a clean error (exit 1) naming what
/// is wrong, never a signal from the unchecked model code.
@Suite struct UntrustedInputTests {
    @Test func evalRefusesABenchmarkWhoseImagesAreNotTheJudgesSize() {
        let p = Project()
        p.write("wf.yaml", Project.tinyBaseWorkflow + """
          bench:
            uses: world.benchmark
            with: {image_size: 48, grid: 3, max_objects: 2, items_per_category: 2}
        """)
        let run = p.judgeflow("run", "wf.yaml")
        #expect(run.status == 0, "\(run.stderr)")
        let r = p.judgeflow("eval", "--judge", "base", "--bench", "bench")
        #expect(r.status == 1 && r.stderr.contains("is 48×48 pixels, but the judge reads 24×24"), "\(r.stderr)")
    }
}
