package io.parley.cli;

import java.util.Optional;

/**
 * How one client's session ended on the server.
 *
 * @param client   the client's name
 * @param counted  the transactions the server processed on the connection
 * @param answer   the grand total the server sent, empty if the session ended without it (then nothing was
 *                 added to the running total)
 * @param timeline the server's steps of the reference scenario
 */
record SessionReport(String client, long counted, Optional<GrandTotal> answer, Timeline timeline) {
}
