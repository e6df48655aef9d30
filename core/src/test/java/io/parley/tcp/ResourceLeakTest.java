package io.parley.tcp;

import io.parley.CloseIndication;
import io.parley.ConnectOptions;
import io.parley.ParleyConnection;
import io.parley.Decision;
import io.parley.ListenOptions;
import io.parley.Parley;
import io.parley.TimedOutException;
import io.parley.testing.LiveThreads;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.lang.ref.WeakReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * 10,000 connect/teardown cycles leave nothing behind. What is asserted, once the background closers had a
 * bounded time to finish:
 * <ul>
 *   <li>file descriptors: /proc/self/fd counts no more than before (every socket closed, on both sides),
 *       checked while the test still holds every connection, so no socket can have been closed by the
 *       garbage collector's cleaner instead of by Parley;</li>
 *   <li>Parley's threads: the JDK's thread containers, which list virtual threads too ({@link LiveThreads}),
 *       show no parley-reader/-writer/-closer thread left, only the listener's acceptor, as before;</li>
 *   <li>platform threads (ThreadMXBean): no more than before plus the virtual-thread scheduler's carriers,
 *       which the JDK may add and retire on its own;</li>
 *   <li>buffers and futures: once the test lets go of them, every connection (both sides) becomes
 *       unreachable — nothing (the listener's bookkeeping, a future, a callback, a parked thread) still
 *       holds them — and the heap used after a GC is back near where it started.</li>
 * </ul>
 */
class ResourceLeakTest {
    private static final int CYCLES = 10_000;
    private static final int WORKERS = 8;
    private static final int ACCEPTORS = 2;

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void tenThousandConnectTeardownCyclesLeaveNoDescriptorThreadOrBufferBehind() throws Exception {
        try (LoopbackFixture f = new LoopbackFixture(ListenOptions.builder().backlog(256).build())) {
            run(f, 300, null); // warm-up: lets the JDK create its pollers, carriers and caches first
            awaitQuiet();
            long fdsBefore = openFileDescriptors();
            int platformBefore = platformThreads();
            List<String> parleyBefore = parleyThreads();
            long heapBefore = usedHeapAfterGc();

            ConcurrentLinkedQueue<ParleyConnection> held = new ConcurrentLinkedQueue<>();
            long start = System.nanoTime();
            run(f, CYCLES, held);
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            System.out.printf("ResourceLeakTest: %d cycles in %d ms%n", CYCLES, took.toMillis());
            assertThat(held).hasSize(2 * CYCLES);

            Await.until("file descriptors back to " + fdsBefore, Duration.ofSeconds(20),
                    () -> openFileDescriptors() <= fdsBefore);
            Await.until("Parley threads back to " + parleyBefore, Duration.ofSeconds(20),
                    () -> parleyThreads().equals(parleyBefore));
            List<WeakReference<ParleyConnection>> released = new ArrayList<>();
            for (ParleyConnection connection; (connection = held.poll()) != null; ) {
                released.add(new WeakReference<>(connection));
            }
            Await.until("every connection becomes unreachable", Duration.ofSeconds(20), () -> {
                System.gc();
                return released.stream().allMatch(ref -> ref.get() == null);
            });
            int carriers = Runtime.getRuntime().availableProcessors();
            assertThat(platformThreads()).isLessThanOrEqualTo(platformBefore + carriers);
            assertThat(usedHeapAfterGc()).isLessThan(heapBefore + 32L * 1024 * 1024);
            assertThat(f.listener.pendingCount()).isZero();
        }
        Await.until("no Parley thread outlives its listener and connections", Duration.ofSeconds(20),
                () -> parleyThreads().isEmpty());
    }

    /**
     * {@code cycles} connect, accept, close-both-ways cycles over {@link #WORKERS} virtual threads; both ends
     * of each are added to {@code held} if it is not null.
     */
    private static void run(LoopbackFixture f, int cycles, ConcurrentLinkedQueue<ParleyConnection> held) throws Exception {
        AtomicInteger next = new AtomicInteger();
        AtomicInteger served = new AtomicInteger();
        ConcurrentLinkedQueue<CompletableFuture<Void>> serverEnds = new ConcurrentLinkedQueue<>();
        List<CompletableFuture<Void>> acceptors = new ArrayList<>();
        for (int a = 0; a < ACCEPTORS; a++) {
            acceptors.add(f.async(() -> {
                while (served.get() < cycles) {
                    ParleyConnection server;
                    try {
                        server = LoopbackFixture.accepted(f.listener.accept(r -> Decision.accept(), Duration.ofMillis(200)));
                    } catch (TimedOutException e) {
                        continue;
                    }
                    served.incrementAndGet();
                    if (held != null) {
                        held.add(server);
                    }
                    // The server ends when the client's disconnect arrives: recv 0, then close.
                    serverEnds.add(f.async(() -> {
                        assertThat(server.receive(Await.BOUND)).isNull();
                        server.close();
                        assertThat(Await.result(server.termination())).isEqualTo(CloseIndication.GRACEFUL);
                        return null;
                    }));
                }
                return null;
            }));
        }
        List<CompletableFuture<Void>> workers = new ArrayList<>();
        for (int w = 0; w < WORKERS; w++) {
            workers.add(f.async(() -> {
                for (int i = next.getAndIncrement(); i < cycles; i = next.getAndIncrement()) {
                    ParleyConnection client = Parley.tcp().connect(f.address(), ConnectOptions.defaults());
                    if (held != null) {
                        held.add(client);
                    }
                    client.close();
                    assertThat(Await.result(client.termination())).isEqualTo(CloseIndication.GRACEFUL);
                }
                return null;
            }));
        }
        for (CompletableFuture<Void> worker : workers) {
            Await.result(worker, Duration.ofSeconds(50));
        }
        for (CompletableFuture<Void> acceptor : acceptors) {
            Await.result(acceptor);
        }
        for (CompletableFuture<Void> end : serverEnds) {
            Await.result(end);
        }
    }

    private void awaitQuiet() throws InterruptedException {
        Await.until("only the acceptor thread left", Duration.ofSeconds(20),
                () -> parleyThreads().stream().allMatch(name -> name.equals("parley-acceptor")));
    }

    private static long openFileDescriptors() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The names (without their numeric suffix) of all live Parley threads, virtual ones included, sorted. */
    private static List<String> parleyThreads() {
        return LiveThreads.parleyThreadNames();
    }

    private static long usedHeapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
    }

    // The management API is reached by reflection: the tests are compiled into the io.parley module, which
    // does not read java.management or jdk.management (and should not, for their sake); at run time the
    // tests run on the class path, where both are readable.

    /** The live platform threads (ThreadMXBean.getThreadCount): virtual threads are not counted. */
    private static int platformThreads() {
        try {
            Class<?> type = Class.forName("java.lang.management.ThreadMXBean");
            Object bean = platformBean(type);
            return (Integer) type.getMethod("getThreadCount").invoke(bean);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Object platformBean(Class<?> type) throws ReflectiveOperationException {
        return Class.forName("java.lang.management.ManagementFactory")
                .getMethod("getPlatformMXBean", Class.class).invoke(null, type);
    }
}
