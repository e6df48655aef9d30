package io.parley.bench.raw;

import io.parley.bench.harness.FailureLatch;
import io.parley.bench.harness.HandshakePeer;
import io.parley.bench.harness.Payloads;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.LongAdder;

/**
 * Raw TCP's nearest equivalent of a conditional accept: the server's virtual thread reads the 16-byte
 * request (closing the socket if it does not arrive within the handshake timeout), checks it, answers with
 * 16 bytes, then blocks reading until the client ends. Nothing else is held per connection.
 */
public final class RawHandshake implements HandshakePeer {
    private final LongAdder accepted = new LongAdder();
    private RawServer server;
    private int timeoutMillis;

    @Override
    public InetSocketAddress startServer(Duration handshakeTimeout, FailureLatch failures) throws Exception {
        timeoutMillis = (int) handshakeTimeout.toMillis();
        server = new RawServer(this::hold, failures);
        return server.address();
    }

    private void hold(Socket socket) throws Exception {
        socket.setSoTimeout(timeoutMillis);
        InputStream in = socket.getInputStream();
        byte[] request = new byte[Payloads.CALLER_DATA.length];
        try {
            if (in.readNBytes(request, 0, request.length) < request.length) {
                return;
            }
        } catch (SocketTimeoutException e) {
            return;
        }
        if (!Arrays.equals(request, Payloads.CALLER_DATA)) {
            return;
        }
        socket.setSoTimeout(0);
        accepted.increment();
        socket.getOutputStream().write(Payloads.CALLEE_DATA);
        while (in.read() >= 0) {
            // held until the client ends
        }
    }

    @Override
    public long accepted() {
        return accepted.sum();
    }

    @Override
    public AutoCloseable connect(InetSocketAddress address) throws Exception {
        Socket socket = RawServer.connect(address);
        socket.getOutputStream().write(Payloads.CALLER_DATA);
        Payloads.check("callee data", Payloads.CALLEE_DATA, socket.getInputStream().readNBytes(Payloads.CALLEE_DATA.length));
        return socket;
    }

    @Override
    public byte[] halfRequest() {
        return Arrays.copyOf(Payloads.CALLER_DATA, Payloads.CALLER_DATA.length / 2);
    }

    @Override
    public void close() throws Exception {
        if (server != null) {
            server.close();
        }
    }
}
