package io.parley.cli;

import io.parley.ClosedException;
import io.parley.ParleyConnection;
import io.parley.ListenOptions;
import io.parley.Listener;
import io.parley.Parley;
import io.parley.RequestDeferredException;
import io.parley.RequestRejectedException;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The totals server: one accepting thread presents each connection request to the {@link Admission}
 * condition and runs each accepted client's {@link ServerSession} on a virtual thread. After a deferral it
 * waits for a session to end before accepting again, and the next accept presents the deferred request
 * again (it stays first in the queue).
 */
final class TotalsServer {
    private static final Duration AFTER_ABORT = Duration.ofSeconds(1);

    private final Listener listener;
    private final RunningTotal total;
    private final int maxClients;
    private final Consumer<SessionReport> reports;
    private final Consumer<String> log;
    private final ActiveSessions sessions = new ActiveSessions();
    private final Admission admission;
    private final CountDownLatch acceptingEnded = new CountDownLatch(1);

    private TotalsServer(Listener listener, Set<String> denied, int maxClients, RunningTotal total,
                         Consumer<SessionReport> reports, Consumer<String> log) {
        this.listener = listener;
        this.total = total;
        this.maxClients = maxClients;
        this.reports = reports;
        this.log = log;
        String serverId = "totals-" + ProcessHandle.current().pid() + "@" + HostPort.format(address());
        this.admission = new Admission(serverId, denied, maxClients, sessions, total, log);
    }

    /**
     * Listens on {@code address} (port 0 picks a free one); call {@link #serve()} to accept.
     *
     * @param denied     client names to refuse
     * @param maxClients the most sessions in progress at once; requests beyond it are deferred
     * @param total      the running total, durable
     * @param reports    told how each session ended, on the session's thread
     * @param log        told what happens, one line at a time, from any thread
     */
    static TotalsServer start(InetSocketAddress address, Set<String> denied, int maxClients, RunningTotal total,
                              Consumer<SessionReport> reports, Consumer<String> log) throws IOException {
        Listener listener;
        try {
            listener = Parley.tcp().listen(address, ListenOptions.defaults());
        } catch (IOException e) {
            throw new IOException("cannot listen on " + HostPort.format(address) + ": " + e.getMessage(), e);
        }
        return new TotalsServer(listener, denied, maxClients, total, reports, log);
    }

    /** The address the server listens on, with the actual port. */
    InetSocketAddress address() {
        return (InetSocketAddress) listener.localAddress();
    }

    /** Accepts clients on the calling thread until {@link #shutdown} closes the listener. */
    void serve() throws IOException {
        try {
            while (true) {
                ParleyConnection connection;
                try {
                    connection = listener.accept(admission);
                } catch (ClosedException e) {
                    return;
                } catch (RequestRejectedException e) {
                    continue; // the admission logged why
                } catch (RequestDeferredException e) {
                    awaitFreeSlot();
                    continue;
                }
                String client = ClientName.parse(connection.callerData());
                sessions.begin(connection);
                Thread.ofVirtual().name("session-" + client)
                        .start(new ServerSession(connection, client, total, sessions, reports, log));
            }
        } finally {
            acceptingEnded.countDown();
        }
    }

    /**
     * Stops accepting (pending requests are refused as shutting down), lets the sessions in progress end
     * within {@code grace}, then aborts those left: they add nothing.
     */
    void shutdown(Duration grace) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + grace.toNanos();
        listener.close();
        sessions.stopWaiting();
        acceptingEnded.await(grace.toNanos(), TimeUnit.NANOSECONDS);
        int inProgress = sessions.count();
        if (inProgress > 0) {
            log.accept("stopping: waiting up to " + grace.toSeconds() + " s for " + inProgress
                    + " session(s) in progress");
        }
        if (!sessions.awaitNone(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) {
            List<ParleyConnection> left = sessions.snapshot();
            for (ParleyConnection connection : left) {
                abortQuietly(connection);
            }
            log.accept("aborted " + left.size() + " session(s) still in progress");
            sessions.awaitNone(AFTER_ABORT);
        }
        log.accept("stopped; running total " + total.current());
    }

    /** Aborts a session still in progress; one that closed meanwhile refuses, which is fine here. */
    private void abortQuietly(ParleyConnection connection) {
        try {
            connection.abort("the server is shutting down");
        } catch (IOException e) {
            log.accept("abort of " + connection.remoteAddress() + " at shutdown: " + e.getMessage());
        }
    }

    private void awaitFreeSlot() throws InterruptedIOException {
        try {
            sessions.awaitFewerThan(maxClients);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for a free slot");
        }
    }
}
