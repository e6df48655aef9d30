package io.parley.reliability;

import io.parley.AcceptResult;
import io.parley.CloseIndication;
import io.parley.AcceptCondition;
import io.parley.ConnectOptions;
import io.parley.ParleyConnection;
import io.parley.ConnectionRefusedException;
import io.parley.ConnectionResetException;
import io.parley.ConnectionSettings;
import io.parley.Decision;
import io.parley.Linger;
import io.parley.ListenOptions;
import io.parley.Listener;
import io.parley.ReasonCode;
import io.parley.TimedOutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.ref.WeakReference;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many lifecycles that end every way but gracefully too (abortive closes on either side, caller timeouts
 * while receiving and while connecting, rejections, graceful exchanges) leave nothing behind: once the background closers had a bounded time to
 * finish, open file descriptors, Parley's threads (virtual ones included) and platform threads are back to
 * where they started, a sample of the connections (both sides) is unreachable, so no buffer, future or
 * callback still holds them, and the heap after a collection is back near its start.
 *
 * <p>Size: {@code -Dparley.leak.lifecycles} (default small for the suite; 100,000 at full size, see
 * docs/reliability.md).
 */
class LeakTest {
    private static final int WORKERS = 16;
    private static final int ACCEPTORS = 4;
    private static final int SAMPLE_EVERY = 50;
    /** The caller's timeout in the lifecycles that time out: the server never answers them. */
    private static final Duration CALLER_TIMEOUT = Duration.ofMillis(30);
    private static final long HEAP_MARGIN = 16L * 1024 * 1024;

    /** The ways a lifecycle ends; the first byte of the caller data tells the server which one. */
    enum Ending { GRACEFUL, CLIENT_ABORTIVE_CLOSE, SERVER_ABORT, CALLER_TIMEOUT, CONNECT_TIMEOUT, REJECTED }

    @Test
    @Timeout(value = 240, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void lifecyclesEndingInAbortsTimeoutsAndRejectionsLeaveNothingBehind() throws Exception {
        int lifecycles = Knobs.leakLifecycles();
        Listener listener = Net.listen(ListenOptions.builder().backlog(256).build());
        // Nobody accepts here: connects to it time out, and their withdrawn requests must leave no trace.
        Listener unattended = Net.listen(ListenOptions.builder().backlog(256).build());
        try {
            run(listener, unattended, 300, null, new AtomicLongArray(Ending.values().length));
            awaitQuiet();
            Resources.Snapshot before = Resources.snapshot();

            List<WeakReference<ParleyConnection>> sample = new ArrayList<>();
            AtomicLongArray endings = new AtomicLongArray(Ending.values().length);
            long start = System.nanoTime();
            run(listener, unattended, lifecycles, sample, endings);
            long millis = (System.nanoTime() - start) / 1_000_000;

            Net.until("file descriptors back to " + before.fds(), Duration.ofSeconds(30),
                    () -> Resources.openFileDescriptors() <= before.fds());
            Net.until("Parley threads back to " + before.parleyThreads(), Duration.ofSeconds(30),
                    () -> Resources.parleyThreads().equals(before.parleyThreads()));
            Net.until("the sampled connections become unreachable", Duration.ofSeconds(30), () -> {
                System.gc();
                return sample.stream().allMatch(ref -> ref.get() == null);
            });
            Resources.Snapshot after = Resources.snapshot();
            Map<Ending, Long> counts = new EnumMap<>(Ending.class);
            for (Ending ending : Ending.values()) {
                counts.put(ending, endings.get(ending.ordinal()));
            }
            System.out.printf("LeakTest: %d lifecycles in %d ms %s, %d connections sampled%n  before: %s%n"
                    + "  after:  %s%n", lifecycles, millis, counts, sample.size(), before, after);

            int carriers = Runtime.getRuntime().availableProcessors();
            assertThat(after.platformThreads()).isLessThanOrEqualTo(before.platformThreads() + carriers);
            assertThat(after.heap()).isLessThan(before.heap() + HEAP_MARGIN);
            assertThat(after.directBuffers()).as("direct buffers (the JDK caches a few per carrier thread)")
                    .isLessThanOrEqualTo(before.directBuffers() + 16L * carriers);
            assertThat(listener.pendingCount()).isZero();
            assertThat(unattended.pendingCount()).isZero();
        } finally {
            listener.close();
            unattended.close();
        }
        Net.until("no Parley thread outlives its listener and connections", Duration.ofSeconds(30),
                () -> Resources.parleyThreads().isEmpty());
    }

    private void awaitQuiet() throws InterruptedException {
        Net.until("only the acceptor thread left", Duration.ofSeconds(30),
                () -> Resources.parleyThreads().stream().allMatch(name -> name.equals("parley-acceptor")));
    }

    /** Runs {@code count} lifecycles from {@link #WORKERS} virtual threads against {@link #ACCEPTORS}. */
    private static void run(Listener listener, Listener unattended, int count,
                            List<WeakReference<ParleyConnection>> sample, AtomicLongArray endings) throws Exception {
        AtomicInteger next = new AtomicInteger();
        AtomicBoolean done = new AtomicBoolean();
        ConcurrentLinkedQueue<WeakReference<ParleyConnection>> sampled = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        AcceptCondition condition = request -> request.callerData()[0] == Ending.REJECTED.ordinal()
                ? Decision.reject("rejected on purpose") : Decision.accept();
        List<CompletableFuture<Void>> acceptors = new ArrayList<>();
        for (int a = 0; a < ACCEPTORS; a++) {
            acceptors.add(Net.async(() -> {
                int served = 0;
                while (!done.get()) {
                    ParleyConnection server;
                    try {
                        AcceptResult result = listener.accept(condition, Duration.ofMillis(100));
                        if (!(result instanceof AcceptResult.Accepted accepted)) {
                            continue;
                        }
                        server = accepted.connection();
                    } catch (TimedOutException e) {
                        continue;
                    }
                    if (sample != null && served++ % SAMPLE_EVERY == 0) {
                        sampled.add(new WeakReference<>(server));
                    }
                    Thread.ofVirtual().name("leak-test-server").start(() -> {
                        try {
                            serve(server);
                        } catch (Throwable t) {
                            failures.add(t);
                        }
                    });
                }
                return null;
            }));
        }
        List<CompletableFuture<Void>> workers = new ArrayList<>();
        for (int w = 0; w < WORKERS; w++) {
            workers.add(Net.async(() -> {
                for (int i = next.getAndIncrement(); i < count && failures.isEmpty(); i = next.getAndIncrement()) {
                    Ending ending = Ending.values()[new Random(i).nextInt(Ending.values().length)];
                    ParleyConnection client = lifecycle(ending == Ending.CONNECT_TIMEOUT ? unattended : listener, ending);
                    endings.incrementAndGet(ending.ordinal());
                    if (client != null && sample != null && i % SAMPLE_EVERY == 0) {
                        sampled.add(new WeakReference<>(client));
                    }
                }
                return null;
            }));
        }
        try {
            for (CompletableFuture<Void> worker : workers) {
                Net.result(worker, Duration.ofMinutes(30));
            }
        } finally {
            done.set(true);
            for (CompletableFuture<Void> acceptor : acceptors) {
                Net.result(acceptor);
            }
        }
        assertThat(failures).as("server-side failures").isEmpty();
        if (sample != null) {
            sample.addAll(sampled);
        }
    }

    /** The client's part of one lifecycle; returns its connection (null if refused). */
    private static ParleyConnection lifecycle(Listener listener, Ending ending) throws Exception {
        ConnectionSettings settings = ending == Ending.CLIENT_ABORTIVE_CLOSE
                ? ConnectionSettings.DEFAULTS.withLinger(Linger.ABORTIVE) : ConnectionSettings.DEFAULTS;
        ConnectOptions options = ConnectOptions.builder().callerData(new byte[] {(byte) ending.ordinal()})
                .connectTimeout(ending == Ending.CONNECT_TIMEOUT ? CALLER_TIMEOUT : Duration.ofSeconds(10))
                .settings(settings).build();
        ParleyConnection client;
        try {
            client = Net.connect(listener, options);
        } catch (TimedOutException e) {
            assertThat(ending).isEqualTo(Ending.CONNECT_TIMEOUT);
            return null;
        } catch (ConnectionRefusedException e) {
            assertThat(ending).isEqualTo(Ending.REJECTED);
            assertThat(e.reason()).isEqualTo(ReasonCode.REFUSED);
            return null;
        }
        assertThat(ending).isNotIn(Ending.REJECTED, Ending.CONNECT_TIMEOUT);
        client.send(utf8("deposit 25"));
        switch (ending) {
            case GRACEFUL -> {
                client.sendDisconnect(utf8("25"));
                assertThat(client.receive(Net.BOUND)).asString(StandardCharsets.UTF_8).isEqualTo("ok");
                assertThat(client.receive(Net.BOUND)).isNull();
                assertThat(client.receiveDisconnect()).asString(StandardCharsets.UTF_8).isEqualTo("1025");
                client.close();
                assertThat(Net.result(client.termination())).isEqualTo(CloseIndication.GRACEFUL);
            }
            case CLIENT_ABORTIVE_CLOSE -> {
                client.close();
                assertThat(Net.result(client.termination()).kind()).isEqualTo(CloseIndication.Kind.ABORTED);
            }
            case SERVER_ABORT -> {
                try {
                    client.receive(Net.BOUND);
                    throw new AssertionError("the server's abort was not seen");
                } catch (ConnectionResetException e) {
                    client.close();
                }
                assertThat(Net.result(client.termination()).kind()).isEqualTo(CloseIndication.Kind.RESET);
            }
            case CALLER_TIMEOUT -> {
                try {
                    client.receive(CALLER_TIMEOUT);
                    throw new AssertionError("the server answered a lifecycle meant to time out");
                } catch (TimedOutException e) {
                    client.abort("caller timeout");
                }
                assertThat(Net.result(client.termination()).kind()).isEqualTo(CloseIndication.Kind.ABORTED);
            }
            case REJECTED, CONNECT_TIMEOUT -> throw new AssertionError("connected in " + ending);
        }
        return client;
    }

    /** The server's part: as the caller data says. */
    private static void serve(ParleyConnection server) throws Exception {
        Ending ending = Ending.values()[server.callerData()[0]];
        switch (ending) {
            case GRACEFUL -> {
                assertThat(server.receive(Net.BOUND)).isNotNull();
                server.send(utf8("ok"));
                assertThat(server.receive(Net.BOUND)).isNull();
                assertThat(server.receiveDisconnect()).asString(StandardCharsets.UTF_8).isEqualTo("25");
                server.sendDisconnect(utf8("1025"));
                server.close();
                assertThat(Net.result(server.termination())).isEqualTo(CloseIndication.GRACEFUL);
            }
            case SERVER_ABORT -> {
                assertThat(server.receive(Net.BOUND)).isNotNull();
                server.abort("server abort");
                assertThat(Net.result(server.termination()).kind()).isEqualTo(CloseIndication.Kind.ABORTED);
            }
            case CLIENT_ABORTIVE_CLOSE, CALLER_TIMEOUT -> {
                // Reads until the client's reset: its abortive close, or its abort after its timeout.
                try {
                    while (server.receive(Net.BOUND) != null) {
                        // the client's message
                    }
                    throw new AssertionError("the client ended gracefully in " + ending);
                } catch (ConnectionResetException e) {
                    server.close();
                }
                assertThat(Net.result(server.termination()).kind()).isEqualTo(CloseIndication.Kind.RESET);
            }
            case REJECTED, CONNECT_TIMEOUT -> throw new AssertionError("accepted in " + ending);
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
