package io.parley.cli;

import java.util.Optional;

/**
 * A client's completed session.
 *
 * @param plan     what the client set out to do
 * @param greeting the callee data it was accepted with
 * @param answer   the server's disconnect data
 * @param timeline the client's steps of the reference scenario
 */
record ClientResult(ClientPlan plan, Greeting greeting, GrandTotal answer, Timeline timeline) {

    /** Why the totals do not reconcile, or empty when they do. */
    Optional<String> discrepancy() {
        if (answer.claimed() != plan.claim()) {
            return Optional.of("the server read the claim " + plan.claim() + " as " + answer.claimed());
        }
        if (answer.counted() != plan.transactions() || !answer.reconciled()) {
            return Optional.of("the server counted " + answer.counted() + " transactions; the client did "
                    + plan.transactions() + " and claimed " + plan.claim());
        }
        if (answer.grandTotal() < greeting.runningTotal() + answer.counted()) {
            return Optional.of("the grand total " + answer.grandTotal() + " is less than the running total at "
                    + "accept, " + greeting.runningTotal() + ", plus the " + answer.counted() + " counted");
        }
        return Optional.empty();
    }
}
