package io.parley.internal.driver;

import io.parley.ClosedException;
import io.parley.CloseIndication;
import io.parley.ConnectionSettings;
import io.parley.Group;
import io.parley.NetworkEvent;
import io.parley.Qos;
import io.parley.ReasonCode;
import io.parley.TimedOutException;
import io.parley.WinsockError;
import io.parley.internal.events.EventSelection;
import io.parley.protocol.ProtocolEngine;
import io.parley.protocol.ProtocolEvent;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What every part of a {@link StreamConnection} shares: its one lock and the condition signalled on every change,
 * the engine, the stream, what the application has yet to take, how the connection ended, and the delivery of
 * the engine's events into that state; the granted QoS and its policing ({@link SendPolicer}, {@link TokenWaker});
 * and the report of what holds to the event registration ({@link #report()}), made wherever the state changes.
 * The mutable fields are guarded by the lock.
 */
final class ConnectionState {
    private static final System.Logger LOG = System.getLogger("io.parley.driver");
    static final byte[] EMPTY = new byte[0];

    final ByteStream stream;
    final ProtocolEngine engine;
    final ConnectionSettings settings;
    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled whenever something a waiting thread may wait for changed. */
    final Condition changed = lock.newCondition();
    final ArrayDeque<byte[]> inbound = new ArrayDeque<>(1);
    /** The connection's event registration, if any (WSAEventSelect). */
    final EventSelection selection;
    /** The close indication and the termination: decided under the lock, completed as it is released. */
    final ConnectionOutcome outcome = new ConnectionOutcome();
    private final CalleeEvents events;
    private final StreamConnection connection;
    /** Has the connection watched while an answer is held (set once, by the connection). Lock held when run. */
    Runnable answerHeld = () -> { };
    /** This side's QoS requests and the answers to the peer's (set once, by the connection). */
    ConnectionQos renegotiation;
    /** The QoS changed (or this side's request was answered) and the application has not read it: FD_QOS. */
    private boolean qosUnread;
    /** FD_QOS's error: 0, or the refusal's error of this side's request. */
    private WinsockError qosError = WinsockError.NO_ERROR;
    /** What runs once the lock is free (callbacks to the listener); made when first needed. */
    private List<Runnable> afterUnlock;

    /** How far the handshake got. */
    Handshake handshake = Handshake.AWAITING_DECISION;
    /** What the application has done with the connection. */
    Use use = Use.OPEN;
    /** How the connection ended (the engine closed), once it did; else null. */
    CloseIndication ending;
    /** The transport was reset or failed: nothing more is delivered, whatever {@link #ending} says. */
    boolean broken;
    /** Bytes of the messages in {@link #inbound} not received yet. */
    long inboundBytes;
    /** How much of the first message in {@link #inbound} was received in parts (MSG_PARTIAL). */
    int headReceived;
    /** False once the application made its calls non-blocking: they fail with WSAEWOULDBLOCK instead. */
    boolean blocking = true;
    /** The peer's disconnect data, once its DISCONNECT arrived; else null. */
    byte[] peerDisconnectData;
    /**
     * When a callee's output was left queued so that it leaves in one write with what follows it (0 when
     * nothing is held): its preamble while the request awaits the decision, the ACCEPT of a request with
     * early messages until the application's first answer ({@link StreamConnection#acceptRequest}), and the
     * DISCONNECT_ACK of a peer that disconnected first until this side answers. Whatever
     * writes next takes it along; the watch sends it after its grace period at the latest.
     */
    long answerHeldSince;
    byte[] callerData = EMPTY;
    byte[] calleeData = EMPTY;
    Optional<Qos> qos = Optional.empty();
    /** Polices this side's sending by the granted QoS; null when nothing is policed. */
    SendPolicer policer;
    /**
     * The size of the last non-blocking send that would have blocked (for room or for tokens), 1 after a send:
     * FD_WRITE waits until the granted token rate lets that many bytes go.
     */
    int blockedSendSize = 1;
    /** Reports again when the tokens are there; with {@link #policer} only. */
    private TokenWaker tokenWaker;
    Optional<Group> group = Optional.empty();

    /** How far a connection's handshake got, as this side sees it. */
    enum Handshake {
        /** The request is on its way or before the callee's application. */
        AWAITING_DECISION,
        /** The callee deferred the request (it is presented again); no decision yet. */
        DEFERRED,
        /** The request was accepted: the connection is established. */
        ACCEPTED
    }

    /** What the application has done with a connection. */
    enum Use {
        /** It uses the connection. */
        OPEN,
        /** It took the peer's disconnect data: receiving has ended, sending may go on. */
        DISCONNECT_TAKEN,
        /** It closed or aborted the connection: every call fails, what arrives is dropped. */
        CLOSED
    }

    /** The state of {@code connection}, which {@code events} are told about. */
    ConnectionState(ByteStream stream, ProtocolEngine engine, ConnectionSettings settings, CalleeEvents events,
                    StreamConnection connection) {
        this.stream = stream;
        this.engine = engine;
        this.settings = settings;
        this.events = events;
        this.connection = connection;
        this.selection = new EventSelection(lock, connection);
    }

    /** Takes the lock. */
    void lock() {
        lock.lock();
    }

    /**
     * Unlocks, then completes the futures with what was decided under the lock and runs what else had to wait
     * for the lock to be free (callbacks).
     */
    void unlock() {
        if (lock.getHoldCount() > 1) {
            lock.unlock();
            return;
        }
        ConnectionOutcome.Decided decided = outcome.decided();
        List<Runnable> actions = afterUnlock;
        afterUnlock = null;
        lock.unlock();
        if (decided != null) {
            outcome.publish(decided);
        }
        if (actions != null) {
            actions.forEach(Runnable::run);
        }
    }

    /** Runs {@code action} once the lock is released. Lock held. */
    void runAfterUnlock(Runnable action) {
        if (afterUnlock == null) {
            afterUnlock = new ArrayList<>(2);
        }
        afterUnlock.add(action);
    }

    /** Moves the engine's events into this connection's state. Called with the lock held. */
    void dispatch() {
        while (true) {
            byte[] message;
            while ((message = engine.pollMessage()) != null) {
                queueInbound(message);
            }
            ProtocolEvent event = engine.pollEvent();
            if (event == null) {
                break;
            }
            switch (event) {
                case ProtocolEvent.MessageReceived m -> queueInbound(m.message());
                case ProtocolEvent.PeerDisconnected d -> {
                    peerDisconnectData = d.data();
                    if (!engine.isSendingDone()) {
                        // The DISCONNECT_ACK waits for this side's answer, most often its own disconnect, to
                        // leave in the same write; the watch sends it alone after its grace period.
                        answerHeldSince = System.nanoTime();
                        answerHeld.run();
                    }
                    outcome.indicate(CloseIndication.GRACEFUL);
                }
                case ProtocolEvent.Closed c -> ended(c.indication());
                case ProtocolEvent.ConnectRequested r -> {
                    answerHeldSince = System.nanoTime(); // the preamble waits for the decision's answer
                    runAfterUnlock(() -> events.requestArrived(connection));
                }
                case ProtocolEvent.Accepted a -> {
                    handshake = Handshake.ACCEPTED;
                    calleeData = a.calleeData();
                    grant(a.grantedQos());
                    group = a.group();
                }
                case ProtocolEvent.Deferred d -> handshake = Handshake.DEFERRED;
                case ProtocolEvent.QosRequested r -> runAfterUnlock(() -> renegotiation.peerRequested(r.requested()));
                case ProtocolEvent.QosAnswered a -> renegotiation.answered(a);
            }
        }
        signalChange();
    }

    /** Wakes every waiting thread and reports the events that now hold: something changed. Lock held. */
    void signalChange() {
        changed.signalAll();
        report();
    }

    /** Tells the event registration, if any, what holds now. Lock held. */
    void report() {
        if (selection.isSelected()) {
            CloseIndication indicated = outcome.indicated();
            boolean closeReported = indicated != null && (!indicated.isGraceful() || inbound.isEmpty());
            int levels = (!inbound.isEmpty() && use == Use.OPEN ? EventSelection.bit(NetworkEvent.READ) : 0)
                    | (canSend() && tokensReadyElseWake() ? EventSelection.bit(NetworkEvent.WRITE) : 0)
                    | (closeReported ? EventSelection.bit(NetworkEvent.CLOSE) : 0)
                    | (qosUnread ? EventSelection.bit(NetworkEvent.QOS) : 0);
            selection.report(levels, closeReported ? indicated.winsockError() : WinsockError.NO_ERROR, qosError);
        }
    }

    /** True when a send would not wait for room (FD_WRITE, but for the tokens). Lock held. */
    private boolean canSend() {
        return handshake == Handshake.ACCEPTED && use != Use.CLOSED && !broken && ending == null
                && !engine.isSendingDone() && engine.pendingOutput() < settings.sendBufferSize();
    }

    /**
     * True when the granted token rate lets the wanted bytes go now; when not, and the registration waits for
     * FD_WRITE, has the connection report again once they are there. Lock held.
     */
    private boolean tokensReadyElseWake() {
        if (policer == null) {
            return true;
        }
        long delay = policer.delay(blockedSendSize, System.nanoTime());
        if (delay > 0 && selection.awaits(NetworkEvent.WRITE)) {
            tokenWaker.reportAfter(delay);
        }
        return delay == 0;
    }

    /**
     * Takes the granted QoS and polices this side's sending by its direction of it: the caller's is
     * {@link Qos#sending()}, the callee's {@link Qos#receiving()}. Lock held.
     */
    void grant(Optional<Qos> granted) {
        qos = granted;
        boolean asCaller = isCaller();
        policer = granted.map(q -> SendPolicer.of(asCaller ? q.sending() : q.receiving(), System.nanoTime())).orElse(null);
        if (policer != null && tokenWaker == null) {
            tokenWaker = new TokenWaker(this);
        }
    }

    /** True for the caller's side of the connection. */
    private boolean isCaller() {
        return engine.role() == ProtocolEngine.Role.CALLER;
    }

    /** Records a change of the QoS (or an answer to this side's request) for FD_QOS, with its error. Lock held. */
    void qosChanged(WinsockError error) {
        qosUnread = true;
        qosError = error;
    }

    /** The QoS, read by the application: FD_QOS is re-enabled (SIO_GET_QOS). */
    Optional<Qos> readQos() {
        lock();
        try {
            qosUnread = false;
            selection.reEnable(NetworkEvent.QOS);
            return qos;
        } finally {
            unlock();
        }
    }

    /** The connection was closed or ended: nothing waits for tokens any more, nor for events. Lock held. */
    void stopReporting() {
        if (tokenWaker != null) {
            tokenWaker.stop();
        }
        selection.cancel();
    }

    /** Drops what the application has not received. Lock held. */
    void dropInbound() {
        inbound.clear();
        inboundBytes = 0;
        headReceived = 0;
    }

    private void queueInbound(byte[] message) {
        if (use == Use.OPEN) {
            inbound.add(message);
            inboundBytes += message.length;
        }
    }

    private void ended(CloseIndication indication) {
        ending = indication;
        if (tokenWaker != null) {
            tokenWaker.stop();
        }
        if (!indication.isGraceful()) {
            broken = broken || indication.kind() == CloseIndication.Kind.RESET;
            outcome.terminate(indication);
        }
        runAfterUnlock(() -> events.ended(connection));
    }

    /**
     * Resets the transport: queued data is discarded, the peer sees a reset. The stream is reset before the
     * futures complete (they complete when the lock is released), so whoever sees the outcome knows the
     * transport is gone; a reset never blocks.
     */
    void reset(CloseIndication indication) {
        lock.lock();
        try {
            broken = true;
            if (ending == null) {
                engine.abort(ReasonCode.APPLICATION_ABORT, indication.detail());
                while (engine.pollEvent() != null) {
                    // the local outcome is the one given here, not the engine's generic abort
                }
                ended(indication);
            }
            outcome.terminate(indication);
            signalChange();
            try {
                stream.reset();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, "resetting {0} failed: {1}", stream, e.getMessage());
            }
        } finally {
            unlock();
        }
    }

    /** Closes the stream; a failure is only logged. */
    void closeStream() {
        try {
            stream.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "close failed on {0}: {1}", stream, e.getMessage());
        }
    }

    /** Marks the connection closed by this side; false if it was already. Lock held. */
    boolean markClosedByApp() {
        if (use == Use.CLOSED) {
            return false;
        }
        use = Use.CLOSED;
        stopReporting();
        return true;
    }

    /** Throws once this side closed the connection. */
    void requireNotClosed() throws ClosedException {
        if (use == Use.CLOSED) {
            throw new ClosedException("the connection was closed by this side");
        }
    }

    /** The deadline of a wait of up to {@code timeout}; zero means no limit. */
    static long deadlineAfter(Duration timeout) {
        return timeout.isZero() ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
    }

    /**
     * Waits for a change until the deadline; throws {@link TimedOutException} after it. An interrupt aborts
     * the connection (the one rule for interrupts: see {@link #abortForInterrupt}). Lock held.
     */
    void awaitChange(long deadline, String timeoutMessage) throws IOException {
        try {
            if (deadline == Long.MAX_VALUE) {
                changed.await();
            } else {
                long left = deadline - System.nanoTime();
                if (left <= 0 || changed.awaitNanos(left) <= 0 && deadline - System.nanoTime() <= 0) {
                    throw new TimedOutException(timeoutMessage);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw abortForInterrupt();
        }
    }

    /**
     * The rule for interrupts: a thread interrupted while blocked in a call of the connection (waiting, or
     * writing the transport itself) aborts the connection, as an interrupted blocking socket or channel call
     * does in Java, and its call throws the exception returned. The transport is reset; the interrupt status
     * stays set.
     */
    InterruptedIOException abortForInterrupt() {
        reset(new CloseIndication(CloseIndication.Kind.ABORTED, ReasonCode.APPLICATION_ABORT,
                "a thread blocked on the connection was interrupted"));
        return new InterruptedIOException("interrupted; the connection was aborted");
    }

    /**
     * Waits for a change until the deadline; false once it passed. {@link Long#MAX_VALUE} waits untimed, which
     * costs no timer. Lock held.
     */
    boolean awaitUntil(long deadline) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            return false;
        }
        try {
            if (deadline == Long.MAX_VALUE) {
                changed.await();
            } else {
                changed.awaitNanos(left);
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
