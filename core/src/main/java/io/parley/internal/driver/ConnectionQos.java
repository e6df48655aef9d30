package io.parley.internal.driver;

import io.parley.ConnectionEndedException;
import io.parley.OperationNotSupportedException;
import io.parley.Qos;
import io.parley.QosRefusedException;
import io.parley.QosRenegotiation;
import io.parley.ReasonCode;
import io.parley.ShutdownException;
import io.parley.WinsockError;
import io.parley.WouldBlockException;
import io.parley.internal.Failures;
import io.parley.protocol.IllegalCommandException;
import io.parley.protocol.ProtocolEvent;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.Optional;

/**
 * QoS renegotiation on a {@link StreamConnection} (SIO_SET_QOS, protocol version 2): this side's requests,
 * one at a time, and the answers to the peer's, decided by the application's {@link QosRenegotiation} on the
 * read loop's thread once the lock is free. A granted QoS becomes the connection's at once ({@link
 * ConnectionState#grant}, which re-arms the policing) and is reported as FD_QOS. Guarded by the connection's
 * lock.
 */
final class ConnectionQos {
    private static final System.Logger LOG = System.getLogger("io.parley.driver");

    private final ConnectionState state;
    private final ConnectionWriter writer;
    private final QosRenegotiation decider;
    /**
     * True while a blocking request waits for (or has not yet read) its answer: the next request waits for it,
     * so that each reads its own. The engine allows one request at a time; this keeps the answers apart.
     */
    private boolean awaitedAnswer;
    /** How many of this side's requests were answered, and the last answer. */
    private long answers;
    private ProtocolEvent.QosAnswered lastAnswer;

    /** The renegotiation of the connection whose state and writer these are, answering with {@code decider}. */
    ConnectionQos(ConnectionState state, ConnectionWriter writer, QosRenegotiation decider) {
        this.state = state;
        this.writer = writer;
        this.decider = decider;
    }

    /** As {@link io.parley.ParleyConnection#requestQos}. */
    Qos request(Qos wanted, Duration timeout) throws IOException {
        long deadline = ConnectionState.deadlineAfter(timeout);
        long before;
        boolean blocking;
        state.lock();
        try {
            while (!sendOrAwait(wanted, deadline, timeout)) {
                // waited: a request (this side's, or the caller's that a callee answers first) was pending
            }
            blocking = state.blocking;
            awaitedAnswer = blocking;
            before = answers;
        } finally {
            state.unlock();
        }
        boolean interrupted = writer.flushFromCaller();
        state.lock();
        try {
            if (interrupted) {
                throw new InterruptedIOException("interrupted while sending the QoS request; the connection was aborted");
            }
            if (!blocking) {
                throw new WouldBlockException("the QoS request is on its way: FD_QOS reports the answer");
            }
            while (answers == before) {
                state.requireNotClosed();
                if (state.ending != null) {
                    throw state.ending.isGraceful() ? new ShutdownException("the connection ended before the peer"
                            + " answered the QoS request") : ConnectionEndedException.of(state.ending);
                }
                state.awaitChange(deadline, "no answer to the QoS request within " + timeout.toMillis() + " ms");
            }
            if (lastAnswer.granted().isPresent()) {
                return lastAnswer.granted().get();
            }
            throw new QosRefusedException(lastAnswer.reason());
        } finally {
            if (blocking) {
                awaitedAnswer = false;
                state.signalChange(); // a request waiting for this one may go
            }
            state.unlock();
        }
    }

    /**
     * Sends the request (true), unless the engine has one pending (this side's, or the caller's that a callee
     * answers first) or a blocking request has not read its answer yet: then waits for a change until the
     * deadline (false: the caller tries again), or, non-blocking, says the call would block. Lock held.
     */
    private boolean sendOrAwait(Qos wanted, long deadline, Duration timeout) throws IOException {
        state.requireNotClosed();
        if (!awaitedAnswer) {
            try {
                state.engine.requestQos(wanted);
                return true;
            } catch (IllegalCommandException e) {
                if (e.winsockError() != WinsockError.WSAEALREADY) {
                    throw failure(e);
                }
            }
        }
        if (!state.blocking) {
            throw new WouldBlockException("an earlier QoS request, this side's or the peer's, waits for its answer");
        }
        state.awaitChange(deadline, "an earlier QoS request was not answered within " + timeout.toMillis() + " ms");
        return false;
    }

    private IOException failure(IllegalCommandException e) {
        if (e.winsockError() == WinsockError.WSAEOPNOTSUPP) {
            return new OperationNotSupportedException(e.getMessage());
        }
        return Failures.ofCommand(e, state.ending);
    }

    /** The peer answered this side's request. Lock held. */
    void answered(ProtocolEvent.QosAnswered answer) {
        lastAnswer = answer;
        answers++;
        if (answer.granted().isPresent()) {
            state.grant(answer.granted());
        }
        state.qosChanged(answer.granted().isPresent() ? WinsockError.NO_ERROR : answer.reason().winsockError());
    }

    /** The peer asks for {@code requested}: decides with the application's decision, then answers. No lock held. */
    void peerRequested(Qos requested) {
        Optional<Qos> current;
        state.lock();
        try {
            current = state.qos;
        } finally {
            state.unlock();
        }
        Optional<Qos> grant;
        ReasonCode refusal = ReasonCode.REFUSED;
        try {
            grant = decider.decide(requested, current);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "the QoS renegotiation failed; the peer's request is refused", e);
            grant = Optional.empty();
            refusal = ReasonCode.CONDITION_FAILED;
        }
        if (grant == null) {
            grant = Optional.empty();
            refusal = ReasonCode.CONDITION_FAILED;
        } else if (QosSupport.unsupported(grant).isPresent()) {
            grant = Optional.empty();
            refusal = ReasonCode.QOS_NOT_SUPPORTED;
        }
        answer(grant, refusal);
    }

    private void answer(Optional<Qos> grant, ReasonCode refusal) {
        state.lock();
        try {
            if (state.ending != null || state.engine.unansweredQosRequest().isEmpty()) {
                return; // ended, or this side's DISCONNECT refused it meanwhile (SHUTTING_DOWN)
            }
            if (grant.isPresent() && grants(grant.get())) {
                state.grant(grant);
                state.qosChanged(WinsockError.NO_ERROR);
            } else {
                state.engine.refuseQos(grant.isPresent() ? ReasonCode.CONDITION_FAILED : refusal);
            }
            state.signalChange();
        } finally {
            state.unlock();
        }
        writer.flush();
    }

    /** Grants {@code qos}; false if it exceeds the request (the decision broke its contract). Lock held. */
    private boolean grants(Qos qos) {
        try {
            state.engine.grantQos(qos);
            return true;
        } catch (IllegalCommandException e) {
            LOG.log(System.Logger.Level.WARNING, "the QoS renegotiation granted {0}, above the request: {1}", qos,
                    e.getMessage());
            return false;
        }
    }
}
