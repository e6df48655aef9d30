package io.parley.fuzz;

import io.parley.protocol.Frame;
import io.parley.protocol.FrameDecoder;
import io.parley.protocol.ProtocolEngine;

import java.lang.reflect.Field;
import java.lang.reflect.Method;

/**
 * What a decoder or engine holds and what a call allocates, for the fuzzers' memory checks, and the one
 * piece of decoder state the engine audit needs.
 *
 * <p>Held memory is read from the engine's private fields (the decoder's payload buffer, its partial
 * message, the user data it joins from CONTINUATIONs): the bound the issue asks for is on those buffers, and no public method exposes them.
 * If a field is renamed this fails loudly rather than checking nothing. Allocation is measured with the
 * JDK's per-thread allocation counter (com.sun.management.ThreadMXBean), reached by reflection because the
 * tests are compiled into the io.parley module, which does not read java.management.
 */
final class Internals {
    private static final Field DECODER = field(ProtocolEngine.class, "decoder");
    private static final Field PAYLOAD = field(FrameDecoder.class, "payload");
    private static final Field OUTPUT = field(ProtocolEngine.class, "output");
    private static final Field SPARE = field(ProtocolEngine.class, "spare");
    private static final Field HEADER_TYPE = field(FrameDecoder.class, "type");
    private static final Field FRAGMENT = field(FrameDecoder.class, "FRAGMENT");
    private static final Field MESSAGE = field(FrameDecoder.class, "MESSAGE");
    private static final Field JOINED = field(FrameDecoder.class, "joined");
    /** The user data of a frame continued in CONTINUATIONs, joined as it arrives (a MessageAssembly too). */
    private static final Field USER_DATA = field(FrameDecoder.class, "userData");
    private static final Field BUFFER_BYTES = field(JOINED.getType(), "bytes");
    private static final Field BUFFER_LENGTH = field(JOINED.getType(), "length");
    private static final Object THREADS;
    private static final Method ALLOCATED;

    static {
        Object threads = null;
        Method allocated = null;
        try {
            Class<?> type = Class.forName("com.sun.management.ThreadMXBean");
            threads = Class.forName("java.lang.management.ManagementFactory")
                    .getMethod("getPlatformMXBean", Class.class).invoke(null, type);
            allocated = type.getMethod("getCurrentThreadAllocatedBytes");
            if ((long) allocated.invoke(threads) < 0) {
                allocated = null; // measurement disabled in this JVM
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            allocated = null;
        }
        THREADS = threads;
        ALLOCATED = allocated;
    }

    private Internals() {
    }

    /** Capacity of the decoder's buffer for the frame it is reading (0 between frames). */
    static int decoderBuffer(FrameDecoder decoder) {
        byte[] payload = (byte[]) get(PAYLOAD, decoder);
        return payload == null ? 0 : payload.length;
    }

    /** Capacity of the decoder buffer of an engine. */
    static int decoderBuffer(ProtocolEngine engine) {
        return decoderBuffer((FrameDecoder) get(DECODER, engine));
    }

    /** How many output buffers the engine holds (0, 1 or 2). */
    static int outputBuffers(ProtocolEngine engine) {
        return (get(OUTPUT, engine) == null ? 0 : 1) + (get(SPARE, engine) == null ? 0 : 1);
    }

    /** Capacity of the buffer that holds the fragments of a message being received (the decoder joins them). */
    static int partialMessage(ProtocolEngine engine) {
        return capacity(get(JOINED, get(DECODER, engine)));
    }

    /** Bytes of a message received in part and held by the engine's decoder. */
    static int partialMessageBytes(ProtocolEngine engine) {
        return length(get(JOINED, get(DECODER, engine)));
    }

    /** Capacity of the buffer joining the user data of a frame continued in CONTINUATIONs (0 if none). */
    static int userData(FrameDecoder decoder) {
        return capacity(get(USER_DATA, decoder));
    }

    /** Bytes of such user data received so far (0 if none). */
    static int userDataBytes(FrameDecoder decoder) {
        return length(get(USER_DATA, decoder));
    }

    /** The same for an engine's decoder. */
    static int userData(ProtocolEngine engine) {
        return userData((FrameDecoder) get(DECODER, engine));
    }

    /** The same for an engine's decoder. */
    static int userDataBytes(ProtocolEngine engine) {
        return userDataBytes((FrameDecoder) get(DECODER, engine));
    }

    private static int capacity(Object buffer) {
        return buffer == null ? 0 : ((byte[]) get(BUFFER_BYTES, buffer)).length;
    }

    private static int length(Object buffer) {
        return buffer == null ? 0 : (int) get(BUFFER_LENGTH, buffer);
    }

    /** The type byte of the last frame header the engine's decoder read. */
    static int lastHeaderType(ProtocolEngine engine) {
        return (int) get(HEADER_TYPE, get(DECODER, engine));
    }

    /**
     * Puts a decoder in the mode the engine uses: fragments of a message joined as they are read, messages
     * handed over without frame objects.
     */
    static void deliverMessages(FrameDecoder decoder) {
        invoke(decoder, "deliverMessages");
    }

    /** In that mode: the message completed by the last {@link #isMessageDelivery} frame. */
    static byte[] takeMessage(FrameDecoder decoder) {
        return (byte[]) invoke(decoder, "takeMessage");
    }

    /**
     * In that mode: true for what {@code next} returns instead of a DATA frame (its {@code more()} says whether
     * the message is complete).
     */
    static boolean isMessageDelivery(Frame frame) {
        return frame == get(FRAGMENT, null) || frame == get(MESSAGE, null);
    }

    private static Object invoke(Object target, String method) {
        try {
            Method m = target.getClass().getDeclaredMethod(method);
            m.setAccessible(true);
            return m.invoke(target);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(target.getClass().getSimpleName() + "." + method + "() is gone: "
                    + "update io.parley.fuzz.Internals", e);
        }
    }

    /** Bytes this thread allocated so far, or -1 if the JVM cannot tell. */
    static long allocatedByThisThread() {
        if (ALLOCATED == null) {
            return -1;
        }
        try {
            return (long) ALLOCATED.invoke(THREADS);
        } catch (ReflectiveOperationException e) {
            return -1;
        }
    }

    private static Field field(Class<?> type, String name) {
        try {
            Field field = type.getDeclaredField(name);
            field.setAccessible(true);
            return field;
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException(type.getSimpleName() + "." + name
                    + " is gone: update io.parley.fuzz.Internals to the buffer that replaced it", e);
        }
    }

    private static Object get(Field field, Object owner) {
        try {
            return field.get(owner);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }
}
