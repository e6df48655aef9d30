package io.parley;

/**
 * A network event an {@link EventWaiter} reports (the FD_* events of WSAEventSelect) [E1]. Each is recorded
 * once and then again only after the call that re-enables it [E3]; {@link #reEnabledBy()} names that call.
 */
public enum NetworkEvent {
    /** A listener has a connection request waiting: {@link Listener#accept} would not block (FD_ACCEPT). */
    ACCEPT("FD_ACCEPT", "accept"),
    /** A connect started with {@link Transport#startConnect} finished, with its error code (FD_CONNECT). */
    CONNECT("FD_CONNECT", "nothing: reported once"),
    /** A message, or the rest of one, can be received without blocking (FD_READ). */
    READ("FD_READ", "receive or receive(ByteBuffer)"),
    /** A send would not block: the connection is open and its send buffer has room (FD_WRITE). */
    WRITE("FD_WRITE", "a send that failed with WouldBlockException"),
    /**
     * The peer's sending ended, with the close indication's error code: 0 for its disconnect, reported once
     * every message before it was received; WSAECONNRESET or WSAECONNABORTED at once when the connection
     * broke (FD_CLOSE) [E2].
     */
    CLOSE("FD_CLOSE", "nothing: reported once"),
    /**
     * The connection's QoS changed: the peer granted this side's request, or this side granted the peer's; a
     * refused request of this side's is reported too, with its reason's error code (FD_QOS).
     */
    QOS("FD_QOS", "qos()");

    private final String winsockName;
    private final String reEnabledBy;

    NetworkEvent(String winsockName, String reEnabledBy) {
        this.winsockName = winsockName;
        this.reEnabledBy = reEnabledBy;
    }

    /**
     * The Winsock name of the event, such as {@code FD_READ}.
     *
     * @return the Winsock name of the event
     */
    public String winsockName() {
        return winsockName;
    }

    /**
     * The calls after which the event is recorded again if its condition still holds (the re-enabling
     * functions of WSAEventSelect).
     *
     * @return a description of the re-enabling calls
     */
    public String reEnabledBy() {
        return reEnabledBy;
    }
}
