package io.parley.cli;

import io.parley.ConnectOptions;
import io.parley.Parley;
import io.parley.ParleyConnection;

import com.sun.management.UnixOperatingSystemMXBean;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * {@code parley events-demo}: N clients hold their connections open at once against a totals server that
 * serves all of them from one platform thread through an event waiter ({@link EventTotalsServer}); once every
 * client is connected, each sends its count as disconnect data and reads the grand total.
 */
final class EventsDemoCommand implements Command {
    private static final Duration BOUND = Duration.ofSeconds(120);
    private static final int MAX_CLIENTS = 50_000;
    private static final int DEFAULT_CLIENTS = 10_000;
    /** Descriptors kept free for the JVM itself (jars, the listener, selectors) beyond two per client. */
    private static final int SPARE_DESCRIPTORS = 200;

    @Override
    public String name() {
        return "events-demo";
    }

    @Override
    public String summary() {
        return "one platform thread serves N connections held open at once, through an event waiter";
    }

    @Override
    public String description() {
        return """
                Runs the totals exchange of N clients against a server that serves every connection from one
                platform thread through an EventWaiter (WSAEventSelect and WSAWaitForMultipleEvents). The clients
                connect and wait until all N are connected, so the server holds N connections at once; then
                client k sends k as its disconnect data and reads the grand total the server answers with.""";
    }

    @Override
    public String synopsis() {
        return "[--clients N]";
    }

    @Override
    public List<Option> options() {
        return List.of(Option.value("clients", "N", "how many clients hold a connection at once, 1 to "
                + MAX_CLIENTS + " (default 10000, or as many as the open-files limit allows: each takes two file"
                + " descriptors in this process)"));
    }

    @Override
    public String notes() {
        return """
                Exit status:
                  0  every client was told a grand total, and the last is 1 + 2 + ... + N
                  1  a client or the server failed (such as too many open files), or bad usage
                  5  the totals did not reconcile
                """;
    }

    @Override
    public int run(Arguments arguments, Streams streams) throws UsageException, IOException, InterruptedException {
        long descriptors = descriptorLimit();
        int fitting = (int) Math.max(1, Math.min(DEFAULT_CLIENTS, (descriptors - SPARE_DESCRIPTORS) / 2));
        int clients = (int) arguments.number("clients", fitting, 1, MAX_CLIENTS);
        if (2L * clients + SPARE_DESCRIPTORS > descriptors) {
            throw new UsageException("--clients " + clients + " needs about " + (2L * clients + SPARE_DESCRIPTORS)
                    + " file descriptors, and this process may open " + descriptors + ": raise it (ulimit -n) or ask"
                    + " for at most " + fitting + " clients");
        }
        try (EventTotalsServer server = new EventTotalsServer(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), clients)) {
            Queue<String> serverFailure = new ConcurrentLinkedQueue<>();
            Thread serving = Thread.ofPlatform().name("events-demo-server").start(() -> {
                try {
                    server.serve();
                } catch (IOException | RuntimeException e) {
                    serverFailure.add(e.toString());
                }
            });
            streams.out().printf("Parley events demo: %d client(s) against a totals server on %s, served from one"
                    + " platform thread (%s).%n", clients, HostPort.format(server.address()), serving.getName());
            long[] answers = new long[clients];
            List<String> failures = new ArrayList<>();
            long[] phases = runClients(server, clients, answers, failures);
            server.stop();
            serving.join(BOUND.toMillis());
            failures.addAll(serverFailure);
            return report(clients, answers, failures, phases, server.mostOpen(), streams);
        }
    }

    /** How many files this process may open; {@link Long#MAX_VALUE} where the platform does not say. */
    private static long descriptorLimit() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean unix
                ? unix.getMaxFileDescriptorCount() : Long.MAX_VALUE;
    }

    /** Runs the clients; returns the nanoseconds until all were connected and until all had their answer. */
    private static long[] runClients(EventTotalsServer server, int clients, long[] answers, List<String> failures)
            throws InterruptedException {
        CountDownLatch connected = new CountDownLatch(clients);
        CountDownLatch release = new CountDownLatch(1);
        long start = System.nanoTime();
        long allConnected;
        List<Future<Long>> runs = new ArrayList<>(clients);
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int k = 1; k <= clients; k++) {
                long count = k;
                runs.add(threads.submit(() -> exchange(server.address(), count, connected, release)));
            }
            boolean all = connected.await(BOUND.toSeconds(), TimeUnit.SECONDS);
            allConnected = System.nanoTime() - start;
            release.countDown();
            if (!all) {
                failures.add("only " + (clients - connected.getCount()) + " of " + clients + " clients connected within "
                        + BOUND.toSeconds() + " s");
            }
        }
        long done = System.nanoTime() - start;
        for (int k = 0; k < clients; k++) {
            try {
                answers[k] = runs.get(k).get();
            } catch (ExecutionException e) {
                if (failures.size() < 5) {
                    failures.add("client " + (k + 1) + " failed: " + e.getCause());
                }
                answers[k] = -1;
            }
        }
        return new long[] {allConnected, done - allConnected};
    }

    private static long exchange(InetSocketAddress server, long count, CountDownLatch connected,
                                 CountDownLatch release) throws Exception {
        boolean counted = false;
        try (ParleyConnection c = Parley.tcp().connect(server, ConnectOptions.builder().connectTimeout(BOUND).build())) {
            connected.countDown();
            counted = true;
            if (!release.await(BOUND.toSeconds(), TimeUnit.SECONDS)) {
                throw new IOException("not released within " + BOUND.toSeconds() + " s");
            }
            c.sendDisconnect(Long.toString(count).getBytes(StandardCharsets.US_ASCII));
            while (c.receive(BOUND) != null) {
                // the server sends nothing before its disconnect
            }
            return Long.parseLong(new String(c.receiveDisconnect(), StandardCharsets.US_ASCII));
        } finally {
            if (!counted) {
                connected.countDown(); // a client that failed to connect must not hold the others back
            }
        }
    }

    private static int report(int clients, long[] answers, List<String> failures, long[] phases, int mostOpen,
                              Streams streams) {
        long expected = clients * (clients + 1L) / 2;
        long last = 0;
        int belowOwn = 0;
        for (int k = 0; k < clients; k++) {
            last = Math.max(last, answers[k]);
            if (answers[k] >= 0 && answers[k] < k + 1) {
                belowOwn++;
            }
        }
        double connectSeconds = phases[0] / 1e9;
        double exchangeSeconds = phases[1] / 1e9;
        streams.out().printf("All %d connected in %.2f s; the server held %d open at once.%n", clients,
                connectSeconds, mostOpen);
        streams.out().printf("The %d exchanges took %.2f s (%.0f per second); the last grand total is %d"
                + " (1 + ... + %d = %d).%n", clients, exchangeSeconds, clients / Math.max(exchangeSeconds, 1e-9), last,
                clients, expected);
        if (!failures.isEmpty()) {
            streams.out().println("FAILED:");
            failures.forEach(f -> streams.out().println("  " + f));
            return ExitCode.FAILED.code();
        }
        if (last != expected || belowOwn > 0) {
            streams.out().println("NOT reconciled: " + belowOwn + " client(s) were told less than their own count.");
            return ExitCode.NOT_RECONCILED.code();
        }
        streams.out().println("Reconciled: every client was told a grand total, and the last one counts every client once.");
        return ExitCode.OK.code();
    }
}
