package io.parley.internal.driver;

import io.parley.CloseIndication;
import io.parley.ParleyConnection;
import io.parley.ConnectionSettings;
import io.parley.Group;
import io.parley.MessagePart;
import io.parley.NetworkEvent;
import io.parley.Qos;
import io.parley.QosRenegotiation;
import io.parley.ReasonCode;
import io.parley.internal.RequestSnapshot;
import io.parley.internal.events.EventSource;
import io.parley.internal.events.EventSelection;
import io.parley.protocol.EngineState;
import io.parley.protocol.Frame;
import io.parley.protocol.IllegalCommandException;
import io.parley.protocol.ProtocolEngine;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * A Parley connection over one {@link ByteStream}, in either role: the {@link ParleyConnection} API and the
 * handshake.
 *
 * <p>Its parts share one {@link ConnectionState} and its lock, under which all engine access happens: the
 * {@link ConnectionReadLoop}'s thread alone reads the stream (through {@link ConnectionReader}), application
 * threads only wait for what it queued ({@link ConnectionReceiver}); {@link ConnectionWriter} writes what the
 * engine encoded (senders only encode, waiting, up to the send timeout, while the send buffer is full);
 * {@link ConnectionCloser} closes it; {@link ConnectionQos} renegotiates its QoS. It is also the
 * {@link EventSource} an event waiter registers. docs/transport.md draws the threads and their locks.
 */
final class StreamConnection implements ParleyConnection, EventSource {
    private static final Set<NetworkEvent> REPORTABLE = Set.of(NetworkEvent.READ, NetworkEvent.WRITE, NetworkEvent.CLOSE,
            NetworkEvent.QOS);

    private final ConnectionState state;
    private final ConnectionWriter writer;
    private final ConnectionReadLoop readLoop;
    private final ConnectionReceiver receiver;
    private final ConnectionCloser closer;
    private final ConnectionQos renegotiation;
    private int deferrals;

    private StreamConnection(ByteStream stream, ProtocolEngine engine, ConnectionSettings settings,
                             QosRenegotiation qosRenegotiation, CalleeEvents events) {
        this.state = new ConnectionState(stream, engine, settings, events, this);
        this.writer = new ConnectionWriter(state);
        ConnectionReader reader = new ConnectionReader(state, writer);
        this.readLoop = new ConnectionReadLoop(state, reader, writer);
        this.receiver = new ConnectionReceiver(state, readLoop, writer);
        this.closer = new ConnectionCloser(state, reader, readLoop, writer);
        this.renegotiation = new ConnectionQos(state, writer, qosRenegotiation);
        state.answerHeld = readLoop::watch;
        state.renegotiation = renegotiation;
    }

    /** A caller's connection on a connected stream; it reads from {@link #awaitAccept} on. */
    static StreamConnection caller(ByteStream stream, ProtocolEngine engine, ConnectionSettings settings,
                                   QosRenegotiation qosRenegotiation) {
        return new StreamConnection(stream, engine, settings, qosRenegotiation, CalleeEvents.NONE);
    }

    /**
     * A callee's connection on an accepted stream, not started yet: once {@link #start()}ed, its reader runs
     * the handshake, then tells {@code events} once the whole request arrived, and again when the connection
     * ends. (Started separately so the listener can register it before either event can come.)
     */
    static StreamConnection callee(ByteStream stream, ProtocolEngine engine, ConnectionSettings settings,
                                   QosRenegotiation qosRenegotiation, CalleeEvents events) {
        return new StreamConnection(stream, engine, settings, qosRenegotiation, events);
    }

    /** Starts a callee's read loop, which runs the handshake and then reads for the connection's life. */
    void start() {
        readLoop.start();
    }

    // ------------------------------------------------------------------ handshake, caller side

    /**
     * Sends the request (and the first message, if not null, in the same write) and waits for the decision;
     * true if accepted, else {@link #ending()} says why.
     */
    boolean awaitAccept(Optional<Qos> requestedQos, Optional<Group> requestedGroup, byte[] data, byte[] firstMessage)
            throws IOException {
        state.lock();
        try {
            state.callerData = data;
            state.engine.connect(requestedQos, requestedGroup, data,
                    firstMessage == null ? List.of() : List.of(firstMessage));
        } finally {
            state.unlock();
        }
        readLoop.start();
        writer.flushFromCaller();
        state.lock();
        try {
            // An interrupt here ends the connect with InterruptedIOException, and the connect withdraws.
            while (state.handshake != ConnectionState.Handshake.ACCEPTED && state.ending == null) {
                state.changed.await();
            }
            return state.handshake == ConnectionState.Handshake.ACCEPTED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while connecting");
        } finally {
            state.unlock();
        }
    }

    /**
     * Withdraws a request that still waits for its answer (ABORT WITHDRAWN), as a connect that gives up
     * does, so that the callee reports it as withdrawn [A6] rather than as a lost transport.
     */
    void withdraw(String why) {
        state.lock();
        try {
            if (state.ending == null && state.handshake != ConnectionState.Handshake.ACCEPTED) {
                state.engine.abort(ReasonCode.WITHDRAWN, why);
                state.dispatch();
            }
        } finally {
            state.unlock();
        }
    }

    /** True if the callee deferred the request and has not accepted it (a refusal after a deferral says so). */
    boolean wasDeferred() {
        state.lock();
        try {
            return state.handshake == ConnectionState.Handshake.DEFERRED;
        } finally {
            state.unlock();
        }
    }

    /** The reason data of the callee's refusal, empty unless it refused. */
    byte[] refusalData() {
        state.lock();
        try {
            return state.engine.refusalData();
        } finally {
            state.unlock();
        }
    }

    /** How the connection ended, or null while it has not. */
    CloseIndication ending() {
        state.lock();
        try {
            return state.ending;
        } finally {
            state.unlock();
        }
    }

    // ------------------------------------------------------------------ handshake, callee side

    /** The request as a condition sees it. */
    RequestSnapshot snapshot() {
        state.lock();
        try {
            Frame.Connect request = state.engine.request().orElseThrow();
            return new RequestSnapshot(state.stream.remoteAddress(), state.stream.localAddress(), request.callerData(), request.qos(),
                    request.group(), deferrals, request.maxCalleeData());
        } finally {
            state.unlock();
        }
    }

    /** True while the request waits for a decision (not withdrawn, not ended). */
    boolean isRequestAlive() {
        state.lock();
        try {
            return state.engine.state() == EngineState.REQUESTED;
        } finally {
            state.unlock();
        }
    }

    /**
     * Accepts the pending request; false if it died meanwhile.
     *
     * @throws IllegalCommandException callee data over the caller's limit, or QoS above the request
     */
    boolean acceptRequest(byte[] data, Optional<Qos> grantedQos, Optional<Group> joined) throws IOException {
        state.lock();
        try {
            if (state.engine.state() != EngineState.REQUESTED) {
                return false;
            }
            state.engine.accept(data, grantedQos, joined);
            state.callerData = state.engine.request().orElseThrow().callerData();
            state.engine.forgetRequest(); // an open connection keeps only what it reports
            state.calleeData = data;
            state.grant(grantedQos);
            state.group = joined;
            state.handshake = ConnectionState.Handshake.ACCEPTED;
            if (!state.inbound.isEmpty()) {
                // The caller sent early messages: the application will take them and most likely answer at
                // once, and the ACCEPT leaves in the same write as that answer. It leaves on its own as soon
                // as the application waits for input, or after the watch's grace period at the latest.
                state.answerHeldSince = System.nanoTime();
                readLoop.watch();
                return true;
            }
        } finally {
            state.unlock();
        }
        writer.flushFromCaller();
        return true;
    }

    /**
     * Rejects the pending request and lets the transport go once the answer is delivered; false if the
     * request had died meanwhile.
     *
     * @throws IllegalCommandException WSAEMSGSIZE for reason data over the caller's limit: nothing was sent
     *                                 and the request still waits for a decision
     */
    boolean rejectRequest(ReasonCode reason, byte[] reasonData) {
        boolean rejected = false;
        state.lock();
        try {
            if (state.engine.state() == EngineState.REQUESTED) {
                state.engine.reject(reason, reasonData);
                state.dispatch();
                rejected = true;
            }
        } finally {
            state.unlock();
        }
        discard();
        return rejected;
    }

    /** Defers the pending request (PENDING is sent at most once a second); false if it had died meanwhile. */
    boolean deferRequest() {
        state.lock();
        try {
            if (state.engine.state() != EngineState.REQUESTED) {
                return false;
            }
            state.engine.defer(System.nanoTime());
            deferrals++;
        } finally {
            state.unlock();
        }
        writer.flushFromCaller();
        return true;
    }

    /** Closes a connection that was never handed to the application. */
    void discard() {
        closer.discard();
    }

    // ------------------------------------------------------------------ ParleyConnection

    @Override
    public byte[] callerData() {
        return state.callerData.clone();
    }

    @Override
    public byte[] calleeData() {
        return state.calleeData.clone();
    }

    @Override
    public Optional<Qos> qos() {
        return state.readQos();
    }

    @Override
    public Qos requestQos(Qos wanted, Duration timeout) throws IOException {
        return renegotiation.request(wanted, timeout);
    }

    @Override
    public Optional<Group> group() {
        return state.group;
    }

    @Override
    public SocketAddress localAddress() {
        return state.stream.localAddress();
    }

    @Override
    public SocketAddress remoteAddress() {
        return state.stream.remoteAddress();
    }

    @Override
    public void send(ByteBuffer message) throws IOException {
        writer.send(message);
    }

    @Override
    public byte[] receive() throws IOException {
        return receiver.receive(Duration.ZERO); // not through receive(Duration): one frame less while parked
    }

    @Override
    public byte[] receive(Duration timeout) throws IOException {
        return receiver.receive(timeout);
    }

    @Override
    public MessagePart receive(ByteBuffer into) throws IOException {
        return receiver.receive(into);
    }

    @Override
    public void configureBlocking(boolean blocking) {
        state.lock();
        try {
            state.blocking = blocking;
        } finally {
            state.unlock();
        }
    }

    @Override
    public boolean isBlocking() {
        state.lock();
        try {
            return state.blocking;
        } finally {
            state.unlock();
        }
    }

    @Override
    public void sendDisconnect(byte[] data) throws IOException {
        writer.sendDisconnect(data);
    }

    @Override
    public byte[] receiveDisconnect() throws IOException {
        return receiver.receiveDisconnect();
    }

    @Override
    public CompletableFuture<CloseIndication> closeIndication() {
        return state.outcome.closeIndication();
    }

    @Override
    public CompletableFuture<CloseIndication> termination() {
        return state.outcome.termination();
    }

    @Override
    public void close() throws IOException {
        closer.close();
    }

    @Override
    public void abort(String reason) throws IOException {
        closer.abort(reason);
    }

    @Override
    public Set<NetworkEvent> reportable() {
        return REPORTABLE;
    }

    @Override
    public EventSelection selection() {
        return state.selection;
    }

    @Override
    public boolean isClosed() {
        return state.use == ConnectionState.Use.CLOSED;
    }

    @Override
    public void reportLevels() {
        state.report();
    }

    @Override
    public String toString() {
        return "StreamConnection[" + state.stream.localAddress() + " <-> " + state.stream.remoteAddress()
                + ", " + state.engine.state() + "]";
    }
}
