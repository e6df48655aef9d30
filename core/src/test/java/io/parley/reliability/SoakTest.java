package io.parley.reliability;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The reference exchange, over and over, through a {@link FaultProxy} that injects a random fault at a
 * random byte of a random direction in each lifecycle (cut, reset, stall, delay, one-byte fragments,
 * half-close, or nothing), and {@link Oracle} checks every side's outcome against what the proxy really did.
 *
 * <p>Size: {@code -Dparley.soak.lifecycles} (default small for the suite; docs/reliability.md has the
 * full-size command and its figures). A failure names its seed and lifecycle: rerun it alone with
 * {@code -Dparley.soak.seed=SEED -Dparley.soak.only=INDEX} (and {@code -Dparley.soak.repeat=N} to run it N times,
 * since its timing differs from run to run).
 */
class SoakTest {

    @Test
    @Timeout(120)
    void everyLifecycleEndsConsistentlyWithWhatTheProxyDid() throws Exception {
        long seed = Knobs.soakSeed();
        int only = Knobs.soakOnly();
        int repeat = Knobs.soakRepeat();
        int lifecycles = only >= 0 ? repeat : Knobs.soakLifecycles();
        int workers = only >= 0 ? Math.min(repeat, Knobs.soakWorkers()) : Knobs.soakWorkers();
        AtomicInteger next = new AtomicInteger();
        Figures figures = new Figures();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        long start = System.nanoTime();
        List<CompletableFuture<Void>> running = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
        for (int w = 0; w < workers; w++) {
            running.add(CompletableFuture.runAsync(() -> {
                for (int i = next.getAndIncrement(); i < lifecycles && failures.size() < 20; i = next.getAndIncrement()) {
                    Lifecycle.Plan plan = Lifecycle.Plan.of(seed, only >= 0 ? only : i);
                    try {
                        Lifecycle.Outcome outcome = Lifecycle.run(plan);
                        Oracle.Verdict verdict = Oracle.judge(outcome);
                        figures.count(outcome);
                        if (!verdict.wrong().isEmpty()) {
                            failures.add(describe(plan, outcome, verdict.wrong()));
                        }
                        if (!verdict.known().isEmpty()) {
                            figures.ending("known transport bug: a reset seen as an end of stream");
                        }
                    } catch (Exception | AssertionError e) {
                        failures.add("lifecycle " + i + " (" + plan.fault() + ") of seed " + seed + ": " + e);
                    }
                }
            }, threads));
        }
        CompletableFuture.allOf(running.toArray(CompletableFuture[]::new)).join();
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        System.out.printf("SoakTest: seed %d, %d lifecycles in %d ms with %d workers%n%s%n", seed,
                figures.lifecycles.sum(), millis, workers, figures);
        assertThat(failures).as("inconsistent lifecycles (rerun one with -Dparley.soak.seed=%d "
                + "-Dparley.soak.only=INDEX)", seed).isEmpty();
    }

    private static String describe(Lifecycle.Plan plan, Lifecycle.Outcome outcome, List<String> wrong) {
        FaultProxy.Link link = outcome.link();
        return "lifecycle " + plan.index() + " of seed " + plan.seed() + ", fault " + plan.fault()
                + (link.fired() ? " (struck)" : " (never struck)") + ": " + wrong + "\n    "
                + outcome.client() + "\n    " + outcome.server()
                + "\n    client to server: read " + hex(link.read(Fault.Direction.CLIENT_TO_SERVER))
                + ", delivered " + hex(link.delivered(Fault.Direction.CLIENT_TO_SERVER))
                + "\n    server to client: read " + hex(link.read(Fault.Direction.SERVER_TO_CLIENT))
                + ", delivered " + hex(link.delivered(Fault.Direction.SERVER_TO_CLIENT));
    }

    private static String hex(byte[] bytes) {
        return bytes.length + " bytes " + java.util.HexFormat.of().formatHex(bytes, 0, Math.min(bytes.length, 96))
                + (bytes.length > 96 ? "..." : "");
    }

    /** The soak's figures: lifecycles, faults that struck by kind, how the sides ended. */
    static final class Figures {
        final LongAdder lifecycles = new LongAdder();
        final Map<Fault.Kind, LongAdder> drawn = new ConcurrentHashMap<>();
        final Map<Fault.Kind, LongAdder> struck = new ConcurrentHashMap<>();
        final Map<String, LongAdder> endings = new ConcurrentHashMap<>();

        void count(Lifecycle.Outcome outcome) {
            lifecycles.increment();
            Fault.Kind kind = outcome.plan().fault().kind();
            drawn.computeIfAbsent(kind, k -> new LongAdder()).increment();
            if (outcome.link().fired()) {
                struck.computeIfAbsent(kind, k -> new LongAdder()).increment();
            }
            ending("client " + ending(outcome.client()));
            ending("server " + ending(outcome.server()));
            ending("client termination " + termination(outcome.client()));
            ending("server termination " + termination(outcome.server()));
        }

        void ending(String what) {
            endings.computeIfAbsent(what, k -> new LongAdder()).increment();
        }

        private static String termination(Side side) {
            return side.termination == null ? "none" : side.termination.kind().toString();
        }

        private static String ending(Side side) {
            if (!side.opened()) {
                return side.failure == null ? "never accepted" : "connect failed: " + side.failure.getClass().getSimpleName();
            }
            if (side.closeIndication == null) {
                return "no close indication";
            }
            return side.closeIndication.kind() + "/" + side.closeIndication.reason();
        }

        @Override
        public String toString() {
            return "  faults drawn: " + sorted(drawn) + "\n  faults struck: " + sorted(struck) + "\n  endings: "
                    + sorted(endings);
        }

        private static <K> Map<String, Long> sorted(Map<K, LongAdder> counts) {
            Map<String, Long> result = new TreeMap<>();
            counts.forEach((k, v) -> result.put(String.valueOf(k), v.sum()));
            return result;
        }
    }
}
