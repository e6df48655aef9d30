package io.parley.internal.driver;

import java.io.IOException;
import java.net.SocketAddress;
import java.net.SocketException;
import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/** A {@link StreamListener} of in-memory streams: {@link #connect()} hands the callee's end to accept(). */
final class MemoryStreamListener implements StreamListener {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private final ArrayDeque<MemoryStream> backlog = new ArrayDeque<>();
    private final MemoryStream.Address address = new MemoryStream.Address("listener");
    private final int capacity;
    private boolean closed;
    private int connects;

    /** A listener whose streams buffer {@code capacity} bytes each way. */
    MemoryStreamListener(int capacity) {
        this.capacity = capacity;
    }

    /** Connects: queues the callee's end for accept() and returns the caller's end. */
    MemoryStream connect() throws IOException {
        lock.lock();
        try {
            if (closed) {
                throw new SocketException("Connection refused");
            }
            MemoryStream[] ends = MemoryStream.pair("c" + (++connects), capacity);
            backlog.add(ends[1]);
            arrived.signalAll();
            return ends[0];
        } finally {
            lock.unlock();
        }
    }

    @Override
    public ByteStream accept() throws IOException {
        lock.lock();
        try {
            while (backlog.isEmpty()) {
                if (closed) {
                    throw new SocketException("Socket closed");
                }
                arrived.await();
            }
            return backlog.poll();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SocketException("Closed by interrupt");
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean isClosed() {
        lock.lock();
        try {
            return closed;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public SocketAddress localAddress() {
        return address;
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            backlog.forEach(MemoryStream::reset);
            backlog.clear();
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
