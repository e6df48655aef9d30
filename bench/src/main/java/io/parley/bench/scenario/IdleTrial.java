package io.parley.bench.scenario;

import io.parley.bench.harness.CountMismatchException;
import io.parley.bench.harness.FailureLatch;
import io.parley.bench.harness.Figures;
import io.parley.bench.harness.HandshakePeer;
import io.parley.bench.harness.Impl;
import io.parley.bench.harness.Threads;
import io.parley.bench.harness.Trial;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The idle scenario: {@value #CONNECTIONS} established connections that do nothing. The server runs alone in
 * a child JVM ({@link IdleServer}) with a pre-touched fixed heap, so its live heap after a full GC and its
 * resident memory outside the heap can be measured before and after; the clients run here. Figures: heap and
 * native bytes per connection (server side), and the time to open them all (until the server accepted the
 * last). Each run is a fresh child, so runs cannot share warm state; the duration is not used. Before the
 * baseline, {@value #WARM_UP_CONNECTIONS} connections are opened and closed, so that what is loaded and
 * compiled once (classes, code) is not counted as memory per connection, for every implementation alike.
 */
public final class IdleTrial implements Trial {
    /** Connections opened and held. */
    public static final int CONNECTIONS = 10_000;
    private static final int CONNECTORS = 64;
    private static final int WARM_UP_CONNECTIONS = 1_000;

    private final Impl impl;
    private final Supplier<HandshakePeer> peers;

    /** Idle connections of {@code impl}; {@code peers} makes the client side here. */
    public IdleTrial(Impl impl, Supplier<HandshakePeer> peers) {
        this.impl = impl;
        this.peers = peers;
    }

    @Override
    public Figures run(Duration ignored) throws Exception {
        Process server = IdleServer.launch(impl);
        try (var in = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
             var out = new PrintWriter(server.getOutputStream(), true, StandardCharsets.UTF_8);
             HandshakePeer peer = peers.get()) {
            var address = new InetSocketAddress(io.parley.bench.harness.Loopback.ADDRESS, (int) expect(in, "PORT")[0]);
            closeAll(open(peer, address, WARM_UP_CONNECTIONS));
            out.println("await " + WARM_UP_CONNECTIONS);
            expect(in, "ACCEPTED");
            out.println("baseline");
            long[] before = expect(in, "MEMORY");
            long start = System.nanoTime();
            List<AutoCloseable> connections = open(peer, address, CONNECTIONS);
            out.println("await " + (WARM_UP_CONNECTIONS + CONNECTIONS));
            long accepted = expect(in, "ACCEPTED")[0] - WARM_UP_CONNECTIONS;
            long openNanos = System.nanoTime() - start;
            CountMismatchException.check("idle connections (clients vs server)", connections.size(), accepted);
            out.println("measure");
            long[] after = expect(in, "MEMORY");
            closeAll(connections);
            out.println("quit");
            double heap = (after[0] - before[0]) / (double) CONNECTIONS;
            double nativeBytes = (after[1] - before[1]) / (double) CONNECTIONS;
            return new Figures()
                    .put("total B/conn", heap + nativeBytes)
                    .put("heap B/conn", heap)
                    .put("native B/conn", nativeBytes)
                    .put("open s", openNanos / 1e9);
        } finally {
            if (!server.waitFor(30, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
    }

    private static List<AutoCloseable> open(HandshakePeer peer, InetSocketAddress address, int total) throws Exception {
        List<AutoCloseable> connections = Collections.synchronizedList(new ArrayList<>(total));
        FailureLatch failures = new FailureLatch();
        int each = total / CONNECTORS;
        List<Thread> threads = Threads.start("idle-connect", CONNECTORS, failures, index -> {
            int count = index < total % CONNECTORS ? each + 1 : each;
            for (int i = 0; i < count && !failures.failed(); i++) {
                connections.add(peer.connect(address));
            }
        });
        Threads.joinAll(threads, 300);
        failures.rethrow("opening idle connections");
        return connections;
    }

    private static void closeAll(List<AutoCloseable> connections) throws Exception {
        FailureLatch failures = new FailureLatch();
        List<AutoCloseable> all = List.copyOf(connections);
        List<Thread> threads = Threads.start("idle-close", CONNECTORS, failures, index -> {
            for (int i = index; i < all.size(); i += CONNECTORS) {
                all.get(i).close();
            }
        });
        Threads.joinAll(threads, 120);
        failures.rethrow("closing idle connections");
    }

    /** Reads lines until one starts with {@code word}; returns the numbers after it. */
    private static long[] expect(BufferedReader in, String word) throws IOException {
        String line;
        while ((line = in.readLine()) != null) {
            if (line.startsWith(word + " ")) {
                String[] parts = line.substring(word.length() + 1).trim().split(" ");
                long[] numbers = new long[parts.length];
                for (int i = 0; i < parts.length; i++) {
                    numbers[i] = Long.parseLong(parts[i]);
                }
                return numbers;
            }
            if (line.startsWith("FAILED")) {
                throw new IllegalStateException("idle server: " + line);
            }
        }
        throw new IllegalStateException("idle server ended before it said " + word);
    }

    @Override
    public void close() {
        // Each run had its own server process.
    }
}
