package io.parley.bench.harness;

import java.io.PrintStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Runs one scenario for every implementation in the same JVM: opens all, warms each up, then runs rounds in
 * which the implementations take turns, starting one later each round, so that noise from the machine (other
 * builds, GC of a neighbour) hits all of them alike. A garbage collection and a short pause separate runs.
 */
public final class RoundRunner {
    private final PrintStream log;

    /** A runner that reports progress on {@code log}. */
    public RoundRunner(PrintStream log) {
        this.log = log;
    }

    /** Opens a trial per implementation. */
    @FunctionalInterface
    public interface TrialFactory {
        /** The trial of {@code impl}, set up and ready to run. */
        Trial open(Impl impl) throws Exception;
    }

    /** Runs the scenario and returns every round's figures. */
    public Results run(String scenario, List<Impl> impls, TrialFactory factory, RunSettings settings) throws Exception {
        Results results = new Results(scenario);
        Map<Impl, Trial> trials = new LinkedHashMap<>();
        try {
            for (Impl impl : impls) {
                trials.put(impl, factory.open(impl));
            }
            if (!settings.warmup().isZero()) {
                for (Impl impl : impls) {
                    quiesce();
                    try {
                        Figures figures = runOnCaller(trials.get(impl), settings.warmup());
                        log.printf("  %-14s warm-up  %s%n", scenario + "/" + impl.id(), figures);
                    } catch (Exception e) {
                        results.fail(impl, -1, e);
                        log.printf("  %-14s warm-up  FAILED: %s%n", scenario + "/" + impl.id(), e);
                    }
                }
            }
            for (int round = 0; round < settings.rounds(); round++) {
                for (int turn = 0; turn < impls.size(); turn++) {
                    Impl impl = impls.get((round + turn) % impls.size());
                    quiesce();
                    try {
                        Figures figures = runOnCaller(trials.get(impl), settings.measure());
                        results.add(impl, round, figures);
                        log.printf("  %-14s round %d  %s%n", scenario + "/" + impl.id(), round + 1, figures);
                    } catch (Exception e) {
                        results.fail(impl, round, e);
                        log.printf("  %-14s round %d  FAILED: %s%n", scenario + "/" + impl.id(), round + 1, e);
                        e.printStackTrace(log);
                    }
                }
            }
        } finally {
            for (var entry : trials.entrySet()) {
                try {
                    entry.getValue().close();
                } catch (Exception e) {
                    log.printf("  closing %s failed: %s%n", entry.getKey().id(), e);
                }
            }
        }
        return results;
    }

    /**
     * Runs the trial on the caller thread chosen by {@code -Dbench.caller}: {@code virtual} (the default, the kind
     * of thread Parley's blocking API is made for) or {@code platform}; the same kind for every implementation.
     */
    private static Figures runOnCaller(Trial trial, Duration duration) throws Exception {
        if (CallerThread.configured() == CallerThread.PLATFORM) {
            return trial.run(duration);
        }
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            return executor.submit(() -> trial.run(duration)).get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    private static void quiesce() throws InterruptedException {
        System.gc();
        Thread.sleep(150);
    }

    /** How long to warm up, how long each measured run lasts, and how many rounds. */
    public record RunSettings(Duration warmup, Duration measure, int rounds) {
    }
}
