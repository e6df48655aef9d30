package io.parley;

/**
 * What {@link ParleyConnection#receive(java.nio.ByteBuffer)} put into the caller's buffer: a message, or a
 * piece of one, or nothing because the peer's disconnect arrived (MSG_PARTIAL, recv()==0) [P2].
 */
public enum MessagePart {
    /** The buffer received the rest of the current message (all of it, if none was started). */
    MESSAGE_END,
    /** The buffer was full before the message ended (MSG_PARTIAL): the next receive continues it. */
    PARTIAL,
    /** Nothing was received: the peer's disconnect arrived after every message before it (recv()==0). */
    DISCONNECTED
}
