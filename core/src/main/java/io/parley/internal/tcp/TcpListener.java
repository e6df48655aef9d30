package io.parley.internal.tcp;

import io.parley.ClosedException;
import io.parley.AcceptCondition;
import io.parley.ParleyConnection;
import io.parley.Decision;
import io.parley.Listener;
import io.parley.ListenOptions;
import io.parley.MessageTooLargeException;
import io.parley.ReasonCode;
import io.parley.RequestDeferredException;
import io.parley.RequestRejectedException;
import io.parley.TimedOutException;
import io.parley.WinsockError;
import io.parley.internal.EngineConfigs;
import io.parley.protocol.EngineConfig;
import io.parley.protocol.IllegalCommandException;
import io.parley.protocol.ProtocolEngine;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A TCP listener with conditional accept. A virtual thread accepts transport connections; each one's
 * reader runs the handshake and, once the whole request arrived, queues it (or refuses it at once when the
 * queue is full). Accepting threads take requests from the head of the queue; a deferred request goes back
 * to the head, so the next accept presents it again.
 */
final class TcpListener implements Listener, CalleeEvents {
    private static final System.Logger LOG = System.getLogger("io.parley.tcp");
    private static final Duration ACCEPTOR_EXIT = Duration.ofSeconds(5);
    private static final int MAX_ACCEPT_FAILURES = 50;
    private static final Duration ACCEPT_RETRY_PAUSE = Duration.ofMillis(100);

    private final ServerSocket server;
    private final ListenOptions options;
    private final EngineConfig engineConfig;
    private final ReentrantLock lock = new ReentrantLock();
    private final java.util.concurrent.locks.Condition arrived = lock.newCondition();
    private final ArrayDeque<TcpConnection> pending = new ArrayDeque<>();
    /** Connections not yet handed to the application (handshaking, queued or being decided). */
    private final Set<TcpConnection> unclaimed = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;
    private boolean closed;

    TcpListener(ServerSocket server, ListenOptions options) {
        this.server = server;
        this.options = options;
        this.engineConfig = EngineConfigs.of(options.settings().limits());
        this.acceptor = Thread.ofVirtual().name("parley-acceptor-" + server.getLocalPort()).start(this::acceptLoop);
    }

    @Override
    public SocketAddress localAddress() {
        return server.getLocalSocketAddress();
    }

    @Override
    public ParleyConnection accept() throws IOException {
        return accept(AcceptCondition.acceptAll());
    }

    @Override
    public ParleyConnection accept(AcceptCondition condition) throws IOException {
        return accept(condition, Duration.ZERO);
    }

    @Override
    public ParleyConnection accept(AcceptCondition condition, Duration timeout) throws IOException {
        long deadline = timeout.isZero() ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
        while (true) {
            TcpConnection request = take(deadline, timeout);
            Decision decision;
            try {
                decision = condition.decide(request.snapshot());
                if (decision == null) {
                    throw new NullPointerException("the condition returned no decision");
                }
            } catch (Throwable e) {
                // Whatever went wrong, the request is decided (rejected) so its caller is not left waiting.
                LOG.log(System.Logger.Level.WARNING, "condition failed; request from "
                        + request.remoteAddress() + " rejected", e);
                reject(request, ReasonCode.CONDITION_FAILED, "the callee's condition failed");
                if (e instanceof VirtualMachineError fatal) {
                    throw fatal;
                }
                throw new RequestRejectedException(ReasonCode.CONDITION_FAILED, "the condition failed: " + e, e);
            }
            switch (decision) {
                case Decision.Accept a -> {
                    if (accepted(request, a)) {
                        return request;
                    }
                }
                case Decision.Reject r -> {
                    reject(request, r.reason(), r.reasonText());
                    throw new RequestRejectedException(r.reason(), "rejected by the condition"
                            + (r.reasonText().isEmpty() ? "" : ": " + r.reasonText()), null);
                }
                case Decision.Defer d -> {
                    request.deferRequest();
                    requeueFirst(request);
                    throw new RequestDeferredException("the condition deferred the request from "
                            + request.remoteAddress() + "; it stays first in the queue");
                }
            }
        }
    }

    @Override
    public int pendingCount() {
        lock.lock();
        try {
            pending.removeIf(c -> !c.isRequestAlive());
            return pending.size();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() throws IOException {
        List<TcpConnection> refused;
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            refused = new ArrayList<>(pending);
            pending.clear();
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
        server.close();
        awaitAcceptorEnd();
        for (TcpConnection request : refused) {
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
            Socket socket;
            try {
                socket = server.accept();
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
            try {
                socket.setTcpNoDelay(true);
                long deadline = System.nanoTime() + options.handshakeTimeout().toNanos();
                TcpConnection connection = TcpConnection.callee(socket, ProtocolEngine.callee(engineConfig, deadline),
                        options.settings(), this);
                // Registered before its reader starts: a connection that ends at once must find itself here,
                // or ended() would not release it and its socket would stay open.
                unclaimed.add(connection);
                connection.start();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, "could not start a connection on {0}: {1}", socket, e.getMessage());
                closeQuietly(socket);
            }
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
    public void requestArrived(TcpConnection request) {
        String refusal = null;
        ReasonCode reason = null;
        lock.lock();
        try {
            if (closed) {
                reason = ReasonCode.SHUTTING_DOWN;
                refusal = "the listener is closing";
            } else if (pending.size() >= options.backlog()) {
                reason = ReasonCode.QUEUE_FULL;
                refusal = "the queue of pending requests is full (" + options.backlog() + ")";
            } else {
                pending.addLast(request);
                arrived.signal();
            }
        } finally {
            lock.unlock();
        }
        if (reason != null) {
            LOG.log(System.Logger.Level.DEBUG, "request from {0} refused: {1}", request.remoteAddress(), refusal);
            reject(request, reason, refusal);
        }
    }

    /** Releases a connection that ended before it reached the application. */
    @Override
    public void ended(TcpConnection connection) {
        if (unclaimed.remove(connection)) {
            lock.lock();
            try {
                pending.remove(connection);
            } finally {
                lock.unlock();
            }
            LOG.log(System.Logger.Level.DEBUG, "connection {0} ended before it was accepted: {1}",
                    connection, connection.ending());
            connection.discard();
        }
    }

    private TcpConnection take(long deadline, Duration timeout) throws IOException {
        lock.lock();
        try {
            while (true) {
                if (closed) {
                    throw new ClosedException("the listener is closed");
                }
                TcpConnection head = pending.pollFirst();
                if (head != null) {
                    if (head.isRequestAlive()) {
                        return head;
                    }
                    continue;
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

    private boolean accepted(TcpConnection request, Decision.Accept decision) throws IOException {
        unclaimed.remove(request);
        boolean ok;
        try {
            ok = request.acceptRequest(decision.calleeData(), decision.grantedQos(), decision.group());
        } catch (IllegalCommandException e) {
            unclaimed.add(request);
            if (e.winsockError() == WinsockError.WSAEMSGSIZE) {
                // Callee data over the caller's limit: never sent, never truncated; the caller learns why.
                reject(request, ReasonCode.DATA_TOO_LARGE, e.getMessage());
                throw new MessageTooLargeException(e.getMessage()
                        + "; nothing of it was sent and the request was refused (DATA_TOO_LARGE)");
            }
            reject(request, ReasonCode.CONDITION_FAILED, "the callee's answer was invalid");
            throw new RequestRejectedException(ReasonCode.CONDITION_FAILED,
                    "the condition's accept was invalid (" + e.winsockError() + "): " + e.getMessage(), e);
        }
        if (!ok) {
            request.discard();
        }
        return ok;
    }

    private void requeueFirst(TcpConnection request) {
        boolean refuse;
        lock.lock();
        try {
            refuse = closed;
            if (!closed) {
                pending.addFirst(request);
                arrived.signal();
            }
        } finally {
            lock.unlock();
        }
        if (refuse) {
            reject(request, ReasonCode.SHUTTING_DOWN, "the listener closed");
        }
    }

    private void reject(TcpConnection request, ReasonCode reason, String text) {
        unclaimed.remove(request);
        request.rejectRequest(reason, text.getBytes(StandardCharsets.UTF_8));
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.TRACE, "close failed: {0}", e.getMessage());
        }
    }
}
