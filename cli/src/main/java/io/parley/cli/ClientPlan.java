package io.parley.cli;

import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * What a totals client does.
 *
 * @param server       the server's address
 * @param name         the client's name, sent as caller data
 * @param transactions how many transactions to perform
 * @param claim        the total to send as disconnect data: {@code transactions} unless testing a mismatch
 * @param timeout      how long to wait at each step: connect (deferrals included), each acknowledgement,
 *                     the grand total
 */
record ClientPlan(InetSocketAddress server, String name, long transactions, long claim, Duration timeout) {
}
