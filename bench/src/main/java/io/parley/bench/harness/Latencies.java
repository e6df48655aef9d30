package io.parley.bench.harness;

import java.util.Arrays;

/** Latency samples in nanoseconds, recorded by one thread (or under its own lock), read after the run. */
public final class Latencies {
    private long[] samples;
    private int count;

    /** Room for {@code capacity} samples to start with; grows as needed. */
    public Latencies(int capacity) {
        samples = new long[Math.max(16, capacity)];
    }

    /** Records one sample. */
    public synchronized void record(long nanos) {
        if (count == samples.length) {
            samples = Arrays.copyOf(samples, samples.length * 2);
        }
        samples[count++] = nanos;
    }

    /** Number of samples. */
    public synchronized int count() {
        return count;
    }

    /** The {@code fraction} quantile (0.5 = median) in nanoseconds, by the nearest-rank method. */
    public synchronized double quantileNanos(double fraction) {
        if (count == 0) {
            throw new CountMismatchException("no latency sample was recorded");
        }
        long[] sorted = Arrays.copyOf(samples, count);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(fraction * count);
        return sorted[Math.max(0, Math.min(count - 1, rank - 1))];
    }

    /** Adds every sample of {@code other}. */
    public synchronized void addAll(Latencies other) {
        long[] theirs;
        int n;
        synchronized (other) {
            theirs = other.samples;
            n = other.count;
        }
        for (int i = 0; i < n; i++) {
            record(theirs[i]);
        }
    }
}
