package io.parley.cli;

import io.parley.CloseIndication;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When each step of the reference scenario happened on one connection, stamped with
 * {@link System#nanoTime()} by the thread that saw it: calls just before they are made, indications and
 * received data when they arrive. Safe to stamp from several threads.
 */
final class Timeline {
    /** One stamped step and what happened in it. */
    record Stamp(Step step, long nanos, String detail) {
    }

    private final Map<Step, Stamp> stamps = new ConcurrentHashMap<>();

    /** Stamps {@code step} now. */
    void stamp(Step step, String detail) {
        stamps.put(step, new Stamp(step, System.nanoTime(), detail));
    }

    /**
     * Stamps {@code step} the moment the close indication completes, on the thread that completes it; the
     * returned future completes after the stamp, so that waiting on it orders later steps after this one.
     */
    CompletableFuture<CloseIndication> stampWhenDone(CompletableFuture<CloseIndication> indication, Step step) {
        return indication.thenApply(ending -> {
            stamp(step, "close indication: " + ending.kind() + " (FD_CLOSE, error " + ending.winsockError().code()
                    + ")");
            return ending;
        });
    }

    /** The stamps of this timeline and {@code other} together, in the order they happened. */
    List<Stamp> mergedWith(Timeline other) {
        List<Stamp> all = new ArrayList<>(stamps.values());
        all.addAll(other.stamps.values());
        all.sort(Comparator.comparingLong(Stamp::nanos).thenComparing(Stamp::step));
        return all;
    }
}
