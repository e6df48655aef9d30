package io.parley.cli;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A {@link TotalsServer} in this JVM on 127.0.0.1 and a free port, accepting on its own thread, with its log
 * collected line by line so that a test can wait for a line, bounded in time.
 */
final class InProcessServer implements AutoCloseable {
    private static final Duration GRACE = Duration.ofSeconds(5);

    final RunningTotal total;
    final TotalsServer server;
    private final Log log;
    private final Thread acceptor;
    private volatile IOException failure;

    private InProcessServer(RunningTotal total, TotalsServer server, Log log) {
        this.total = total;
        this.server = server;
        this.log = log;
        this.acceptor = Thread.ofVirtual().name("test-acceptor").start(() -> {
            try {
                server.serve();
            } catch (IOException e) {
                failure = e;
            }
        });
    }

    /** Starts a server with a running total in {@code dataDir}, at most {@code maxClients} at once. */
    static InProcessServer start(Path dataDir, int maxClients, Set<String> denied) throws IOException {
        RunningTotal total = RunningTotal.open(dataDir);
        Log log = new Log();
        try {
            TotalsServer server = TotalsServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                    denied, maxClients, total, report -> { }, log);
            return new InProcessServer(total, server, log);
        } catch (IOException | RuntimeException e) {
            total.close();
            throw e;
        }
    }

    /** The address clients connect to. */
    InetSocketAddress address() {
        return server.address();
    }

    /** Waits for a log line that matches, returning it. */
    String awaitLog(Predicate<String> match, Duration bound) throws InterruptedException {
        return log.await(match, bound);
    }

    /** The log so far. */
    List<String> logLines() {
        return log.snapshot();
    }

    /** Shuts the server down, waits for its accepting thread and closes the running total. */
    @Override
    public void close() throws IOException {
        try {
            server.shutdown(GRACE);
            if (!acceptor.join(GRACE)) {
                throw new AssertionError("the accepting thread did not end within " + GRACE);
            }
            if (failure != null) {
                throw new AssertionError("accepting failed", failure);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while the server stopped");
        } finally {
            total.close();
        }
    }

    /** The server's log: lines from any thread, awaited by the test. */
    private static final class Log implements Consumer<String> {
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition added = lock.newCondition();
        private final List<String> lines = new ArrayList<>();

        @Override
        public void accept(String line) {
            lock.lock();
            try {
                lines.add(line);
                added.signalAll();
            } finally {
                lock.unlock();
            }
        }

        String await(Predicate<String> match, Duration bound) throws InterruptedException {
            long left = bound.toNanos();
            lock.lock();
            try {
                while (true) {
                    for (String line : lines) {
                        if (match.test(line)) {
                            return line;
                        }
                    }
                    if (left <= 0) {
                        throw new AssertionError("no such log line within " + bound + ":\n  "
                                + String.join("\n  ", lines));
                    }
                    left = added.awaitNanos(left);
                }
            } finally {
                lock.unlock();
            }
        }

        List<String> snapshot() {
            lock.lock();
            try {
                return List.copyOf(lines);
            } finally {
                lock.unlock();
            }
        }
    }
}
