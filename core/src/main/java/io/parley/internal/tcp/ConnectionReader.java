package io.parley.internal.tcp;

import io.parley.CloseIndication;
import io.parley.ReasonCode;
import io.parley.protocol.EngineState;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * Reads a {@link TcpConnection}'s socket into its engine. One thread at a time holds the read permit: an
 * application thread that receives (or connects) and finds nothing queued reads itself, so a message costs
 * one wake-up, as with a plain socket. While nobody receives, a background reader does it, so the close
 * indication arrives without anybody receiving: the callee's from the first byte until the application
 * receives, and any connection's once it was left unread for {@link #UNREAD_GRACE_NANOS}.
 *
 * <p>Reads are not timed (a timed read costs a timer per read); {@link #WATCH} ends a handshake whose
 * deadline passed, which wakes its blocked reader by shutting the input down.
 */
final class ConnectionReader implements ConnectionWatch.Watched {
    private static final System.Logger LOG = System.getLogger("io.parley.tcp");
    /** The usual read buffer (and the buffer a drain reads into). */
    static final int READ_BUFFER = 8 * 1024;
    /**
     * What the reader blocks with while the connection is quiet: a blocked read holds its buffer, so an idle
     * connection would otherwise keep 8 KiB (64 KiB after a burst) for nothing. Full reads grow it again.
     */
    private static final int IDLE_READ_BUFFER = 128;
    private static final int LARGE_READ_BUFFER = 64 * 1024;
    /**
     * How long a background reader blocks at a time while a request that waited long for its decision still
     * waits: once accepted, it hands reading over to the application's receiving thread when this read ends.
     */
    private static final long REQUEST_READ_SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /** How long an open connection may stay unread before it gets a background reader. */
    private static final long UNREAD_GRACE_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final ConnectionWatch WATCH = new ConnectionWatch();

    /** What one read of the socket gave. */
    enum ReadOutcome { BYTES, TIMED_OUT, ENDED }

    private final ConnectionState state;
    private final ConnectionWriter writer;
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

    /** The reader of the connection whose state this is; {@code writer} writes what the engine answers. */
    ConnectionReader(ConnectionState state, ConnectionWriter writer) {
        this.state = state;
        this.writer = writer;
    }

    /**
     * Starts a callee's first reader, which reads until the request is complete and then stops, and has
     * {@link #WATCH} look after the connection from then on.
     */
    void startRequestReader() {
        state.lock();
        try {
            backgroundReading = true;
            watch();
            Thread.ofVirtual().name("parley-reader-" + state.socket.getPort()).start(() -> readInBackground(true));
        } finally {
            state.unlock();
        }
    }

    /** True while some thread holds the read permit. Lock held. */
    boolean isPermitTaken() {
        return reading;
    }

    /** True while some thread holds the read permit or the background reader is about to take it. Lock held. */
    boolean hasReader() {
        return reading || backgroundReading;
    }

    /** Takes the read permit unless some thread holds it; true if taken. Lock held. */
    boolean tryTakePermit() {
        if (reading) {
            return false;
        }
        reading = true;
        return true;
    }

    /** Gives back a permit taken with {@link #tryTakePermit()}. Lock held. */
    void releasePermit() {
        reading = false;
    }

    /** True once nothing more is to be read: the input ended or the engine closed. Lock held. */
    boolean isInputDone() {
        return inputEnded || state.engine.state() == EngineState.CLOSED;
    }

    /** Waits while another thread reads; the background reader hands reading over when its read ends. */
    void awaitOtherReader(long deadline, String timeoutMessage) throws IOException {
        receiversWaiting++;
        try {
            state.awaitChange(deadline, timeoutMessage);
        } finally {
            receiversWaiting--;
        }
    }

    /** Starts the background reader unless it runs. Lock held. */
    private void startBackgroundReader() {
        if (!backgroundReading) {
            backgroundReading = true;
            Thread.ofVirtual().name("parley-reader-" + state.socket.getPort()).start(() -> readInBackground(false));
        }
    }

    /**
     * The background reader: reads while nobody else does, until the input ends, and hands reading over to
     * the application as soon as a thread waits in receive() (its next read is then that thread's own).
     *
     * @param untilRequest stop once the caller's request is complete (the callee's first reader)
     */
    private void readInBackground(boolean untilRequest) {
        state.lock();
        try {
            while (!reading && !isInputDone() && receiversWaiting == 0
                    && !(untilRequest && state.engine.state() != EngineState.AWAITING_REQUEST)) {
                ReadOutcome outcome = readHoldingLock(backgroundDeadline(), false);
                if (outcome == ReadOutcome.ENDED || outcome == ReadOutcome.BYTES && !awaitInboundRoom()) {
                    break;
                }
            }
        } finally {
            backgroundReading = false;
            state.changed.signalAll();
            leaveUnread();
            state.unlock();
        }
    }

    /** While a callee's request awaits its decision, the background reader's reads are short. Lock held. */
    private long backgroundDeadline() {
        return state.engine.state() == EngineState.REQUESTED
                ? System.nanoTime() + REQUEST_READ_SLICE_NANOS
                : Long.MAX_VALUE;
    }

    /**
     * A callee's request waits for its decision: the preamble the engine answered with stays queued, so
     * that it goes out in one write with the answer (or after {@link #UNREAD_GRACE_NANOS}).
     */
    private boolean isAwaitingDecision() {
        state.lock();
        try {
            return state.engine.state() == EngineState.REQUESTED;
        } finally {
            state.unlock();
        }
    }

    /**
     * Reads the socket once with the read permit, which must be free, and feeds the engine. Lock held once on
     * entry and on return, released during the read. The read blocks until {@code deadline} at the latest
     * (and the engine's own deadline).
     */
    ReadOutcome readHoldingLock(long deadline, boolean writeInline) {
        reading = true;
        int timeoutMillis = readTimeoutMillis(deadline);
        ByteBuffer buffer = readBuffer;
        state.unlock();
        ReadOutcome outcome = ReadOutcome.ENDED;
        try {
            outcome = readOnce(buffer, timeoutMillis);
            if (!isAwaitingDecision()) {
                writer.startWriting(writeInline); // what the engine answered (an abort after a violation, a timeout)
            }
        } finally {
            state.lock();
            reading = false;
            state.changed.signalAll();
        }
        return outcome;
    }

    private ReadOutcome readOnce(ByteBuffer buffer, int timeoutMillis) {
        int n;
        try {
            state.socket.setSoTimeout(timeoutMillis);
            n = state.in.read(buffer.array(), 0, buffer.capacity());
        } catch (SocketTimeoutException e) {
            withEngine(() -> state.engine.handleTimeout(System.nanoTime()));
            return ReadOutcome.TIMED_OUT;
        } catch (IOException e) {
            if (Thread.currentThread().isInterrupted()) {
                // Interrupting a virtual thread blocked in a socket read closes the socket: a local abort.
                state.reset(new CloseIndication(CloseIndication.Kind.ABORTED, ReasonCode.APPLICATION_ABORT,
                        "a thread reading the connection was interrupted, which closed it"));
            }
            withEngine(() -> {
                inputEnded = true;
                state.engine.receiveReset("transport failed: " + e.getMessage());
            });
            return ReadOutcome.ENDED;
        }
        if (n < 0) {
            writer.awaitWriteSettled();
            withEngine(() -> {
                inputEnded = true;
                state.engine.receiveEndOfStream();
            });
            return ReadOutcome.ENDED;
        }
        state.lock();
        try {
            state.engine.receive(buffer.clear().limit(n));
            state.dispatch();
            resizeReadBuffer(n);
            return isInputDone() ? ReadOutcome.ENDED : ReadOutcome.BYTES;
        } finally {
            state.unlock();
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
            while (state.inboundBytes > state.settings.receiveBufferSize() && !state.closedByApp && state.ending == null) {
                state.changed.await();
            }
            return true;
        } catch (InterruptedException e) {
            return false;
        }
    }

    private void withEngine(Runnable step) {
        state.lock();
        try {
            step.run();
            state.dispatch();
        } finally {
            state.unlock();
        }
    }

    /**
     * Called with the lock held by a thread that stops reading: if the connection is open and nobody else
     * reads, {@link #WATCH} gives it a background reader unless somebody reads again soon.
     */
    void leaveUnread() {
        if (isUnread()) {
            unreadSince = System.nanoTime();
            watch();
        }
    }

    private boolean isUnread() {
        return !reading && !backgroundReading && receiversWaiting == 0 && !state.closedByApp && !isInputDone();
    }

    /** Hands this connection to {@link #WATCH} unless it is watched already. Lock held. */
    void watch() {
        if (!watched) {
            watched = true;
            WATCH.watch(this);
        }
    }

    private boolean hasHandshakeDeadline() {
        return state.engine.deadline() != Long.MAX_VALUE && !isInputDone();
    }

    @Override
    public boolean check(long now) {
        boolean timedOut;
        boolean covered = false;
        state.lock();
        try {
            timedOut = hasHandshakeDeadline() && now - state.engine.deadline() >= 0;
            if (timedOut) {
                state.engine.handleTimeout(now);
                state.dispatch();
            } else if (isUnread() && now - unreadSince >= UNREAD_GRACE_NANOS) {
                startBackgroundReader();
                covered = true;
            }
            watched = hasHandshakeDeadline() || isUnread();
        } finally {
            state.unlock();
        }
        if (timedOut || covered) {
            writer.flush(); // the engine's answer to the timeout, or a preamble held back for a decision that is slow
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
            if (!state.socket.isClosed() && !state.socket.isInputShutdown()) {
                state.socket.shutdownInput();
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "shutting the input of {0} down failed: {1}", state.socket, e.getMessage());
        }
    }
}
