package io.parley.bench.parley;

import io.parley.AcceptCondition;
import io.parley.AcceptResult;
import io.parley.Decision;
import io.parley.Listener;
import io.parley.ParleyConnection;
import io.parley.bench.harness.FailureLatch;
import io.parley.bench.harness.Payloads;

import java.io.IOException;
import java.util.Arrays;

/**
 * How every Parley server of the benchmark accepts: its condition checks the caller data and answers with the
 * callee data, and every outcome but an accept fails the run (every caller of a run sends the expected caller
 * data, so a refusal is a bug), except a request its caller gave up.
 */
final class CheckedAccept {
    /** Accepts callers whose caller data is {@link Payloads#CALLER_DATA}, answering with the callee data. */
    static final AcceptCondition CHECK_CALLER = request -> Arrays.equals(request.callerData(), Payloads.CALLER_DATA)
            ? Decision.accept(Payloads.CALLEE_DATA)
            : Decision.reject("wrong caller data");

    /** As {@link #CHECK_CALLER}, granting the requested QoS as it is. */
    static final AcceptCondition GRANT_REQUESTED_QOS = request -> {
        Decision checked = CHECK_CALLER.decide(request);
        return checked instanceof Decision.Accept
                ? Decision.accept(Payloads.CALLEE_DATA, request.requestedQos().orElseThrow()) : checked;
    };

    private CheckedAccept() {
    }

    /**
     * Presents the next request to {@link #CHECK_CALLER}, blocking or not as the listener is.
     *
     * @param listener the listener
     * @param failures told of any outcome but an accept or an abandoned request
     * @return the accepted connection, or null when there is none to serve
     * @throws IOException as {@link Listener#accept(AcceptCondition)}
     */
    static ParleyConnection next(Listener listener, FailureLatch failures) throws IOException {
        return next(listener, CHECK_CALLER, failures);
    }

    /**
     * Presents the next request to {@code condition}, which checks the caller data as {@link #CHECK_CALLER} does.
     *
     * @param listener  the listener
     * @param condition decides the request
     * @param failures  told of any outcome but an accept or an abandoned request
     * @return the accepted connection, or null when there is none to serve
     * @throws IOException as {@link Listener#accept(AcceptCondition)}
     */
    static ParleyConnection next(Listener listener, AcceptCondition condition, FailureLatch failures)
            throws IOException {
        return switch (listener.accept(condition)) {
            case AcceptResult.Accepted accepted -> accepted.connection();
            // A caller gave up while its request waited (a stalled or timed-out client): its own side of the
            // run reports that; the server has nothing to serve.
            case AcceptResult.Abandoned abandoned -> null;
            case AcceptResult.Rejected rejected -> failed(failures, "request from " + rejected.request().callerId()
                    + " refused: " + rejected.refusal());
            case AcceptResult.Deferred deferred -> failed(failures, "request from " + deferred.request().callerId()
                    + " deferred, though the condition never defers");
            case AcceptResult.AnswerTooLarge tooLarge -> failed(failures, "answer to "
                    + tooLarge.request().callerId() + " over the caller's limits: " + tooLarge.answer());
        };
    }

    private static ParleyConnection failed(FailureLatch failures, String what) {
        failures.fail(new IllegalStateException(what));
        return null;
    }
}
