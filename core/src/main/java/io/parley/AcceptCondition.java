package io.parley;

/**
 * The condition function of a conditional accept (WSAAccept's lpfnCondition): decides a pending request
 * before any connection exists. It runs on the accepting thread and should return quickly; defer is how a
 * slow decision is made. If it throws, the request is rejected with {@link ReasonCode#CONDITION_FAILED}.
 */
@FunctionalInterface
public interface AcceptCondition {
    /**
     * Accepts, rejects or defers the request.
     *
     * @param request the pending request, as it is now
     * @return the decision; null counts as a failure (the request is rejected with CONDITION_FAILED)
     * @throws Exception any failure of the condition: the request is rejected with CONDITION_FAILED
     */
    Decision decide(ConnectionRequest request) throws Exception;

    /**
     * The condition that accepts every request.
     *
     * @return the condition that accepts every request
     */
    static AcceptCondition acceptAll() {
        return request -> Decision.accept();
    }
}
