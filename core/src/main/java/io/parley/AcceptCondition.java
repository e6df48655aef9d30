package io.parley;

/**
 * The condition function of a conditional accept (WSAAccept's lpfnCondition): decides a pending request
 * before any connection exists. It runs on the accepting thread and should return quickly; defer is how a
 * slow decision is made. If it throws, the request is rejected with {@link ReasonCode#CONDITION_FAILED}.
 */
@FunctionalInterface
public interface AcceptCondition {
    /** Accept, reject or defer the request. */
    Decision decide(ConnectionRequest request) throws Exception;

    /** The condition that accepts every request. */
    static AcceptCondition acceptAll() {
        return request -> Decision.accept();
    }
}
