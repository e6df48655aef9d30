package io.parley;

import java.util.Objects;

/**
 * What one {@link Listener#accept(AcceptCondition) conditional accept} did with the request at the head of
 * the queue (WSAAccept's outcome), each with its Winsock code. Refusing or deferring a request is an ordinary
 * outcome, not a failure: only the accept call itself fails with an exception (the listener closed, no
 * request in time, interruption).
 *
 * <p>Requests are reported in the order they arrived. A request whose caller gives it up while it waits
 * (queued or deferred) keeps its place in the queue, and the accept that reaches it returns
 * {@link Abandoned} without calling the condition [A6]; one given up while the condition runs is reported
 * as {@link Abandoned} instead of the decision, which is then not carried out.
 */
public sealed interface AcceptResult extends WinsockCoded {

    /**
     * CF_ACCEPT: the connection is open; the caller's connect returns it. Winsock code 0.
     *
     * @param request    the request as the condition saw it (with the deferrals before this presentation)
     * @param connection the accepted connection, now the application's to use and close
     */
    record Accepted(ConnectionRequest request, ParleyConnection connection) implements AcceptResult {
        /**
         * Requires both parts.
         *
         * @param request    the request as the condition saw it
         * @param connection the accepted connection
         */
        public Accepted {
            Objects.requireNonNull(request, "request");
            Objects.requireNonNull(connection, "connection");
        }

        /**
         * No error.
         *
         * @return {@link WinsockError#NO_ERROR}
         */
        @Override
        public WinsockError winsockError() {
            return WinsockError.NO_ERROR;
        }
    }

    /**
     * CF_REJECT: the caller was refused with {@code refusal} [A4]; its connect fails with
     * {@link ConnectionRefusedException}. A condition that threw, returned null or granted more QoS than
     * requested is reported here too, with the refusal {@link ReasonCode#CONDITION_FAILED} (the failure is
     * logged). Winsock code WSAECONNREFUSED.
     *
     * @param request  the request as the condition saw it
     * @param refusal  the reason and reason data the caller got
     */
    record Rejected(ConnectionRequest request, Decision.Reject refusal) implements AcceptResult {
        /**
         * Requires both parts.
         *
         * @param request the request as the condition saw it
         * @param refusal the reason and reason data the caller got
         */
        public Rejected {
            Objects.requireNonNull(request, "request");
            Objects.requireNonNull(refusal, "refusal");
        }

        /**
         * The connection was refused.
         *
         * @return {@link WinsockError#WSAECONNREFUSED}
         */
        @Override
        public WinsockError winsockError() {
            return WinsockError.WSAECONNREFUSED;
        }
    }

    /**
     * CF_DEFER: the request stays first in the queue and the next accept presents it again [A5]. Winsock code
     * WSATRY_AGAIN.
     *
     * @param request the request as the condition saw it
     */
    record Deferred(ConnectionRequest request) implements AcceptResult {
        /**
         * Requires the request.
         *
         * @param request the request as the condition saw it
         */
        public Deferred {
            Objects.requireNonNull(request, "request");
        }

        /**
         * Try again.
         *
         * @return {@link WinsockError#WSATRY_AGAIN}
         */
        @Override
        public WinsockError winsockError() {
            return WinsockError.WSATRY_AGAIN;
        }
    }

    /**
     * The caller gave the request up before it was accepted [A6]: it withdrew it (its connect timed out, or
     * it closed: ABORT {@link ReasonCode#WITHDRAWN}), reported as WSAEACCES, or it terminated otherwise (any
     * other abort, its transport ended or was reset, it broke the protocol), reported as WSAECONNRESET.
     * Nothing was sent to the caller; its transport is released.
     *
     * @param request the request as it was when it ended (the condition may never have seen it)
     * @param ending  how the request ended, as this side saw it
     */
    record Abandoned(ConnectionRequest request, CloseIndication ending) implements AcceptResult {
        /**
         * Requires both parts.
         *
         * @param request the request as it was when it ended
         * @param ending  how the request ended
         */
        public Abandoned {
            Objects.requireNonNull(request, "request");
            Objects.requireNonNull(ending, "ending");
        }

        /**
         * WSAEACCES for a withdrawn request, WSAECONNRESET for any other end.
         *
         * @return the Winsock code of how the request ended
         */
        @Override
        public WinsockError winsockError() {
            return ending.reason() == ReasonCode.WITHDRAWN ? WinsockError.WSAEACCES : WinsockError.WSAECONNRESET;
        }
    }

    /**
     * The condition's answer does not fit what the caller accepts: its callee data exceeds
     * {@link ConnectionRequest#maxCalleeData()}, or its reason data the caller's reason-data limit. Nothing of
     * it was sent, nothing truncated: the caller was refused with {@link ReasonCode#DATA_TOO_LARGE}. Winsock
     * code WSAEMSGSIZE.
     *
     * @param request the request as the condition saw it
     * @param answer  the condition's decision that could not be sent (an accept or a reject)
     */
    record AnswerTooLarge(ConnectionRequest request, Decision answer) implements AcceptResult {
        /**
         * Requires both parts.
         *
         * @param request the request as the condition saw it
         * @param answer  the decision that could not be sent
         */
        public AnswerTooLarge {
            Objects.requireNonNull(request, "request");
            Objects.requireNonNull(answer, "answer");
        }

        /**
         * The answer was too large.
         *
         * @return {@link WinsockError#WSAEMSGSIZE}
         */
        @Override
        public WinsockError winsockError() {
            return WinsockError.WSAEMSGSIZE;
        }
    }
}
