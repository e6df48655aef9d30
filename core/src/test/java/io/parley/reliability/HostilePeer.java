package io.parley.reliability;

import io.parley.ReasonCode;
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
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/** A raw TCP client that misbehaves toward a Parley listener in one of the ways a hostile peer would. */
final class HostilePeer implements AutoCloseable {

    /** What the peer sends, and how the listener must answer. */
    enum Kind {
        /** Opens TCP and sends nothing. */
        SILENT(new byte[0], false, ReasonCode.TIMED_OUT),
        /** Half a preamble, then nothing. */
        HALF_PREAMBLE(Arrays.copyOf(preamble(), 5), false, ReasonCode.TIMED_OUT),
        /** A valid preamble, then nothing. */
        PREAMBLE_ONLY(preamble(), false, ReasonCode.TIMED_OUT),
        /** A preamble and the start of a CONNECT that never finishes. */
        PARTIAL_CONNECT(concat(preamble(), header(0x01, 100), new byte[10]), false, ReasonCode.TIMED_OUT),
        /** A CONNECT declaring 65535 bytes, far over the 4 KiB caller-data limit, and a little of them. */
        OVERSIZED_CONNECT(concat(preamble(), header(0x01, 0xFFFF), new byte[64]), true,
                ReasonCode.DATA_TOO_LARGE),
        /** An HTTP request. */
        HTTP("GET / HTTP/1.1\r\nHost: parley\r\n\r\n".getBytes(StandardCharsets.US_ASCII), true,
                ReasonCode.NOT_PARLEY),
        /** The start of a TLS ClientHello. */
        TLS(HexFormat.of().parseHex("16030100a5010000a10303"), true, ReasonCode.NOT_PARLEY);

        final byte[] bytes;
        /** True: refused at once; false: held until the handshake timeout. */
        final boolean atOnce;
        final ReasonCode reason;

        Kind(byte[] bytes, boolean atOnce, ReasonCode reason) {
            this.bytes = bytes;
            this.atOnce = atOnce;
            this.reason = reason;
        }
    }

    /** How the listener ended the connection, as this peer saw it. */
    record End(long atNanos, boolean reset, List<Frame> frames) {
    }

    private static final FrameLimits WIDE = new FrameLimits(WireFormat.MAX_USER_DATA, WireFormat.MAX_USER_DATA,
            WireFormat.MAX_USER_DATA, WireFormat.MAX_USER_DATA, Integer.MAX_VALUE - 8);

    final Kind kind;
    final long openedNanos;
    private final Socket socket;
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private End end;

    private HostilePeer(Kind kind, Socket socket) {
        this.kind = kind;
        this.socket = socket;
        this.openedNanos = System.nanoTime();
    }

    /** Connects to {@code address} and sends what {@code kind} sends. */
    static HostilePeer open(Kind kind, InetSocketAddress address) throws IOException {
        Socket socket = new Socket();
        try {
            socket.connect(address, 10_000);
            HostilePeer peer = new HostilePeer(kind, socket);
            if (kind.bytes.length > 0) {
                socket.getOutputStream().write(kind.bytes);
                socket.getOutputStream().flush();
            }
            return peer;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /**
     * Reads what has arrived, waiting at most {@code wait}; true while the connection is open (no end of
     * stream or reset seen yet).
     */
    boolean poll(Duration wait) throws IOException {
        return readUntil(System.nanoTime() + wait.toNanos());
    }

    /**
     * Reads until the listener ends the connection (end of stream or reset), for at most {@code bound}
     * after this peer opened it, and returns when and with what frames. An error if it is still open then.
     */
    End awaitEnd(Duration bound) throws IOException {
        if (readUntil(openedNanos + bound.toNanos())) {
            throw new AssertionError(kind + ": still open " + bound.toMillis() + " ms after it was opened");
        }
        return end;
    }

    /** Reads until the deadline or the end; true if still open. */
    private boolean readUntil(long deadline) throws IOException {
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[4096];
        while (end == null) {
            // At least one read, however late: what already arrived counts.
            long left = deadline - System.nanoTime();
            socket.setSoTimeout((int) Math.max(1, left / 1_000_000));
            int n;
            boolean reset = false;
            try {
                n = in.read(buffer);
            } catch (SocketTimeoutException e) {
                if (deadline - System.nanoTime() <= 0) {
                    return true;
                }
                continue;
            } catch (SocketException e) {
                reset = true;
                n = -1;
            }
            if (n < 0) {
                end = new End(System.nanoTime(), reset, frames(received.toByteArray()));
            } else {
                received.write(buffer, 0, n);
            }
        }
        return false;
    }

    private static List<Frame> frames(byte[] stream) {
        List<Frame> frames = new ArrayList<>();
        FrameDecoder decoder = new FrameDecoder(WIDE);
        ByteBuffer in = ByteBuffer.wrap(stream);
        try {
            Frame frame;
            while ((frame = decoder.next(in)) != null) {
                frames.add(frame);
            }
        } catch (ProtocolViolationException e) {
            throw new AssertionError("the listener sent an invalid stream: " + e.getMessage(), e);
        }
        return frames;
    }

    private static byte[] preamble() {
        return FrameEncoder.toBytes(new Frame.Preamble(WireFormat.VERSION, WireFormat.VERSION));
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static byte[] header(int type, int length) {
        return new byte[] {(byte) type, 0, (byte) (length >>> 8), (byte) length};
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
