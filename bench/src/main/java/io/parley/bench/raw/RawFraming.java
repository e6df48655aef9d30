package io.parley.bench.raw;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;

/**
 * Messages on a raw socket: a 4-byte big-endian length, then the bytes (the same 4 bytes of framing a Parley
 * DATA header costs). Reads and writes go through buffered streams, as plain Java code would.
 */
final class RawFraming {
    private final DataInputStream in;
    private final DataOutputStream out;

    RawFraming(Socket socket) throws IOException {
        in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 64 * 1024));
        out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream(), 64 * 1024));
    }

    /** Queues one message; {@link #flush()} sends what is queued. */
    void write(byte[] message) throws IOException {
        out.writeInt(message.length);
        out.write(message);
    }

    void flush() throws IOException {
        out.flush();
    }

    /** The next message (a new array), or null at the end of the stream. */
    byte[] read() throws IOException {
        int first = in.read();
        if (first < 0) {
            return null;
        }
        int length = (first << 24) | (in.readUnsignedByte() << 16) | (in.readUnsignedByte() << 8) | in.readUnsignedByte();
        byte[] message = new byte[length];
        in.readFully(message);
        return message;
    }
}
