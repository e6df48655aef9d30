package io.parley.bench.harness;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Starting and joining the virtual threads of a run, with a bound on how long a join may take. */
public final class Threads {
    private Threads() {
    }

    /** Starts {@code count} virtual threads, each running {@code body} with its index; failures go to {@code failures}. */
    public static List<Thread> start(String name, int count, FailureLatch failures, IndexedTask body) {
        List<Thread> threads = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int index = i;
            threads.add(Thread.ofVirtual().name(name + "-" + i).start(() -> {
                try {
                    body.run(index);
                } catch (Throwable t) {
                    failures.fail(t);
                }
            }));
        }
        return threads;
    }

    /** Joins every thread, failing if any is still running after {@code timeoutSeconds}. */
    public static void joinAll(List<Thread> threads, long timeoutSeconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        for (Thread thread : threads) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || !thread.join(java.time.Duration.ofNanos(left))) {
                throw new IllegalStateException(thread.getName() + " did not finish within " + timeoutSeconds + " s");
            }
        }
    }

    /** Waits until {@code condition} holds, polling, for at most {@code timeoutMillis}; false if it never did. */
    public static boolean await(java.util.function.BooleanSupplier condition, long timeoutMillis)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            Thread.sleep(1);
        }
        return true;
    }

    /** A task that gets its thread's index. */
    @FunctionalInterface
    public interface IndexedTask {
        /** Runs the task for thread {@code index}. */
        void run(int index) throws Exception;
    }
}
