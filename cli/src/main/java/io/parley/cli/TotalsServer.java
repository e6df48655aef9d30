package io.parley.cli;

import io.parley.AcceptResult;
import io.parley.CloseIndication;
import io.parley.ClosedException;
import io.parley.ConnectionSettings;
import io.parley.Limits;
import io.parley.ListenOptions;
import io.parley.Listener;
import io.parley.Parley;
import io.parley.ParleyConnection;
import io.parley.ReasonCode;
import io.parley.WinsockCoded;

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
 * condition, logs what became of it, and runs each accepted client's {@link ServerSession} on a virtual
 * thread. After a deferral it waits for a session to end before accepting again, and the next accept
 * presents the deferred request again (it stays first in the queue).
 */
final class TotalsServer {
    /**
     * How long a new transport connection may take to deliver its whole request (preamble and CONNECT);
     * then the listener sends ABORT TIMED_OUT and closes it.
     */
    static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);
    /** Requests held waiting for a decision at most; one beyond it is refused at once with QUEUE_FULL. */
    static final int BACKLOG = 128;
    /** The largest message the server receives: a request {@code txn <i>} is at most 22 bytes. */
    static final int MAX_MESSAGE = 64;
    /** The largest disconnect data the server receives: a client's total is at most 18 digits. */
    static final int MAX_DISCONNECT_DATA = 64;
    /**
     * What the server receives at most: caller data of a client name's length (with any first message and
     * its 4 bytes, more is refused with DATA_TOO_LARGE before the condition sees it), messages and disconnect
     * data with room for the longest valid ones. The callee-data and reason-data limits stay Parley's
     * defaults: a callee receives neither.
     */
    static final Limits LIMITS = Limits.DEFAULTS.withMaxCallerData(ClientName.MAX_BYTES)
            .withMaxMessageSize(MAX_MESSAGE).withMaxDisconnectData(MAX_DISCONNECT_DATA);

    private static final ListenOptions LISTEN_OPTIONS = ListenOptions.builder().handshakeTimeout(HANDSHAKE_TIMEOUT)
            .backlog(BACKLOG).settings(ConnectionSettings.DEFAULTS.withLimits(LIMITS)).build();
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
        this.admission = new Admission(serverId, denied, maxClients, sessions, total);
    }

    /**
     * Listens on {@code address} (port 0 picks a free one) with the server's handshake timeout, backlog and
     * limits; call {@link #serve()} to accept.
     *
     * @param address    where to listen
     * @param denied     client names to refuse
     * @param maxClients the most sessions in progress at once; requests beyond it are deferred
     * @param total      the running total, durable
     * @param reports    told how each session ended, on the session's thread
     * @param log        told what happens, one line at a time, from any thread
     * @return the listening server
     * @throws IOException the server cannot listen there
     */
    static TotalsServer start(InetSocketAddress address, Set<String> denied, int maxClients, RunningTotal total,
                              Consumer<SessionReport> reports, Consumer<String> log) throws IOException {
        Listener listener;
        try {
            listener = Parley.tcp().listen(address, LISTEN_OPTIONS);
        } catch (IOException e) {
            throw new IOException("cannot listen on " + HostPort.format(address) + ": " + e.getMessage(), e);
        }
        return new TotalsServer(listener, denied, maxClients, total, reports, log);
    }

    /**
     * The address the server listens on.
     *
     * @return the address, with the actual port
     */
    InetSocketAddress address() {
        return (InetSocketAddress) listener.localAddress();
    }

    /**
     * Accepts clients on the calling thread until {@link #shutdown} closes the listener, logging what became
     * of each request.
     *
     * @throws IOException accepting failed other than by the listener's close (interrupted, transport failure)
     */
    void serve() throws IOException {
        try {
            while (true) {
                AcceptResult result;
                try {
                    result = listener.accept(admission);
                } catch (ClosedException e) {
                    return; // shutdown closed the listener
                }
                switch (result) {
                    case AcceptResult.Accepted accepted -> begin(accepted.connection(), accepted.request().deferrals());
                    case AcceptResult.Deferred d -> {
                        log.accept("deferred " + Admission.who(d.request()) + ": " + sessions.count() + " of "
                                + maxClients + " clients in progress (" + winsock(d) + ")");
                        awaitFreeSlot();
                    }
                    case AcceptResult.Rejected rejected -> log.accept("refused " + Admission.who(rejected.request())
                            + ": " + rejected.refusal().reasonText() + " (" + rejected.refusal().reason() + ", "
                            + winsock(rejected) + ")");
                    case AcceptResult.Abandoned abandoned -> log.accept("abandoned the request of "
                            + Admission.who(abandoned.request()) + ": " + howEnded(abandoned.ending()) + " ("
                            + winsock(abandoned) + ")");
                    case AcceptResult.AnswerTooLarge tooLarge -> log.accept("refused "
                            + Admission.who(tooLarge.request()) + " with DATA_TOO_LARGE: it takes at most "
                            + tooLarge.request().maxCalleeData() + " bytes of callee data, too few for "
                            + tooLarge.answer() + " (" + winsock(tooLarge) + ")");
                }
            }
        } finally {
            acceptingEnded.countDown();
        }
    }

    /**
     * Starts the session of an accepted client on its own virtual thread.
     *
     * @param connection the accepted connection
     * @param deferrals  how many times its request was deferred before it was accepted
     */
    private void begin(ParleyConnection connection, int deferrals) throws IOException {
        String client = ClientName.parse(connection.callerData()); // the admission accepts valid names only
        log.accept("accepted " + client + " from " + connection.remoteAddress() + " with "
                + Text.quote(connection.calleeData()) + (deferrals > 0 ? " after " + deferrals + " deferral(s)" : ""));
        sessions.begin(connection);
        Thread.ofVirtual().name("session-" + client)
                .start(new ServerSession(connection, client, total, sessions, reports, log));
    }

    /** How a pending request ended before it was decided, for a log line. */
    private static String howEnded(CloseIndication ending) {
        if (ending.reason() == ReasonCode.WITHDRAWN) {
            return "its caller withdrew it (its connect timed out, or it closed)";
        }
        return "it ended before a decision, " + ending.kind() + " (" + ending.reason() + ")"
                + (ending.detail().isEmpty() ? "" : ": " + ending.detail());
    }

    /** The Winsock code of an outcome, as a log line gives it: {@code WSAEACCES 10013}. */
    private static String winsock(WinsockCoded outcome) {
        return outcome.winsockError() + " " + outcome.winsockError().code();
    }

    /**
     * Stops accepting (pending requests are refused as shutting down), lets the sessions in progress end
     * within {@code grace}, then aborts those left: they add nothing.
     *
     * @param grace how long sessions in progress may take to finish
     * @throws IOException          closing the listener failed
     * @throws InterruptedException interrupted while waiting for the sessions
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
