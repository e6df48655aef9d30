package io.parley.bench.harness;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Connections that open the TCP socket and then stall: even ones send nothing, odd ones send half a request.
 * When the server closes one (its handshake timeout), it is opened again at once, so the given number is
 * held all the time. Plain JDK sockets on virtual threads, whatever the server is.
 */
public final class SilentConnections implements AutoCloseable {
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final AtomicInteger held = new AtomicInteger();
    private final AtomicLong reopened = new AtomicLong();
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final FailureLatch failures = new FailureLatch();
    private final List<Thread> threads;

    /** Starts {@code count} stalled connections to {@code server}. */
    public SilentConnections(InetSocketAddress server, int count, byte[] halfRequest) {
        threads = Threads.start("silent", count, failures, index -> hold(server, index % 2 == 1 ? halfRequest : null));
    }

    private void hold(InetSocketAddress server, byte[] opening) throws IOException {
        boolean first = true;
        while (!stopped.get()) {
            Socket socket = new Socket();
            sockets.add(socket);
            try {
                if (stopped.get()) {
                    return;
                }
                socket.connect(server, 5000);
                if (opening != null) {
                    socket.getOutputStream().write(opening);
                }
                held.incrementAndGet();
                if (!first) {
                    reopened.incrementAndGet();
                }
                first = false;
                try {
                    drainUntilClosed(socket.getInputStream());
                } finally {
                    held.decrementAndGet();
                }
            } catch (IOException e) {
                if (!stopped.get() && !isReset(e)) {
                    throw e;
                }
            } finally {
                sockets.remove(socket);
                socket.close();
            }
        }
    }

    private static void drainUntilClosed(InputStream in) throws IOException {
        byte[] sink = new byte[256];
        try {
            while (in.read(sink) >= 0) {
                // the server may answer a stalled request with an error before it closes
            }
        } catch (IOException e) {
            if (!isReset(e)) {
                throw e;
            }
        }
    }

    private static boolean isReset(IOException e) {
        String message = String.valueOf(e.getMessage());
        return message.contains("reset") || message.contains("closed") || message.contains("Broken pipe");
    }

    /** Waits until {@code count} connections are held; throws after {@code timeoutMillis}. */
    public void awaitHeld(int count, long timeoutMillis) throws InterruptedException {
        if (!Threads.await(() -> held.get() >= count || failures.failed(), timeoutMillis)) {
            throw new IllegalStateException("only " + held.get() + " of " + count + " silent connections opened");
        }
        failures.rethrow("opening silent connections");
    }

    /** Connections held now. */
    public int held() {
        return held.get();
    }

    /** How many times a connection closed by the server was opened again. */
    public long reopened() {
        return reopened.get();
    }

    @Override
    public void close() throws Exception {
        stopped.set(true);
        for (Socket socket : sockets) {
            socket.close();
        }
        Threads.joinAll(threads, 30);
        failures.rethrow("silent connections");
    }
}
