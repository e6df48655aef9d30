package io.parley.cli;

import java.util.Optional;

/**
 * How one client's session ended on the server.
 *
 * @param client   the client's name
 * @param counted  the transactions the server processed on the connection
 * @param answer   the grand total the server sent, empty if the session ended without it (then nothing was
 *                 added to the running total)
 * @param acknowledged true if the client acknowledged the grand total (the connection ended gracefully);
 *                     false if it was never sent, or sent and unconfirmed (the client may not have it)
 * @param timeline the server's steps of the reference scenario
 */
record SessionReport(String client, long counted, Optional<GrandTotal> answer, boolean acknowledged,
                     Timeline timeline) {
}
