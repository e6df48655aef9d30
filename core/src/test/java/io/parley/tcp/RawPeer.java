package io.parley.tcp;

import io.parley.ConnectOptions;
import io.parley.Parley;
import io.parley.ParleyConnection;
import io.parley.protocol.Frame;
import io.parley.protocol.FrameDecoder;
import io.parley.protocol.FrameEncoder;
import io.parley.protocol.FrameLimits;
import io.parley.protocol.ProtocolViolationException;
import io.parley.protocol.WireFormat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * One end of a TCP connection that speaks Parley by hand: bytes made with {@link FrameEncoder#toBytes} and
 * frames read with {@link FrameDecoder}. Used to play a peer that misbehaves (closes or resets without a
 * disconnect, never finishes its request, sends garbage) where a real Parley connection never would.
 */
final class RawPeer implements AutoCloseable {
    /** How the stream ended, as seen by a raw reader. */
    enum End { EOF, RESET }

    final Socket socket;
    private final InputStream in;
    private final FrameDecoder decoder = new FrameDecoder(new FrameLimits(WireFormat.MAX_USER_DATA,
            WireFormat.MAX_USER_DATA, WireFormat.MAX_USER_DATA, WireFormat.MAX_USER_DATA, Integer.MAX_VALUE - 8));
    private final ArrayDeque<Frame> frames = new ArrayDeque<>();
    private final byte[] buffer = new byte[64 * 1024];

    private RawPeer(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
    }

    /** A raw caller connected to {@code address}. */
    static RawPeer connect(InetSocketAddress address) throws IOException {
        Socket socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(address, (int) Await.BOUND.toMillis());
        return new RawPeer(socket);
    }

    /**
     * Connects a Parley caller with {@code options} to {@code server} on a virtual thread, so that a raw callee
     * accepted there can answer meanwhile.
     */
    static CompletableFuture<ParleyConnection> connectTo(ServerSocket server, ConnectOptions options) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return Parley.tcp().connect(new InetSocketAddress(LoopbackFixture.LOOPBACK, server.getLocalPort()),
                        options);
            } catch (IOException e) {
                throw new CompletionException(e);
            }
        }, r -> Thread.ofVirtual().start(r));
    }

    /** A raw callee: the next connection accepted on {@code server}. */
    static RawPeer accept(ServerSocket server) throws IOException {
        server.setSoTimeout((int) Await.BOUND.toMillis());
        Socket socket = server.accept();
        socket.setTcpNoDelay(true);
        return new RawPeer(socket);
    }

    // ------------------------------------------------------------------ bytes

    /** The preamble of protocol version 1. */
    static byte[] preamble() {
        return FrameEncoder.toBytes(new Frame.Preamble(WireFormat.VERSION, WireFormat.VERSION));
    }

    /** A CONNECT with default receive limits, no QoS, no group and {@code callerData}. */
    static byte[] connectFrame(byte[] callerData) {
        return FrameEncoder.toBytes(new Frame.Connect(4L << 20, 4096, 4096, 4096, 0, Optional.empty(), Optional.empty(), callerData));
    }

    /** Preamble and CONNECT: a whole connection request. */
    static byte[] request(byte[] callerData) {
        return concat(preamble(), connectFrame(callerData));
    }

    /** Preamble and an ACCEPT with default limits and no data. */
    static byte[] acceptAnswer() {
        return concat(preamble(), FrameEncoder.toBytes(new Frame.Accept(4L << 20, 4096, Optional.empty(), Optional.empty(), new byte[0])));
    }

    /** One unfragmented DATA frame. */
    static byte[] data(byte[] message) {
        return FrameEncoder.toBytes(new Frame.Data(false, message));
    }

    /** A DISCONNECT frame. */
    static byte[] disconnect(byte[] data) {
        return FrameEncoder.toBytes(new Frame.Disconnect(false, data));
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    // ------------------------------------------------------------------ actions

    void write(byte[] bytes) throws IOException {
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
    }

    /** Sends FIN: the transport's sending direction ends without a Parley disconnect. */
    void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    /** Resets the connection (linger 0 and close): the peer sees a TCP RST. */
    void reset() throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    /**
     * The next frame (the preamble counts as one), or null if the stream ended first.
     *
     * @throws AssertionError if nothing arrives within {@link Await#BOUND}
     */
    Frame nextFrame() throws IOException {
        long deadline = System.nanoTime() + Await.BOUND.toNanos();
        while (frames.isEmpty()) {
            int n = readSome(deadline);
            if (n < 0) {
                return null;
            }
            ByteBuffer bytes = ByteBuffer.wrap(buffer, 0, n);
            try {
                while (bytes.hasRemaining()) {
                    Frame frame = decoder.next(bytes);
                    if (frame != null) {
                        frames.add(frame);
                    }
                }
            } catch (ProtocolViolationException e) {
                throw new AssertionError("the Parley side sent a malformed stream", e);
            }
        }
        return frames.poll();
    }

    /** The next frame that is not the preamble. */
    Frame nextNonPreamble() throws IOException {
        Frame frame = nextFrame();
        return frame instanceof Frame.Preamble ? nextFrame() : frame;
    }

    /** Reads and drops everything until the stream ends; says how it ended. */
    End awaitEnd() throws IOException {
        long deadline = System.nanoTime() + Await.BOUND.toNanos();
        try {
            while (readSome(deadline) >= 0) {
                // dropped
            }
            return End.EOF;
        } catch (SocketException e) {
            return End.RESET;
        }
    }

    private int readSome(long deadline) throws IOException {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw new AssertionError("nothing from the Parley side within " + Await.BOUND.toMillis() + " ms");
        }
        socket.setSoTimeout((int) Math.max(1, Duration.ofNanos(left).toMillis()));
        try {
            return in.read(buffer);
        } catch (SocketTimeoutException e) {
            throw new AssertionError("nothing from the Parley side within " + Await.BOUND.toMillis() + " ms", e);
        }
    }

    /**
     * Writes a byte at a time until the transport refuses (a reset arrived), polling for at most
     * {@link Await#BOUND}: the first writes after a reset may still be taken by the kernel.
     */
    boolean writesFailWithinBound() throws InterruptedException {
        long deadline = System.nanoTime() + Await.BOUND.toNanos();
        while (System.nanoTime() - deadline < 0) {
            try {
                socket.getOutputStream().write(0);
            } catch (IOException e) {
                return true;
            }
            Thread.sleep(5);
        }
        return false;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
