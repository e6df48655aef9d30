package io.parley.bench.harness;

import java.time.Duration;

/**
 * One implementation set up for one scenario (servers listening, nothing running). Each {@link #run} is one
 * round: it does the scenario's work for about the given time, checks that both sides counted the same,
 * and returns the round's figures. A miscount throws {@link CountMismatchException}: a wrong run prints no
 * number.
 */
public interface Trial extends AutoCloseable {

    /** Runs one round for about {@code duration}; throws if anything failed or the counts disagree. */
    Figures run(Duration duration) throws Exception;

    /** Stops the servers and frees everything. */
    @Override
    void close() throws Exception;
}
