package io.parley.internal.driver;

import java.io.IOException;
import java.net.SocketAddress;
import java.net.SocketException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One end of an in-memory byte stream pair, for testing the driver without sockets: each direction is a
 * bounded buffer (a full one blocks the writer, as a full TCP window does), and the ends behave as Linux TCP
 * does where the driver depends on it:
 * <ul>
 *   <li>{@link #close()} with received bytes unread resets the stream instead (a kernel sends RST then);</li>
 *   <li>after the peer's reset, bytes already received can still be read, then reads fail with
 *       "Connection reset"; writes fail at once;</li>
 *   <li>after the peer closed, writes fail (where TCP would take one more write, then fail);</li>
 *   <li>{@link #shutdownInput()} makes reads return -1 at once, a blocked one too.</li>
 * </ul>
 * Both ends share one lock; every change signals every waiter.
 */
final class MemoryStream implements ByteStream {
    /** The default buffer of each direction, about a loopback socket's. */
    static final int DEFAULT_CAPACITY = 64 * 1024;

    /** One direction's bytes, from one end's writes to the other end's reads. Guarded by the pair's lock. */
    private static final class Pipe {
        final byte[] ring;
        int head;
        int size;
        /** The writing end ended its sending: the reader reads -1 once the bytes are taken. */
        boolean finished;
        /** The writing end reset: the reader fails once the bytes are taken. */
        boolean reset;
        /** The reading end is gone (closed or reset): writes fail. */
        boolean readerGone;

        Pipe(int capacity) {
            ring = new byte[capacity];
        }
    }

    /** An end's address: its name. */
    static final class Address extends SocketAddress {
        private final String name;

        Address(String name) {
            this.name = name;
        }

        @Override
        public String toString() {
            return "memory:" + name;
        }
    }

    private final ReentrantLock lock;
    private final Condition changed;
    private final Pipe in;
    private final Pipe out;
    private final Address local;
    private final Address remote;
    /** The other end, set once by {@link #pair}. */
    private MemoryStream peer;
    private boolean closed;
    private boolean inputShut;

    private MemoryStream(ReentrantLock lock, Pipe in, Pipe out, Address local, Address remote) {
        this.lock = lock;
        this.changed = lock.newCondition();
        this.in = in;
        this.out = out;
        this.local = local;
        this.remote = remote;
    }

    /** The two ends of a new stream: [0] the caller's, [1] the callee's. */
    static MemoryStream[] pair(String name, int capacity) {
        ReentrantLock lock = new ReentrantLock();
        Pipe toCallee = new Pipe(capacity);
        Pipe toCaller = new Pipe(capacity);
        Address caller = new Address(name + "-caller");
        Address callee = new Address(name + "-callee");
        MemoryStream callerEnd = new MemoryStream(lock, toCaller, toCallee, caller, callee);
        MemoryStream calleeEnd = new MemoryStream(lock, toCallee, toCaller, callee, caller);
        callerEnd.peer = calleeEnd;
        calleeEnd.peer = callerEnd;
        return new MemoryStream[] {callerEnd, calleeEnd};
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        lock.lock();
        try {
            while (true) {
                if (closed) {
                    throw new SocketException("Socket closed");
                }
                if (inputShut) {
                    return -1;
                }
                if (in.size > 0) {
                    int n = Math.min(length, in.size);
                    for (int i = 0; i < n; i++) {
                        buffer[offset + i] = in.ring[(in.head + i) % in.ring.length];
                    }
                    in.head = (in.head + n) % in.ring.length;
                    in.size -= n;
                    signalBoth();
                    return n;
                }
                if (in.reset) {
                    throw new SocketException("Connection reset");
                }
                if (in.finished) {
                    return -1;
                }
                await();
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void write(byte[] buffer, int offset, int length) throws IOException {
        lock.lock();
        try {
            int written = 0;
            while (written < length) {
                if (closed) {
                    throw new SocketException("Socket closed");
                }
                if (out.readerGone) {
                    throw new SocketException("Connection reset by peer");
                }
                int room = out.ring.length - out.size;
                if (room == 0) {
                    await();
                    continue;
                }
                int n = Math.min(room, length - written);
                for (int i = 0; i < n; i++) {
                    out.ring[(out.head + out.size + i) % out.ring.length] = buffer[offset + written + i];
                }
                out.size += n;
                written += n;
                signalBoth();
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void shutdownInput() {
        lock.lock();
        try {
            inputShut = true;
            signalBoth();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void reset() {
        lock.lock();
        try {
            if (!closed) {
                closed = true;
                out.reset = true;
                in.readerGone = true;
                signalBoth();
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            if (in.size > 0 && !inputShut) {
                reset(); // unread bytes: the kernel resets instead of closing (Winsock L5)
                return;
            }
            if (!closed) {
                closed = true;
                out.finished = true;
                in.readerGone = true;
                signalBoth();
            }
        } finally {
            lock.unlock();
        }
    }

    /** True once this end was closed or reset. */
    boolean isClosed() {
        lock.lock();
        try {
            return closed;
        } finally {
            lock.unlock();
        }
    }

    /** True once this end reset the stream (or closed it with bytes unread). */
    boolean wasReset() {
        lock.lock();
        try {
            return out.reset;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public SocketAddress localAddress() {
        return local;
    }

    @Override
    public SocketAddress remoteAddress() {
        return remote;
    }

    @Override
    public String label() {
        return local.name;
    }

    @Override
    public String toString() {
        return "MemoryStream[" + local + " <-> " + remote + "]";
    }

    private void signalBoth() {
        changed.signalAll();
        peer.changed.signalAll();
    }

    /** Waits for a change. Lock held. */
    private void await() throws IOException {
        try {
            changed.await();
        } catch (InterruptedException e) {
            // As the JDK does for a virtual thread interrupted in a socket call: the stream is closed.
            Thread.currentThread().interrupt();
            closed = true;
            out.reset = true;
            in.readerGone = true;
            signalBoth();
            throw new SocketException("Closed by interrupt");
        }
    }
}
