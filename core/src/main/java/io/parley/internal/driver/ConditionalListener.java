package io.parley.internal.driver;

import io.parley.AcceptCondition;
import io.parley.AcceptResult;
import io.parley.ClosedException;
import io.parley.ParleyConnection;
import io.parley.Decision;
import io.parley.Group;
import io.parley.GroupKind;
import io.parley.Listener;
import io.parley.ListenOptions;
import io.parley.NetworkEvent;
import io.parley.ReasonCode;
import io.parley.TimedOutException;
import io.parley.WinsockError;
import io.parley.WouldBlockException;
import io.parley.internal.EngineConfigs;
import io.parley.internal.RequestSnapshot;
import io.parley.internal.events.EventSelection;
import io.parley.internal.events.EventSource;
import io.parley.protocol.EngineConfig;
import io.parley.protocol.IllegalCommandException;
import io.parley.protocol.ProtocolEngine;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A listener with conditional accept over any {@link StreamListener}. A virtual thread accepts streams; each one's
 * reader runs the handshake and, once the whole request arrived, queues it (or refuses it at once when the
 * queue is full). Accepting threads take requests from the head of the queue; a deferred request goes back
 * to the head, so the next accept presents it again.
 */
public final class ConditionalListener implements Listener, CalleeEvents, EventSource {
    private static final System.Logger LOG = System.getLogger("io.parley.driver");
    private static final Duration ACCEPTOR_EXIT = Duration.ofSeconds(5);
    private static final int MAX_ACCEPT_FAILURES = 50;
    private static final Duration ACCEPT_RETRY_PAUSE = Duration.ofMillis(100);
    private static final Decision.Reject CONDITION_FAILED = Decision.reject(ReasonCode.CONDITION_FAILED,
            "the callee's condition failed".getBytes(StandardCharsets.UTF_8));

    private final StreamListener server;
    private final ListenOptions options;
    private final EngineConfig engineConfig;
    private final ReentrantLock lock = new ReentrantLock();
    private final java.util.concurrent.locks.Condition arrived = lock.newCondition();
    private final ArrayDeque<StreamConnection> pending = new ArrayDeque<>();
    /** Connections not yet handed to the application (handshaking, queued or being decided). */
    private final Set<StreamConnection> unclaimed = ConcurrentHashMap.newKeySet();
    /** The groups of the connections this listener accepted [A7]. */
    private final GroupRegistry groups = new GroupRegistry();
    private final Thread acceptor;
    /** Its event registration (FD_ACCEPT). Lock held. */
    private final EventSelection selection = new EventSelection(lock, this);
    private boolean closed;
    private boolean blocking = true;

    /**
     * Starts accepting on {@code server}, whose connections get {@code options}' handshake timeout and
     * settings.
     */
    public ConditionalListener(StreamListener server, ListenOptions options) {
        this.server = server;
        this.options = options;
        this.engineConfig = EngineConfigs.of(options.settings().limits());
        this.acceptor = Thread.ofVirtual().name("parley-acceptor-" + server.localAddress()).start(this::acceptLoop);
    }

    @Override
    public SocketAddress localAddress() {
        return server.localAddress();
    }

    @Override
    public ParleyConnection accept() throws IOException {
        while (true) {
            if (accept(AcceptCondition.acceptAll(), Duration.ZERO) instanceof AcceptResult.Accepted accepted) {
                return accepted.connection();
            }
        }
    }

    @Override
    public AcceptResult accept(AcceptCondition condition) throws IOException {
        return accept(condition, Duration.ZERO);
    }

    @Override
    public AcceptResult accept(AcceptCondition condition, Duration timeout) throws IOException {
        StreamConnection request = take(ConnectionState.deadlineAfter(timeout), timeout);
        // As accept() gives the new socket the listening socket's mode; the answer is not written on this
        // thread either when it is non-blocking.
        request.configureBlocking(isBlocking());
        RequestSnapshot snapshot = request.snapshot();
        if (!request.isRequestAlive()) {
            return abandoned(request, snapshot);
        }
        Optional<String> noGroup = snapshot.group()
                .flatMap(group -> groups.refusal(group, snapshot.callerId(), snapshot.calleeId()));
        if (noGroup.isPresent()) { // a join of a group that is not there cannot be granted [A7]
            return carryOut(request, snapshot, Decision.reject(noGroup.get()));
        }
        Decision decision = decide(condition, snapshot, request);
        return switch (decision) {
            case Decision.Accept accept -> carryOut(request, snapshot, accept);
            case Decision.Reject reject -> carryOut(request, snapshot, reject);
            case Decision.Defer defer -> {
                if (!request.deferRequest()) {
                    yield abandoned(request, snapshot);
                }
                requeueFirst(request);
                yield new AcceptResult.Deferred(snapshot);
            }
        };
    }

    /** The condition's decision; a condition that fails or answers null rejects with CONDITION_FAILED. */
    private static Decision decide(AcceptCondition condition, RequestSnapshot snapshot, StreamConnection request) {
        try {
            Decision decision = condition.decide(snapshot);
            if (decision != null) {
                return decision;
            }
            LOG.log(System.Logger.Level.WARNING, "the condition returned no decision; request from {0} rejected",
                    request.remoteAddress());
        } catch (VirtualMachineError fatal) {
            throw fatal;
        } catch (Throwable e) {
            LOG.log(System.Logger.Level.WARNING, "condition failed; request from "
                    + request.remoteAddress() + " rejected", e);
        }
        return CONDITION_FAILED;
    }

    private AcceptResult carryOut(StreamConnection request, RequestSnapshot snapshot, Decision.Accept accept)
            throws IOException {
        Optional<String> unsupported = QosSupport.unsupported(accept.grantedQos());
        if (unsupported.isPresent()) {
            return refuseQos(request, snapshot, unsupported.get());
        }
        Optional<Group> group = accept.group()
                .flatMap(granted -> groups.admit(granted, snapshot.callerId(), snapshot.calleeId()));
        if (group.isEmpty() && accept.group().filter(g -> g.kind() != GroupKind.NONE).isPresent()) {
            LOG.log(System.Logger.Level.WARNING, "the condition granted {0}, which cannot be joined; the request from"
                    + " {1} is rejected", accept.group().get(), request.remoteAddress());
            return carryOut(request, snapshot, CONDITION_FAILED);
        }
        unclaimed.remove(request);
        try {
            if (request.acceptRequest(accept.calleeData(), accept.grantedQos(), group)) {
                return new AcceptResult.Accepted(snapshot, request);
            }
            group.ifPresent(groups::leave);
        } catch (IllegalCommandException e) {
            group.ifPresent(groups::leave);
            unclaimed.add(request);
            if (e.winsockError() == WinsockError.WSAEMSGSIZE) {
                return tooLarge(request, snapshot, accept);
            }
            LOG.log(System.Logger.Level.WARNING, "the condition''s accept of the request from {0} was invalid ({1}):"
                    + " {2}; rejected", request.remoteAddress(), e.winsockError(), e.getMessage());
            return carryOut(request, snapshot, CONDITION_FAILED);
        }
        request.discard();
        return abandoned(request, snapshot);
    }

    /** Refuses a request whose granted QoS cannot be honoured (QOS_NOT_SUPPORTED, WSAEOPNOTSUPP) [C2]. */
    private AcceptResult refuseQos(StreamConnection request, RequestSnapshot snapshot, String why) {
        return carryOut(request, snapshot, Decision.reject(ReasonCode.QOS_NOT_SUPPORTED, why.getBytes(StandardCharsets.UTF_8)));
    }

    private AcceptResult carryOut(StreamConnection request, RequestSnapshot snapshot, Decision.Reject reject) {
        try {
            if (!reject(request, reject.reason(), reject.reasonData())) {
                return abandoned(request, snapshot);
            }
        } catch (IllegalCommandException e) {
            return tooLarge(request, snapshot, reject);
        }
        return new AcceptResult.Rejected(snapshot, reject);
    }

    /** Refuses a request whose answer exceeds the caller's limits: nothing of the answer is sent. */
    private AcceptResult tooLarge(StreamConnection request, RequestSnapshot snapshot, Decision answer) {
        if (!reject(request, ReasonCode.DATA_TOO_LARGE, new byte[0])) {
            return abandoned(request, snapshot);
        }
        return new AcceptResult.AnswerTooLarge(snapshot, answer);
    }

    private static AcceptResult abandoned(StreamConnection request, RequestSnapshot snapshot) {
        return new AcceptResult.Abandoned(snapshot, request.ending());
    }

    @Override
    public int pendingCount() {
        lock.lock();
        try {
            return waiting();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void configureBlocking(boolean blocking) {
        lock.lock();
        try {
            this.blocking = blocking;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean isBlocking() {
        lock.lock();
        try {
            return blocking;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Set<NetworkEvent> reportable() {
        return Set.of(NetworkEvent.ACCEPT);
    }

    @Override
    public EventSelection selection() {
        return selection;
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    /** FD_ACCEPT holds while an accept would find a request (or the report of an abandoned one). */
    @Override
    public void reportLevels() {
        selection.report(!closed && !pending.isEmpty() ? EventSelection.bit(NetworkEvent.ACCEPT) : 0,
                WinsockError.NO_ERROR);
    }

    /** Queued requests whose callers still wait. Lock held. */
    private int waiting() {
        return (int) pending.stream().filter(StreamConnection::isRequestAlive).count();
    }

    @Override
    public void close() throws IOException {
        List<StreamConnection> refused;
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            selection.cancel();
            refused = new ArrayList<>(pending);
            pending.clear();
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
        server.close();
        awaitAcceptorEnd();
        for (StreamConnection request : refused) {
            reject(request, ReasonCode.SHUTTING_DOWN, "the listener closed");
        }
    }

    /**
     * Waits (briefly) for the acceptor to leave accept(): while a thread is blocked in it, the JDK defers
     * closing the listening socket to that thread, so the kernel would go on completing TCP handshakes (then
     * reset them) and the port would stay taken after close() returned.
     */
    private void awaitAcceptorEnd() {
        try {
            if (!acceptor.join(ACCEPTOR_EXIT)) {
                LOG.log(System.Logger.Level.WARNING, "the acceptor of {0} did not stop within {1} ms",
                        server, ACCEPTOR_EXIT.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ------------------------------------------------------------------ internals

    private void acceptLoop() {
        int failures = 0;
        while (true) {
            ByteStream stream;
            try {
                stream = server.accept();
                failures = 0;
            } catch (IOException e) {
                if (server.isClosed()) {
                    return;
                }
                if (++failures > MAX_ACCEPT_FAILURES) {
                    LOG.log(System.Logger.Level.ERROR, "accepting on " + server + " failed " + failures
                            + " times in a row; the listener closes", e);
                    Thread.ofVirtual().name("parley-listener-closer").start(this::closeAfterFailure);
                    return;
                }
                // Transient failures (out of file descriptors, a connection reset while queued) pass.
                LOG.log(System.Logger.Level.WARNING, "accepting on {0} failed, retrying: {1}", server, e.getMessage());
                pauseAfterFailure();
                continue;
            }
            long deadline = System.nanoTime() + options.handshakeTimeout().toNanos();
            StreamConnection connection = StreamConnection.callee(stream, ProtocolEngine.callee(engineConfig, deadline),
                    options.settings(), options.qosRenegotiation(), this);
            // Registered before its reader starts: a connection that ends at once must find itself here,
            // or ended() would not release it and its stream would stay open.
            unclaimed.add(connection);
            connection.start();
        }
    }

    private static void pauseAfterFailure() {
        try {
            Thread.sleep(ACCEPT_RETRY_PAUSE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Closes the listener so that blocked accepts fail with ClosedException instead of waiting forever. */
    private void closeAfterFailure() {
        try {
            close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "closing {0} after accept failures failed: {1}", server, e.getMessage());
        }
    }

    /** Queues the request for accept(), or refuses it when the queue is full or the listener closing. */
    @Override
    public void requestArrived(StreamConnection request) {
        String refusal = null;
        ReasonCode reason = null;
        lock.lock();
        try {
            if (closed) {
                reason = ReasonCode.SHUTTING_DOWN;
                refusal = "the listener is closing";
            } else if (waiting() >= options.backlog()) {
                reason = ReasonCode.QUEUE_FULL;
                refusal = "the queue of pending requests is full (" + options.backlog() + ")";
            } else {
                pending.addLast(request);
                arrived.signal();
                reportLevels();
            }
        } finally {
            lock.unlock();
        }
        if (reason != null) {
            LOG.log(System.Logger.Level.DEBUG, "request from {0} refused: {1}", request.remoteAddress(), refusal);
            reject(request, reason, refusal);
        }
    }

    /**
     * Releases a connection that ended before it reached the application. A queued request keeps its place,
     * so that the accept reaching it reports it [A6]; of those, only the newest {@code backlog} are kept.
     */
    @Override
    public void ended(StreamConnection connection) {
        connection.group().ifPresent(groups::leave); // set only once the connection was accepted into it
        if (unclaimed.remove(connection)) {
            lock.lock();
            try {
                forgetOldestAbandoned();
            } finally {
                lock.unlock();
            }
            LOG.log(System.Logger.Level.DEBUG, "connection {0} ended before it was accepted: {1}",
                    connection, connection.ending());
            connection.discard();
        }
    }

    /** Bounds the abandoned requests kept for their report, dropping the oldest. Lock held. */
    private void forgetOldestAbandoned() {
        long abandoned = pending.stream().filter(c -> !c.isRequestAlive()).count();
        for (var it = pending.iterator(); abandoned > options.backlog() && it.hasNext(); ) {
            if (!it.next().isRequestAlive()) {
                it.remove();
                abandoned--;
            }
        }
    }

    private StreamConnection take(long deadline, Duration timeout) throws IOException {
        lock.lock();
        try {
            selection.reEnable(NetworkEvent.ACCEPT);
            while (true) {
                if (closed) {
                    throw new ClosedException("the listener is closed");
                }
                StreamConnection head = pending.pollFirst();
                if (head != null) {
                    reportLevels();
                    return head;
                }
                if (!blocking) {
                    throw new WouldBlockException("no connection request is waiting");
                }
                if (deadline == Long.MAX_VALUE) {
                    arrived.await();
                } else {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        throw new TimedOutException("no connection request within " + timeout.toMillis() + " ms");
                    }
                    arrived.awaitNanos(left);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while accepting");
        } finally {
            lock.unlock();
        }
    }

    private void requeueFirst(StreamConnection request) {
        boolean refuse;
        lock.lock();
        try {
            refuse = closed;
            if (!closed) {
                pending.addFirst(request);
                arrived.signal();
                reportLevels();
            }
        } finally {
            lock.unlock();
        }
        if (refuse) {
            reject(request, ReasonCode.SHUTTING_DOWN, "the listener closed");
        }
    }

    private void reject(StreamConnection request, ReasonCode reason, String text) {
        reject(request, reason, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Rejects the request; false if it had died meanwhile.
     *
     * @throws IllegalCommandException WSAEMSGSIZE: reason data over the caller's limit (the request stays)
     */
    private boolean reject(StreamConnection request, ReasonCode reason, byte[] reasonData) {
        boolean rejected = request.rejectRequest(reason, reasonData);
        unclaimed.remove(request);
        return rejected;
    }
}
