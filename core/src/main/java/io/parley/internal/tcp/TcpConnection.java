package io.parley.internal.tcp;

import io.parley.ClosedException;
import io.parley.CloseIndication;
import io.parley.Connection;
import io.parley.ConnectionEndedException;
import io.parley.ConnectionSettings;
import io.parley.Group;
import io.parley.Linger;
import io.parley.Qos;
import io.parley.ReasonCode;
import io.parley.ShutdownException;
import io.parley.TimedOutException;
import io.parley.WouldBlockException;
import io.parley.internal.Failures;
import io.parley.internal.RequestSnapshot;
import io.parley.protocol.EngineState;
import io.parley.protocol.IllegalCommandException;
import io.parley.protocol.ProtocolEngine;
import io.parley.protocol.ProtocolEvent;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A Parley connection over one TCP socket, in either role.
 *
 * <p>Reading: one thread at a time holds the read permit ({@link #reading}), reads the socket and feeds the
 * engine. An application thread that receives (or connects) and finds nothing queued reads itself, so a
 * message costs one wake-up, as with a plain socket. While nobody receives, a background reader does it, so
 * the close indication arrives without anybody receiving: the callee's from the first byte until the
 * application receives, and any connection's once it was left unread for {@link #UNREAD_GRACE_NANOS}.
 *
 * <p>Time: reads are not timed (a timed read costs a timer per read); {@link #WATCH} ends a handshake whose
 * deadline passed, which wakes its blocked reader by shutting the input down.
 *
 * <p>Writing: senders only encode into the engine (waiting, up to the send timeout, while the send buffer is
 * full); a quiet connection's sender writes itself, otherwise a writer virtual thread writes everything
 * encoded so far in one system call (coalescing). All engine access is under {@link #lock}.
 */
final class TcpConnection implements Connection, ConnectionWatch.Watched {
    private static final System.Logger LOG = System.getLogger("io.parley.tcp");
    private static final byte[] EMPTY = new byte[0];
    private static final int READ_BUFFER = 8 * 1024;
    /**
     * What the reader blocks with while the connection is quiet: a blocked read holds its buffer, so an idle
     * connection would otherwise keep 8 KiB (64 KiB after a burst) for nothing. Full reads grow it again.
     */
    private static final int IDLE_READ_BUFFER = 128;
    private static final int LARGE_READ_BUFFER = 64 * 1024;
    private static final long MAX_DRAIN_AFTER_FAILURE_NANOS = TimeUnit.SECONDS.toNanos(2);
    /** A send this soon after the last write ended is part of a burst and goes to the writer thread. */
    private static final long INLINE_IDLE_NANOS = TimeUnit.MICROSECONDS.toNanos(5);
    /** How long an end of stream waits for a write in progress to show whether the peer reset instead. */
    private static final long WRITE_SETTLE_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    /**
     * How long a background reader blocks at a time while a request that waited long for its decision still
     * waits: once accepted, it hands reading over to the application's receiving thread when this read ends.
     */
    private static final long REQUEST_READ_SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /** How long an open connection may stay unread before it gets a background reader. */
    private static final long UNREAD_GRACE_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final ConnectionWatch WATCH = new ConnectionWatch();

    /** What one read of the socket gave. */
    private enum ReadOutcome { BYTES, TIMED_OUT, ENDED }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final ProtocolEngine engine;
    private final ConnectionSettings settings;
    private final ReentrantLock lock = new ReentrantLock();
    private final java.util.concurrent.locks.Condition changed = lock.newCondition();
    private final ArrayDeque<byte[]> inbound = new ArrayDeque<>(1);
    private final CompletableFuture<CloseIndication> closeIndication = new CompletableFuture<>();
    private final CompletableFuture<CloseIndication> termination = new CompletableFuture<>();
    /** What runs once the lock is free (future completions, callbacks); made when first needed. */
    private List<Runnable> afterUnlock;
    private final CalleeEvents events;

    private long inboundBytes;
    private byte[] peerDisconnectData;
    private boolean disconnectTaken;
    private CloseIndication ending;
    private boolean writing;
    private long lastWriteEnd = System.nanoTime() - INLINE_IDLE_NANOS - 1;
    private boolean broken;
    /** The read permit: some thread is reading the socket. */
    private boolean reading;
    /** The background reader runs (it holds the permit or is about to take it). */
    private boolean backgroundReading;
    /** Application threads waiting in receive() while another thread reads. */
    private int receiversWaiting;
    /** The transport's input ended (end of stream or failure): nothing more will be read. */
    private boolean inputEnded;
    /** When the permit was last left free with nobody reading. */
    private long unreadSince;
    /** Registered with {@link #WATCH}. */
    private boolean watched;
    private final ByteBuffer idleReadBuffer = ByteBuffer.allocate(IDLE_READ_BUFFER);
    private ByteBuffer readBuffer = idleReadBuffer;
    private boolean closedByApp;
    private boolean accepted;
    private boolean deferred;
    private int deferrals;
    private byte[] callerData = EMPTY;
    private byte[] calleeData = EMPTY;
    private Qos qos;
    private Group group;

    private TcpConnection(Socket socket, ProtocolEngine engine, ConnectionSettings settings,
                          CalleeEvents events) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        this.engine = engine;
        this.settings = settings;
        this.events = events;
    }

    /** A caller's connection on a connected socket; it reads from {@link #awaitAccept} on. */
    static TcpConnection caller(Socket socket, ProtocolEngine engine, ConnectionSettings settings) throws IOException {
        return new TcpConnection(socket, engine, settings, CalleeEvents.NONE);
    }

    /**
     * A callee's connection on an accepted socket, not started yet: once {@link #start()}ed, its reader runs
     * the handshake, then tells {@code events} once the whole request arrived, and again when the connection
     * ends. (Started separately so the listener can register it before either event can come.)
     */
    static TcpConnection callee(Socket socket, ProtocolEngine engine, ConnectionSettings settings,
                                CalleeEvents events) throws IOException {
        return new TcpConnection(socket, engine, settings, events);
    }

    /**
     * Starts a callee's reader. It reads until the request is complete and then stops: a request decided
     * soon is read on from then by the application's receiving thread, and {@link #WATCH} gives one
     * that waits longer a reader again (to notice a caller that withdraws).
     */
    void start() {
        lock.lock();
        try {
            backgroundReading = true;
            watch();
            Thread.ofVirtual().name("parley-reader-" + socket.getPort()).start(() -> readInBackground(true));
        } finally {
            unlock();
        }
    }

    // ------------------------------------------------------------------ handshake, caller side

    /**
     * Sends the request (and the first message, if not null, in the same write) and waits for the decision;
     * true if accepted, else {@link #ending()} says why.
     */
    boolean awaitAccept(Qos requestedQos, Group requestedGroup, byte[] data, byte[] firstMessage) throws IOException {
        lock.lock();
        try {
            callerData = data;
            engine.connect(requestedQos, requestedGroup, data);
            if (firstMessage != null) {
                engine.send(ByteBuffer.wrap(firstMessage));
            }
            watch();
        } finally {
            unlock();
        }
        flushFromCaller();
        lock.lock();
        try {
            // The connecting thread reads the answer itself; the engine's deadline bounds each read.
            while (!accepted && ending == null) {
                if (reading) {
                    changed.await();
                } else {
                    readHoldingLock(Long.MAX_VALUE, true);
                    requireNotInterrupted("connecting");
                }
            }
            return accepted;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while connecting");
        } finally {
            leaveUnread();
            unlock();
        }
    }

    boolean wasDeferred() {
        lock.lock();
        try {
            return deferred;
        } finally {
            unlock();
        }
    }

    CloseIndication ending() {
        lock.lock();
        try {
            return ending;
        } finally {
            unlock();
        }
    }

    // ------------------------------------------------------------------ handshake, callee side

    /** The request as a condition sees it. */
    RequestSnapshot snapshot() {
        lock.lock();
        try {
            var request = engine.request();
            return new RequestSnapshot(socket.getRemoteSocketAddress(), socket.getLocalSocketAddress(),
                    request.callerData(), request.qos(), request.group(), deferrals, request.maxCalleeData());
        } finally {
            unlock();
        }
    }

    /** True while the request waits for a decision (not withdrawn, not ended). */
    boolean isRequestAlive() {
        lock.lock();
        try {
            return engine.state() == EngineState.REQUESTED;
        } finally {
            unlock();
        }
    }

    /**
     * Accepts the pending request; false if it died meanwhile.
     *
     * @throws IllegalCommandException callee data over the caller's limit, or QoS above the request
     */
    boolean acceptRequest(byte[] data, Qos grantedQos, Group joined) throws IOException {
        lock.lock();
        try {
            if (engine.state() != EngineState.REQUESTED) {
                return false;
            }
            engine.accept(data, grantedQos, joined);
            callerData = engine.request().callerData();
            engine.forgetRequest(); // an open connection keeps only what it reports
            calleeData = data;
            qos = grantedQos;
            group = joined;
            accepted = true;
        } finally {
            unlock();
        }
        flushFromCaller();
        return true;
    }

    /** Rejects the pending request and lets the transport go once the answer is delivered. */
    void rejectRequest(ReasonCode reason, byte[] reasonData) {
        lock.lock();
        try {
            if (engine.state() == EngineState.REQUESTED) {
                engine.reject(reason, reasonData);
                dispatch();
            }
        } finally {
            unlock();
        }
        discard();
    }

    /** Defers the pending request (PENDING is sent at most once a second). */
    void deferRequest() {
        lock.lock();
        try {
            if (engine.state() == EngineState.REQUESTED) {
                engine.defer(System.nanoTime());
                deferrals++;
            }
        } finally {
            unlock();
        }
        flushFromCaller();
    }

    /** Closes a connection that was never handed to the application. */
    void discard() {
        lock.lock();
        try {
            if (closedByApp) {
                return;
            }
            closedByApp = true;
            changed.signalAll();
        } finally {
            unlock();
        }
        Thread.ofVirtual().name("parley-closer")
                .start(() -> finishGracefully(System.nanoTime() + settings.drainTimeout().toNanos()));
    }

    // ------------------------------------------------------------------ Connection

    @Override
    public byte[] callerData() {
        return callerData.clone();
    }

    @Override
    public byte[] calleeData() {
        return calleeData.clone();
    }

    @Override
    public Optional<Qos> qos() {
        return Optional.ofNullable(qos);
    }

    @Override
    public Optional<Group> group() {
        return Optional.ofNullable(group);
    }

    @Override
    public SocketAddress localAddress() {
        return socket.getLocalSocketAddress();
    }

    @Override
    public SocketAddress remoteAddress() {
        return socket.getRemoteSocketAddress();
    }

    @Override
    public void send(ByteBuffer message) throws IOException {
        lock.lock();
        try {
            requireNotClosed();
            long deadline = deadlineAfter(settings.sendTimeout());
            while (engine.pendingOutput() >= settings.sendBufferSize() && !broken && ending == null) {
                awaitChange(deadline, "no room to send within " + settings.sendTimeout().toMillis() + " ms");
                requireNotClosed();
            }
            engine.send(message);
        } catch (IllegalCommandException e) {
            throw Failures.ofCommand(e, ending);
        } finally {
            unlock();
        }
        flushFromCaller();
    }

    @Override
    public byte[] receive() throws IOException {
        return receive(Duration.ZERO);
    }

    @Override
    public byte[] receive(Duration timeout) throws IOException {
        lock.lock();
        try {
            long deadline = deadlineAfter(timeout);
            while (true) {
                requireNotClosed();
                if (disconnectTaken) {
                    throw new ShutdownException("receiving ended with receiveDisconnect()");
                }
                byte[] message = inbound.poll();
                if (message != null) {
                    inboundBytes -= message.length;
                    changed.signalAll();
                    return message;
                }
                if (peerDisconnectData != null) {
                    settleCloseIndication();
                    return null;
                }
                if (ending != null) {
                    settleCloseIndication();
                    throw ConnectionEndedException.of(ending);
                }
                if (reading || backgroundReading) {
                    awaitOtherReader(deadline, timeout);
                } else {
                    ReadOutcome outcome = readHoldingLock(deadline, true);
                    requireNotInterrupted("receiving");
                    if (outcome == ReadOutcome.TIMED_OUT && deadline != Long.MAX_VALUE && deadline - System.nanoTime() <= 0) {
                        throw new TimedOutException(noMessageWithin(timeout));
                    }
                }
            }
        } finally {
            leaveUnread();
            unlock();
        }
    }

    /** Waits while another thread reads; the background reader hands reading over when its read ends. */
    private void awaitOtherReader(long deadline, Duration timeout) throws IOException {
        receiversWaiting++;
        try {
            awaitChange(deadline, noMessageWithin(timeout));
        } finally {
            receiversWaiting--;
        }
    }

    private static void requireNotInterrupted(String doing) throws InterruptedIOException {
        if (Thread.currentThread().isInterrupted()) {
            throw new InterruptedIOException("interrupted while " + doing + "; the connection was closed");
        }
    }

    private static String noMessageWithin(Duration timeout) {
        return "no message within " + timeout.toMillis() + " ms";
    }

    @Override
    public void sendDisconnect(byte[] data) throws IOException {
        lock.lock();
        try {
            requireNotClosed();
            engine.sendDisconnect(data.clone(), false);
            dispatch();
        } catch (IllegalCommandException e) {
            throw Failures.ofCommand(e, ending);
        } finally {
            unlock();
        }
        flushFromCaller();
    }

    @Override
    public byte[] receiveDisconnect() throws IOException {
        lock.lock();
        try {
            requireNotClosed();
            if (disconnectTaken) {
                throw new ShutdownException("the peer's disconnect data was already taken");
            }
            if (peerDisconnectData != null && inbound.isEmpty()) {
                disconnectTaken = true;
                settleCloseIndication();
                return peerDisconnectData.clone();
            }
            if (peerDisconnectData == null && ending != null) {
                settleCloseIndication();
                throw ConnectionEndedException.of(ending);
            }
            throw new WouldBlockException(peerDisconnectData == null
                    ? "the peer's disconnect has not arrived"
                    : inbound.size() + " message(s) before the peer's disconnect are still unread");
        } finally {
            unlock();
        }
    }

    @Override
    public CompletableFuture<CloseIndication> closeIndication() {
        return closeIndication.copy();
    }

    @Override
    public CompletableFuture<CloseIndication> termination() {
        return termination.copy();
    }

    @Override
    public void close() throws IOException {
        Linger linger = settings.linger();
        lock.lock();
        try {
            if (closedByApp) {
                return;
            }
            closedByApp = true;
            inbound.clear();
            inboundBytes = 0;
            changed.signalAll();
            // Also when the peer's DISCONNECT said it closed: its data is discarded there, but without ours
            // the peer sees the transport end without a disconnect and reports an abort, not a graceful end.
            if (linger.mode() != Linger.Mode.ABORTIVE && !engine.isSendingDone() && isOpenState()) {
                engine.sendDisconnect(EMPTY, !engine.isReceivingDone());
                dispatch();
            }
        } finally {
            unlock();
        }
        switch (linger.mode()) {
            case ABORTIVE -> reset(new CloseIndication(CloseIndication.Kind.ABORTED, ReasonCode.APPLICATION_ABORT,
                    "closed abortively (linger 0)"));
            case DONT_LINGER -> {
                long deadline = System.nanoTime() + settings.drainTimeout().toNanos();
                if (isFinishedAndFlushed()) {
                    finishGracefully(deadline); // nothing left to wait for: no closer thread, no timed wait
                } else {
                    Thread.ofVirtual().name("parley-closer").start(() -> finishGracefully(deadline));
                }
            }
            case BOUNDED -> {
                if (!finishGracefully(System.nanoTime() + linger.timeout().toNanos())) {
                    throw new TimedOutException("linger timeout of " + linger.timeout().toMillis()
                            + " ms passed before delivery; the connection was reset");
                }
            }
        }
    }

    @Override
    public void abort(String reason) throws IOException {
        lock.lock();
        try {
            if (engine.state() == EngineState.CLOSED) {
                return;
            }
            requireNotClosed();
            closedByApp = true;
            inbound.clear();
            engine.abort(ReasonCode.APPLICATION_ABORT, reason);
            dispatch();
        } finally {
            unlock();
        }
        Thread.ofVirtual().name("parley-closer")
                .start(() -> finishGracefully(System.nanoTime() + settings.drainTimeout().toNanos()));
    }

    // ------------------------------------------------------------------ reading

    /** Starts the background reader unless it runs. Lock held. */
    private void startBackgroundReader() {
        if (!backgroundReading) {
            backgroundReading = true;
            Thread.ofVirtual().name("parley-reader-" + socket.getPort()).start(() -> readInBackground(false));
        }
    }

    /**
     * The background reader: reads while nobody else does, until the input ends, and hands reading over to
     * the application as soon as a thread waits in receive() (its next read is then that thread's own).
     *
     * @param untilRequest stop once the caller's request is complete (the callee's first reader)
     */
    private void readInBackground(boolean untilRequest) {
        lock.lock();
        try {
            while (!reading && !isInputDone() && receiversWaiting == 0
                    && !(untilRequest && engine.state() != EngineState.AWAITING_REQUEST)) {
                ReadOutcome outcome = readHoldingLock(backgroundDeadline(), false);
                if (outcome == ReadOutcome.ENDED || outcome == ReadOutcome.BYTES && !awaitInboundRoom()) {
                    break;
                }
            }
        } finally {
            backgroundReading = false;
            changed.signalAll();
            leaveUnread();
            unlock();
        }
    }

    /** While a callee's request awaits its decision, the background reader's reads are short. Lock held. */
    private long backgroundDeadline() {
        return engine.state() == EngineState.REQUESTED
                ? System.nanoTime() + REQUEST_READ_SLICE_NANOS
                : Long.MAX_VALUE;
    }

    /**
     * A callee's request waits for its decision: the preamble the engine answered with stays queued, so
     * that it goes out in one write with the answer (or after {@link #UNREAD_GRACE_NANOS}).
     */
    private boolean isAwaitingDecision() {
        lock.lock();
        try {
            return engine.state() == EngineState.REQUESTED;
        } finally {
            unlock();
        }
    }

    /** True once nothing more is to be read: the input ended or the engine closed. Lock held. */
    private boolean isInputDone() {
        return inputEnded || engine.state() == EngineState.CLOSED;
    }

    /**
     * Reads the socket once with the read permit, which must be free, and feeds the engine. Lock held once on
     * entry and on return, released during the read. The read blocks until {@code deadline} at the latest
     * (and the engine's own deadline).
     */
    private ReadOutcome readHoldingLock(long deadline, boolean writeInline) {
        reading = true;
        int timeoutMillis = readTimeoutMillis(deadline);
        ByteBuffer buffer = readBuffer;
        unlock();
        ReadOutcome outcome = ReadOutcome.ENDED;
        try {
            outcome = readOnce(buffer, timeoutMillis);
            if (!isAwaitingDecision()) {
                startWriting(writeInline); // what the engine answered (an abort after a violation, a timeout)
            }
        } finally {
            lock.lock();
            reading = false;
            changed.signalAll();
        }
        return outcome;
    }

    private ReadOutcome readOnce(ByteBuffer buffer, int timeoutMillis) {
        int n;
        try {
            socket.setSoTimeout(timeoutMillis);
            n = in.read(buffer.array(), 0, buffer.capacity());
        } catch (SocketTimeoutException e) {
            withEngine(() -> engine.handleTimeout(System.nanoTime()));
            return ReadOutcome.TIMED_OUT;
        } catch (IOException e) {
            if (Thread.currentThread().isInterrupted()) {
                // Interrupting a virtual thread blocked in a socket read closes the socket: a local abort.
                reset(new CloseIndication(CloseIndication.Kind.ABORTED, ReasonCode.APPLICATION_ABORT,
                        "a thread reading the connection was interrupted, which closed it"));
            }
            withEngine(() -> {
                inputEnded = true;
                engine.receiveReset("transport failed: " + e.getMessage());
            });
            return ReadOutcome.ENDED;
        }
        if (n < 0) {
            awaitWriteSettled(System.nanoTime() + WRITE_SETTLE_NANOS);
            withEngine(() -> {
                inputEnded = true;
                engine.receiveEndOfStream();
            });
            return ReadOutcome.ENDED;
        }
        lock.lock();
        try {
            engine.receive(buffer.clear().limit(n));
            dispatch();
            resizeReadBuffer(n);
            return isInputDone() ? ReadOutcome.ENDED : ReadOutcome.BYTES;
        } finally {
            unlock();
        }
    }

    /** Full reads grow the buffer; a short one means the burst is over: block with the small one again. */
    private void resizeReadBuffer(int lastRead) {
        if (lastRead == readBuffer.capacity() && readBuffer.capacity() < LARGE_READ_BUFFER) {
            readBuffer = ByteBuffer.allocate(readBuffer == idleReadBuffer ? READ_BUFFER : LARGE_READ_BUFFER);
        } else if (lastRead < IDLE_READ_BUFFER && readBuffer != idleReadBuffer) {
            readBuffer = idleReadBuffer;
        }
    }

    /**
     * Called with the lock held by a thread that stops reading: if the connection is open and nobody else
     * reads, {@link #WATCH} gives it a background reader unless somebody reads again soon.
     */
    private void leaveUnread() {
        if (isUnread()) {
            unreadSince = System.nanoTime();
            watch();
        }
    }

    private boolean isUnread() {
        return !reading && !backgroundReading && receiversWaiting == 0 && !closedByApp && !isInputDone();
    }

    /** Hands this connection to {@link #WATCH} unless it is watched already. Lock held. */
    private void watch() {
        if (!watched) {
            watched = true;
            WATCH.watch(this);
        }
    }

    private boolean hasHandshakeDeadline() {
        return engine.deadline() != Long.MAX_VALUE && !isInputDone();
    }

    @Override
    public boolean check(long now) {
        boolean timedOut;
        boolean covered = false;
        lock.lock();
        try {
            timedOut = hasHandshakeDeadline() && now - engine.deadline() >= 0;
            if (timedOut) {
                engine.handleTimeout(now);
                dispatch();
            } else if (isUnread() && now - unreadSince >= UNREAD_GRACE_NANOS) {
                startBackgroundReader();
                covered = true;
            }
            watched = hasHandshakeDeadline() || isUnread();
        } finally {
            unlock();
        }
        if (timedOut || covered) {
            flush(); // the engine's answer to the timeout, or a preamble held back for a decision that is slow
        }
        if (timedOut) {
            wakeBlockedReader();
        }
        return !watched;
    }

    /**
     * After a handshake timeout (the engine ended): a reader blocked in the socket returns at once. Shutting
     * the input down is the one way to end a blocked read without closing the socket, whose output still
     * carries the abort.
     */
    private void wakeBlockedReader() {
        try {
            if (!socket.isClosed() && !socket.isInputShutdown()) {
                socket.shutdownInput();
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "shutting the input of {0} down failed: {1}", socket, e.getMessage());
        }
    }

    /**
     * Linux hands a peer's reset to whichever call on the socket comes first: when the writer's send takes
     * it, the next read sees only an end of stream. Waiting for a write in progress to finish lets its
     * failure report the reset (WSAECONNRESET) before the end of stream is taken for a plain abort.
     */
    private void awaitWriteSettled(long deadline) {
        lock.lock();
        try {
            while (writing && !broken && awaitUntil(deadline)) {
                // the writer signals when its write completes or fails
            }
        } finally {
            unlock();
        }
    }

    private static int readTimeoutMillis(long deadline) {
        if (deadline == Long.MAX_VALUE) {
            return 0;
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, millis + 1));
    }

    /**
     * Waits while the application has more unread than the receive buffer; false if reading should stop.
     * Lock held.
     */
    private boolean awaitInboundRoom() {
        try {
            while (inboundBytes > settings.receiveBufferSize() && !closedByApp && ending == null) {
                changed.await();
            }
            return true;
        } catch (InterruptedException e) {
            return false;
        }
    }

    private void withEngine(Runnable step) {
        lock.lock();
        try {
            step.run();
            dispatch();
        } finally {
            unlock();
        }
    }

    /** Moves the engine's events into this connection's state. Called with the lock held. */
    private void dispatch() {
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
                    runAfterUnlock(() -> closeIndication.complete(CloseIndication.GRACEFUL));
                }
                case ProtocolEvent.Closed c -> ended(c.indication());
                case ProtocolEvent.ConnectRequested r -> runAfterUnlock(() -> events.requestArrived(this));
                case ProtocolEvent.Accepted a -> {
                    accepted = true;
                    calleeData = a.calleeData();
                    qos = a.grantedQos();
                    group = a.group();
                }
                case ProtocolEvent.Deferred d -> deferred = true;
            }
        }
        changed.signalAll();
    }

    private void queueInbound(byte[] message) {
        if (!closedByApp && !disconnectTaken) {
            inbound.add(message);
            inboundBytes += message.length;
        }
    }

    private void ended(CloseIndication indication) {
        ending = indication;
        if (!indication.isGraceful()) {
            broken = broken || indication.kind() == CloseIndication.Kind.RESET;
            runAfterUnlock(() -> {
                closeIndication.complete(indication);
                termination.complete(indication);
            });
        }
        runAfterUnlock(() -> events.ended(this));
    }

    /**
     * Makes sure the close indication is complete when this thread unlocks, before it reports the end to the
     * application: the reader completes it only after it unlocked, so a receive could otherwise report the
     * end (or the break) while {@link #closeIndication()} still looked pending. Completes it with the value
     * the reader completes it with (the first completion wins). Lock held.
     */
    private void settleCloseIndication() {
        CloseIndication indication = peerDisconnectData != null ? CloseIndication.GRACEFUL : ending;
        if (indication != null) {
            runAfterUnlock(() -> closeIndication.complete(indication));
        }
    }

    /** Unlocks, then runs what had to wait for the lock to be free (future completions, callbacks). */
    private void unlock() {
        if (afterUnlock == null || lock.getHoldCount() > 1) {
            lock.unlock();
            return;
        }
        List<Runnable> actions = afterUnlock;
        afterUnlock = null;
        lock.unlock();
        actions.forEach(Runnable::run);
    }

    /** Runs {@code action} once the lock is released. Lock held. */
    private void runAfterUnlock(Runnable action) {
        if (afterUnlock == null) {
            afterUnlock = new ArrayList<>(2);
        }
        afterUnlock.add(action);
    }

    // ------------------------------------------------------------------ writing

    /**
     * Makes sure what the engine has encoded gets written: starts the writer unless one is running (it takes
     * ours too, so sends made while it writes are coalesced into its next system call). Never blocks: a
     * write that waits for a slow peer waits on the writer's thread, so a sender only ever waits for room in
     * the send buffer, which the send timeout bounds. A write failure ends the connection as a reset.
     */
    private void flush() {
        startWriting(false);
    }

    /**
     * As {@link #flush()}, from an application thread: when the connection has been quiet (no write ended in
     * the last {@link #INLINE_IDLE_NANOS}) and no send timeout must be honoured, the caller writes itself, so
     * a lone send costs no hand-off to another thread. A send that follows a write at once is left to the
     * writer thread instead, which coalesces the burst.
     */
    private void flushFromCaller() {
        startWriting(true);
    }

    private void startWriting(boolean mayWriteInline) {
        boolean inline;
        lock.lock();
        try {
            if (writing || broken) {
                return;
            }
            if (engine.pendingOutput() == 0) {
                completeTerminationIfFlushed();
                return;
            }
            writing = true;
            // After this side's disconnect nothing can follow to coalesce with, so it is written at once.
            inline = mayWriteInline && settings.sendTimeout().isZero()
                    && (engine.isSendingDone() || System.nanoTime() - lastWriteEnd > INLINE_IDLE_NANOS);
        } finally {
            unlock();
        }
        if (inline) {
            writeLoop();
        } else {
            Thread.ofVirtual().name("parley-writer-" + socket.getPort()).start(this::writeLoop);
        }
    }

    /** The writer: writes batches until nothing is left, then stops (a later flush starts another). */
    private void writeLoop() {
        IOException failure = null;
        while (true) {
            ByteBuffer batch;
            lock.lock();
            try {
                batch = failure == null ? engine.takeOutput() : null;
                if (batch == null) {
                    writing = false;
                    if (failure != null) {
                        writeFailed(failure);
                    }
                    completeTerminationIfFlushed();
                    changed.signalAll();
                    return;
                }
                changed.signalAll(); // the send buffer has room again (FD_WRITE)
            } finally {
                unlock();
            }
            try {
                out.write(batch.array(), batch.arrayOffset() + batch.position(), batch.remaining());
            } catch (IOException e) {
                failure = e;
            }
            lock.lock();
            try {
                engine.releaseOutput();
                lastWriteEnd = System.nanoTime();
            } finally {
                unlock();
            }
        }
    }

    /** The transport broke while writing: what was queued is lost, so the ending cannot be graceful. Lock held. */
    private void writeFailed(IOException failure) {
        broken = true;
        String detail = "write failed: " + failure.getMessage();
        if (ending == null) {
            engine.receiveReset(detail);
            dispatch();
        } else if (ending.isGraceful()) {
            CloseIndication lost = new CloseIndication(CloseIndication.Kind.RESET, ReasonCode.TRANSPORT_RESET, detail);
            ending = lost;
            runAfterUnlock(() -> termination.complete(lost));
        }
    }

    /** True when both disconnects crossed and everything is written: closing cannot block. */
    private boolean isFinishedAndFlushed() {
        lock.lock();
        try {
            return ending != null && ending.isGraceful() && !writing && engine.pendingOutput() == 0;
        } finally {
            unlock();
        }
    }

    /** Called with the lock held, once nothing is left to write. */
    private void completeTerminationIfFlushed() {
        if (ending != null && ending.isGraceful() && engine.pendingOutput() == 0) {
            runAfterUnlock(() -> termination.complete(CloseIndication.GRACEFUL));
        }
    }

    // ------------------------------------------------------------------ closing

    /**
     * Delivers what is queued, half-closes the transport, waits for the peer's end (so that no unread data
     * makes the kernel reset the connection), then closes the socket. Resets instead if the deadline passes.
     *
     * @return true if everything completed before the deadline
     */
    private boolean finishGracefully(long deadline) {
        boolean inTime = awaitFlushed(deadline);
        if (inTime && !isFinishedAndFlushed()) { // when finished, closing sends the FIN: one system call less
            try {
                if (!socket.isOutputShutdown() && !socket.isClosed()) {
                    socket.shutdownOutput();
                }
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, "half-close failed on {0}: {1}", socket, e.getMessage());
            }
            inTime = awaitInputDone(deadline);
        }
        if (inTime && needsDrain()) {
            drainInput(Math.min(deadline, System.nanoTime() + MAX_DRAIN_AFTER_FAILURE_NANOS));
        }
        if (!inTime) {
            reset(new CloseIndication(CloseIndication.Kind.ABORTED, ReasonCode.TIMED_OUT,
                    "the peer did not finish within the linger or drain timeout"));
            return false;
        }
        closeSocket();
        lock.lock();
        try {
            CloseIndication outcome = ending != null ? ending : new CloseIndication(CloseIndication.Kind.ABORTED,
                    ReasonCode.TRANSPORT_CLOSED, "closed before the peer's disconnect arrived");
            runAfterUnlock(() -> {
                closeIndication.complete(outcome);
                termination.complete(outcome);
            });
        } finally {
            unlock();
        }
        return true;
    }

    /**
     * After a refusal or abort the peer may still have bytes in flight (the rest of an oversized request);
     * closing with them unread would make the kernel reset the connection and destroy our answer.
     */
    private boolean needsDrain() {
        lock.lock();
        try {
            return ending != null && !ending.isGraceful() && !engine.isTransportEnded() && !broken;
        } finally {
            unlock();
        }
    }

    private void drainInput(long deadline) {
        lock.lock();
        try {
            if (reading) {
                // A thread parked in its read has nothing unread behind it: closing cannot reset, and it wakes it.
                return;
            }
            reading = true;
        } finally {
            unlock();
        }
        byte[] sink = new byte[READ_BUFFER];
        try {
            while (true) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    return;
                }
                socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, left));
                if (in.read(sink) < 0) {
                    return;
                }
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.TRACE, "drain ended on {0}: {1}", socket, e.getMessage());
        } finally {
            lock.lock();
            try {
                reading = false;
            } finally {
                unlock();
            }
        }
    }

    private boolean awaitFlushed(long deadline) {
        flushFromCaller();
        lock.lock();
        try {
            while ((writing || engine.pendingOutput() > 0) && !broken) {
                if (!awaitUntil(deadline)) {
                    return false;
                }
            }
            return true;
        } finally {
            unlock();
        }
    }

    /** Waits until nothing more is to be read, reading itself while nobody else does; false after the deadline. */
    private boolean awaitInputDone(long deadline) {
        lock.lock();
        try {
            while (!isInputDone()) {
                if (System.nanoTime() - deadline >= 0) {
                    return false;
                }
                if (reading || backgroundReading) {
                    if (!awaitUntil(deadline)) {
                        return false;
                    }
                } else {
                    readHoldingLock(deadline, false);
                }
            }
            return true;
        } finally {
            unlock();
        }
    }

    /**
     * Resets the transport (linger 0): queued data is discarded, the peer sees a reset. The socket is reset
     * before the futures complete (they complete when the lock is released), so whoever sees the outcome
     * knows the transport is gone; closing never blocks with linger 0.
     */
    private void reset(CloseIndication indication) {
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
            runAfterUnlock(() -> {
                closeIndication.complete(indication);
                termination.complete(indication);
            });
            changed.signalAll();
            try {
                socket.setSoLinger(true, 0);
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, "SO_LINGER failed on {0}: {1}", socket, e.getMessage());
            }
            closeSocket();
        } finally {
            unlock();
        }
    }

    private void closeSocket() {
        try {
            socket.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "close failed on {0}: {1}", socket, e.getMessage());
        }
    }

    // ------------------------------------------------------------------ helpers

    private boolean isOpenState() {
        return engine.state() == EngineState.OPEN || engine.state() == EngineState.RECEIVE_CLOSED;
    }

    private void requireNotClosed() throws ClosedException {
        if (closedByApp) {
            throw new ClosedException("the connection was closed by this side");
        }
    }

    private static long deadlineAfter(Duration timeout) {
        return timeout.isZero() ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
    }

    /** Waits for a change until the deadline; throws {@link TimedOutException} after it. Lock held. */
    private void awaitChange(long deadline, String timeoutMessage) throws IOException {
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
            throw new InterruptedIOException("interrupted");
        }
    }

    /** Waits for a change until the deadline; false once it passed. Lock held. */
    private boolean awaitUntil(long deadline) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            return false;
        }
        try {
            changed.awaitNanos(left);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public String toString() {
        return "TcpConnection[" + socket.getLocalSocketAddress() + " <-> " + socket.getRemoteSocketAddress()
                + ", " + engine.state() + "]";
    }
}
