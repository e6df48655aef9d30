package io.parley.internal.driver;

/** What a callee's connection tells its listener: its request is complete, and it ended. */
interface CalleeEvents {
    /** For a caller's connection, which has no listener. */
    CalleeEvents NONE = new CalleeEvents() {
        @Override
        public void requestArrived(StreamConnection request) {
        }

        @Override
        public void ended(StreamConnection connection) {
        }
    };

    /** The caller's whole request arrived; called once, by the connection's reader, with no lock held. */
    void requestArrived(StreamConnection request);

    /** The connection ended (in any way); called once, with no lock held. */
    void ended(StreamConnection connection);
}
