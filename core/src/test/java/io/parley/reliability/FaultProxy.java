package io.parley.reliability;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * A TCP proxy on 127.0.0.1 for fault injection: each connection accepted is relayed to {@code upstream}
 * by two pump threads (one per direction), and the {@link Fault} drawn for it decides what happens from a
 * chosen byte on: cut (FIN both ways), reset (RST both ways), stall one direction, delay or fragment it into
 * one-byte writes, or half-close it. Without a fault it relays faithfully, ends included: a FIN is passed on
 * as a FIN, a reset as a reset.
 *
 * <p>Each {@link Link} records what it read from each side and what it actually delivered to the other, so a
 * test can tell which frames really crossed.
 */
final class FaultProxy implements AutoCloseable {
    /** How long a stalled direction waits for the test to tear its link down (a bound, not a pause). */
    private static final long STALL_BOUND_NANOS = TimeUnit.MINUTES.toNanos(5);

    private final ServerSocket server;
    private final InetSocketAddress upstream;
    private final Supplier<Fault> faults;
    private final LinkedBlockingQueue<Link> accepted = new LinkedBlockingQueue<>();
    private final List<Link> links = new CopyOnWriteArrayList<>();

    private FaultProxy(InetSocketAddress upstream, Supplier<Fault> faults) throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.upstream = upstream;
        this.faults = faults;
        Thread.ofVirtual().name("fault-proxy-acceptor").start(this::acceptLoop);
    }

    /** A proxy to {@code upstream}; each connection gets the next fault {@code faults} supplies. */
    static FaultProxy start(InetSocketAddress upstream, Supplier<Fault> faults) throws IOException {
        return new FaultProxy(upstream, faults);
    }

    InetSocketAddress address() {
        return (InetSocketAddress) server.getLocalSocketAddress();
    }

    /** The next connection the proxy accepted, waiting up to {@code bound}; null if none came. */
    Link nextLink(Duration bound) throws InterruptedException {
        return accepted.poll(bound.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            Socket upstreamSocket = new Socket();
            try {
                client.setTcpNoDelay(true);
                upstreamSocket.setTcpNoDelay(true);
                upstreamSocket.connect(upstream, 5_000);
            } catch (IOException e) {
                Link.closeQuietly(client, true);
                Link.closeQuietly(upstreamSocket, true);
                continue;
            }
            Link link = new Link(faults.get(), client, upstreamSocket);
            links.add(link);
            accepted.add(link);
            link.start();
        }
    }

    /** Stops accepting and resets every link still open. */
    @Override
    public void close() throws IOException {
        server.close();
        for (Link link : links) {
            link.close();
        }
    }

    /** One proxied connection: client side, upstream (server) side, and the two pumps between them. */
    static final class Link implements AutoCloseable {
        final Fault fault;
        private final Socket client;
        private final Socket server;
        private final ByteArrayOutputStream[] read = {new ByteArrayOutputStream(), new ByteArrayOutputStream()};
        private final ByteArrayOutputStream[] delivered = {new ByteArrayOutputStream(), new ByteArrayOutputStream()};
        private final CountDownLatch pumpsDone = new CountDownLatch(2);
        private final CountDownLatch released = new CountDownLatch(1);
        private volatile boolean fired;
        private volatile boolean cut;
        private volatile boolean tornDown;

        Link(Fault fault, Socket client, Socket server) {
            this.fault = fault;
            this.client = client;
            this.server = server;
        }

        void start() {
            Thread.ofVirtual().name("fault-proxy-c2s").start(() -> pump(Fault.Direction.CLIENT_TO_SERVER));
            Thread.ofVirtual().name("fault-proxy-s2c").start(() -> pump(Fault.Direction.SERVER_TO_CLIENT));
        }

        /** True once the fault struck (a fault placed past the end of the traffic never does). */
        boolean fired() {
            return fired;
        }

        /** The bytes the proxy read from the sender of {@code direction}. */
        byte[] read(Fault.Direction direction) {
            return read[direction.ordinal()].toByteArray();
        }

        /** The bytes the proxy wrote to the receiver of {@code direction}: what really crossed. */
        byte[] delivered(Fault.Direction direction) {
            return delivered[direction.ordinal()].toByteArray();
        }

        /** Waits up to {@code bound} for both directions to end by themselves; true if they did. */
        boolean awaitEnd(Duration bound) throws InterruptedException {
            return pumpsDone.await(bound.toNanos(), TimeUnit.NANOSECONDS);
        }

        /** Tears the link down: a stalled direction is let go and both connections are reset. */
        @Override
        public void close() {
            tornDown = true;
            released.countDown();
            resetBoth();
            try {
                pumpsDone.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private void pump(Fault.Direction direction) {
            boolean toServer = direction == Fault.Direction.CLIENT_TO_SERVER;
            Socket source = toServer ? client : server;
            Socket target = toServer ? server : client;
            boolean faulted = fault.kind() != Fault.Kind.NONE && fault.direction() == direction;
            byte[] buffer = new byte[8192];
            long forwarded = 0;
            boolean discarding = false;
            boolean slowed = false;
            try {
                InputStream in = source.getInputStream();
                OutputStream out = target.getOutputStream();
                while (true) {
                    int n;
                    try {
                        n = in.read(buffer);
                    } catch (IOException e) {
                        if (!discarding && !cut && !tornDown) {
                            resetBoth(); // the sender reset its connection: the receiver sees a reset too
                        }
                        return;
                    }
                    if (n < 0) {
                        if (!discarding && !cut) {
                            shutdownOutput(target); // a FIN is passed on as a FIN
                        }
                        return;
                    }
                    read[direction.ordinal()].write(buffer, 0, n);
                    if (discarding || cut) {
                        continue;
                    }
                    int offset = 0;
                    if (faulted && !fired && forwarded + n > fault.at()) {
                        int before = (int) (fault.at() - forwarded);
                        if (!forward(out, direction, buffer, 0, before, false)) {
                            return;
                        }
                        forwarded += before;
                        offset = before;
                        fired = true;
                        switch (fault.kind()) {
                            case CUT -> {
                                cut = true;
                                shutdownOutput(client);
                                shutdownOutput(server);
                                continue;
                            }
                            case RESET -> {
                                resetBoth();
                                return;
                            }
                            case STALL -> {
                                awaitRelease();
                                return;
                            }
                            case HALF_CLOSE -> {
                                discarding = true;
                                shutdownOutput(target);
                                continue;
                            }
                            case DELAY, FRAGMENT -> slowed = true;
                            case NONE -> throw new AssertionError();
                        }
                    }
                    if (!forward(out, direction, buffer, offset, n - offset, slowed)) {
                        return;
                    }
                    forwarded += n - offset;
                }
            } catch (IOException e) {
                resetBoth();
            } finally {
                pumpsDone.countDown();
                if (pumpsDone.getCount() == 0) {
                    closeQuietly(client, false);
                    closeQuietly(server, false);
                }
            }
        }

        /** Writes {@code count} bytes on (as the fault says once it struck); false if the receiver is gone. */
        private boolean forward(OutputStream out, Fault.Direction direction, byte[] bytes, int offset, int count,
                                boolean slowed) {
            try {
                if (slowed && fault.kind() == Fault.Kind.FRAGMENT) {
                    for (int i = 0; i < count; i++) {
                        out.write(bytes, offset + i, 1);
                        delivered[direction.ordinal()].write(bytes, offset + i, 1);
                    }
                    return true;
                }
                if (slowed && fault.kind() == Fault.Kind.DELAY && count > 0) {
                    // Injected latency (the fault itself), not a wait for another thread.
                    LockSupport.parkNanos(fault.delay().toNanos());
                }
                if (count > 0) {
                    out.write(bytes, offset, count);
                    delivered[direction.ordinal()].write(bytes, offset, count);
                }
                return true;
            } catch (IOException e) {
                if (!tornDown) {
                    resetBoth(); // the receiver reset its connection: so does the sender's
                }
                return false;
            }
        }

        private void awaitRelease() throws InterruptedIOException {
            try {
                if (!released.await(STALL_BOUND_NANOS, TimeUnit.NANOSECONDS)) {
                    resetBoth();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("stall interrupted");
            }
        }

        private void resetBoth() {
            closeQuietly(client, true);
            closeQuietly(server, true);
        }

        private static void shutdownOutput(Socket socket) {
            try {
                if (!socket.isClosed() && !socket.isOutputShutdown()) {
                    socket.shutdownOutput();
                }
            } catch (IOException e) {
                // already reset: nothing left to end
            }
        }

        static void closeQuietly(Socket socket, boolean reset) {
            try {
                if (reset && !socket.isClosed()) {
                    socket.setSoLinger(true, 0);
                }
                socket.close();
            } catch (IOException e) {
                // closing is best effort here: the socket is being discarded either way
            }
        }

        @Override
        public String toString() {
            return "Link[" + fault + (fired ? ", fired" : "") + "]";
        }
    }
}
