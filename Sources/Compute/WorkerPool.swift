import CPrefetch
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A persistent pool of worker threads for the compute kernels (`parallelFor`, multi-threaded GEMM).
///
/// Why not `DispatchQueue.concurrentPerform`: waking its threads costs ≈ 10 µs or more per call, and a
/// 256³ GEMM on two threads takes ≈ 0.2 ms. Here each worker, after a job, polls its own atomic for
/// ≈ 100 µs (so a burst of kernels finds it awake), then sleeps on a condition variable.
///
/// One job runs at a time. A call made while the pool is busy (from inside a job, or from another
/// thread) runs inline with one participant, so callers must not let results depend on the participant
/// count — the compute kernels do not (each output element is reduced by one thread in a fixed order).
final class WorkerPool: @unchecked Sendable {
    static let shared = WorkerPool()

    /// Participants beyond this run inline; more threads than cores only adds switching.
    static let maxParticipants = 64

    private final class Worker: @unchecked Sendable {
        /// Bumped by the caller for each job this worker joins.
        let go = Atomic<Int>(0)
        let parking = Parking(spinNanoseconds: WorkerPool.spinNanoseconds)

        func wake() {
            go.add(1, ordering: .sequentiallyConsistent)
            parking.notifyAll()
        }

        /// Returns the next `go` value after `seen`: polls, then sleeps.
        func waitForJob(after seen: Int) -> Int {
            parking.wait { go.load(ordering: .sequentiallyConsistent) != seen }
            return go.load(ordering: .acquiring)
        }
    }

    static let spinNanoseconds: UInt64 = 100_000

    private let busy = Atomic<Bool>(false)
    private let remaining = Atomic<Int>(0)
    private let finished = Parking()
    /// Read and grown only by the thread that holds `busy`.
    private var workers: [Worker] = []
    /// The current job; written before the workers' `go` is bumped, cleared after `remaining` reaches 0.
    private var job: ((Int, Int) -> Void)?
    private var jobParticipants = 0

    /// Runs `body(part, parts)` for part in 0..<parts on `parts` threads (the caller is part 0), where
    /// parts = min(participants, maxParticipants), or 1 when the pool is busy. Returns when all are done.
    func run(upTo participants: Int, _ body: (_ part: Int, _ parts: Int) -> Void) {
        let parts = min(participants, Self.maxParticipants)
        guard parts > 1, busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else {
            body(0, 1)
            return
        }
        while workers.count < parts - 1 { startWorker(participant: workers.count + 1) }
        withoutActuallyEscaping(body) { body in
            job = body
            jobParticipants = parts
            remaining.store(parts - 1, ordering: .relaxed)
            for w in 0..<(parts - 1) { workers[w].wake() }
            body(0, parts)
            finished.wait { remaining.load(ordering: .sequentiallyConsistent) == 0 }
            job = nil
        }
        busy.store(false, ordering: .releasing)
    }

    private func workerLoop(_ worker: Worker, participant: Int) {
        var seen = 0
        while true {
            seen = worker.waitForJob(after: seen)
            runShare(participant)
            if remaining.subtract(1, ordering: .sequentiallyConsistent).newValue == 0 { finished.notifyAll() }
        }
    }

    /// Kept apart so the worker's reference to the job ends before it reports done.
    @inline(never)
    private func runShare(_ participant: Int) {
        job!(participant, jobParticipants)
    }

    private final class Start {
        let pool: WorkerPool, worker: Worker, participant: Int
        init(_ pool: WorkerPool, _ worker: Worker, _ participant: Int) {
            self.pool = pool; self.worker = worker; self.participant = participant
        }
    }

    private func startWorker(participant: Int) {
        let worker = Worker()
        workers.append(worker)
        let start = Unmanaged.passRetained(Start(self, worker, participant)).toOpaque()
        var thread = pthread_t()
        let status = pthread_create(&thread, nil, { raw in
            let start = Unmanaged<Start>.fromOpaque(raw!).takeRetainedValue()
            start.pool.workerLoop(start.worker, participant: start.participant)
            return nil
        }, start)
        precondition(status == 0, "pthread_create failed (\(status))")
        pthread_detach(thread)
    }
}

/// Waiting for a condition another thread makes true: poll for a while (the usual case in a kernel is a
/// wait of a few µs), then sleep on a condition variable. Never `sched_yield`: on a core shared with a
/// background process that hands the core over for a whole time slice, while a sleeper is woken at once.
final class Parking: @unchecked Sendable {
    /// How long a wait polls before it sleeps.
    let spinNanoseconds: UInt64
    private let waiters = Atomic<Int>(0)
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let cond = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)

    init(spinNanoseconds: UInt64 = 50_000) {
        self.spinNanoseconds = spinNanoseconds
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(cond, nil)
    }

    /// `done` must read, sequentially consistent, the state the notifier changes before `notifyAll`.
    @inline(__always)
    func wait(until done: () -> Bool) {
        if done() { return }
        let deadline = monotonicNanoseconds() + spinNanoseconds
        var spins = 0
        while !done() {
            spins += 1
            if spins & 255 == 0 && monotonicNanoseconds() > deadline { return sleep(until: done) }
            jf_cpu_relax()
        }
    }

    private func sleep(until done: () -> Bool) {
        pthread_mutex_lock(mutex)
        waiters.add(1, ordering: .sequentiallyConsistent)
        while !done() { pthread_cond_wait(cond, mutex) }
        waiters.subtract(1, ordering: .relaxed)
        pthread_mutex_unlock(mutex)
    }

    /// Call after changing the state (sequentially consistent): a waiter either sees the change or is
    /// counted here, and then sleeps under the mutex taken below, so no wake-up is lost.
    func notifyAll() {
        if waiters.load(ordering: .sequentiallyConsistent) > 0 {
            pthread_mutex_lock(mutex)
            pthread_cond_broadcast(cond)
            pthread_mutex_unlock(mutex)
        }
    }
}

/// A reusable barrier for the participants of one pool job.
final class SpinBarrier: @unchecked Sendable {
    private let arrived = Atomic<Int>(0)
    private let generation = Atomic<Int>(0)
    private let parking = Parking()
    let parties: Int

    init(parties: Int) { self.parties = parties }

    func wait() {
        guard parties > 1 else { return }
        let g = generation.load(ordering: .acquiring)
        if arrived.add(1, ordering: .acquiringAndReleasing).newValue == parties {
            arrived.store(0, ordering: .relaxed)
            generation.add(1, ordering: .sequentiallyConsistent)
            parking.notifyAll()
            return
        }
        parking.wait { generation.load(ordering: .sequentiallyConsistent) != g }
    }
}

@inline(__always)
func monotonicNanoseconds() -> UInt64 {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return UInt64(t.tv_sec) * 1_000_000_000 + UInt64(t.tv_nsec)
}
